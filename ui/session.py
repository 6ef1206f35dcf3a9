"""What one browser session keeps: settings, the chat handle, the transcript shown and the history sent.

Keys in `st.session_state` (tests pre-seed them): `settings` (a `Settings`), `chat_handle` (a `ChatHandle`),
`transcript` (records shown on screen), `history` (LangChain messages sent with the next question).
"""

from __future__ import annotations

import logging
from typing import Any

import streamlit as st
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage
from pydantic import ValidationError

from agent.llm.handle import ChatHandle
from config import NuriError, Settings, setup_logging

log = logging.getLogger("nuri.ui")

SETTINGS, HANDLE, TRANSCRIPT, HISTORY = "settings", "chat_handle", "transcript", "history"
MAX_TURNS = 8  # past question/answer pairs sent with a new question


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


def history() -> list[BaseMessage]:
    return st.session_state.setdefault(HISTORY, [])


def remember_turn(question: str, answer: str, max_chars: int) -> None:
    """Keep the question and the final answer (not the tool traffic) for the next turns."""
    st.session_state[HISTORY] = trim_history(
        [*history(), HumanMessage(question), AIMessage(answer)], max_chars
    )


def new_conversation() -> None:
    """Forget what was said (the model and settings stay)."""
    st.session_state[TRANSCRIPT] = []
    st.session_state[HISTORY] = []


def trim_history(
    messages: list[BaseMessage], max_chars: int, max_turns: int = MAX_TURNS
) -> list[BaseMessage]:
    """Keep the latest whole question/answer pairs within `max_turns` and `max_chars` characters.

    >>> pairs = [HumanMessage("가" * 10), AIMessage("나" * 10), HumanMessage("다"), AIMessage("라")]
    >>> [m.content for m in trim_history(pairs, max_chars=5)]
    ['다', '라']
    >>> len(trim_history(pairs, max_chars=100)), len(trim_history(pairs, 100, max_turns=1))
    (4, 2)
    """
    kept: list[BaseMessage] = []
    used = 0
    pairs = [messages[i : i + 2] for i in range(0, len(messages) - 1, 2)]
    for pair in reversed(pairs[-max_turns:]):
        size = sum(len(str(m.content)) for m in pair)
        if used + size > max_chars:
            break
        kept[:0] = pair
        used += size
    return kept


def history_budget(handle: ChatHandle) -> int:
    """Characters of past conversation to send: about a third of the context window.

    Korean runs ~0.6 tokens per character, so a third of the tokens is about half as many characters.

    >>> history_budget(ChatHandle(model=None, backend="fake", model_name="m", context_length=4096))
    2048
    """
    return handle.context_length // 2


def describe_error(error: Exception) -> str:
    """The one Korean line a person sees; the traceback goes to the log."""
    if isinstance(error, NuriError):
        return str(error)
    log.exception("unexpected error in the UI", exc_info=error)
    return (
        f"예기치 못한 문제가 생겼습니다 ({type(error).__name__}). "
        "자세한 내용은 데이터 폴더의 nuri.log를 보세요."
    )
