"""Extraction speed: `extract_article` vs bare `trafilatura.extract` on the same fixture pages, one run.

Both get the same raw bytes and URL. The two are interleaved page by page and round by round, so a
busy machine slows both alike and the ratio stays meaningful. Prints a markdown table.

    .venv/bin/python benchmarks/extraction.py [--rounds 20]
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import trafilatura  # noqa: E402

from crawlers.extract import extract_article, rule_for  # noqa: E402
from crawlers.extract.extractor import log as extractor_log  # noqa: E402

FIXTURES = ROOT / "tests" / "crawlers" / "fixtures"
# Fixture name prefix -> an article URL on that site (the rule is chosen by host).
URLS = {
    "naver": "https://n.news.naver.com/article/001/0015000001",
    "naver-entertain": "https://m.entertain.naver.com/article/311/0001800001",
    "naver-sports": "https://m.sports.naver.com/article/413/0000200001",
    "daum": "https://v.daum.net/v/20261123101500123",
    "yonhap": "https://www.yna.co.kr/view/AKR20261123045100004",
    "chosun": "https://www.chosun.com/national/2026/11/23/ABCDEFGHIJKLMNOPQRSTUVWX12/",
    "joongang": "https://www.joongang.co.kr/article/25400001",
    "donga": "https://www.donga.com/news/Economy/article/all/20261123/130000001/1",
    "hani": "https://www.hani.co.kr/arti/politics/assembly/1200001.html",
    "khan": "https://www.khan.co.kr/article/202611231100001",
    "hankookilbo": "https://www.hankookilbo.com/News/Read/A2026112213450001234",
    "kbs": "https://news.kbs.co.kr/news/pc/view/view.do?ncd=8100001",
    "mbc": "https://imnews.imbc.com/news/2026/society/article/6700001_36000.html",
    "sbs": "https://news.sbs.co.kr/news/endPage.do?news_id=N1008100001",
    "ytn": "https://www.ytn.co.kr/_ln/0103_202611230012340001",
    "mk": "https://www.mk.co.kr/news/economy/11400001",
    "hankyung": "https://www.hankyung.com/article/2026112300011",
    "generic": "https://www.generic-news.example/news/articleView.html?idxno=1",
}


def pages() -> list[tuple[str, bytes, str]]:
    found = []
    for path in sorted(FIXTURES.glob("*.html")):
        if "section" in path.name:
            continue  # list pages, not articles
        url = URLS[path.name.split(".")[0]]
        found.append((path.name, path.read_bytes(), url))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    logging.disable(logging.INFO)  # keep fallback notices out of the timing
    extractor_log.disabled = True
    corpus = pages()
    # Warm-up: imports, caches, selector compilation.
    for _, body, url in corpus:
        extract_article(body, url)
        trafilatura.extract(body, url=url)
    ours: dict[str, list[float]] = {name: [] for name, _, _ in corpus}
    theirs: dict[str, list[float]] = {name: [] for name, _, _ in corpus}
    for round_no in range(args.rounds):
        order = corpus if round_no % 2 == 0 else list(reversed(corpus))
        for name, body, url in order:
            pair = [
                ("ours", lambda b=body, u=url: extract_article(b, u)),
                ("theirs", lambda b=body, u=url: trafilatura.extract(b, url=u)),
            ]
            if round_no % 2:
                pair.reverse()
            for who, run in pair:
                start = time.perf_counter()
                run()
                (ours if who == "ours" else theirs)[name].append(time.perf_counter() - start)

    def rate(times: dict[str, list[float]], names: list[str]) -> float:
        per_page = [statistics.median(times[n]) for n in names]
        return len(per_page) / sum(per_page)

    groups = {
        "site-rule pages": [n for n, _, u in corpus if rule_for(u) and not n.startswith("yonhap.missing")],
        "generic pages (incl. rule fallback)": [
            n for n, _, u in corpus if not rule_for(u) or n.startswith("yonhap.missing")
        ],
        "all pages": [n for n, _, _ in corpus],
    }
    print(
        f"Extraction speed, {len(corpus)} fixture pages, {args.rounds} interleaved rounds (median per page)\n"
    )
    print(
        "| pages | n | extract_article pages/s | trafilatura.extract pages/s | time ratio ours/trafilatura |"
    )
    print("|---|---|---|---|---|")
    for label, names in groups.items():
        mine, bare = rate(ours, names), rate(theirs, names)
        print(f"| {label} | {len(names)} | {mine:.0f} | {bare:.0f} | {bare / mine:.2f}x |")


if __name__ == "__main__":
    main()
