"""What one browser session keeps: settings, the chat handle, the thread it talks in, the transcript shown.

Keys in `st.session_state` (tests pre-seed them): `settings` (a `Settings`), `chat_handle` (a `ChatHandle`),
`thread_id` (the current thread), `transcript` (records shown on screen), `thread_store` (a `ThreadStore`).
The history sent to the model lives in the thread's checkpoint, not here. Each browser tab is a session.
"""

from __future__ import annotations

import logging
from typing import Any

import streamlit as st
from langgraph.checkpoint.memory import InMemorySaver
from pydantic import ValidationError

from agent.conversation import Conversation
from agent.llm.handle import ChatHandle
from agent.threads import ThreadStore, new_thread_id
from config import NuriError, Settings, setup_logging

log = logging.getLogger("nuri.ui")

SETTINGS, HANDLE, TRANSCRIPT, THREAD = "settings", "chat_handle", "transcript", "thread_id"
STORE, STORE_PROBLEM, MEMORY_SAVER = "thread_store", "thread_store_problem", "memory_saver"
PENDING = "pending_confirm"  # a fetch the agent asked to approve


def get_settings() -> Settings:
    """The session's settings, read from the environment once."""
    if SETTINGS not in st.session_state:
        settings = Settings()
        setup_logging(settings)
        st.session_state[SETTINGS] = settings
    return st.session_state[SETTINGS]


def update_settings(**changes: object) -> Settings:
    """This session's settings with `changes`, validated; the chat handle is re-opened for them.

    Other browser sessions keep theirs. Raises `NuriError` with the field that was refused.
    """
    current = get_settings()
    try:
        updated = type(current).model_validate({**current.model_dump(), **changes})
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        raise NuriError(
            f"설정 {field} 값이 올바르지 않습니다: {first['msg']}", hint="값을 고친 뒤 다시 적용하세요."
        ) from None
    st.session_state[SETTINGS] = updated
    st.session_state.pop(HANDLE, None)  # the next chat opens the handle cached for these settings
    return updated


@st.cache_resource(show_spinner="모델을 준비하는 중입니다…")
def _shared_handle(key: str, _settings: Settings) -> ChatHandle:
    """One backend per process and settings (the embedded runtime is heavy), shared by all sessions."""
    from agent.llm import open_chat_model  # lazy: only when no handle was given

    log.info("opening chat model for settings %s", key)
    return open_chat_model(_settings)


def get_handle(settings: Settings) -> ChatHandle:
    """The session's chat handle; a handle already in the session (e.g. a test's fake) is used as is."""
    if HANDLE not in st.session_state:
        st.session_state[HANDLE] = _shared_handle(settings.model_dump_json(), settings)
    return st.session_state[HANDLE]


def transcript() -> list[dict[str, Any]]:
    return st.session_state.setdefault(TRANSCRIPT, [])


def thread_store(settings: Settings) -> ThreadStore | None:
    """This session's view of the saved threads (None when the data dir cannot hold them: chat in memory)."""
    if STORE not in st.session_state:
        try:
            st.session_state[STORE] = ThreadStore(settings)
        except NuriError as error:
            log.warning("threads not persisted: %s", error)
            st.session_state[STORE] = None
            st.session_state[STORE_PROBLEM] = str(error)
    return st.session_state[STORE]


def thread_id() -> str:
    """The thread this browser session talks in (a new one until its first answer is saved)."""
    if THREAD not in st.session_state:
        st.session_state[THREAD] = new_thread_id()
    return st.session_state[THREAD]


def set_thread(new_id: str | None) -> None:
    if new_id:
        st.session_state[THREAD] = new_id


def conversation(handle: ChatHandle, settings: Settings) -> Conversation:
    """The current thread as a `Conversation`: saved in the data dir, or in this session's memory."""
    store = thread_store(settings)
    if store is not None:
        return Conversation(handle, settings, thread_id=thread_id(), store=store)
    saver = st.session_state.setdefault(MEMORY_SAVER, InMemorySaver())
    return Conversation(handle, settings, thread_id=thread_id(), checkpointer=saver)


def records_to_transcript(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A saved thread's turns as the chat shows them.

    >>> records_to_transcript([{"question": "안녕?", "answer": "안녕하세요.", "preset": "concise"}])[1]["badge"]
    '저장된 대화 · 프리셋 concise'
    """
    shown: list[dict[str, Any]] = []
    for record in records:
        shown.append({"role": "user", "text": record.get("question", "")})
        shown.append(
            {
                "role": "assistant",
                "text": record.get("answer", ""),
                "citations": list(record.get("citations", [])),
                "badge": f"저장된 대화 · 프리셋 {record.get('preset', 'default')}",
            }
        )
    return shown


def open_thread(settings: Settings, new_id: str) -> None:
    """Switch this session to a saved thread and show its turns."""
    store = thread_store(settings)
    records = store.state(new_id).get("records", []) if store is not None else []
    st.session_state[THREAD] = new_id
    st.session_state[TRANSCRIPT] = records_to_transcript(records)
    st.session_state.pop(PENDING, None)


def new_conversation() -> None:
    """Start a new thread (the model and settings stay; saved threads stay in the sidebar)."""
    st.session_state[THREAD] = new_thread_id()
    st.session_state[TRANSCRIPT] = []
    st.session_state.pop(PENDING, None)


def describe_error(error: Exception) -> str:
    """The one Korean line a person sees; the traceback goes to the log."""
    if isinstance(error, NuriError):
        return str(error)
    log.exception("unexpected error in the UI", exc_info=error)
    return (
        f"예기치 못한 문제가 생겼습니다 ({type(error).__name__}). "
        "자세한 내용은 데이터 폴더의 nuri.log를 보세요."
    )
