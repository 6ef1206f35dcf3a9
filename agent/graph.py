"""Wiring only: model -> (tools | explain a malformed call) -> model, until the model answers; then the
turn is recorded. A checkpointer keeps each thread's state (and a paused confirmation) between runs."""

from __future__ import annotations

from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph

from agent.nodes import (
    AGENT,
    FINISH,
    INVALID_CALL,
    TOOLS,
    call_model,
    explain_invalid_call,
    finish_turn,
    route_after_model,
    run_tools,
)
from agent.state import AgentContext, AgentState


def build_graph(checkpointer: BaseCheckpointSaver | None = None) -> CompiledStateGraph:
    """The compiled agent graph; the model, tools and settings come per run through `AgentContext`."""
    builder = StateGraph(AgentState, context_schema=AgentContext)
    builder.add_node(AGENT, call_model)
    builder.add_node(TOOLS, run_tools)
    builder.add_node(INVALID_CALL, explain_invalid_call)
    builder.add_node(FINISH, finish_turn)
    builder.add_edge(START, AGENT)
    builder.add_conditional_edges(AGENT, route_after_model, [TOOLS, INVALID_CALL, FINISH])
    builder.add_edge(TOOLS, AGENT)
    builder.add_edge(INVALID_CALL, AGENT)
    builder.add_edge(FINISH, END)
    return builder.compile(name="nuri-agent", checkpointer=checkpointer)


def recursion_limit(max_steps: int) -> int:
    """Supersteps a turn may take: each model call plus the tool step after it, and a margin.

    The step budget in the nodes ends a turn first; this limit is LangGraph's backstop.

    >>> recursion_limit(6)
    15
    """
    return 2 * max_steps + 3
