"""`ToolCallRepairChatModel` over a scripted inner model: invoke, char-by-char streaming, forced choice."""

from __future__ import annotations

import asyncio

import pytest
from langchain_core.messages import AIMessageChunk
from langchain_core.tools import tool
from pydantic import BaseModel, Field

from agent.llm.repair import ToolCallRepairChatModel, invalid_call_error
from tests.llm.scripted import ScriptedInner


@tool
def calculator(expression: str) -> str:
    """Evaluate an arithmetic expression such as '2 * 3'."""
    return expression


@tool
def search_news(query: str, k: int = 5) -> str:
    """Search the news knowledge base."""
    return query


CALL = '{"name": "calculator", "arguments": {"expression": "1550 * 22"}}'


def repair(*replies: str, **kwargs) -> tuple[ToolCallRepairChatModel, ScriptedInner]:
    inner = ScriptedInner(replies=list(replies), **kwargs)
    return ToolCallRepairChatModel(inner=inner), inner


def streamed(model, prompt: str = "질문") -> tuple[list[str], AIMessageChunk]:
    texts, merged = [], None
    for chunk in model.stream(prompt):
        texts.append(chunk.content)
        merged = chunk if merged is None else merged + chunk
    return texts, merged


def test_invoke_turns_json_text_into_a_tool_call_and_sends_tools_natively() -> None:
    model, inner = repair(CALL)
    message = model.bind_tools([calculator]).invoke("1550 곱하기 22는?")
    assert message.content == ""
    assert [(c["name"], c["args"]) for c in message.tool_calls] == [
        ("calculator", {"expression": "1550 * 22"})
    ]
    assert message.tool_calls[0]["id"].startswith("call_")
    assert message.response_metadata["finish_reason"] == "tool_calls"
    assert inner.calls[0]["tools"][0]["function"]["name"] == "calculator"


CALL_TEXTS = [
    CALL,
    f"```json\n{CALL}\n```",
    f"<tool_call>\n{CALL}\n</tool_call>",
    "{'name': 'calculator', 'parameters': {'expression': '1550 * 22',},}",
    f"[{CALL}]",
    f"  \n{CALL}\n",
]


@pytest.mark.parametrize("text", CALL_TEXTS)
def test_streamed_call_never_shows_json_and_ends_as_tool_call(text: str) -> None:
    model, _ = repair(text)
    texts, merged = streamed(model.bind_tools([calculator]))
    shown = "".join(texts)
    assert shown.strip() == ""
    assert [(c["name"], c["args"]) for c in merged.tool_calls] == [
        ("calculator", {"expression": "1550 * 22"})
    ]
    assert merged.usage_metadata["output_tokens"] == len(text)


def test_prose_then_call_streams_the_prose_only() -> None:
    model, _ = repair(f"계산기를 쓰겠습니다.\n{CALL}\n결과는 34100입니다.")
    texts, merged = streamed(model.bind_tools([calculator]))
    assert "".join(texts).rstrip() == "계산기를 쓰겠습니다."
    assert merged.tool_calls[0]["name"] == "calculator"


@pytest.mark.parametrize(
    "text",
    [
        "서울은 한국의 수도입니다.",
        "집합 {1, 2}와 목록 [1]을 보세요.",
        '{"도시": "서울"}',
        "```python\nx = {'a': 1}\n```",
    ],
)
def test_prose_with_tools_bound_streams_unchanged_and_early(text: str) -> None:
    model, _ = repair(text)
    texts, merged = streamed(model.bind_tools([calculator]))
    assert "".join(texts) == text
    assert merged.tool_calls == []
    # Released as it comes: the first visible text arrives within the first few characters.
    first = next(i for i, t in enumerate(texts) if t)
    assert first <= 3


def test_plain_prose_streams_char_by_char_without_hold_back() -> None:
    model, _ = repair("안녕하세요")
    texts, _ = streamed(model.bind_tools([calculator]))
    assert [t for t in texts if t] == list("안녕하세요")


