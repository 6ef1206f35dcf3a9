"""A scripted tool-calling chat model: replays given AIMessages turn by turn and streams their text.

Modelled on LangGraph's FakeToolCallingModel, with what nuri's tests need on top: text streamed in several
chunks (so streaming is really exercised), a record of every call (messages seen, tools bound or not), and
an optional error to raise (a backend that fails mid-turn).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator, Sequence
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from langchain_core.utils.function_calling import convert_to_openai_tool
from pydantic import Field

from agent.llm.handle import ChatHandle


def split_text(text: str, size: int) -> list[str]:
    """Cut text into pieces of `size` characters (the last may be shorter).

    >>> split_text("안녕하세요 누리", 3)
    ['안녕하', '세요 ', '누리']
    """
    return [text[i : i + size] for i in range(0, len(text), size)] or [""]


def ai(
    text: str = "", *calls: tuple[str, dict[str, Any]], invalid: Sequence[dict[str, Any]] = ()
) -> AIMessage:
    """A scripted model reply: text plus tool calls given as (name, args); ids are filled in."""
    tool_calls = [
        {"name": n, "args": a, "id": f"call_{i}_{n}", "type": "tool_call"} for i, (n, a) in enumerate(calls)
    ]
    bad = [{"type": "invalid_tool_call", "id": None, "error": None, **c} for c in invalid]
    return AIMessage(content=text, tool_calls=tool_calls, invalid_tool_calls=bad)


class FakeToolCallingModel(BaseChatModel):
    """Replays `responses` in order, one per model call; fails loudly when the script runs out."""

    responses: list[AIMessage]
    chunk_chars: int = 4
    chunk_delay: float = 0.0  # seconds between streamed chunks, so a browser can see the answer grow
    error: Exception | None = None
    calls: list[dict[str, Any]] = Field(default_factory=list)  # messages, tools (names or None), tool_choice

    @property
    def _llm_type(self) -> str:
        return "fake-tool-calling"

    def bind_tools(self, tools: Sequence[Any], *, tool_choice: Any = None, **kwargs: Any):
        if tool_choice is not None:
            kwargs["tool_choice"] = tool_choice
        return self.bind(tools=[convert_to_openai_tool(t) for t in tools], **kwargs)

    def _next(self, messages: list[BaseMessage], kwargs: dict[str, Any]) -> AIMessage:
        tools = kwargs.get("tools")
        self.calls.append(
            {
                "messages": list(messages),
                "tools": [t["function"]["name"] for t in tools] if tools else None,
                "tool_choice": kwargs.get("tool_choice"),
            }
        )
        if self.error is not None:
            raise self.error
        index = len(self.calls) - 1
        if index >= len(self.responses):
            raise AssertionError(
                f"the fake model was called {index + 1} times; only {len(self.responses)} scripted"
            )
        return self.responses[index]

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        message = self._next(messages, kwargs).model_copy()
        return ChatResult(generations=[ChatGeneration(message=message)])

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        message = self._next(messages, kwargs)
        text = message.content if isinstance(message.content, str) else message.text
        for piece in split_text(text, self.chunk_chars) if text else []:
            time.sleep(self.chunk_delay)
            chunk = ChatGenerationChunk(message=AIMessageChunk(content=piece))
            if run_manager:
                run_manager.on_llm_new_token(piece, chunk=chunk)
            yield chunk
        if message.tool_calls or message.invalid_tool_calls:
            # Tool calls travel as chunks, as real streaming APIs send them; invalid ones keep raw args.
            chunks = [
                {
                    "name": c["name"],
                    "args": json.dumps(c["args"], ensure_ascii=False),
                    "id": c["id"],
                    "index": i,
                }
                for i, c in enumerate(message.tool_calls)
            ]
            offset = len(chunks)
            chunks += [
                {"name": c.get("name"), "args": c.get("args"), "id": c.get("id"), "index": offset + i}
                for i, c in enumerate(message.invalid_tool_calls)
            ]
            chunk = ChatGenerationChunk(message=AIMessageChunk(content="", tool_call_chunks=chunks))
            if run_manager:
                run_manager.on_llm_new_token("", chunk=chunk)
            yield chunk


def fake_handle(
    *responses: AIMessage, chunk_chars: int = 4, chunk_delay: float = 0.0, error: Exception | None = None
) -> ChatHandle:
    """A `ChatHandle` around a scripted fake model, as the CLI and UI receive from the backend factory."""
    model = FakeToolCallingModel(
        responses=list(responses), chunk_chars=chunk_chars, chunk_delay=chunk_delay, error=error
    )
    return ChatHandle(model=model, backend="fake", model_name="fake-scripted", context_length=4096)
