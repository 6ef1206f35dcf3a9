"""The LangGraph agent: one chat turn as a stream of events (`stream_turn`), for the CLI and the UI."""

from agent.events import AgentEvent, Done, Notice, Token, ToolCall, ToolResult
from agent.graph import build_graph
from agent.llm.handle import ChatHandle
from agent.runner import stream_turn
from agent.state import AgentContext, AgentState

__all__ = [
    "AgentContext",
    "AgentEvent",
    "AgentState",
    "ChatHandle",
    "Done",
    "Notice",
    "Token",
    "ToolCall",
    "ToolResult",
    "build_graph",
    "stream_turn",
]
