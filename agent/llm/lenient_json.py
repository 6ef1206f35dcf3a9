"""Read the almost-JSON that small models write: single quotes, trailing commas, Python literals.

Pure helpers, no LangChain: the tool-call repair and its streaming guard both build on them.
"""

from __future__ import annotations

import json
from typing import Any

_PY_LITERALS = {"True": "true", "False": "false", "None": "null"}
_OPENERS = {"{": "}", "[": "]"}


def dumps(value: Any) -> str:
    """JSON text for arguments, keeping Korean readable.

    >>> dumps({"q": "서울"})
    '{"q": "서울"}'
    """
    return json.dumps(value, ensure_ascii=False)


def loads(text: str) -> Any:
    """Parse JSON, falling back to a normalised copy of almost-JSON; raise `ValueError` if neither works.

    >>> loads('{"a": 1}')
    {'a': 1}
    >>> loads("{'expression': '2 * 3', 'exact': True,}")
    {'expression': '2 * 3', 'exact': True}
    >>> loads('[1, 2,]')
    [1, 2]
    >>> loads('not json')
    Traceback (most recent call last):
    ...
    ValueError: not JSON: not json
    """
    try:
        return json.loads(text, strict=False)
    except ValueError:
        pass
    try:
        return json.loads(normalise(text), strict=False)
    except ValueError as error:
        raise ValueError(f"not JSON: {text[:80]}") from error


def normalise(text: str) -> str:
    """Rewrite single-quoted strings as JSON strings, drop trailing commas, map Python literals to JSON.

    >>> normalise("{'a': 'it\\\\'s', 'b': None, 'c': [1,],}")
    '{"a": "it\\'s", "b": null, "c": [1]}'
    """
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char == '"':
            end = string_end(text, i)
            out.append(text[i:end])
            i = end
        elif char == "'":
            end = string_end(text, i)
            body = text[i + 1 : end - 1] if end - i >= 2 and text[end - 1] == "'" else text[i + 1 : end]
            out.append(json.dumps(body.replace("\\'", "'"), ensure_ascii=False))
            i = end
        elif char == ",":
            j = i + 1
            while j < n and text[j].isspace():
                j += 1
            if j >= n or text[j] not in "}]":
                out.append(char)
            i += 1
        elif char.isalpha() or char == "_":
            j = i
            while j < n and (text[j].isalnum() or text[j] == "_"):
                j += 1
            word = text[i:j]
            out.append(_PY_LITERALS.get(word, word))
            i = j
        else:
            out.append(char)
            i += 1
    return "".join(out)


def string_end(text: str, start: int) -> int:
    """Index just past the string literal opening at `start` (or len(text) if it never closes)."""
    quote = text[start]
    i = start + 1
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] == quote:
            return i + 1
        i += 1
    return len(text)


def balanced_end(text: str, start: int) -> int | None:
    """Index just past the bracket group opening at `start`, or None while it is still open.

    Strings in either quote style are skipped, so braces inside them do not count.

    >>> balanced_end('{"a": "}"} tail', 0)
    10
    >>> balanced_end('{"a": [1, 2', 0) is None
    True
    """
    stack: list[str] = []
    i = start
    while i < len(text):
        char = text[i]
        if char in "\"'":
            end = string_end(text, i)
            if end >= len(text) and (end - i < 2 or text[end - 1] != char):
                return None
            i = end
            continue
        if char in _OPENERS:
            stack.append(_OPENERS[char])
        elif char in "}]":
            # A mismatched closer still counts: the group is judged (and rejected) as a whole.
            if stack:
                stack.pop()
            if not stack:
                return i + 1
        i += 1
    return None


def close_open(text: str) -> str:
    """Close strings and brackets a truncated generation left open.

    >>> close_open('{"name": "calc", "arguments": {"x": "1')
    '{"name": "calc", "arguments": {"x": "1"}}'
    """
    stack: list[str] = []
    i = 0
    suffix = ""
    while i < len(text):
        char = text[i]
        if char in "\"'":
            end = string_end(text, i)
            if end >= len(text) and (end - i < 2 or text[end - 1] != char):
                suffix = char
                break
            i = end
            continue
        if char in _OPENERS:
            stack.append(_OPENERS[char])
        elif char in "}]" and stack:
            stack.pop()
        i += 1
    return text + suffix + "".join(reversed(stack))
