"""The graph's nodes: call the model, run tools, explain a malformed tool call. Settings arrive by context."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from langchain_core.messages import AIMessage, AnyMessage, HumanMessage, ToolMessage
from langchain_core.tools import BaseTool
from langchain_core.utils.function_calling import convert_to_openai_tool
from langgraph.runtime import Runtime
from langgraph.types import interrupt

from agent.answer_prompt import inline_tool_results
from agent.budget import PromptPlan, check_server_count, plan_prompt, split_turns
from agent.citations import renumber, turn_citations
from agent.forced import (
    answer_uses_results,
    answered_by_final_tool,
    call_from_question,
    direct_answer,
    irrelevant_calls,
    read_from_question,
)
from agent.guards import (
    fallback_answer,
    is_only_a_call,
    new_call_id,
    only_repeats,
    replayable_args,
    sort_tool_calls,
    with_call_ids,
)
from agent.language import repair_drift
from agent.llm.ollama_budget import estimate_text_tokens
from agent.llm.repair import invalid_call_error
from agent.memory import fold_turns
from agent.paste import PASTE_ARG_MIN_CHARS, condense
from agent.prompts import system_prompt
from agent.state import AgentContext, AgentState
from agent.urls import typed_urls, urls_in_argument
from tools.context import ToolEnv, using_env
from tools.registry import tool_for_question, tools_by_name
from tools.repetition import cut_repetition

log = logging.getLogger("nuri.agent")

AGENT, TOOLS, INVALID_CALL, FINISH = "agent", "tools", "invalid_call", "finish"


def _count(ctx: AgentContext) -> Callable[[str], int]:
    return ctx.count_tokens or estimate_text_tokens


def _reserve(ctx: AgentContext) -> int:
    """Tokens kept free for the answer: num_predict, but never more than a third of the window."""
    return min(ctx.settings.num_predict, ctx.context_length // 3)


def _schemas(ctx: AgentContext) -> str:
    """The bound tools as the server sees them: their JSON schemas take room in the prompt too."""
    return json.dumps([convert_to_openai_tool(t) for t in ctx.tools], ensure_ascii=False)


def _condense_question(
    ctx: AgentContext, state: AgentState, system: str, force: str | None
) -> dict[str, str]:
    """The condensed forms of user messages, adding this turn's question if it takes over 40% of the room."""
    condensed = dict(state.get("condensed") or {})
    question = split_turns(state["messages"])[-1][0]
    if not isinstance(question, HumanMessage) or not question.id or question.id in condensed:
        return condensed
    count, reserve = _count(ctx), _reserve(ctx)
    room = ctx.context_length - reserve - count(system) - (count(_schemas(ctx)) if ctx.tools else 0)
    if room <= 0 or count(question.text) <= 0.4 * room:  # no room at all: plan_prompt says why
        return condensed
    paste_tool = force is not None and bool((tools_by_name(ctx.tools)[force].metadata or {}).get("paste"))
    condensed[question.id] = condense(question.text, for_tool=paste_tool, env=_plain_env(ctx))
    return condensed


