"""The graph's nodes: call the model, run tools, explain a malformed tool call. Settings arrive by context."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from langchain_core.messages import AIMessage, AnyMessage, HumanMessage, SystemMessage, ToolMessage
from langgraph.graph import END
from langgraph.runtime import Runtime

from agent.guards import (
    fallback_answer,
    is_only_a_call,
    new_call_id,
    only_repeats,
    replayable_args,
    sort_tool_calls,
    with_call_ids,
)
from agent.llm.repair import invalid_call_error
from agent.prompts import system_prompt
from agent.state import AgentContext, AgentState
from tools.registry import tool_for_question, tools_by_name

log = logging.getLogger("nuri.agent")

AGENT, TOOLS, INVALID_CALL = "agent", "tools", "invalid_call"


def _ask(
    ctx: AgentContext, messages: Sequence[AnyMessage], use_tools: bool, force: str | None = None
) -> AIMessage:
    if not use_tools:
        model = ctx.model
    elif force:
        model = ctx.model.bind_tools(list(ctx.tools), tool_choice=force)
    else:
        model = ctx.model.bind_tools(list(ctx.tools))
    prompt = [SystemMessage(system_prompt(ctx.clock(), tools=use_tools)), *messages]
    response = model.invoke(prompt)
    if not isinstance(response, AIMessage):  # a plain-text model returns a string-ish message
        response = AIMessage(content=getattr(response, "content", str(response)))
    if use_tools:
        return sort_tool_calls(with_call_ids(response), ctx.tools)
    if response.tool_calls or response.invalid_tool_calls:
        # Tools were withdrawn: whatever the model still tries to call ends the loop here.
        log.info("dropping %d tool calls made without tools", len(response.tool_calls))
        response = response.model_copy(update={"tool_calls": [], "invalid_tool_calls": []})
    if ctx.tools and is_only_a_call(response, ctx.tools):
        # A small model may still write a call as its answer; the user gets the tool's result instead.
        log.info("answer without tools was a tool call as text; answering with the latest tool result")
        response = response.model_copy(update={"content": fallback_answer(messages)})
    return response


def call_model(state: AgentState, runtime: Runtime[AgentContext]) -> dict[str, Any]:
    """Ask the model for the next message: with tools while the budget lasts, otherwise plainly."""
    ctx = runtime.context
    steps = state.get("steps", 0)
    use_tools = bool(ctx.tools) and state.get("invalid_calls", 0) < ctx.max_invalid_calls
    if use_tools and steps >= ctx.max_steps - 1:
        use_tools = False
        runtime.stream_writer(
            {"notice": f"도구 사용 단계 한도({ctx.max_steps}회)에 이르러 지금까지의 정보로 답합니다."}
        )
    force = None
    if use_tools and steps == 0 and isinstance(state["messages"][-1], HumanMessage):
        force = tool_for_question(state["messages"][-1].text, ctx.tools)
    response = _ask(ctx, state["messages"], use_tools, force)
    steps += 1
    if use_tools and response.tool_calls and only_repeats(response, state["messages"], ctx.tools):
        # The result is already in the history; running the tool again would only loop. Answer from it.
        log.info(
            "model repeated tool calls %s; answering without tools", [c["name"] for c in response.tool_calls]
        )
        response = _ask(ctx, state["messages"], use_tools=False)
        steps += 1
    return {"messages": [response], "steps": steps}


def route_after_model(state: AgentState) -> str:
    """Tools when the model called them, an explanation when the calls were malformed, else the end."""
    last = state["messages"][-1]
    if isinstance(last, AIMessage) and last.tool_calls:
        return TOOLS
    if isinstance(last, AIMessage) and last.invalid_tool_calls:
        return INVALID_CALL
    return END


def _invalid_replies(message: AIMessage, text: str) -> tuple[AIMessage, list[ToolMessage]]:
    """Answer each malformed call; each gets an id, a name and JSON arguments, so the history replays."""
    calls, replies = [], []
    for call in message.invalid_tool_calls:
        fixed = dict(
            call,
            id=call.get("id") or new_call_id(),
            name=call.get("name") or "unknown",
            args=replayable_args(call.get("args")),
            error=invalid_call_error(call),
        )
        calls.append(fixed)
        replies.append(
            ToolMessage(
                content=f"Invalid tool call: {fixed['error']}. {text}",
                tool_call_id=fixed["id"],
                name=fixed["name"],
                status="error",
            )
        )
    return message.model_copy(update={"invalid_tool_calls": calls}), replies


def run_tools(state: AgentState, runtime: Runtime[AgentContext]) -> dict[str, Any]:
    """Run each requested tool; a failure becomes text for the model, never an exception."""
    last = state["messages"][-1]
    assert isinstance(last, AIMessage)  # noqa: S101 - route_after_model only sends tool-call messages here
    index = tools_by_name(runtime.context.tools)
    replies: list[AnyMessage] = []
    for call in last.tool_calls:
        tool = index.get(call["name"])
        try:
            if tool is None:
                raise LookupError(f"unknown tool {call['name']!r}")
            reply = tool.invoke({**call, "type": "tool_call"})
            if not isinstance(reply, ToolMessage):  # a tool that returns a message of its own making
                reply = ToolMessage(content=str(reply), tool_call_id=call["id"], name=call["name"])
        except Exception as error:  # noqa: BLE001 - the model reads the reason and answers anyway
            log.exception("tool %s raised", call["name"])
            reply = ToolMessage(
                content=f"도구 '{call['name']}' 실행 중 오류가 났습니다 ({type(error).__name__}: {error}).",
                tool_call_id=call["id"],
                name=call["name"],
                status="error",
            )
        replies.append(reply)
    if last.invalid_tool_calls:  # mixed with valid calls: explain these right away
        fixed, extra = _invalid_replies(last, "Fix the arguments to match the tool's schema.")
        replies = [fixed, *replies, *extra]
    return {"messages": replies}


def explain_invalid_call(state: AgentState, runtime: Runtime[AgentContext]) -> dict[str, Any]:
    """Tell the model what was wrong with its call; after the last chance it must answer without tools."""
    last = state["messages"][-1]
    assert isinstance(last, AIMessage)  # noqa: S101 - only reached from route_after_model
    count = state.get("invalid_calls", 0) + 1
    final = count >= runtime.context.max_invalid_calls
    names = ", ".join(str(c.get("name")) for c in last.invalid_tool_calls)
    if final:
        text = "Do not call tools any more; answer the user directly in Korean. 도구 없이 바로 답하세요."
        notice = f"모델이 또 잘못된 도구 호출({names})을 해서 도구 없이 답합니다."
    else:
        text = "Call the tool again once with arguments that match its schema. 인자를 고쳐 다시 호출하세요."
        errors = "; ".join(invalid_call_error(c) for c in last.invalid_tool_calls)
        notice = f"모델의 도구 호출({names})이 잘못되어 이유를 알려 주고 다시 시도합니다: {errors}"
    runtime.stream_writer({"notice": notice})
    fixed, replies = _invalid_replies(last, text)
    # `fixed` has the same message id, so add_messages replaces the call in place (now with ids).
    return {"messages": [fixed, *replies], "invalid_calls": count}
