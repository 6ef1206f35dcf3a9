"""Tool calls written as text: many malformed variants become calls; prose (braces included) stays text."""

from __future__ import annotations

import pytest

from agent.llm.toolcall_text import extract_calls, to_calls, validate_args

CALC = {
    "type": "object",
    "properties": {"expression": {"type": "string", "description": "arithmetic"}},
    "required": ["expression"],
}
TIME = {"type": "object", "properties": {}}
SEARCH = {
    "type": "object",
    "properties": {"query": {"type": "string"}, "k": {"type": "integer"}},
    "required": ["query"],
}
TOOLS = {"calculator": CALC, "current_time": TIME, "search_news": SEARCH}
EXPR = {"expression": "1550 * 22"}

CALLS = [
    ('{"name": "calculator", "arguments": {"expression": "1550 * 22"}}', [("calculator", EXPR)]),
    ('{"name": "calculator", "parameters": {"expression": "1550 * 22"}}', [("calculator", EXPR)]),
    ('{"name": "calculator", "args": {"expression": "1550 * 22"}}', [("calculator", EXPR)]),
    ('{"name": "calculator", "input": {"expression": "1550 * 22"}}', [("calculator", EXPR)]),
    ('{"name": "calculator", "arguments": "{\\"expression\\": \\"1550 * 22\\"}"}', [("calculator", EXPR)]),
    ("{'name': 'calculator', 'arguments': {'expression': '1550 * 22'}}", [("calculator", EXPR)]),
    ('{"name": "calculator", "arguments": {"expression": "1550 * 22",},}', [("calculator", EXPR)]),
    (
        '```json\n{"name": "calculator", "arguments": {"expression": "1550 * 22"}}\n```',
        [("calculator", EXPR)],
    ),
    ('```\n{"name": "calculator", "arguments": {"expression": "1550 * 22"}}\n```', [("calculator", EXPR)]),
    (
        '<tool_call>\n{"name": "calculator", "arguments": {"expression": "1550 * 22"}}\n</tool_call>',
        [("calculator", EXPR)],
    ),
    ('<tool_call>{"name": "calculator", "arguments": {"expression": "1550 * 22"}}', [("calculator", EXPR)]),
    ('  \n {"name": "calculator", "arguments": {"expression": "1550 * 22"}}  ', [("calculator", EXPR)]),
    (
        '[{"name": "calculator", "arguments": {"expression": "1+1"}}, {"name": "current_time", "arguments": {}}]',
        [("calculator", {"expression": "1+1"}), ("current_time", {})],
    ),
    (
        '<tool_call>\n{"name": "calculator", "arguments": {"expression": "1+1"}}\n</tool_call>\n'
        '<tool_call>\n{"name": "current_time", "arguments": {}}\n</tool_call>',
        [("calculator", {"expression": "1+1"}), ("current_time", {})],
    ),
    (
        '{"type": "function", "function": {"name": "calculator", "arguments": "{\\"expression\\": \\"1550 * 22\\"}"}}',
        [("calculator", EXPR)],
    ),
    ('{"tool_calls": [{"function": {"name": "current_time", "arguments": "{}"}}]}', [("current_time", {})]),
    ('{"calculator": {"expression": "1550 * 22"}}', [("calculator", EXPR)]),
    ('{"name": "calculator", "expression": "1550 * 22"}', [("calculator", EXPR)]),
    ('{"name": "current_time"}', [("current_time", {})]),
    ('{"name": "current_time", "arguments": null}', [("current_time", {})]),
    ('{"name": "Calculator", "arguments": {"expression": "1550 * 22"}}', [("calculator", EXPR)]),
    ('{"name": "functions.calculator", "arguments": {"expression": "1550 * 22"}}', [("calculator", EXPR)]),
    (
        '계산해 볼게요.\n{"name": "calculator", "arguments": {"expression": "1550 * 22"}}',
        [("calculator", EXPR)],
    ),
    (
        '{"name": "calculator", "arguments": {"expression": "1550 * 22"}}\n결과를 기다립니다.',
        [("calculator", EXPR)],
    ),
    (
        '{"name": "search_news", "arguments": {"query": "지하철 요금", "k": 3}}',
        [("search_news", {"query": "지하철 요금", "k": 3})],
    ),
    (
        '{"name": "search_news", "arguments": {"query": "{중괄호} 뉴스"}}',
        [("search_news", {"query": "{중괄호} 뉴스"})],
    ),
    ('{"name": "calculator", "arguments": {"expression": "1550 * 22"', [("calculator", EXPR)]),  # cut off
    ('{"name": "current_time", "arguments": {"tz": True}}', [("current_time", {"tz": True})]),
]


