"""The graph's state and the run-scoped context its nodes receive."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated, TypedDict

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AnyMessage
from langchain_core.tools import BaseTool
from langgraph.graph.message import add_messages

from config import Settings
from tools import clock as _clock


class AgentState(TypedDict):
    """One turn's state; it starts fresh every turn (no checkpointer), so the counters need no reset."""

    messages: Annotated[list[AnyMessage], add_messages]
    steps: int  # model calls so far in this turn
    invalid_calls: int  # malformed tool calls so far in this turn


@dataclass(frozen=True)
class AgentContext:
    """What the nodes need that is not state: handed in per run through LangGraph's runtime context."""

    settings: Settings
    model: BaseChatModel
    tools: Sequence[BaseTool] = ()
    max_steps: int = 6  # model calls per turn; the last one is made without tools so it must answer
    max_invalid_calls: int = (
        2  # the first is explained to the model, after this many it answers without tools
    )
    # Looked up at call time, so tests that freeze `tools.clock.now_kst` freeze the prompt's date too.
    clock: Callable[[], datetime] = field(default=lambda: _clock.now_kst())
