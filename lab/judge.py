"""An optional judge model for summaries: which listed key facts does each summary state?

The keyword coverage in `scoring.score_summary` stays the main figure; the judge's coverage is reported
beside it with the judge's name, because a small judge is itself unreliable.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from lab.client import SYSTEM_PROMPT
from lab.results import judge_rows, latest_cells, read_rows
from lab.session import Session
from lab.tasks import load_suite

JUDGE_PROMPT = (
    "아래 요약을 읽고, 번호가 붙은 사실 가운데 요약에 들어 있는 것의 번호만 쉼표로 나열하세요. "
    "하나도 없으면 '없음'이라고 쓰세요.\n\n요약:\n{summary}\n\n사실:\n{facts}"
)


def covered_numbers(reply: str, count: int) -> set[int]:
    """Fact numbers named in the judge's reply, within 1..count.

    >>> sorted(covered_numbers("1, 3번, 그리고 7", 4))
    [1, 3]
    >>> covered_numbers("없음", 4)
    set()
    """
    return {int(n) for n in re.findall(r"\d+", reply) if 1 <= int(n) <= count}


def judge_rows_for(session: Session, out: Path) -> Iterator[dict[str, Any]]:
    """A `judge` row for each summary answer in `out` that this judge has not rated yet."""
    rows = read_rows(out)
    judged = judge_rows(rows)
    tasks = {task.id: task for task in load_suite("summary")}
    judge = session.target.label
    for (model, task_id), cell in sorted(latest_cells(rows).items()):
        task = tasks.get(task_id)
        if (
            task is None
            or cell.get("status") != "ok"
            or judged.get((model, task_id), {}).get("judge") == judge
        ):
            continue
        facts = [forms[0] for forms in task.data["key_facts"]]
        listed = "\n".join(f"{i}. {fact}" for i, fact in enumerate(facts, start=1))
        prompt = JUDGE_PROMPT.format(summary=cell.get("answer", ""), facts=listed)
        reply = session.complete(
            [{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": prompt}], 48
        )
        numbers = covered_numbers(reply.text, len(facts))
        yield {
            "type": "judge",
            "model": model,
            "task": task_id,
            "judge": judge,
            "coverage": len(numbers) / len(facts),
            "reply": reply.text.strip()[:200],
        }
