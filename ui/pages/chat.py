"""The chat page: sidebar with threads, the transcript, and the streamed answer to a new question."""

from __future__ import annotations

import streamlit as st

from ui import chat, session, sidebar

EXAMPLES = "예: 지금 서울은 몇 시야? · 오늘 무슨 요일이야? · 연합뉴스 경제 기사 3건 요약해 줘"
MAX_QUESTION = 200_000  # characters; longer pastes are cut, with a notice (the agent condenses long ones)
REGENERATE, DECISION = "regenerate", "confirm_decision"


def _confirm_box() -> None:
    """Approve or deny the fetch the paused turn asks for."""
    pending = st.session_state.get(session.PENDING)
    if not pending:
        return
    with st.container(border=True):
        st.warning(pending["question"], icon="🔗")
        left, right = st.columns(2)
        left.button("허용", type="primary", on_click=st.session_state.__setitem__, args=(DECISION, True))
        right.button("거절", on_click=st.session_state.__setitem__, args=(DECISION, False))


def _regenerate_button() -> None:
    shown = session.transcript()
    questions = [r["text"] for r in shown if r["role"] == "user"]
    if questions and shown[-1]["role"] == "assistant" and not st.session_state.get(session.PENDING):
        st.button(
            "다시 답하기", on_click=st.session_state.__setitem__, args=(REGENERATE, questions[-1]),
            help="같은 질문을 다시 물어 새 답을 받습니다.",
        )  # fmt: skip


def _after_turn(record: dict) -> None:
    if record.get("confirm"):
        st.session_state[session.PENDING] = record["confirm"]
        st.rerun()  # show the approve/deny buttons


def render() -> None:
    settings = session.get_settings()
    try:
        handle = session.get_handle(settings)
    except Exception as error:  # noqa: BLE001 - one Korean line on screen, the traceback in the log
        handle = None
        problem = session.describe_error(error)
    chat.finish_interrupted()
    st.title("누리")
    if handle is None:
        sidebar.render(settings, handle)
        st.error(problem)
        st.caption(
            "모델 페이지에서 백엔드 상태(nuri doctor)를 확인할 수 있습니다. 지식 베이스 페이지는 그대로 쓸 수 있습니다."
        )
        st.stop()
    st.caption(f"답하는 모델: {handle.badge()}")
    question = st.chat_input("무엇이든 물어보세요")  # pinned to the bottom wherever it is called
    question = question.strip() if question else ""
    if not session.transcript() and not question:
        st.caption(EXAMPLES)
    chat.render_transcript()
    decision = st.session_state.pop(DECISION, None)
    again = st.session_state.pop(REGENERATE, None)
    if decision is not None and st.session_state.pop(session.PENDING, None):
        _after_turn(chat.resume(handle, settings, decision))
    elif question or again:
        st.session_state.pop(session.PENDING, None)  # a new question leaves the paused fetch denied
        if len(question) > MAX_QUESTION:
            st.warning(f"질문이 너무 깁니다 ({len(question):,}자). 앞의 {MAX_QUESTION:,}자만 보냅니다.")
            question = question[:MAX_QUESTION]
        _after_turn(chat.ask(handle, settings, question or again))
    _confirm_box()
    _regenerate_button()
    sidebar.render(settings, handle)  # last: it lists the thread the answer above was saved in


if __name__ == "__main__":
    render()
