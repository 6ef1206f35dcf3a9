"""A scripted inner chat model for the repair wrapper: replies given as text, streamed char by char.

It behaves like ChatOpenAI over a small local model: tools arrive as kwargs and are ignored, calls come
back as text, and the last streamed chunk carries usage metadata (as with `stream_usage=True`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import Field


class ScriptedInner(BaseChatModel):
    replies: list[str]
    native_calls: list[list[dict]] = Field(default_factory=list)  # per reply: native tool calls, if any
    calls: list[dict[str, Any]] = Field(default_factory=list)  # kwargs of every request
    turn: int = 0

    @property
    def _llm_type(self) -> str:
        return "scripted-inner"

    def _next(self, kwargs: dict[str, Any]) -> tuple[str, list[dict]]:
        self.calls.append(kwargs)
        text = self.replies[self.turn % len(self.replies)]
        native = self.native_calls[self.turn % len(self.native_calls)] if self.native_calls else []
        self.turn += 1
        return text, native

    def _generate(
        self, messages: list[BaseMessage], stop=None, run_manager=None, **kwargs: Any
    ) -> ChatResult:
        text, native = self._next(kwargs)
        message = AIMessage(content=text, tool_calls=native, usage_metadata=_usage(len(text)))
        return ChatResult(generations=[ChatGeneration(message=message)])

    def _stream(
        self, messages: list[BaseMessage], stop=None, run_manager=None, **kwargs: Any
    ) -> Iterator[ChatGenerationChunk]:
        text, native = self._next(kwargs)
        for char in text:
            yield ChatGenerationChunk(message=AIMessageChunk(content=char, id="run-1"))
        for index, call in enumerate(native):
            yield ChatGenerationChunk(
                message=AIMessageChunk(
                    content="",
                    tool_call_chunks=[
                        {"name": call["name"], "args": _json(call["args"]), "id": call["id"], "index": index}
                    ],
                )
            )
        yield ChatGenerationChunk(
            message=AIMessageChunk(content="", usage_metadata=_usage(len(text))),
            generation_info={"finish_reason": "stop"},
        )

    async def _astream(self, messages, stop=None, run_manager=None, **kwargs: Any) -> AsyncIterator:
        for chunk in self._stream(messages, stop=stop, **kwargs):
            yield chunk


def _usage(n: int) -> dict[str, int]:
    return {"input_tokens": 10, "output_tokens": n, "total_tokens": 10 + n}


def _json(value: Any) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)
