"""The graph's state (kept per thread by the checkpointer) and the run-scoped context its nodes receive."""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated, Any, TypedDict

from langchain_core.language_models import BaseChatModel
from langchain_core.tools import BaseTool
from langgraph.graph.message import AnyMessage, add_messages

from config import Settings
from tools import clock as _clock
from tools.context import ToolEnv


class AgentState(TypedDict, total=False):
    """A thread's state. `steps` and `invalid_calls` are per turn: every turn's input resets them."""

    messages: Annotated[list[AnyMessage], add_messages]
    steps: int  # model calls so far in this turn
    invalid_calls: int  # malformed tool calls so far in this turn
    summary: str  # running summary of older turns folded out of the prompt (never dropped silently)
    folded: int  # how many past turns the summary covers
    budget: dict[str, Any]  # the latest model call's context budget (tokens per part)
    condensed: dict[str, str]  # user-message id -> the condensed form sent for a message too long to send
    records: Annotated[list[dict[str, Any]], operator.add]  # one per finished turn: preset, budget, sources


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
    tool_env: ToolEnv | None = None  # what tools get (settings, model, token counter, progress)
    count_tokens: Callable[[str], int] | None = None  # the model's tokenizer; None = calibrated estimate
    context_length: int = 8192  # the model's window (num_ctx)
    preset_text: str | None = None  # the rendered system-prompt preset; None = the built-in default
    preset_id: str = "default"
