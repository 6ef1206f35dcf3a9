"""Wiring only: model -> (tools | explain a malformed call) -> model, until the model answers."""

from __future__ import annotations

import functools

from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph

from agent.nodes import (
    AGENT,
    INVALID_CALL,
    TOOLS,
    call_model,
    explain_invalid_call,
    route_after_model,
    run_tools,
)
from agent.state import AgentContext, AgentState


@functools.cache
def build_graph() -> CompiledStateGraph:
    """The compiled agent graph; the model, tools and settings come per run through `AgentContext`."""
    builder = StateGraph(AgentState, context_schema=AgentContext)
    builder.add_node(AGENT, call_model)
    builder.add_node(TOOLS, run_tools)
    builder.add_node(INVALID_CALL, explain_invalid_call)
    builder.add_edge(START, AGENT)
    builder.add_conditional_edges(AGENT, route_after_model, [TOOLS, INVALID_CALL, END])
    builder.add_edge(TOOLS, AGENT)
    builder.add_edge(INVALID_CALL, AGENT)
    return builder.compile(name="nuri-agent")


def recursion_limit(max_steps: int) -> int:
    """Supersteps a turn may take: each model call plus the tool step after it, and a margin.

    The step budget in the nodes ends a turn first; this limit is LangGraph's backstop.

    >>> recursion_limit(6)
    14
    """
    return 2 * max_steps + 2
