"""Guards for small local models: schema checks, repeated calls, calls written as the answer.

Pure functions over messages and tools; the nodes in `agent/nodes.py` decide when to apply them.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Sequence
from typing import Any

from langchain_core.messages import AIMessage, AnyMessage, HumanMessage, ToolMessage
from langchain_core.tools import BaseTool
from langchain_core.utils.function_calling import convert_to_openai_tool
from pydantic import BaseModel, ValidationError

from agent.answer_prompt import RESULTS_HEADER
from agent.llm import lenient_json
from agent.llm.toolcall_text import extract_calls
from tools.registry import describe_validation_error, tools_by_name
from tools.untrusted import unwrap_for_reader


def check_tool_call(call: dict[str, Any], tools: dict[str, BaseTool]) -> str | None:
    """Why this tool call cannot run as is, or None when it is fine.

    Checked here as well as in the backend's repair model, so any backend's calls are held to the schema.

    >>> from tools import TOOLS, tools_by_name
    >>> check_tool_call({"name": "current_time", "args": {}}, tools_by_name(TOOLS)) is None
    True
    >>> check_tool_call({"name": "weather", "args": {}}, tools_by_name(TOOLS))
    "unknown tool 'weather'; available tools: calculator, crawl, crawl_news, current_time, search_knowledge, summarize"
    """
    tool = tools.get(call.get("name") or "")
    if tool is None:
        return f"unknown tool {call.get('name')!r}; available tools: {', '.join(sorted(tools)) or 'none'}"
    schema = tool.args_schema
    if isinstance(schema, type) and issubclass(schema, BaseModel):
        try:
            schema.model_validate(call.get("args") or {})
        except ValidationError as error:
            return f"bad arguments for {tool.name}: {describe_validation_error(error)}"
    return None


def with_call_ids(message: AIMessage) -> AIMessage:
    """Give every tool call an id: chat APIs pair each call with its reply by id."""
    if all(c.get("id") for c in message.tool_calls):
        return message
    calls = [dict(c, id=c.get("id") or new_call_id()) for c in message.tool_calls]
    return message.model_copy(update={"tool_calls": calls})


def new_call_id() -> str:
    return f"call_{uuid.uuid4().hex[:12]}"


def sort_tool_calls(message: AIMessage, tools: Sequence[BaseTool]) -> AIMessage:
    """Move calls that fail the schema check into `invalid_tool_calls`, with the reason."""
    index = tools_by_name(tools)
    valid, invalid = [], list(message.invalid_tool_calls)
    for call in message.tool_calls:
        problem = check_tool_call(call, index)
        if problem is None:
            valid.append(call)
        else:
            invalid.append(
                {
                    "type": "invalid_tool_call",
                    "name": call.get("name"),
                    "args": json.dumps(call.get("args"), ensure_ascii=False),
                    "id": call.get("id"),
                    "error": problem,
                }
            )
    if len(invalid) == len(message.invalid_tool_calls):
        return message
    return message.model_copy(update={"tool_calls": valid, "invalid_tool_calls": invalid})


def call_key(call: dict[str, Any], tools: dict[str, BaseTool]) -> str:
    """A call's identity after the schema has dropped extra arguments, so trivial variations match. For a
    tool that fetches, what it fetches is its identity: the same feed again with another `limit` is a repeat
    (the 0.5B model collected 2, then 8 articles of one feed in one turn: 75 s more for nothing asked)."""
    args = call.get("args") or {}
    tool = tools.get(call.get("name") or "")
    fetched = ((tool.metadata or {}) if tool else {}).get("fetches")
    if fetched and args.get(fetched):
        return json.dumps([call.get("name"), fetched, args[fetched]], ensure_ascii=False, default=str)
    schema = getattr(tool, "args_schema", None)
    if isinstance(schema, type) and issubclass(schema, BaseModel):
        try:
            args = schema.model_validate(args).model_dump(mode="json")
        except ValidationError:
            pass
    return json.dumps([call.get("name"), args], sort_keys=True, ensure_ascii=False, default=str)


def only_repeats(response: AIMessage, messages: Sequence[AnyMessage], tools: Sequence[BaseTool]) -> bool:
    """Whether every call repeats one already answered in this turn (small models loop on a tool)."""
    index = tools_by_name(tools)
    turn_start = max((i for i, m in enumerate(messages) if isinstance(m, HumanMessage)), default=-1)
    seen = {
        call_key(call, index)
        for message in messages[turn_start + 1 :]
        if isinstance(message, AIMessage)
        for call in message.tool_calls
    }
    return bool(seen) and all(call_key(call, index) in seen for call in response.tool_calls)


def is_only_a_call(message: AIMessage, tools: Sequence[BaseTool]) -> bool:
    text = message.text.strip() if message.content else ""
    if not text or text[0] not in "{[`<":
        return False
    schemas = {t.name: convert_to_openai_tool(t)["function"].get("parameters", {}) for t in tools}
    prose, calls = extract_calls(text, schemas)
    return (bool(calls) and not prose.strip()) or looks_like_call_json(text)


def looks_like_call_json(text: str) -> bool:
    """Whether the text is only a call-shaped JSON object, even to a tool that does not exist.

    >>> looks_like_call_json('{"name": "tool_response", "arguments": {"x": 1}}')
    True
    >>> looks_like_call_json('```json\\n{"name": "f", "parameters": {}}\\n```')
    True
    >>> looks_like_call_json('{"서울": "맑음"}'), looks_like_call_json("서울은 맑아요.")
    (False, False)
    """
    body = text.strip().removeprefix("```json").removeprefix("```").removesuffix("```").strip()
    try:
        value = lenient_json.loads(body)
    except ValueError:
        return False
    return (
        isinstance(value, dict) and "name" in value and bool({"arguments", "parameters", "args"} & set(value))
    )


_CITATION = re.compile(r"\[\d+\]")
_NUMBER = re.compile(r"(\d[\d,.]*)\s?([가-힣%]?)")


def _numbers(text: str) -> set[str]:
    return {digits.replace(",", "").rstrip(".") + unit for digits, unit in _NUMBER.findall(text)}


def _bigrams(text: str) -> set[str]:
    return {run[i : i + 2] for run in re.findall(r"[가-힣]+", text) for i in range(len(run) - 1)}


def carries_results(answer: str, question: str, results: Sequence[str]) -> bool:
    """Whether an answer written from tool results holds something of theirs the question did not: one of
    their numbers, or a few of their words. A small model's "[1] [2]", the question said back or the
    prompt copied back hold none of it (measured on the agent task suite).

    >>> passage = "제주를 찾은 관광객이 올해 1,350만 명을 넘었다. 제주관광협회가 밝혔다."
    >>> carries_results("올해 제주 관광객은 1,350만 명입니다 [1].", "제주 관광객 몇 명이야?", [passage])
    True
    >>> [carries_results(a, "제주 관광객 몇 명이야?", [passage]) for a in ("[1] [2]", "[1] 제주 관광객의 몇 명입니다.")]
    [False, False]
    >>> carries_results("제주관광협회가 밝혔다고 합니다.", "관광객 수는?", [passage])
    True
    """
    if RESULTS_HEADER in answer or "<<<자료" in answer:
        return False
    answer = _CITATION.sub(" ", answer)
    evidence = _CITATION.sub(" ", "\n".join(results))
    if (_numbers(answer) - _numbers(question)) & _numbers(evidence):
        return True
    return len((_bigrams(answer) - _bigrams(question)) & _bigrams(evidence)) >= 4


def fallback_answer(messages: Sequence[AnyMessage]) -> str:
    results = [m for m in reversed(messages) if isinstance(m, ToolMessage) and m.status != "error"]
    if results:
        return f"모델이 답을 정리하지 못해 도구 결과를 그대로 보여 드립니다.\n\n{unwrap_for_reader(results[0].text)}"
    return "죄송합니다. 답을 만들지 못했습니다. 질문을 조금 바꿔 다시 물어봐 주세요."


def replayable_args(raw: object) -> str:
    """Arguments a chat server accepts when the call is sent back in the history (llama.cpp parses them).

    >>> replayable_args('{"city": "서울"}'), replayable_args("#invalid: bad\\n{x"), replayable_args(None)
    ('{"city": "서울"}', '{}', '{}')
    """
    if isinstance(raw, str):
        try:
            if isinstance(json.loads(raw), dict):
                return raw
        except ValueError:
            pass
    return "{}"
