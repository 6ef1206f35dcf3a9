"""Scoring of the agent task suite (benchmarks/agent_tasks.py): task data, facts, arguments, tables.

Pure: no model, no network. `tests/benchmarks/test_agent_tasks_scoring.py` covers it and validates the data.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from agent.language import english_drift
from tools.korean_numbers import scan_number

DATA = Path(__file__).resolve().parent / "data" / "agent_tasks"
SITE = DATA / "site"
KNOWN_TOOLS = {"current_time", "calculator", "crawl", "crawl_news", "search_knowledge", "summarize"}
CATEGORIES = (
    "time",
    "calculator",
    "crawl",
    "crawl_summarize",
    "crawl_news",
    "search_knowledge",
    "summarize_paste",
    "none",
)
ARG_CHECKS = {"url", "expression_value", "source", "query_any", "target_contains"}
PREFILL = [  # stored in the knowledge base before the search_knowledge tasks
    "economy-subway-fare", "economy-rice-price", "economy-chip-exports",
    "society-jeju-tourists", "culture-hangul-exhibit", "society-ktx-line",
]  # fmt: skip


@dataclass
class Task:
    id: str
    category: str
    question: str
    tools: list[str]
    args: dict[str, Any] = field(default_factory=dict)
    facts: list[str] = field(default_factory=list)


def load_tasks(path: Path = DATA / "tasks.jsonl") -> list[Task]:
    """The tasks in file order."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [Task(**json.loads(line)) for line in lines if line.strip()]


def task_problems(tasks: list[Task], site: Path = SITE) -> list[str]:
    """What is wrong with the task data (empty when it is well formed).

    >>> task_problems([Task("x", "time", "몇 시야?", ["clock"]), Task("x", "none", "안녕", [])])
    ["x: unknown tool 'clock'", 'x: duplicate id']
    """
    problems, seen = [], set()
    for task in tasks:
        if task.id in seen:
            problems.append(f"{task.id}: duplicate id")
        seen.add(task.id)
        if task.category not in CATEGORIES:
            problems.append(f"{task.id}: unknown category {task.category!r}")
        problems += [f"{task.id}: unknown tool {name!r}" for name in task.tools if name not in KNOWN_TOOLS]
        problems += [
            f"{task.id}: unknown argument check {key!r}" for key in task.args if key not in ARG_CHECKS
        ]
        for text in [task.question, *map(str, task.args.values())]:
            for local in re.findall(r"\{BASE\}/(\S+?)(?=[\s,.)]*(?:\s|$))", text):
                if not (site / local).is_file():
                    problems.append(f"{task.id}: fixture {local} missing")
    return problems


def numbers_in(text: str) -> list[Fraction]:
    """Every number written in `text`, with digits, commas and Korean units (만, 억) read as one number.

    >>> [str(n) for n in numbers_in("5,250만 원(52,500,000원)이고 3.5%, 삼억 오천만, 3만 4,100원")]
    ['52500000', '52500000', '7/2', '350000000', '34100']
    """
    # "3만 4,100원" is one number: the space after a unit before the next digits is dropped first.
    text = re.sub(r"(?<=[만억조])\s+(?=\d)", "", text)
    found, pos = [], 0
    while pos < len(text):
        scanned = scan_number(text, pos) if not (pos and text[pos - 1].isdigit()) else None
        if scanned is None:
            pos += 1
            continue
        value, end = scanned
        found.append(value)
        pos = max(end, pos + 1)
    return found


def _squash(text: str) -> str:
    return re.sub(r"[\s,]", "", text)


def fact_holds(fact: str, answer: str) -> bool:
    """Whether `answer` holds `fact`: alternatives split by '|'; '#N' a number (any form); 're:' a regex;
    otherwise text, compared without spaces and commas.

    >>> fact_holds("#52500000", "5,250만 원입니다"), fact_holds("#1550", "1,550원"), fact_holds("#15", "15.5%")
    (True, True, False)
    >>> fact_holds("3조 1천억|310000000000", "3조1천억 원"), fact_holds("re:\\\\d+시", "오후 3시"), fact_holds("서울", "")
    (True, True, False)
    """
    if fact.startswith("re:"):
        return re.search(fact[3:], answer) is not None
    for option in fact.split("|"):
        if option.startswith("#"):
            if Fraction(option[1:]) in numbers_in(answer):
                return True
        elif option and _squash(option) in _squash(answer):
            return True
    return False


def _urls(value: Any) -> list[str]:
    if isinstance(value, str):
        return re.findall(r"https?://[^\s,\"'\]]+", value) or [value]
    if isinstance(value, list):
        return [u for item in value for u in _urls(item)]
    return []


