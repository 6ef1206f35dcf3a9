"""The agent task suite's data is well formed, and its scoring judges calls and answers as intended."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from benchmarks.agent_task_scoring import (
    CATEGORIES,
    DATA,
    KNOWN_TOOLS,
    PREFILL,
    SITE,
    Task,
    args_problem,
    fact_holds,
    load_tasks,
    numbers_in,
    score,
    table,
    task_problems,
)

BASE = "http://127.0.0.1:8123"


def test_the_task_file_is_well_formed():
    tasks = load_tasks()
    assert task_problems(tasks) == []
    assert len(tasks) >= 40
    per_category = Counter(t.category for t in tasks)
    assert set(per_category) == set(CATEGORIES)
    assert per_category["calculator"] >= 10
    assert all(set(t.tools) <= KNOWN_TOOLS for t in tasks)
    assert all(t.tools == [] for t in tasks if t.category == "none")
    assert all(t.tools for t in tasks if t.category != "none")
    assert all(re.search(r"[가-힣]", t.question) for t in tasks)


def test_the_held_out_file_is_well_formed_and_apart_from_the_suite():
    held_out, suite = load_tasks(DATA / "heldout.jsonl"), load_tasks()
    assert task_problems(held_out) == []
    assert len(held_out) >= 20
    assert set(t.category for t in held_out) == set(CATEGORIES)
    assert not {t.id for t in held_out} & {t.id for t in suite}
    assert not {t.question for t in held_out} & {t.question for t in suite}


def test_every_fixture_the_tasks_and_prefill_need_exists():
    for slug in PREFILL:
        assert (SITE / "news" / f"{slug}.html").is_file()
    for page in (SITE / "news").glob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "og:title" in text and "{BASE}/news/" in text and "무단전재" in text
    for feed in (SITE / "rss").glob("*.xml"):
        for link in re.findall(r"<link>\{BASE\}/(news/[^<]+)</link>", feed.read_text(encoding="utf-8")):
            assert (SITE / link).is_file(), link


def test_task_problems_names_missing_fixtures_and_unknown_checks():
    bad = Task("t", "crawl", "수집해 줘 {BASE}/news/nope.html", ["crawl"], {"urll": "x"})
    assert task_problems([bad]) == ["t: unknown argument check 'urll'", "t: fixture news/nope.html missing"]
    assert task_problems([Task("t", "weather", "날씨", [])]) == ["t: unknown category 'weather'"]


@pytest.mark.parametrize(
    ("answer", "value"),
    [
        ("52,500,000원입니다", 52500000),
        ("5,250만 원입니다", 52500000),
        ("오천이백오십만 원", 52500000),
        ("3억 5천만 원의 15%는 5250만 원", 52500000),
        ("1550원", 1550),
    ],
)
def test_numbers_are_found_in_any_written_form(answer, value):
    assert value in numbers_in(answer)


def test_facts_need_every_alternative_form_or_fail():
    assert fact_holds("#34100", "총 3만 4,100원입니다.")
    assert not fact_holds("#34100", "총 34,000원입니다.")
    assert fact_holds("142억|23%", "수출은 142 억 달러")
    assert not fact_holds("142억|23%", "수출이 늘었습니다")
    assert fact_holds("re:\\d{1,2}\\s*시", "지금은 오후 3 시 5분입니다")
    assert not fact_holds("re:\\d{1,2}\\s*시", "지금 시각을 모릅니다")


def test_argument_checks():
    crawl = {"name": "crawl", "args": {"urls": f"{BASE}/news/a.html"}}
    assert args_problem({"url": "{BASE}/news/a.html"}, crawl, BASE) is None
    assert "not in" in args_problem({"url": "{BASE}/news/b.html"}, crawl, BASE)
    summarize = {"name": "summarize", "args": {"target": f"{BASE}/news/a.html", "style": "3줄"}}
    assert args_problem({"url": "{BASE}/news/a.html"}, summarize, BASE) is None
    calc = {"name": "calculator", "args": {"expression": "3억 5천만 원의 15%"}}
    assert args_problem({"expression_value": 52500000}, calc, BASE) is None
    wrong = {"name": "calculator", "args": {"expression": "3억 5천만 * 0.5"}}
    assert "expected 52500000" in args_problem({"expression_value": 52500000}, wrong, BASE)
    broken = {"name": "calculator", "args": {"expression": "얼마야"}}
    assert "failed" in args_problem({"expression_value": 1}, broken, BASE)


def test_score_requires_the_right_first_tool_its_arguments_and_the_facts():
    task = Task(
        "k",
        "search_knowledge",
        "저장한 기사에 따르면?",
        ["search_knowledge"],
        {"query_any": "지하철"},
        ["#1550"],
    )
    good = score(
        task, [{"name": "search_knowledge", "args": {"query": "지하철 요금"}}], "1,550원으로 오릅니다.", BASE
    )
    assert (good.right_tool, good.right_answer, good.korean_only) == (True, True, True)
    wrong_tool = score(task, [{"name": "crawl", "args": {}}], "1,550원으로 오릅니다.", BASE)
    assert (wrong_tool.right_tool, wrong_tool.right_answer) == (False, False)
    wrong_args = score(task, [{"name": "search_knowledge", "args": {"query": "버스"}}], "1,550원", BASE)
    assert (wrong_args.right_tool, wrong_args.right_answer) == (True, False)
    no_fact = score(
        task, [{"name": "search_knowledge", "args": {"query": "지하철"}}], "요금이 오릅니다.", BASE
    )
    assert not no_fact.right_answer and "answer lacks ['#1550']" in no_fact.reasons
    drift = score(task, [{"name": "search_knowledge", "args": {"query": "지하철"}}], "price는 1,550원", BASE)
    assert drift.right_answer and not drift.korean_only


def test_a_tool_call_written_as_the_answer_is_never_right():
    task = Task("n", "none", "안녕?", [])
    outcome = score(task, [], '{"name": "current_time", "arguments": {}}', BASE)
    assert outcome.right_tool and not outcome.right_answer
    assert score(task, [], "", BASE).right_answer is False


def test_table_has_a_row_per_category_and_overall():
    tasks = [Task("a", "none", "안녕", []), Task("b", "time", "몇 시", ["current_time"], {}, ["re:시"])]
    outcomes = [score(tasks[0], [], "안녕하세요!", BASE), score(tasks[1], [], "모릅니다", BASE)]
    rows = table(outcomes)
    assert rows[2].startswith("| time | 1 | 0% | 0% | 100%")
    assert rows[3].startswith("| none | 1 | 100% | 100% | 100%")
    assert rows[4].startswith("| **all** | 2 | 50% | 50% | 100%")
