"""One chat turn as a stream of `AgentEvent`s, for the CLI and the UI alike."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Sequence
from typing import Any

from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage, HumanMessage, ToolMessage
from langchain_core.tools import BaseTool
from langgraph.errors import GraphRecursionError

from agent.events import AgentEvent, Done, Notice, Token, ToolCall, ToolResult
from agent.graph import build_graph, recursion_limit
from agent.llm.handle import ChatHandle
from agent.nodes import AGENT, TOOLS
from agent.state import AgentContext
from config import NuriError, Settings

log = logging.getLogger("nuri.agent")


def _text(message: BaseMessage) -> str:
    return message.text if isinstance(message.content, list) else str(message.content)


class _Turn:
    """Turns LangGraph stream parts into events, keeping tool-call text off the screen.

    The backend's repair model already holds back text that may be a call; as a second line of defence,
    text whose start looks like JSON, a code fence or a tag is held here until its message is complete,
    and shown only if that message turned out not to call a tool. Prose streams at once.
    """

    def __init__(self, question: HumanMessage) -> None:
        self.messages: list[BaseMessage] = [question]
        self.tool_call_ids: set[str] = set()  # ids of model messages that turned out to call tools
        self.streamed_ids: set[str] = set()
        self.held: dict[str, str] = {}  # message id -> text not shown yet
        self.flowing: set[str] = set()  # message ids whose text is known to be prose
        self.announced: set[str] = set()  # tool calls shown to the user, whose results are shown too
        self.steps = 0

    def on_part(self, kind: str, data: Any) -> Iterator[AgentEvent]:
        """Events for one LangGraph stream part ("messages", "updates" or "custom")."""
        if kind == "messages":
            yield from self.on_token(*data)
        elif kind == "updates":
            for node, update in data.items():
                yield from self.on_update(node, update)
        elif kind == "custom" and isinstance(data, dict) and data.get("notice"):
            yield Notice(str(data["notice"]))

    def on_token(self, message: BaseMessage, metadata: dict[str, Any]) -> Iterator[AgentEvent]:
        # Only the agent node's model speaks to the user; tool output arrives via "updates".
        if metadata.get("langgraph_node") != AGENT or not isinstance(message, AIMessage):
            return
        key = message.id or ""
        calls = message.tool_call_chunks if isinstance(message, AIMessageChunk) else []
        if calls or message.tool_calls or message.invalid_tool_calls:
            self.tool_call_ids.add(key)
            self.held.pop(key, None)
        if key in self.tool_call_ids:
            return  # never show text that belongs to a tool-call message
        text = _text(message)
        if not text:
            return
        if key not in self.flowing:
            pending = self.held.get(key, "") + text
            start = pending.lstrip()
            if not start or start[0] in "{[`<":
                self.held[key] = pending
                return
            self.held.pop(key, None)
            self.flowing.add(key)
            text = pending
        self.streamed_ids.add(key)
        yield Token(text)

    def on_update(self, node: str, update: Any) -> Iterator[AgentEvent]:
        if not isinstance(update, dict):
            return
        if node == AGENT:
            self.steps = max(self.steps, int(update.get("steps") or 0))
        for message in update.get("messages", []):
            self._remember(message)
            if isinstance(message, AIMessage) and node == AGENT:
                if message.tool_calls or message.invalid_tool_calls:
                    self.held.clear()  # whatever was held belonged to this call
                else:
                    yield from self._release(message)
                for call in message.tool_calls:
                    self.announced.add(call.get("id") or "")
                    yield ToolCall(name=call["name"], args=dict(call.get("args") or {}), id=call.get("id"))
            elif (
                isinstance(message, ToolMessage) and node == TOOLS and message.tool_call_id in self.announced
            ):
                yield ToolResult(
                    name=message.name or "",
                    content=_text(message),
                    id=message.tool_call_id,
                    is_error=message.status == "error",
                )

    def _release(self, message: AIMessage) -> Iterator[AgentEvent]:
        """The final text of an answer whose start was held (the node may have replaced it)."""
        was_held = bool(self.held)
        self.held.clear()
        text = _text(message)
        if was_held and text.strip() and message.id not in self.streamed_ids:
            self.streamed_ids.add(message.id or "")
            yield Token(text)

    def _remember(self, message: BaseMessage) -> None:
        for i, kept in enumerate(self.messages):  # add_messages semantics: same id replaces
            if message.id and kept.id == message.id:
                self.messages[i] = message
                return
        self.messages.append(message)

    def answer(self) -> AIMessage | None:
        for message in reversed(self.messages):
            if isinstance(message, AIMessage) and not message.tool_calls and not message.invalid_tool_calls:
                return message
        return None


def stream_turn(
    handle: ChatHandle,
    history: Sequence[BaseMessage],
    question: str,
    settings: Settings,
    *,
    tools: Sequence[BaseTool] | None = None,
) -> Iterator[AgentEvent]:
    """Answer `question` after `history`, yielding tokens, tool events, notices and finally `Done`.

    `tools` defaults to the registry's `TOOLS`. Failures surface as `NuriError` with a Korean message.
    """
    if tools is None:
        from tools.registry import TOOLS

        tools = TOOLS
    context = AgentContext(
        settings=settings, model=handle.model, tools=tuple(tools), max_steps=settings.agent_max_steps
    )
    turn = _Turn(HumanMessage(question))
    inputs = {"messages": [*history, turn.messages[0]], "steps": 0, "invalid_calls": 0}
    config = {"recursion_limit": recursion_limit(context.max_steps), "run_name": "nuri-turn"}
    started = time.perf_counter()
    first_token: float | None = None
    try:
        for part in build_graph().stream(
            inputs, config, context=context, stream_mode=["messages", "updates", "custom"], version="v2"
        ):
            for event in turn.on_part(part["type"], part["data"]):
                if isinstance(event, Token) and first_token is None:
                    first_token = time.perf_counter() - started
                yield event
    except NuriError:
        raise
    except GraphRecursionError as error:
        log.exception("agent exceeded its recursion limit")
        raise NuriError(
            "에이전트가 정해진 단계 안에 답을 끝내지 못했습니다. 질문을 나누어 다시 물어보세요."
        ) from error
    except Exception as error:
        log.exception("chat turn failed (backend %s, model %s)", handle.backend, handle.model_name)
        raise NuriError(
            f"모델이 답하는 중 오류가 났습니다 ({type(error).__name__}: {error}).",
            hint="`nuri doctor`로 백엔드 상태를 확인한 뒤 다시 시도하세요.",
        ) from error
    final = turn.answer()
    answer = _text(final) if final is not None else ""
    if final is not None and final.id not in turn.streamed_ids and answer:
        # A model that cannot stream still gets its answer shown, in one piece.
        first_token = first_token or time.perf_counter() - started
        yield Token(answer)
    yield Done(
        backend=handle.backend,
        model=handle.model_name,
        elapsed=time.perf_counter() - started,
        first_token=first_token,
        steps=turn.steps,
        answer=answer,
        messages=turn.messages,
    )
