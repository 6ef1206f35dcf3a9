"""The chat's sidebar: a new chat, saved threads (open, rename, delete, export), the model and data dir."""

from __future__ import annotations

import streamlit as st

from agent.llm.handle import ChatHandle
from config import NuriError, Settings
from ui import session

DELETE = "thread_pending_delete"


def _threads(settings: Settings) -> None:
    store = session.thread_store(settings)
    if store is None:
        st.caption(
            f"대화를 저장할 수 없어 이 창에만 남습니다: {st.session_state.get(session.STORE_PROBLEM, '')}"
        )
        return
    threads = store.list()
    current = session.thread_id()
    ids = [t.id for t in threads]
    titles = {t.id: f"{t.title} ({t.turns})" for t in threads}
    if current not in ids:
        ids.insert(0, current)
        titles[current] = "(새 대화)"
    st.session_state["thread_choice"] = current  # follows a new chat or a thread saved by the last answer
    st.selectbox(
        "대화 목록", ids, format_func=titles.__getitem__, key="thread_choice",
        on_change=lambda: session.open_thread(settings, st.session_state["thread_choice"]),
    )  # fmt: skip
    info = store.get(current)
    if info is None:
        return
    with st.expander("이 대화 관리"):
        title = st.text_input("새 제목", value=info.title, max_chars=200)
        if st.button("제목 바꾸기"):
            try:
                store.rename(current, title)
                st.rerun()
            except NuriError as error:
                st.error(str(error))
        left, right = st.columns(2)
        left.download_button("Markdown", store.export(current, "md"), f"nuri-{current}.md", "text/markdown")
        right.download_button(
            "JSON", store.export(current, "json"), f"nuri-{current}.json", "application/json"
        )
        if st.button("대화 삭제"):
            st.session_state[DELETE] = current
        if st.session_state.get(DELETE) == current:
            st.warning("이 대화를 지울까요? 되돌릴 수 없습니다.")
            if st.button("정말 삭제", type="primary"):
                store.delete(current)
                st.session_state.pop(DELETE, None)
                session.new_conversation()
                st.rerun()


def render(settings: Settings, handle: ChatHandle | None) -> None:
    with st.sidebar:
        st.header("누리 설정")
        st.button("새 대화", on_click=session.new_conversation, type="primary", width="stretch")
        _threads(settings)
        st.subheader("모델")
        if handle is not None:
            st.text(
                f"백엔드: {handle.backend}\n모델: {handle.model_name}\n컨텍스트: {handle.context_length:,} 토큰"
            )
            for note in handle.notes:
                st.caption(note)
        else:
            st.text(f"모델: {settings.model}")
        st.text(f"선택 방식 (NURI_PROVIDER): {settings.provider}")
        st.text(f"프리셋: {settings.preset}")
        st.subheader("데이터 폴더")
        st.text(str(settings.home))
        st.caption("설정은 NURI_* 환경 변수나 .env 파일로, 생성 설정은 모델 페이지에서 바꿉니다.")
