"""Streaming side of the tool-call repair: rewrite the inner model's chunks through the hold-back guard,
then emit the calls found (or the held text) at the end."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from langchain_core.messages import AIMessageChunk, InvalidToolCall
from langchain_core.messages.tool import tool_call_chunk
from langchain_core.outputs import ChatGenerationChunk

from agent.llm import lenient_json
from agent.llm.streaming_guard import HoldBack

# An invalid call found while streaming travels as a tool-call chunk whose args carry this prefix, the
# error and the raw arguments: chunks cannot carry an `error`, and the prefix keeps the args from
# parsing as a dict, so LangChain files the call under `invalid_tool_calls`. Read it with
# `invalid_call_error`.
INVALID_ARGS_PREFIX = "#invalid: "


def invalid_call_error(call: InvalidToolCall) -> str:
    """The reason an invalid call was rejected, from its `error` or from the streamed args marker.

    >>> invalid_call_error({"name": "x", "args": "#invalid: bad\\n{}", "id": "1", "error": None})
    'bad'
    >>> invalid_call_error({"name": "x", "args": "{", "id": "1", "error": None})
    'arguments are not valid JSON'
    """
    if call.get("error"):
        return str(call["error"])
    args = call.get("args") or ""
    if args.startswith(INVALID_ARGS_PREFIX):
        return args[len(INVALID_ARGS_PREFIX) :].split("\n", 1)[0]
    return "arguments are not valid JSON"


class StreamState:
    """Per-stream hold-back: rewrites the inner model's chunks, then emits the calls at the end."""

    def __init__(self, schemas: dict[str, dict], check: Callable[..., tuple[list, list]]) -> None:
        self.guard = HoldBack(schemas) if schemas else None
        self.schemas = schemas
        self.check = check
        self.native_calls = False
        self.message_id: str | None = None

    def pass_on(self, chunk: ChatGenerationChunk) -> Iterator[ChatGenerationChunk]:
        message = chunk.message
        self.message_id = self.message_id or message.id
        updates: dict[str, Any] = {"chunk_position": None}
        if isinstance(message, AIMessageChunk) and message.tool_call_chunks:
            self.native_calls = True
        if self.guard is not None and not self.native_calls and isinstance(message.content, str):
            updates["content"] = self.guard.feed(message.content)
        out = message.model_copy(update=updates)
        if (
            out.content
            or getattr(out, "tool_call_chunks", None)
            or out.usage_metadata
            or chunk.generation_info
        ):
            yield ChatGenerationChunk(message=out, generation_info=chunk.generation_info)

    def close(self) -> Iterator[ChatGenerationChunk]:
        if self.guard is None:
            return
        rest, calls = self.guard.finish()
        if self.native_calls:
            calls = []
        if rest:
            yield ChatGenerationChunk(message=AIMessageChunk(content=rest, id=self.message_id))
        if not calls:
            return
        valid, invalid = self.check(calls, self.schemas)
        chunks = [
            tool_call_chunk(name=c["name"], args=lenient_json.dumps(c["args"]), id=c["id"], index=i)
            for i, c in enumerate(valid)
        ]
        chunks += [
            tool_call_chunk(
                name=c["name"],
                args=f"{INVALID_ARGS_PREFIX}{c['error']}\n{c['args']}",
                id=c["id"],
                index=len(valid) + i,
            )
            for i, c in enumerate(invalid)
        ]
        # No finish_reason here: response_metadata of chunks is merged by concatenating strings.
        metadata = {"tool_calls_repaired": True}
        yield ChatGenerationChunk(
            message=AIMessageChunk(
                content="", tool_call_chunks=chunks, id=self.message_id, response_metadata=metadata
            )
        )
