"""The chat pane: past exchanges, then the streamed answer to a new question with its tool use.

Model and tool text is rendered as Markdown with images disarmed, or as plain text; never as HTML.
A turn streams from `Conversation.ask` (or `.resume` after a confirmation); while it streams, the record
lives in `st.session_state` so that a stop (any click reruns the script, which ends the stream between
two tokens) keeps what was already said.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from agent.events import Confirm, Done, Notice, Progress, Token, ToolCall, ToolResult
from agent.llm.handle import ChatHandle
from config import Settings
from ui import session
from ui.chat_parts import format_call, render_budget, render_citations, render_tools
from ui.text import safe_markdown

__all__ = ["CURSOR", "ask", "format_call", "render_transcript", "resume", "safe_markdown"]

CURSOR = "▌"
INFLIGHT = "inflight"  # session key: the turn being streamed (question and record)
STOPPED = "답변을 멈췄습니다. 이어서 물어보거나 '다시 답하기'를 누르세요."


def render_record(record: dict[str, Any]) -> None:
    """One past exchange entry, as it was shown when it streamed."""
    with st.chat_message(record["role"]):
        if record.get("tools"):
            render_tools(st.container(), record)
        for notice in record.get("notices", []):
            st.warning(notice, icon="ℹ️")
        if record.get("text"):
            st.markdown(safe_markdown(record["text"]))
        if record.get("error"):
            st.error(record["error"])
        render_citations(record.get("citations", []))
        if record.get("badge"):
            st.caption(record["badge"])
        render_budget(record.get("budget") or {})


def finish_interrupted() -> None:
    """A turn whose run was cut off (the stop button, or any click while it streamed) joins the transcript."""
    inflight = st.session_state.pop(INFLIGHT, None)
    if not inflight:
        return
    record = inflight["record"]
    record.setdefault("notices", []).append(STOPPED)
    record["text"] = record.get("text", "")
    session.transcript().extend([r for r in (inflight.get("user"), record) if r])


def render_transcript() -> None:
    for record in session.transcript():
        render_record(record)


def _stream(handle: ChatHandle, events, record: dict[str, Any]) -> None:
    """Show `events` as they come into the current assistant message, updating `record`."""
    tools_slot, notice_area, text_area, foot = st.empty(), st.container(), st.empty(), st.container()
    text_area.markdown(CURSOR)
    try:
        for event in events:
            if isinstance(event, Token):
                record["text"] += event.text
                text_area.markdown(safe_markdown(record["text"]) + CURSOR)
            elif isinstance(event, ToolCall):
                record["tools"].append({"name": event.name, "args": event.args, "id": event.id})
                if record["text"]:  # text the model said before calling stays apart from the answer
                    record["text"] += "\n\n"
                render_tools(tools_slot.container(), record, running=True)
            elif isinstance(event, Progress):
                record["step"] = event.text
                render_tools(tools_slot.container(), record, running=True)
            elif isinstance(event, ToolResult):
                for item in record["tools"]:
                    if item["id"] == event.id:
                        item.update(result=event.content, error=event.is_error)
                render_tools(tools_slot.container(), record, running=True)
            elif isinstance(event, Notice):
                record["notices"].append(event.text)
                notice_area.warning(event.text, icon="ℹ️")
            elif isinstance(event, Confirm):
                record["confirm"] = {
                    "tool": event.tool,
                    "urls": list(event.urls),
                    "question": event.question(),
                }
            elif isinstance(event, Done):
                preset = f" · 프리셋 {event.preset}" if event.preset and event.preset != "default" else ""
                record["badge"] = f"{handle.badge()} · {event.elapsed:.1f}초{preset}"
                # The answer as the thread keeps it: a loop cut, results shown instead of an empty answer,
                # citations renumbered. The streamed text was the model's draft of it.
                record["text"] = (
                    event.answer or record["text"] or "(빈 답변입니다. 질문을 바꿔 다시 물어보세요.)"
                )
                record["citations"] = [c.to_dict() for c in event.citations]
                record["budget"] = dict(event.budget or {})
                session.set_thread(event.thread_id)
    except Exception as error:  # noqa: BLE001 - shown as one Korean line, logged with its traceback
        record["error"] = session.describe_error(error)
        st.error(record["error"])
    if record["text"]:
        text_area.markdown(safe_markdown(record["text"]))
    else:
        text_area.empty()
    if record["tools"]:
        render_tools(tools_slot.container(), record)
    with foot:
        render_citations(record.get("citations", []))
        if record.get("badge"):
            st.caption(record["badge"])
        render_budget(record.get("budget") or {})


def _turn(handle: ChatHandle, events, user: dict[str, Any] | None) -> dict[str, Any]:
    record: dict[str, Any] = {"role": "assistant", "text": "", "tools": [], "notices": []}
    st.session_state[INFLIGHT] = {"user": user, "record": record}
    stop = st.empty()
    stop.button("■ 답변 멈추기", key="stop", help="지금까지 나온 답은 남기고 생성을 멈춥니다.")
    with st.chat_message("assistant"):
        _stream(handle, events, record)
    stop.empty()
    st.session_state.pop(INFLIGHT, None)
    session.transcript().extend([r for r in (user, record) if r])
    return record


def ask(handle: ChatHandle, settings: Settings, question: str) -> dict[str, Any]:
    """Show the question, stream the answer, keep both in the transcript."""
    user = {"role": "user", "text": question}
    render_record(user)
    conversation = session.conversation(handle, settings)
    return _turn(handle, conversation.ask(question), user)


def resume(handle: ChatHandle, settings: Settings, approved: bool) -> dict[str, Any]:
    """Carry on with the paused turn after the user approved or denied the fetch."""
    conversation = session.conversation(handle, settings)
    return _turn(handle, conversation.resume(approved), None)