@pytest.mark.parametrize(("text", "expected"), CALLS, ids=range(len(CALLS)))
def test_text_written_calls_are_found(text: str, expected: list[tuple[str, dict]]) -> None:
    _, calls = extract_calls(text, TOOLS)
    assert [(c.name, c.args) for c in calls] == expected
    assert all(c.error is None for c in calls)


NOT_CALLS = [
    "서울의 인구는 약 940만 명입니다.",
    "집합 {1, 2, 3}의 원소는 세 개입니다.",
    "중괄호 { 와 } 사이에 값을 넣으세요.",
    "참고 문헌 [1], [2]를 보세요.",
    '{"name": "홍길동", "age": 30}은 JSON 예시입니다.',
    '{"city": "서울", "temp": 3}',
    "```python\nprint({'a': 1})\n```",
    "<b>굵게</b> 쓴 글씨",
    "[1, 2, 3]",
    '["calculator"]',
    "{}",
    '{"name": "calculator"는 도구 이름입니다',
    '{"text": "{\\"name\\": \\"calculator\\"}"}',
    "",
]


@pytest.mark.parametrize("text", NOT_CALLS, ids=range(len(NOT_CALLS)))
def test_prose_stays_text(text: str) -> None:
    prose, calls = extract_calls(text, TOOLS)
    assert calls == []
    assert prose == text


def test_prose_before_a_call_is_kept_and_text_after_is_dropped() -> None:
    prose, calls = extract_calls('확인해 볼게요.\n{"name": "current_time"}\n지금은 3시입니다.', TOOLS)
    assert prose == "확인해 볼게요."
    assert [c.name for c in calls] == ["current_time"]


def test_unknown_tool_in_call_shape_is_an_invalid_call() -> None:
    _, calls = extract_calls('{"name": "weather", "arguments": {"city": "서울"}}', TOOLS)
    assert len(calls) == 1 and calls[0].args is None
    assert "unknown tool 'weather'" in calls[0].error and "calculator" in calls[0].error


def test_arguments_that_are_not_json_are_invalid() -> None:
    calls = to_calls('{"name": "calculator", "arguments": "expression=1+1"}', TOOLS)
    assert (
        calls and calls[0].error == "arguments are not valid JSON" and calls[0].raw_args == "expression=1+1"
    )


def test_no_tools_bound_means_no_calls() -> None:
    text = '{"name": "calculator", "arguments": {"expression": "1"}}'
    assert extract_calls(text, {}) == (text, [])


@pytest.mark.parametrize(
    ("args", "fixed", "error"),
    [
        ({"query": "날씨", "k": "3"}, {"query": "날씨", "k": 3}, None),
        ({"query": 2024}, {"query": "2024"}, None),
        ({"k": 3}, None, "'query' is a required property"),
        ({"query": "날씨", "k": "세 개"}, None, "k: '세 개' is not of type 'integer'"),
    ],
)
def test_arguments_are_coerced_then_validated(args: dict, fixed: dict | None, error: str | None) -> None:
    result, problem = validate_args(args, SEARCH)
    if error is None:
        assert problem is None and result == fixed
    else:
        assert problem is not None and error in problem
