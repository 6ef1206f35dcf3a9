"""The chat page, assembled from the sidebar, the session and the chat pane."""

from __future__ import annotations

import streamlit as st

from ui import chat, session, sidebar

EXAMPLES = "예: 지금 서울은 몇 시야? · 오늘 무슨 요일이야?"


def main() -> None:
    st.set_page_config(page_title="누리", page_icon="💬", layout="centered")
    settings = session.get_settings()
    try:
        handle = session.get_handle(settings)
    except Exception as error:  # noqa: BLE001 - one Korean line on screen, the traceback in the log
        handle = None
        problem = session.describe_error(error)
    sidebar.render(settings, handle)
    st.title("누리")
    if handle is None:
        st.error(problem)
        st.stop()
    st.caption(f"답하는 모델: {handle.badge()}")
    question = st.chat_input("무엇이든 물어보세요")  # pinned to the bottom wherever it is called
    question = question.strip() if question else ""
    if not session.transcript() and not question:
        st.caption(EXAMPLES)
    chat.render_transcript()
    if question:
        chat.ask(handle, settings, question)