def args_problem(check: dict[str, Any], call: dict[str, Any], base: str) -> str | None:
    """Why the first call's arguments fail the task's checks (None when they pass).

    >>> args_problem({"url": "{BASE}/a.html"}, {"name": "crawl", "args": {"urls": ["http://h/a.html"]}}, "http://h")
    >>> args_problem({"source": "누리일보"}, {"name": "crawl_news", "args": {"source": "연합뉴스"}}, "")
    "source '연합뉴스' lacks '누리일보'"
    >>> args_problem({"query_any": "쌀|벼"}, {"name": "search_knowledge", "args": {"query": "쌀값"}}, "")
    """
    args = call.get("args") or {}
    for key, wanted in check.items():
        wanted = wanted.replace("{BASE}", base) if isinstance(wanted, str) else wanted
        if key == "url":
            given = [u.rstrip("/") for u in _urls(args.get("urls", args.get("target", args.get("source"))))]
            if wanted.rstrip("/") not in given:
                return f"url {wanted} not in {given}"
        elif key == "expression_value":
            from tools.calculator import calculate

            expression = str(args.get("expression", ""))
            try:
                value = calculate(expression)[1]
            except Exception as error:  # noqa: BLE001 - any failure is a wrong argument
                return f"expression {expression!r} failed: {error}"
            if abs(value) != abs(Fraction(str(wanted))):
                return f"expression {expression!r} = {float(value):g}, expected {wanted}"
        elif key in ("source", "target_contains"):
            given = str(args.get("source" if key == "source" else "target", ""))
            if _squash(wanted) not in _squash(given):
                return f"{key.split('_')[0]} {given[:60]!r} lacks {wanted!r}"
        elif key == "query_any":
            query = str(args.get("query", ""))
            if not any(option in query for option in wanted.split("|")):
                return f"query {query!r} has none of {wanted!r}"
    return None


@dataclass
class Outcome:
    task: Task
    calls: list[dict[str, Any]]
    answer: str
    seconds: float
    error: str | None = None
    right_tool: bool = False
    right_answer: bool = False
    korean_only: bool = False
    reasons: list[str] = field(default_factory=list)


def score(task: Task, calls: list[dict[str, Any]], answer: str, base: str) -> Outcome:
    """Judge one finished task (the caller fills seconds and error).

    >>> t = Task("c", "calculator", "1,550원짜리 22개", ["calculator"], {"expression_value": 34100}, ["#34100"])
    >>> o = score(t, [{"name": "calculator", "args": {"expression": "1550*22"}}], "모두 34,100원입니다.", "")
    >>> o.right_tool, o.right_answer, o.korean_only, o.reasons
    (True, True, True, [])
    >>> o = score(Task("n", "none", "안녕?", []), [{"name": "current_time", "args": {}}], "Hello!", "")
    >>> o.right_tool, o.right_answer, o.korean_only, o.reasons
    (False, False, False, ['called current_time, expected no tool', "English words: ['Hello']"])
    """
    outcome = Outcome(task, calls, answer, 0.0)
    first = calls[0]["name"] if calls else None
    if task.tools:
        outcome.right_tool = first in task.tools
        if not outcome.right_tool:
            outcome.reasons.append(f"called {first or 'no tool'}, expected {' or '.join(task.tools)}")
    else:
        outcome.right_tool = first is None
        if first:
            outcome.reasons.append(f"called {first}, expected no tool")
    args_ok = True
    if outcome.right_tool and calls and task.args:
        problem = args_problem(task.args, calls[0], base)
        if problem:
            args_ok = False
            outcome.reasons.append(f"arguments: {problem}")
    missing = [f for f in task.facts if not fact_holds(f.replace("{BASE}", base), answer)]
    if missing:
        outcome.reasons.append(f"answer lacks {missing}")
    looks_like_call = answer.lstrip().startswith(("{", "```")) or '"name"' in answer
    if not answer.strip() or looks_like_call:
        outcome.reasons.append("empty answer" if not answer.strip() else "answer is a tool call as text")
    outcome.right_answer = outcome.right_tool and args_ok and not missing and answer.strip() != ""
    outcome.right_answer = outcome.right_answer and not looks_like_call
    drift = english_drift(answer)
    outcome.korean_only = bool(answer.strip()) and not drift
    if drift:
        outcome.reasons.append(f"English words: {drift[:8]}")
    return outcome


def outcome_row(o: Outcome) -> dict[str, Any]:
    """One outcome as a JSON row (the --json file)."""
    return {
        "id": o.task.id, "category": o.task.category, "question": o.task.question, "calls": o.calls,
        "answer": o.answer, "seconds": round(o.seconds, 2), "error": o.error, "right_tool": o.right_tool,
        "right_answer": o.right_answer, "korean_only": o.korean_only, "reasons": o.reasons,
    }  # fmt: skip


def outcome_from_row(row: dict[str, Any], tasks: dict[str, Task]) -> Outcome:
    """An outcome read back from a JSON row, its task looked up by id.

    >>> t = Task("a", "none", "안녕", [])
    >>> outcome_from_row(outcome_row(score(t, [], "안녕하세요", "")), {"a": t}).right_answer
    True
    """
    return Outcome(
        tasks[row["id"]], row["calls"], row["answer"], row["seconds"], row.get("error"),
        row["right_tool"], row["right_answer"], row["korean_only"], row["reasons"],
    )  # fmt: skip


def table(outcomes: list[Outcome]) -> list[str]:
    """Markdown rows per category and overall.

    >>> t = Task("a", "none", "안녕", [])
    >>> table([Outcome(t, [], "안녕하세요", 2.0, right_tool=True, right_answer=True, korean_only=True)])[-1]
    '| **all** | 1 | 100% | 100% | 100% | 2.0 |'
    """
    rows = [
        "| category | tasks | right tool | right answer | Korean-only | s/request |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    groups = [(c, [o for o in outcomes if o.task.category == c]) for c in CATEGORIES] + [
        ("**all**", outcomes)
    ]
    for name, group in groups:
        if not group:
            continue
        n = len(group)

        def pct(flag: str, group: list[Outcome] = group, n: int = n) -> str:
            return f"{100 * sum(getattr(o, flag) for o in group) / n:.0f}%"

        seconds = sum(o.seconds for o in group) / n
        rows.append(
            f"| {name} | {n} | {pct('right_tool')} | {pct('right_answer')} | {pct('korean_only')} | {seconds:.1f} |"
        )
    return rows
