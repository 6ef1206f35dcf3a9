"""The embedded backend with the real default model: Korean answer, streaming, a repaired tool call."""

from __future__ import annotations

import re

import pytest
from langchain_core.messages import HumanMessage, SystemMessage, ToolMessage
from langchain_core.tools import tool

from agent.llm import open_chat_model
from agent.llm.embedded import current_runtime

pytestmark = pytest.mark.real_model


@tool
def calculator(expression: str) -> str:
    """Multiply, add, subtract or divide two numbers, e.g. '1550 * 22'."""
    match = re.fullmatch(r"\s*(-?\d+(?:\.\d+)?)\s*([-+*/x×])\s*(-?\d+(?:\.\d+)?)\s*", expression)
    if not match:
        return "Error: write the expression as 'number operator number'."
    a, op, b = float(match[1]), match[2], float(match[3])
    value = {"+": a + b, "-": a - b, "*": a * b, "x": a * b, "×": a * b, "/": a / b if b else float("nan")}[
        op
    ]
    return f"{value:g}"


def test_embedded_answers_korean_and_streams(real_settings) -> None:
    handle = open_chat_model(real_settings)
    assert handle.backend == "embedded" and handle.context_length == real_settings.num_ctx
    assert "NURI_PROVIDER=embedded" in handle.notes[0]
    chunks = [c.content for c in handle.model.stream("한국의 수도는 어디인가요? 한 문장으로 답하세요.")]
    answer = "".join(chunks)
    assert len([c for c in chunks if c]) > 1
    assert "서울" in answer
    assert len(current_runtime().tokenize("안녕하세요")) > 0


def test_real_tool_call_runs_end_to_end_through_the_repair(real_settings) -> None:
    model = open_chat_model(real_settings).model
    question = HumanMessage("1550 * 22는 얼마인가요? calculator 도구를 사용하세요.")
    bound = model.bind_tools([calculator])
    shown, merged = "", None
    for chunk in bound.stream([question]):
        shown += chunk.content
        merged = chunk if merged is None else merged + chunk
    assert "{" not in shown and "calculator" not in shown  # no raw JSON reached the screen
    (call,) = merged.tool_calls
    assert call["name"] == "calculator"
    result = calculator.invoke(call["args"])
    assert result == "34100"
    # Answer from the result with tools withdrawn and said so, as the agent does: the 0.5B model, shown
    # a tool-call history, otherwise tends to write the call again with the result as the argument.
    closing = SystemMessage(
        "Tools are not available now: do not write JSON. 도구 결과로 한국어 한 문장으로 답하세요."
    )
    reply = model.invoke([question, merged, ToolMessage(result, tool_call_id=call["id"]), closing])
    assert reply.content.strip() and "{" not in reply.content
    assert re.search(r"34,?100", reply.content)
