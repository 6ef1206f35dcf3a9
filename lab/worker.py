"""One model's cells in a process of its own: `python -m lab.worker SPEC --out DIR --tasks ... --ids ...`.

A process per model keeps the figures clean (the embedded runtime is one per process; its RSS is this
process's RSS, sampled by the parent) and a crash or a model that does not load cannot take the run down.
Rows go straight to `OUT/results.jsonl`; the last stdout line is the model's facts as JSON.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path
from typing import Any

from config import NuriError, Settings
from lab.results import append_row

log = logging.getLogger(__name__)

EXIT_LOAD_FAILED = 3


def run_model(
    spec: str, selection: str, limit: int | None, ids: list[str], out: Path, settings: Settings
) -> dict:
    """Open the model, run the pending tasks in order, append a row per cell; the model's facts back."""
    from lab.cells import RagFixture, run_cell
    from lab.session import open_session
    from lab.targets import parse_target
    from lab.tasks import load_suite

    target = parse_target(spec)
    wanted = set(ids)
    tasks = [task for task in load_suite(selection, limit=limit) if task.id in wanted]
    try:
        session = open_session(target, settings)
    except NuriError as error:
        for task in tasks:
            append_row(
                out,
                {
                    "type": "cell",
                    "model": target.label,
                    "task": task.id,
                    "kind": task.kind,
                    "status": "error",
                    "error": f"모델을 열지 못했습니다: {error}",
                },
            )
        return {"status": "error", "error": str(error), "backend": target.kind, "spec": spec}
    rag = None
    if any(task.kind == "rag" for task in tasks):
        try:
            rag = RagFixture.build(session)
        except Exception:  # noqa: BLE001 - RAG cells then report the missing KB; other kinds still run
            log.exception("could not build the RAG fixture knowledge base")
    for task in tasks:
        row = run_cell(session, task, rag)
        append_row(out, row)
        sys.stderr.write(
            f"@ {target.label} {task.id}: {row.get('status')} {row.get('detail', row.get('error', ''))}\n"
        )
        sys.stderr.flush()
    return {"status": "ok", **session.info, **session.memory()}


def judge_summaries(spec: str, out: Path, settings: Settings) -> dict:
    """Ask a judge model which key facts each summary covers; one `judge` row per summary."""
    from lab.judge import judge_rows_for
    from lab.session import open_session
    from lab.targets import parse_target

    target = parse_target(spec)
    session = open_session(target, settings)
    count = 0
    for row in judge_rows_for(session, out):
        append_row(out, row)
        count += 1
    return {"status": "ok", "judged": count, "judge": target.label}


def _settings(path: Path | None) -> Settings:
    overrides: dict[str, Any] = json.loads(path.read_text(encoding="utf-8")) if path else {}
    return Settings(**overrides)


def _exit_with_parent() -> None:
    """End this worker when the bench run that started it is gone (killed), so no model keeps running."""
    import os
    import threading
    import time

    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(EXIT_LOAD_FAILED)

    threading.Thread(target=watch, name="nuri-lab-parent", daemon=True).start()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lab.worker")
    parser.add_argument("spec")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--tasks", default="qa")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--ids", default="")
    parser.add_argument("--settings", type=Path, default=None)
    parser.add_argument("--judge", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    _exit_with_parent()
    try:
        settings = _settings(args.settings)
        if args.judge:
            info = judge_summaries(args.spec, args.out, settings)
        else:
            ids = [i for i in args.ids.split(",") if i]
            info = run_model(args.spec, args.tasks, args.limit, ids, args.out, settings)
    except NuriError as error:
        sys.stderr.write(f"오류: {error}\n")
        return EXIT_LOAD_FAILED
    sys.stdout.write(json.dumps(info, ensure_ascii=False, default=str) + "\n")
    return 0 if info.get("status") == "ok" else EXIT_LOAD_FAILED


if __name__ == "__main__":
    raise SystemExit(main())
