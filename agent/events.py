"""What one chat turn reports, in order, to the CLI and the UI."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from langchain_core.messages import BaseMessage

from tools.results import Citation


@dataclass(frozen=True)
class Token:
    """A piece of the answer's text, to append to what is shown."""

    text: str


@dataclass(frozen=True)
class ToolCall:
    """The model asked to run a tool."""

    name: str
    args: dict[str, Any]
    id: str | None


@dataclass(frozen=True)
class ToolResult:
    """A tool finished; `is_error` when its text explains a failure rather than an answer."""

    name: str
    content: str
    id: str | None
    is_error: bool = False


@dataclass(frozen=True)
class Notice:
    """Something the user should know about how the answer came about (in Korean)."""

    text: str


@dataclass(frozen=True)
class Progress:
    """A live step of a running tool ('기사 2/5 수집 중…'), for a status line."""

    text: str


@dataclass(frozen=True)
class Confirm:
    """The turn is paused: a tool wants to fetch URLs the user did not type. Resume with approve or deny."""

    tool: str
    urls: list[str]
    thread_id: str

    def question(self) -> str:
        """The Korean question to put to the user."""
        listed = ", ".join(self.urls)
        return f"질문에 없던 주소를 가져오려고 합니다 ({self.tool}): {listed} — 허용할까요?"


@dataclass(frozen=True)
class Done:
    """The turn is over: who answered, how long it took, and the messages to keep as history."""

    backend: str
    model: str
    elapsed: float
    first_token: float | None = None  # seconds from the question to the first Token, if any
    steps: int = 0  # model calls made in this turn
    answer: str = ""
    messages: list[BaseMessage] = field(default_factory=list)  # the question and everything after it
    citations: list[Citation] = field(default_factory=list)  # sources the turn's tools returned, numbered
    budget: dict[str, Any] = field(default_factory=dict)  # tokens per prompt part vs the window (last call)
    preset: str = "default"  # the system-prompt preset that answered
    thread_id: str | None = None


AgentEvent = Token | ToolCall | ToolResult | Notice | Progress | Confirm | Done
