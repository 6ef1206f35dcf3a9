"""The tool call a question forces (a tool's `when` pattern): its arguments corrected from the question,
its result as the answer when the tool is direct, and the check that a written answer used the results.

Small models copy arguments badly (numbers, URLs, the docstring's examples) and restate results badly;
these are measured on the agent task suite (docs/benchmarks/agent.md).
"""

from __future__ import annotations

import re
from typing import Any

from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from langchain_core.tools import BaseTool

from agent.budget import split_turns
from agent.guards import carries_results
from agent.state import AgentContext, AgentState
from agent.urls import typed_urls, urls_in_argument
from tools.registry import tool_for_question, tools_by_name

_TYPED_URL = re.compile(r"https?://[^\s<>\"'`)\]}]+", re.IGNORECASE)


def answer_uses_results(response: AIMessage, state: AgentState) -> bool:
    """True unless this turn has tool results and the answer holds nothing of them (see `carries_results`)."""
    turn = split_turns(state["messages"])[-1]
    results = [m.text for m in turn if isinstance(m, ToolMessage) and m.status != "error"]
    if not results or not isinstance(turn[0], HumanMessage):
        return True
    return carries_results(response.text, turn[0].text, results)


def forced_results(state: AgentState, ctx: AgentContext) -> tuple[BaseTool | None, list[ToolMessage]]:
    """This turn's tool forced by the question (if any) and its successful results so far."""
    turn = split_turns(state["messages"])[-1]
    forced = tool_for_question(turn[0].text, ctx.tools) if isinstance(turn[0], HumanMessage) else None
    tool = tools_by_name(ctx.tools).get(forced or "")
    if tool is None:
        return None, []
    return tool, [m for m in turn if isinstance(m, ToolMessage) and m.name == forced and m.status != "error"]


def answered_by_final_tool(state: AgentState, ctx: AgentContext) -> bool:
    """Whether this turn's forced tool is a final one (`make_tool(final=True)`) and has answered."""
    tool, results = forced_results(state, ctx)
    return tool is not None and bool((tool.metadata or {}).get("final")) and bool(results)


def _receipt(message: ToolMessage) -> str:
    artifact = message.artifact if isinstance(message.artifact, dict) else {}
    receipt = artifact.get("receipt")
    return receipt if isinstance(receipt, str) and receipt else message.text.strip()


def direct_answer(state: AgentState, ctx: AgentContext) -> str | None:
    """The answer when this turn's forced tool returns directly (`make_tool(direct=True)`, or `direct_if`
    accepts the question) and succeeded, and nothing else ran since: its result as written for the user."""
    tool, results = forced_results(state, ctx)
    if tool is None or not results:
        return None
    direct_if = (tool.metadata or {}).get("direct_if")
    question = split_turns(state["messages"])[-1][0].text
    if not (tool.return_direct or (direct_if is not None and direct_if(question))):
        return None
    last = state["messages"][-1]
    if not isinstance(last, ToolMessage) or last.name != tool.name:
        return None
    return "\n\n".join(_receipt(m) for m in results)


def irrelevant_calls(response: AIMessage, question: str, ctx: AgentContext) -> list[str]:
    """Names of the calls in `response` to tools whose `relevant` pattern the question does not match."""
    index = tools_by_name(ctx.tools)
    dropped = []
    for call in response.tool_calls:
        pattern = ((index[call["name"]].metadata or {}) if call["name"] in index else {}).get("relevant")
        if pattern is not None and not pattern.search(question):
            dropped.append(call["name"])
    return dropped


def read_from_question(call: dict[str, Any], question: str, ctx: AgentContext) -> dict[str, Any]:
    """The call with the arguments its tool's `args_from_question` reads from the question (the calculation
    as asked, the outlet named, no filter the question does not name); used for every first call of a turn,
    forced or chosen by the model. URLs are left alone: an unforced fetch of an untyped URL is confirmed."""
    tool = tools_by_name(ctx.tools).get(call["name"])
    reader = ((tool.metadata or {}) if tool else {}).get("args_from_question")
    return {**call, "args": reader(question, dict(call["args"]))} if reader else call


def call_from_question(call: dict[str, Any], question: str, ctx: AgentContext) -> dict[str, Any]:
    """A forced fetch uses the URLs the user typed (small models mangle them: http -> https, or copy the
    docstring's example URL); a tool with `args_from_question` reads the rest from the question."""
    tool = tools_by_name(ctx.tools).get(call["name"])
    meta = (tool.metadata or {}) if tool else {}
    args = read_from_question(call, question, ctx)["args"]
    fetched = meta.get("fetches")
    typed = [m.group(0).rstrip(".,;:!?)") for m in _TYPED_URL.finditer(question)]
    given = set(urls_in_argument(args.get(fetched))) if fetched else set()
    # A copy that is no URL at all ("society.xml") or one the user never typed: the typed URLs go instead.
    if fetched and typed and (not given or not given <= typed_urls([question])):
        args[fetched] = typed if isinstance(args.get(fetched), list) or fetched == "urls" else " ".join(typed)
    return {**call, "args": args}
