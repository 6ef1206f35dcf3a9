"""Politeness under load, measured at the servers.

200 article URLs over 4 local hosts (4 HTTP servers on 127.0.0.1, different ports, allowed through
`allow_private`), crawled by `crawlers.pipeline.crawl` with the default settings (1 s per host, 4 in
flight). Each server records when every request arrived and when its response was finished. Side by side
in the same run: a naive fetcher (plain httpx, 8 threads, no pacing) over the same URLs, to show what the
servers would see without the politeness layer.

Run: .venv/bin/python benchmarks/politeness.py [--per-host 50]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx  # noqa: E402

from config import Settings  # noqa: E402
from crawlers.pipeline import crawl  # noqa: E402
from tests.crawlers.crawlfixtures import HTML, STORIES, article_page  # noqa: E402
from tests.crawlers.httpfixture import FixtureServer, Recorded  # noqa: E402

KEYS = list(STORIES)


def _page(record: Recorded):
    time.sleep(0.02)  # a little server work, so overlapping requests show up at the server
    index = int(record.path.rsplit("/", 1)[-1].split("?")[0] or 0)
    return (200, HTML, article_page(KEYS[index % len(KEYS)], extra=f" 기사 번호 {index}."))


def _servers(n: int) -> list[FixtureServer]:
    return [FixtureServer({"/robots.txt": (404, {}, b"")}, fallback=_page).start() for _ in range(n)]


def _urls(servers: list[FixtureServer], per_host: int, tag: str) -> list[str]:
    # Interleave hosts, as a mixed feed would.
    return [s.url(f"/{tag}/{i}") for i in range(per_host) for s in servers]


def _global_peak(servers: list[FixtureServer], prefix: str) -> int:
    spans = [
        (r.started, r.ended or r.started) for s in servers for r in s.hits() if r.path.startswith(prefix)
    ]
    return max((sum(1 for a, b in spans if a <= start < b) for start, _ in spans), default=0)


def _per_host(servers: list[FixtureServer], prefix: str) -> tuple[int, float, int]:
    peaks, gaps, count = [], [], 0
    for server in servers:
        hits = sorted((r for r in server.hits() if r.path.startswith(prefix)), key=lambda r: r.started)
        count += len(hits)
        events = sorted([(r.started, 1) for r in hits] + [(r.ended or r.started, -1) for r in hits])
        level = peak = 0
        for _, step in events:
            level += step
            peak = max(peak, level)
        peaks.append(peak)
        gaps += [b.started - (a.ended or a.started) for a, b in zip(hits, hits[1:], strict=False)]
    return max(peaks), min(gaps) if gaps else float("nan"), count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-host", type=int, default=50, help="URLs per host (4 hosts)")
    args = parser.parse_args()
    servers = _servers(4)
    try:
        with tempfile.TemporaryDirectory() as home:
            settings = Settings(home=Path(home), allow_private=[s.host_port for s in servers])
            started = time.monotonic()
            report = crawl(settings, _urls(servers, args.per_host, "polite"), max_pages=4 * args.per_host)
            polite_s = time.monotonic() - started

        naive_urls = _urls(servers, args.per_host, "naive")
        started = time.monotonic()
        with httpx.Client(trust_env=False) as client, ThreadPoolExecutor(8) as pool:
            list(pool.map(lambda u: client.get(u).status_code, naive_urls))
        naive_s = time.monotonic() - started

        rows = []
        for name, prefix, seconds in (
            ("nuri crawl (defaults)", "/polite/", polite_s),
            ("naive httpx, 8 threads", "/naive/", naive_s),
        ):
            peak, gap, count = _per_host(servers, prefix)
            rows.append((name, count, peak, gap, _global_peak(servers, prefix), seconds))
    finally:
        for server in servers:
            server.stop()

    print(
        f"Settings: crawl_delay={settings.crawl_delay} s, crawl_concurrency={settings.crawl_concurrency}; "
        f"stored {report.summary()['stored']} articles, failures {len(report.failures)}"
    )
    print()
    print(
        "| fetcher | requests seen | max concurrent per host | min gap per host (s) | max concurrent overall | wall time (s) |"
    )
    print("|---|---|---|---|---|---|")
    for name, count, peak, gap, overall, seconds in rows:
        print(f"| {name} | {count} | {peak} | {gap:.3f} | {overall} | {seconds:.1f} |")
    ideal = args.per_host * settings.crawl_delay
    print()
    print(
        f"Polite wall time / ideal ({args.per_host} requests x {settings.crawl_delay} s per host, hosts in "
        f"parallel): {polite_s / ideal:.2f}; polite / naive wall time: {polite_s / naive_s:.0f}x"
    )


if __name__ == "__main__":
    main()
