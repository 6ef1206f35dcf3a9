"""Score stored answers again with the current scorer, so a scoring fix applies to finished runs too.

QA, summary and calculator scores depend only on the stored answer (and the tools called), so they are
recomputed for every shipped task; RAG rows keep their stored score (whether the source was cited is
known only during the turn). Rows of task files that are not shipped stay as they were.
"""

from __future__ import annotations

import logging
from typing import Any

from config import NuriError
from lab import scoring
from lab.tasks import Task, load_suite

log = logging.getLogger(__name__)


def _shipped() -> dict[str, Task]:
    try:
        return {task.id: task for task in load_suite("qa,summary,calc")}
    except NuriError:
        log.warning("shipped suite unreadable; keeping stored scores", exc_info=True)
        return {}


def _score(task: Task, row: dict[str, Any]) -> scoring.Score:
    answer = str(row.get("answer") or "")
    if task.kind == "qa":
        return scoring.score_qa(answer, task.data["answers"])
    if task.kind == "summary":
        return scoring.score_summary(answer, task.data["key_facts"])
    called = "calculator" in (row.get("tools") or [])
    return scoring.score_calc(answer, float(task.data["expected"]), called)


def rescore(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Copies of `rows` with QA/summary/calculator cells scored by today's scorer."""
    tasks = _shipped()
    out = []
    for row in rows:
        task = tasks.get(row.get("task", ""))
        if row.get("type") == "cell" and row.get("status") == "ok" and task and task.kind == row.get("kind"):
            score = _score(task, row)
            row = {**row, "score": score.value, "passed": score.passed, "detail": score.detail}
        out.append(row)
    return out
