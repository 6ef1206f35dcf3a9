"""Test-only launcher: the real app with a scripted fake model (and a small fake-embedding knowledge base)
seeded into each browser session.

`streamlit run tests/ui/browser_app.py` cannot receive a Python object from the test, so this file builds
the fakes itself and then runs the product's own `ui.page.main`; the product has no switch for it.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repo root, for `tests.fakes`

import streamlit as st  # noqa: E402

from tests.fakes import ai, fake_handle  # noqa: E402
from ui.page import main  # noqa: E402

ANSWER = "지금 서울은 오후 3시 30분이에요. 좋은 하루 보내세요!"


def frozen_clock():
    """15:30 KST, so the scripted answer agrees with the clock tool's result (an answer that holds none of
    the results gives way to them, and the page shows the answer the thread keeps)."""
    from datetime import datetime

    from tools import clock

    clock.now_kst = lambda: datetime(2026, 11, 24, 15, 30, tzinfo=clock.KST)


@st.cache_resource
def sample_knowledge_base():
    """The knowledge-base tests' six short articles, on the deterministic fake embedder."""
    from config import Settings
    from tests.vectorstore.conftest import CORPUS, article
    from vectorstore import HashingEmbedder, KnowledgeBase

    kb = KnowledgeBase(Settings(), embedder=HashingEmbedder())
    if not kb.documents():
        kb.add([article(*row) for row in CORPUS])
    return kb


class LazyKnowledgeBase:
    """Builds the sample knowledge base on first use, so pages that do not need it start at once."""

    def __getattr__(self, name: str):
        return getattr(sample_knowledge_base(), name)


if __name__ == "__main__":
    frozen_clock()
    if "chat_handle" not in st.session_state:
        st.session_state["chat_handle"] = fake_handle(
            *[m for _ in range(4) for m in (ai("", ("current_time", {})), ai(ANSWER))],
            chunk_chars=2,
            chunk_delay=0.12,
        )
    if "knowledge_base" not in st.session_state:
        st.session_state["knowledge_base"] = LazyKnowledgeBase()
    main()