def test_schema_invalid_call_is_reported_on_invoke_and_stream() -> None:
    text = '{"name": "search_news", "arguments": {"k": "many"}}'
    model, _ = repair(text, text)
    bound = model.bind_tools([search_news])
    message = bound.invoke("뉴스")
    assert message.tool_calls == []
    (bad,) = message.invalid_tool_calls
    assert bad["name"] == "search_news" and "'query' is a required property" in bad["error"]
    _, merged = streamed(bound)
    assert merged.tool_calls == []
    (bad,) = merged.invalid_tool_calls
    assert "'query' is a required property" in invalid_call_error(bad)


def test_forced_tool_choice_becomes_a_json_schema_constraint() -> None:
    model, inner = repair(CALL, CALL)
    model.bind_tools([calculator, search_news], tool_choice="calculator").invoke("Hello!")
    sent = inner.calls[-1]
    assert "tool_choice" not in sent
    schema = sent["extra_body"]["response_format"]["json_schema"]["schema"]
    assert schema["properties"]["name"]["enum"] == ["calculator"]
    assert schema["properties"]["arguments"]["required"] == ["expression"]
    model.bind_tools([calculator, search_news], tool_choice="any").invoke("Hello!")
    names = [
        o["properties"]["name"]["enum"][0]
        for o in inner.calls[-1]["extra_body"]["response_format"]["json_schema"]["schema"]["anyOf"]
    ]
    assert names == ["calculator", "search_news"]


def test_tool_choice_none_leaves_text_alone() -> None:
    model, _ = repair(CALL)
    message = model.bind_tools([calculator], tool_choice="none").invoke("x")
    assert message.content == CALL and message.tool_calls == []


def test_native_tool_calls_pass_through_and_are_validated() -> None:
    native = [
        [{"name": "search_news", "args": {"query": "물가", "k": "2"}, "id": "abc", "type": "tool_call"}]
    ]
    model, _ = repair("", native_calls=native)
    message = model.bind_tools([search_news]).invoke("x")
    assert message.tool_calls == [
        {"name": "search_news", "args": {"query": "물가", "k": 2}, "id": "abc", "type": "tool_call"}
    ]
    _, merged = streamed(model.bind_tools([search_news]))
    assert merged.tool_calls[0]["id"] == "abc"


def test_without_tools_the_wrapper_is_transparent() -> None:
    model, inner = repair(CALL)
    texts, merged = streamed(model)
    assert "".join(texts) == CALL and merged.tool_calls == []
    assert "tools" not in inner.calls[0]


class Joke(BaseModel):
    """A joke."""

    setup: str = Field(description="question")
    punchline: str = Field(description="answer")


def test_with_structured_output_uses_the_forced_call() -> None:
    model, inner = repair('{"name": "Joke", "arguments": {"setup": "왜?", "punchline": "그래서!"}}')
    result = model.with_structured_output(Joke).invoke("고양이 농담")
    assert result == Joke(setup="왜?", punchline="그래서!")
    assert "response_format" in inner.calls[0]["extra_body"]


def test_async_stream_holds_back_too() -> None:
    model, _ = repair(f"<tool_call>{CALL}</tool_call>")

    async def run() -> tuple[str, AIMessageChunk]:
        shown, merged = "", None
        async for chunk in model.bind_tools([calculator]).astream("x"):
            shown += chunk.content
            merged = chunk if merged is None else merged + chunk
        return shown, merged

    shown, merged = asyncio.run(run())
    assert shown == "" and merged.tool_calls[0]["name"] == "calculator"


def test_built_from_openai_kwargs_keeps_ls_params() -> None:
    model = ToolCallRepairChatModel(
        base_url="http://127.0.0.1:9/v1", model="m", temperature=0.1, max_tokens=7
    )
    params = model._get_ls_params()
    assert params["ls_model_name"] == "m" and params["ls_max_tokens"] == 7 and params["ls_temperature"] == 0.1
    assert model.inner.stream_usage is True
