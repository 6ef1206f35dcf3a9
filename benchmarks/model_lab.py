"""Model lab, interleaved: the models take turns, a few tasks at a time, resumed into one out dir.

Run: .venv/bin/python benchmarks/model_lab.py --models A.gguf,B.gguf --tasks qa:12,summary:2,calc:4
     [--step 2] [--threads 1] [--num-ctx 4096] [--out bench-lab]

Each round is one `run_bench` over every model with the per-kind limit raised by `--step`, so machine load
that comes and goes hits all models alike (a shared CPU moves absolute speeds a lot). At the end it writes
the report and prints each model's figures as a ratio to the first model's.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from config import Settings  # noqa: E402
from lab.report import render_report  # noqa: E402
from lab.rescore import rescore  # noqa: E402
from lab.results import read_rows  # noqa: E402
from lab.runner import run_bench  # noqa: E402
from lab.summary import summarize  # noqa: E402


def _log(line: str) -> None:
    print(time.strftime("%H:%M:%S"), line, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--models", required=True)
    parser.add_argument("--tasks", default="qa:12,summary:2,calc:4", help="kind:count, comma-separated")
    parser.add_argument("--step", type=int, default=2)
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--num-ctx", type=int, default=4096)
    parser.add_argument("--out", type=Path, default=Path("bench-lab"))
    args = parser.parse_args()
    settings = Settings(num_ctx=args.num_ctx, threads=args.threads, temperature=0.0, request_timeout=900)
    for item in args.tasks.split(","):
        kind, _, count = item.partition(":")
        total = int(count or 1)
        # RAG prompts carry five retrieved passages: they need the default window.
        kind_settings = (
            settings.model_copy(update={"num_ctx": max(8192, args.num_ctx)}) if kind == "rag" else settings
        )
        for limit in range(min(args.step, total), total + args.step, args.step):
            run_bench(
                args.models, args.out, kind_settings, tasks=kind, limit=min(limit, total), progress=_log
            )
    print(f"report: {render_report(args.out)}")
    summaries = summarize(rescore(read_rows(args.out)))
    base = summaries[0]
    print(f"\n| model | quality | s/answer | decode tok/s | peak RSS MB | (ratios to {base.model}) |")
    print("|---|---|---|---|---|---|")
    for s in summaries:
        cells = []
        for mine, theirs in ((s.quality, base.quality), (s.seconds_per_answer, base.seconds_per_answer),
                             (s.decode_tps, base.decode_tps), (s.peak_rss_mb, base.peak_rss_mb)):  # fmt: skip
            ratio = f" (x{mine / theirs:.2f})" if mine is not None and theirs else ""
            cells.append("–" if mine is None else f"{mine:.2f}{ratio}")
        print(f"| {s.model} | " + " | ".join(cells) + " | |")


if __name__ == "__main__":
    main()
