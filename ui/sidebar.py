"""The sidebar: which backend and model answer, where the data lives, and a fresh start."""

from __future__ import annotations

import streamlit as st

from agent.llm.handle import ChatHandle
from config import Settings
from ui import session


def render(settings: Settings, handle: ChatHandle | None) -> None:
    with st.sidebar:
        st.header("누리 설정")
        st.button("새 대화", on_click=session.new_conversation, type="primary", width="stretch")
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
        st.subheader("데이터 폴더")
        st.text(str(settings.home))
        st.caption("설정은 NURI_* 환경 변수나 .env 파일로 바꿉니다.")
