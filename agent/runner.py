"""One chat turn as a stream of `AgentEvent`s, for the CLI and the UI alike."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage, HumanMessage, ToolMessage
from langchain_core.tools import BaseTool

from agent.events import AgentEvent, Confirm, Notice, Progress, Token, ToolCall, ToolResult
from agent.llm.handle import ChatHandle
from agent.nodes import AGENT, TOOLS
from config import Settings

if TYPE_CHECKING:
    from vectorstore import KnowledgeBase

log = logging.getLogger("nuri.agent")


def text_of(message: BaseMessage) -> str:
    return message.text if isinstance(message.content, list) else str(message.content)


class TurnEvents:
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
        elif kind == "custom" and isinstance(data, dict) and data.get("progress"):
            yield Progress(str(data["progress"]))

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
        text = text_of(message)
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
                    content=text_of(message),
                    id=message.tool_call_id,
                    is_error=message.status == "error",
                )

    def _release(self, message: AIMessage) -> Iterator[AgentEvent]:
        """The final text of an answer whose start was held (the node may have replaced it)."""
        was_held = bool(self.held)
        self.held.clear()
        text = text_of(message)
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
    confirm: Callable[[Confirm], bool] | None = None,
    preset: str | None = None,
    knowledge: KnowledgeBase | None = None,
) -> Iterator[AgentEvent]:
    """Answer `question` after `history` in a throw-away thread, yielding events and finally `Done`.

    `tools` defaults to the registry's `TOOLS`. A URL the user did not type is fetched only if `confirm`
    approves it (no `confirm`: denied, and a notice says so). `knowledge`: the knowledge base the tools use
    (default: the data dir's shared one). Failures raise `NuriError` (Korean).
    For persistent threads use `agent.conversation.Conversation`.
    """
    from agent.conversation import Conversation  # the conversation imports this module's event mapping

    conversation = Conversation(
        handle, settings, tools=tools, preset=preset, history=history, knowledge=knowledge
    )
    events = conversation.ask(question)
    while True:
        request = None
        for event in events:
            if isinstance(event, Confirm):
                request = event
            else:
                yield event
        if request is None:
            return
        approved = bool(confirm(request)) if confirm is not None else False
        if not approved:
            yield Notice(f"질문에 없던 주소를 가져오지 않았습니다: {', '.join(request.urls)}")
        events = conversation.resume(approved)
