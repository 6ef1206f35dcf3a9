"""Find tool calls that a small model wrote as text, and check their arguments against the tool's schema.

One scanner serves both the finished message and the streaming guard, so what the guard released as
text while streaming is never later reinterpreted as a call. A region of text is a call candidate when it
starts with `{"` / `{'`, `[{`, a ``` fence holding one of those, or `<tool_call>`; anything else is text at
once. A candidate is a call only if its JSON names a bound tool in one of the shapes models use:
`{"name": ..., "arguments"|"parameters"|"args"|"input": ...}`, OpenAI's `{"function": {...}}`,
`{"tool_calls": [...]}`, `{"<tool name>": {...}}`, or the name with flattened arguments.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from agent.llm import lenient_json
from agent.llm.toolcall_args import validate_args

__all__ = ["ParsedCall", "Segment", "extract_calls", "scan", "to_calls", "validate_args"]

NAME_KEYS = ("name", "tool", "tool_name", "function_name")
ARG_KEYS = ("arguments", "parameters", "args", "input", "tool_input", "params", "kwargs")
_META_KEYS = ("type", "id", "function", "tool_calls", "call_id")
_TAG_OPEN, _TAG_CLOSE = "<tool_call>", "</tool_call>"
_FENCE = "```"
_FENCE_HEAD = re.compile(r"```([A-Za-z_]{0,16})[ \t]*\n[ \t\r\n]*")
_TRIGGERS = re.compile(r"[{\[`<]")


@dataclass
class ParsedCall:
    """A call found in text: `args` is None when they could not be read; `error` says what is wrong."""

    name: str
    args: dict[str, Any] | None
    raw_args: str
    error: str | None = None


@dataclass
class Segment:
    kind: Literal["text", "call", "pending"]
    start: int
    end: int
    calls: list[ParsedCall] | None = None


def scan(text: str, tools: Mapping[str, dict], *, start: int = 0, final: bool) -> Iterator[Segment]:
    """Split `text[start:]` into text and call segments; a `pending` segment ends the scan (not `final`)."""
    i = start
    while i < len(text):
        match = _TRIGGERS.search(text, i)
        if match is None:
            yield Segment("text", i, len(text))
            return
        j = match.start()
        if j > i:
            yield Segment("text", i, j)
        segment = _judge(text, j, tools, final)
        yield segment
        if segment.kind == "pending":
            return
        i = segment.end


def extract_calls(text: str, tools: Mapping[str, dict]) -> tuple[str, list[ParsedCall]]:
    """Prose before the first call, and the calls; text after the first call that is not a call is dropped.

    >>> tools = {"calculator": {"type": "object", "properties": {"expression": {"type": "string"}}}}
    >>> extract_calls('```json\\n{"name": "calculator", "arguments": {"expression": "2*3"}}\\n```', tools)
    ('', [ParsedCall(name='calculator', args={'expression': '2*3'}, raw_args='{"expression": "2*3"}', error=None)])
    >>> extract_calls("집합 {1, 2}의 원소는 [1] 두 개입니다.", tools)
    ('집합 {1, 2}의 원소는 [1] 두 개입니다.', [])
    """
    if not tools:
        return text, []
    prose: list[str] = []
    calls: list[ParsedCall] = []
    for segment in scan(text, tools, final=True):
        if segment.kind == "call" and segment.calls:
            calls.extend(segment.calls)
        elif not calls:
            prose.append(text[segment.start : segment.end])
    joined = "".join(prose)
    return (joined.strip() if calls else joined), calls


# --- judging one candidate ----------------------------------------------------------------------------


def _judge(text: str, j: int, tools: Mapping[str, dict], final: bool) -> Segment:
    char = text[j]
    if char in "{[":
        return _judge_json(text, j, j, len(text), tools, final)
    if char == "`":
        return _judge_fence(text, j, tools, final)
    return _judge_tag(text, j, tools, final)


def _pending_or_text(j: int, final: bool) -> Segment:
    return Segment("text", j, j + 1) if final else Segment("pending", j, j)


def _judge_json(
    text: str, j: int, seg_start: int, limit: int, tools: Mapping[str, dict], final: bool
) -> Segment:
    """A bare JSON candidate at `j`; `seg_start` is where its segment begins (a fence or tag may wrap it)."""
    k = j + 1
    if text[j] == "[":
        while k < limit and text[k].isspace():
            k += 1
        if k >= limit:
            return _pending_or_text(seg_start, final)
        if text[k] != "{":
            return Segment("text", seg_start, j + 1)
        k += 1
    while k < limit and text[k].isspace():
        k += 1
    if k >= limit:
        return _pending_or_text(seg_start, final)
    if text[k] not in "\"'":
        return Segment("text", seg_start, j + 1)
    verdict = _first_key_verdict(text, k, limit, tools)
    if verdict == "pending":
        return _pending_or_text(seg_start, final)
    if verdict == "text":
        return Segment("text", seg_start, j + 1)
    end = lenient_json.balanced_end(text[:limit], j)
    if end is None:
        if not final:
            return Segment("pending", seg_start, seg_start)
        payload, end = lenient_json.close_open(text[j:limit]), limit
    else:
        payload = text[j:end]
    calls = to_calls(payload, tools)
    if calls:
        return Segment("call", seg_start, end, calls)
    return Segment("text", seg_start, end)


def _judge_fence(text: str, j: int, tools: Mapping[str, dict], final: bool) -> Segment:
    head = text[j : j + 3]
    if head != _FENCE:
        if _FENCE.startswith(text[j:]) and not final:
            return Segment("pending", j, j)
        return Segment("text", j, j + 1)
    match = _FENCE_HEAD.match(text, j)
    if match is None or match.end() >= len(text):
        tail = text[j + 3 :]
        if not final and len(tail) <= 16 and re.fullmatch(r"[A-Za-z_]*[ \t]*\n?[ \t\r\n]*", tail):
            return Segment("pending", j, j)
        return Segment("text", j, j + 3)
    body = match.end()
    if text[body] not in "{[<":
        return Segment("text", j, j + 3)
    close = text.find(_FENCE, body)
    limit = len(text) if close == -1 else close
    if text[body] == "<":
        inner = _judge_tag(text[:limit], body, tools, final or close != -1)
    else:
        inner = _judge_json(text, body, j, limit, tools, final or close != -1)
    if inner.kind == "pending" or (close == -1 and not final):
        return Segment("pending", j, j)
    if inner.kind == "call":
        return Segment("call", j, len(text) if close == -1 else close + 3, inner.calls)
    return Segment("text", j, j + 3)


def _judge_tag(text: str, j: int, tools: Mapping[str, dict], final: bool) -> Segment:
    if not text.startswith(_TAG_OPEN, j):
        if _TAG_OPEN.startswith(text[j:]) and not final:
            return Segment("pending", j, j)
        return Segment("text", j, j + 1)
    close = text.find(_TAG_CLOSE, j)
    if close == -1 and not final:
        return Segment("pending", j, j)
    body = text[j + len(_TAG_OPEN) : len(text) if close == -1 else close].strip()
    end = len(text) if close == -1 else close + len(_TAG_CLOSE)
    if body.startswith(_FENCE):
        body = _FENCE_HEAD.sub("", body, count=1).rstrip("`").strip()
    if close == -1:
        body = lenient_json.close_open(body)
    calls = to_calls(body, tools)
    if calls:
        return Segment("call", j, end, calls)
    return Segment("text", j, j + 1)


def _first_key_verdict(text: str, k: int, limit: int, tools: Mapping[str, dict]) -> str:
    """Judge an object by its first key (the quoted string at `k`): "ok", "text" or "pending"."""
    key_end = lenient_json.string_end(text[:limit], k)
    if key_end >= limit and (key_end - k < 2 or text[key_end - 1] != text[k]):
        return "pending"
    colon = key_end
    while colon < limit and text[colon].isspace():
        colon += 1
    if colon >= limit:
        return "pending"
    if text[colon] != ":":
        return "text"
    return "ok" if text[k + 1 : key_end - 1] in _allowed_first_keys(tools) else "text"


def _allowed_first_keys(tools: Mapping[str, dict]) -> set[str]:
    return {*NAME_KEYS, *ARG_KEYS, *_META_KEYS, *tools}


# --- from JSON to calls -------------------------------------------------------------------------------


def to_calls(payload: str, tools: Mapping[str, dict]) -> list[ParsedCall] | None:
    """The calls in one JSON payload, or None when it is not (entirely) tool calls.

    >>> tools = {"get_time": {"type": "object", "properties": {}}}
    >>> to_calls('{"name": "get_time"}', tools)
    [ParsedCall(name='get_time', args={}, raw_args='{}', error=None)]
    >>> to_calls('{"name": "홍길동", "age": 30}', tools) is None
    True
    """
    try:
        data = lenient_json.loads(payload)
    except ValueError:
        return None
    if isinstance(data, dict) and isinstance(data.get("tool_calls"), list):
        data = data["tool_calls"]
    items = data if isinstance(data, list) else [data]
    if not items or not all(isinstance(item, dict) for item in items):
        return None
    calls = [_as_call(item, tools) for item in items]
    if any(call is None for call in calls):
        return None
    return calls  # type: ignore[return-value]


def _resolve(name: object, tools: Mapping[str, dict]) -> str | None:
    if not isinstance(name, str):
        return None
    candidates = [name, name.strip(), name.strip().removeprefix("functions.")]
    for candidate in candidates:
        if candidate in tools:
            return candidate
    folded = {tool.casefold(): tool for tool in tools}
    return folded.get(candidates[-1].casefold())


def _as_call(obj: dict[str, Any], tools: Mapping[str, dict]) -> ParsedCall | None:
    if isinstance(obj.get("function"), dict):
        obj = obj["function"]
    name_key = next((key for key in NAME_KEYS if isinstance(obj.get(key), str)), None)
    if name_key is None and isinstance(obj.get("function"), str):
        name_key = "function"
    if name_key is None:
        # `{"calculator": {"expression": ...}}`: the tool's name as the only key.
        if len(obj) == 1:
            ((key, value),) = obj.items()
            resolved = _resolve(key, tools)
            if resolved and isinstance(value, dict):
                return _with_args(resolved, value)
        return None
    raw_name = obj[name_key]
    arg_key = next((key for key in ARG_KEYS if key in obj), None)
    rest = {k: v for k, v in obj.items() if k != name_key and k not in _META_KEYS}
    resolved = _resolve(raw_name, tools)
    if resolved is None:
        if arg_key is not None and set(rest) == {arg_key}:
            available = ", ".join(sorted(tools)) or "(none)"
            raw = obj[arg_key] if isinstance(obj[arg_key], str) else lenient_json.dumps(obj[arg_key])
            return ParsedCall(raw_name, None, raw, f"unknown tool '{raw_name}'; available tools: {available}")
        return None
    if arg_key is None:
        return _with_args(resolved, rest)  # no arguments, or arguments flattened next to the name
    if set(rest) != {arg_key}:
        return None
    return _with_args(resolved, obj[arg_key])


def _with_args(name: str, value: object) -> ParsedCall:
    if value is None:
        value = {}
    if isinstance(value, str):
        raw = value
        try:
            value = lenient_json.loads(value) if value.strip() else {}
        except ValueError:
            return ParsedCall(name, None, raw, "arguments are not valid JSON")
    else:
        raw = lenient_json.dumps(value)
    if not isinstance(value, dict):
        return ParsedCall(name, None, raw, "arguments must be a JSON object")
    return ParsedCall(name, value, lenient_json.dumps(value))