def plan_call(
    ctx: AgentContext, state: AgentState, use_tools: bool, force: str | None = None
) -> tuple[list[AnyMessage], dict, dict]:
    """The prompt for one model call within the window: a too-long question is condensed, old turns that
    overflow are folded into the running summary. Returns the messages, the budget and the state update."""
    system = system_prompt(ctx.clock(), tools=use_tools, preset=ctx.preset_text)
    summary, folded = state.get("summary", ""), state.get("folded", 0)
    count, reserve = _count(ctx), _reserve(ctx)
    update: dict[str, Any] = {}
    condensed = _condense_question(ctx, state, system, force)
    if condensed != (state.get("condensed") or {}):
        update["condensed"] = condensed

    def plan() -> PromptPlan:
        return plan_prompt(
            system,
            summary,
            state["messages"],
            folded,
            count,
            ctx.context_length,
            reserve,
            exact=ctx.count_tokens is not None,
            condensed=condensed,
            tool_schemas=_schemas(ctx) if use_tools else "",
        )

    result = plan()
    if result.overflow:
        # Fold down to half of what fits, so the prompt prefix changes rarely (prompt-cache reuse).
        past = split_turns(state["messages"])[:-1]
        unfolded = len(past) - folded
        fold_count = max(result.overflow, result.overflow + (unfolded - result.overflow) // 2)
        room = ctx.context_length - reserve - result.budget.system
        summary = fold_turns(ctx.model, summary, past[folded : folded + fold_count], count, room)
        folded += fold_count
        update.update(summary=summary, folded=folded)
        result = plan()
        result.budget.trimmed.append(f"오래된 대화 {fold_count}차례를 요약에 넣었습니다 (모두 {folded}차례)")
    question = split_turns(state["messages"])[-1][0]
    if question.id in condensed:
        result.budget.trimmed.append(
            f"긴 질문({len(question.text):,}자)을 줄인 형태로 보냈습니다 (원문은 대화에 보관)"
        )
    return result.messages, result.budget.to_dict(), update


def _ask(
    ctx: AgentContext, state: AgentState, use_tools: bool, force: str | None = None
) -> tuple[AIMessage, dict[str, Any]]:
    if not use_tools:
        model = ctx.model
    elif force:
        model = ctx.model.bind_tools(list(ctx.tools), tool_choice=force)
    else:
        model = ctx.model.bind_tools(list(ctx.tools))
    prompt, budget, update = plan_call(ctx, state, use_tools, force)
    if not use_tools:
        prompt = inline_tool_results(prompt)
    response = model.invoke(prompt)
    if not isinstance(response, AIMessage):  # a plain-text model returns a string-ish message
        response = AIMessage(content=getattr(response, "content", str(response)))
    if isinstance(response.content, str) and response.content and not response.tool_calls:
        # Loops cut, and English words with a common Korean form put back into Korean ("수도는 Seoul입니다":
        # the 0.5B model, 1 of 45 answers in the agent suite), without another model call.
        repaired = repair_drift(cut_repetition(response.content))
        if repaired != response.content:
            log.info("answer repaired (loop or English words): %r", response.content[:80])
            response = response.model_copy(update={"content": repaired})
    check_server_count(budget, response)
    update["budget"] = budget
    if use_tools:
        response = sort_tool_calls(with_call_ids(response), ctx.tools)
        if not (response.tool_calls or response.invalid_tool_calls) and not answer_uses_results(
            response, state
        ):
            log.info("answer held nothing of this turn's tool results; showing the results")
            response = response.model_copy(update={"content": fallback_answer(state["messages"])})
        return response, update
    if response.tool_calls or response.invalid_tool_calls:
        # Tools were withdrawn: whatever the model still tries to call ends the loop here.
        log.info("dropping %d tool calls made without tools", len(response.tool_calls))
        response = response.model_copy(update={"tool_calls": [], "invalid_tool_calls": []})
    if ctx.tools and is_only_a_call(response, ctx.tools):
        # A small model may still write a call as its answer; the user gets the tool's result instead.
        log.info("answer without tools was a tool call as text; answering with the latest tool result")
        response = response.model_copy(update={"content": fallback_answer(state["messages"])})
    elif not answer_uses_results(response, state):
        log.info("answer without tools held nothing of this turn's tool results; showing the results")
        response = response.model_copy(update={"content": fallback_answer(state["messages"])})
    return response, update


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
    direct = direct_answer(state, ctx) if steps > 0 else None
    if direct is not None:
        return {"messages": [AIMessage(content=direct)], "steps": steps + 1}
    force = None
    question = split_turns(state["messages"])[-1][0]
    if use_tools and steps == 0 and isinstance(state["messages"][-1], HumanMessage):
        force = tool_for_question(state["messages"][-1].text, ctx.tools)
    elif use_tools and steps > 0 and answered_by_final_tool(state, ctx):
        # A forced tool whose result is the answer (time, arithmetic, search, summary): small models
        # otherwise call again and again; the next call answers from the result.
        use_tools = False
    response, update = _ask(ctx, state, use_tools, force)
    if force and response.tool_calls:
        response = response.model_copy(
            update={"tool_calls": [call_from_question(c, question.text, ctx) for c in response.tool_calls]}
        )
    elif steps == 0 and response.tool_calls:
        response = response.model_copy(
            update={"tool_calls": [read_from_question(c, question.text, ctx) for c in response.tool_calls]}
        )
    steps += 1
    dropped = irrelevant_calls(response, question.text, ctx) if use_tools and not force else []
    if dropped:
        log.info("dropping calls the question gives no reason for: %s", dropped)
        kept = [c for c in response.tool_calls if c["name"] not in dropped]
        response = response.model_copy(update={"tool_calls": kept})
        if not kept:
            response, update = _ask(ctx, {**state, **update}, use_tools=False)
            steps += 1
    if use_tools and response.tool_calls and only_repeats(response, state["messages"], ctx.tools):
        # The result is already in the history; running the tool again would only loop. Answer from it.
        log.info(
            "model repeated tool calls %s; answering without tools", [c["name"] for c in response.tool_calls]
        )
        response, update = _ask(ctx, {**state, **update}, use_tools=False)
        steps += 1
    if update["budget"].get("warning"):
        runtime.stream_writer({"notice": update["budget"]["warning"]})
    return {"messages": [response], "steps": steps, **update}


def route_after_model(state: AgentState) -> str:
    """Tools when the model called them, an explanation when the calls were malformed, else finish."""
    last = state["messages"][-1]
    if isinstance(last, AIMessage) and last.tool_calls:
        return TOOLS
    if isinstance(last, AIMessage) and last.invalid_tool_calls:
        return INVALID_CALL
    return FINISH


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


def _needs_confirmation(state: AgentState, calls: list[dict[str, Any]], index: dict) -> list[tuple[str, str]]:
    """(tool, url) pairs about to be fetched that the user never typed in this thread."""
    typed = typed_urls(m.text for m in state["messages"] if isinstance(m, HumanMessage))
    asked = []
    for call in calls:
        tool = index.get(call["name"])
        argument = ((tool.metadata or {}) if tool else {}).get("fetches")
        if argument:
            asked += [
                (call["name"], u) for u in urls_in_argument(call["args"].get(argument)) if u not in typed
            ]
    return asked


def _plain_env(ctx: AgentContext) -> ToolEnv:
    return ctx.tool_env or ToolEnv(
        settings=ctx.settings,
        model=ctx.model,
        count_tokens=ctx.count_tokens,
        context_length=ctx.context_length,
    )


def _tool_env(runtime: Runtime[AgentContext]) -> ToolEnv:
    progress = lambda text: runtime.stream_writer({"progress": text})  # noqa: E731
    return replace(_plain_env(runtime.context), progress=progress)


def _with_paste(call: dict[str, Any], tool: BaseTool | None, question: str) -> dict[str, Any]:
    """A long pasted text goes to a paste-taking tool whole: the model cannot copy 100,000 characters into
    an argument, and the prompt only carried a condensed form of it."""
    argument = ((tool.metadata or {}) if tool else {}).get("paste")
    if not argument or len(question) < PASTE_ARG_MIN_CHARS or urls_in_argument(call["args"].get(argument)):
        return call
    return {**call, "args": {**call["args"], argument: question}}


def _run_one(tool: BaseTool | None, call: dict[str, Any]) -> ToolMessage:
    try:
        if tool is None:
            raise LookupError(f"unknown tool {call['name']!r}")
        reply = tool.invoke({**call, "type": "tool_call"})
        if not isinstance(reply, ToolMessage):  # a tool that returns a message of its own making
            reply = ToolMessage(content=str(reply), tool_call_id=call["id"], name=call["name"])
        return reply
    except Exception as error:  # noqa: BLE001 - the model reads the reason and answers anyway
        log.exception("tool %s raised", call["name"])
        return ToolMessage(
            content=f"도구 '{call['name']}' 실행 중 오류가 났습니다 ({type(error).__name__}: {error}).",
            tool_call_id=call["id"],
            name=call["name"],
            status="error",
        )


def run_tools(state: AgentState, runtime: Runtime[AgentContext]) -> dict[str, Any]:
    """Run each requested tool; a failure becomes text for the model, never an exception.

    A URL the user did not type (a page or a search hit may ask for one) is fetched only after the user
    approves: the graph pauses here with an interrupt, before any tool of this step runs, so resuming
    re-runs nothing twice.
    """
    last = state["messages"][-1]
    assert isinstance(last, AIMessage)  # noqa: S101 - route_after_model only sends tool-call messages here
    index = tools_by_name(runtime.context.tools)
    denied: set[str] = set()
    asked = _needs_confirmation(state, last.tool_calls, index)
    if asked:
        approved = interrupt({"kind": "confirm_fetch", "tool": asked[0][0], "urls": [u for _, u in asked]})
        if approved is not True:
            denied = {call["id"] for call in last.tool_calls if any(call["name"] == t for t, _ in asked)}
    replies: list[AnyMessage] = []
    turn = split_turns(state["messages"])[-1]
    with using_env(_tool_env(runtime)):
        for call in last.tool_calls:
            if call["id"] in denied:
                replies.append(
                    ToolMessage(
                        content="사용자가 이 주소를 가져오는 것을 허락하지 않았습니다. "
                        "가져오지 말고, 가진 정보로 답하세요.",
                        tool_call_id=call["id"],
                        name=call["name"],
                        status="error",
                    )
                )
                continue
            tool = index.get(call["name"])
            question = turn[0].text if turn else ""
            reply = _run_one(tool, _with_paste(call, tool, question))
            offset = max((c.n for c in turn_citations([*turn, *replies])), default=0)
            replies.append(renumber(reply, offset))
    if last.invalid_tool_calls:  # mixed with valid calls: explain these right away
        fixed, extra = _invalid_replies(last, "Fix the arguments to match the tool's schema.")
        replies = [fixed, *replies, *extra]
    return {"messages": replies}


def finish_turn(state: AgentState, runtime: Runtime[AgentContext]) -> dict[str, Any]:
    """Record the finished turn with the thread: preset, budget and the sources its tools returned."""
    turn = split_turns(state["messages"])[-1]
    question = turn[0].text if turn and isinstance(turn[0], HumanMessage) else ""
    answer = turn[-1].text if turn and isinstance(turn[-1], AIMessage) else ""
    record = {
        "question": question,
        "answer": answer,
        "preset": runtime.context.preset_id,
        "system_prompt": system_prompt(runtime.context.clock(), preset=runtime.context.preset_text),
        "budget": state.get("budget", {}),
        "citations": [c.to_dict() for c in turn_citations(turn)],
        "tools": [
            {"name": m.name, "is_error": m.status == "error"} for m in turn if isinstance(m, ToolMessage)
        ],
        "finished_at": runtime.context.clock().isoformat(timespec="seconds"),
    }
    return {"records": [record]}


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
