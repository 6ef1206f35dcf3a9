"""`OUT/results.jsonl`: one JSON row per finished cell (model x task), appended as it finishes.

Rows: `cell` (an answer and its score, or an error), `model` (load time, file, memory), `judge` (a judge
model's coverage of a summary). A run killed half-way leaves at most a torn last line, which is skipped;
a later run reads the file and does only the cells with no `ok` row.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

RESULTS_NAME = "results.jsonl"


def now() -> str:
    """UTC timestamp for rows, to the second."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def append_row(out: Path, row: dict[str, Any]) -> None:
    """Append one row and flush it to disk, so a kill right after loses nothing already finished."""
    out.mkdir(parents=True, exist_ok=True)
    line = json.dumps({"at": now(), **row}, ensure_ascii=False)
    with (out / RESULTS_NAME).open("a", encoding="utf-8") as handle:
        handle.write(line + "\n")
        handle.flush()
        os.fsync(handle.fileno())


def read_rows(out: Path) -> list[dict[str, Any]]:
    """Every readable row; a torn or foreign line is logged and skipped, never fatal."""
    path = out / RESULTS_NAME
    if not path.is_file():
        return []
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError:
            log.warning("skipping unreadable line %d of %s (an interrupted write?)", number, path)
            continue
        if isinstance(row, dict) and row.get("type"):
            rows.append(row)
    return rows


def finished_cells(rows: Iterable[dict[str, Any]]) -> set[tuple[str, str]]:
    """(model, task) pairs that have an answer; errors and skips are tried again on the next run.

    >>> finished_cells([{"type": "cell", "model": "a", "task": "qa-01", "status": "ok"},
    ...                 {"type": "cell", "model": "a", "task": "qa-02", "status": "error"}])
    {('a', 'qa-01')}
    """
    return {(r["model"], r["task"]) for r in rows if r.get("type") == "cell" and r.get("status") == "ok"}


def latest_cells(rows: Iterable[dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    """The row that counts per (model, task): the last `ok` one, else the last one.

    >>> cells = latest_cells([{"type": "cell", "model": "a", "task": "t", "status": "ok", "answer": "1"},
    ...                       {"type": "cell", "model": "a", "task": "t", "status": "error"}])
    >>> cells[("a", "t")]["answer"]
    '1'
    """
    chosen: dict[tuple[str, str], dict[str, Any]] = {}
    for row in rows:
        if row.get("type") != "cell":
            continue
        key = (row["model"], row["task"])
        if row.get("status") == "ok" or chosen.get(key, {}).get("status") != "ok":
            chosen[key] = row
    return chosen


def model_rows(rows: Iterable[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Per model, its `model` rows merged in order (later runs fill in or replace fields).

    The peak memory is the highest seen in any run; `load_seconds` is the median over the runs (each
    resumed run loads the model again), with every run's figure in `load_runs`.

    >>> merged = model_rows([{"type": "model", "model": "a", "peak_rss": 5, "load_seconds": 2.0},
    ...                      {"type": "model", "model": "a", "peak_rss": 3, "load_seconds": 1.5},
    ...                      {"type": "model", "model": "a", "peak_rss": 4, "load_seconds": 9.0}])
    >>> merged["a"]["peak_rss"], merged["a"]["load_seconds"], merged["a"]["load_runs"]
    (5, 2.0, [2.0, 1.5, 9.0])
    """
    import statistics

    merged: dict[str, dict[str, Any]] = {}
    for row in rows:
        if row.get("type") != "model":
            continue
        entry = merged.setdefault(row["model"], {"load_runs": []})
        peak = max(entry.get("peak_rss") or 0, row.get("peak_rss") or 0) or None
        loads = entry["load_runs"]
        if isinstance(row.get("load_seconds"), int | float):
            loads.append(row["load_seconds"])
        entry.update({k: v for k, v in row.items() if v is not None})
        entry["peak_rss"] = peak
        entry["load_runs"] = loads
        if loads:
            entry["load_seconds"] = statistics.median(loads)
    return merged


def judge_rows(rows: Iterable[dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    """The last judge verdict per (model, task)."""
    return {(r["model"], r["task"]): r for r in rows if r.get("type") == "judge"}
