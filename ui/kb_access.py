"""The knowledge base as the UI's pages use it: one per data dir, every call under one lock per instance.

The crawl worker writes while pages read; a `KnowledgeBase` shares one SQLite connection, so the UI's
calls to one instance are serialised. It is not the instance the agent's tools use (`tools.context`), so a
tool writing during a chat turn works on its own connection; the knowledge base's writer lock and SQLite
order the two. A test puts its own knowledge base in `st.session_state`.
"""

from __future__ import annotations

import threading
from typing import Any

import streamlit as st

from config import Settings

KB = "knowledge_base"  # session key: a knowledge base given by a test
_LOCKS: dict[int, threading.RLock] = {}
_LOCKS_GUARD = threading.Lock()


class LockedKnowledgeBase:
    """Forwards to a `KnowledgeBase`; each method call holds the instance's lock."""

    def __init__(self, kb: Any) -> None:
        self._kb = kb
        with _LOCKS_GUARD:
            self._lock = _LOCKS.setdefault(id(kb), threading.RLock())

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._kb, name)
        if not callable(value):
            return value

        def locked(*args: Any, **kwargs: Any) -> Any:
            with self._lock:
                return value(*args, **kwargs)

        return locked


@st.cache_resource(show_spinner="지식 베이스를 여는 중입니다…")
def _shared(key: str, _settings: Settings) -> LockedKnowledgeBase:
    from vectorstore import KnowledgeBase  # lazy: the embedder and Kiwi are slow to load

    return LockedKnowledgeBase(KnowledgeBase(_settings))


def get_kb(settings: Settings) -> LockedKnowledgeBase:
    """This session's knowledge base: a test's, or the one shared by every session of this data dir."""
    if KB in st.session_state:
        return LockedKnowledgeBase(st.session_state[KB])
    key = f"{settings.home}|{settings.chroma_url}|{settings.collection}|{settings.embedder}"
    return _shared(key, settings)
