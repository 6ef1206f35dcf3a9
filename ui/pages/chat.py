"""The chat page: sidebar, the transcript, and the streamed answer to a new question."""

from __future__ import annotations

import streamlit as st

from ui import chat, session, sidebar

EXAMPLES = "예: 지금 서울은 몇 시야? · 오늘 무슨 요일이야?"


def render() -> None:
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
        st.caption("모델 페이지에서 백엔드 상태를 확인할 수 있습니다.")
        st.stop()
    st.caption(f"답하는 모델: {handle.badge()}")
    question = st.chat_input("무엇이든 물어보세요")  # pinned to the bottom wherever it is called
    question = question.strip() if question else ""
    if not session.transcript() and not question:
        st.caption(EXAMPLES)
    chat.render_transcript()
    if question:
        chat.ask(handle, settings, question)


if __name__ == "__main__":
    render()
