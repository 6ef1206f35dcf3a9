"""The knowledge-base page: what is stored, a crawl form whose progress survives reruns, search, delete."""

from __future__ import annotations

import streamlit as st

from ui import session
from ui.crawl_view import crawl_form, progress_panel
from ui.kb_access import get_kb
from ui.kb_view import documents_panel, search_panel


def render() -> None:
    settings = session.get_settings()
    st.title("지식 베이스")
    try:
        kb = get_kb(settings)
        stats = kb.stats()
        docs = kb.documents()
    except Exception as error:  # noqa: BLE001 - one Korean line, and the form still works for the archive
        st.error(session.describe_error(error))
        st.caption("`nuri doctor`나 모델 페이지에서 임베더와 Chroma 상태를 확인하세요.")
        kb, stats, docs = None, None, []
    if notice := st.session_state.pop("kb_notice", None):
        st.success(notice)
    if stats is not None:
        a, b, c = st.columns(3)
        a.metric("기사", f"{stats.documents:,}건")
        b.metric("청크", f"{stats.chunks:,}개")
        c.metric("임베딩", stats.embedder)
    crawl_form(settings)
    progress_panel()
    if kb is None:
        return
    if docs:
        search_panel(kb, settings)
    documents_panel(kb, settings, docs)


if __name__ == "__main__":
    render()
