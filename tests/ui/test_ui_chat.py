"""The chat page's upgrades through AppTest with the scripted fake model: tool steps from a real crawl of
fixture pages, citations as links, the budget meter, approve/deny, threads that survive reruns and sessions."""

from __future__ import annotations

import pytest

import tools.context
from tests.crawlers.conftest import fast_settings
from tests.fakes import ai, fake_handle
from tests.ui.conftest import open_page
from ui.chat import STOPPED


@pytest.fixture
def chat_settings(site, nuri_home, empty_kb, monkeypatch):
    monkeypatch.setattr(tools.context, "knowledge_base", lambda settings: empty_kb)  # the fake embedder
    return fast_settings(site, home=nuri_home)


def ask(at, question: str):
    return at.chat_input[0].set_value(question).run()


def crawl_then_answer(url: str):
    return fake_handle(ai("", ("crawl", {"urls": [url]})), ai("지하철 요금이 150원 오릅니다 [1]."))


def test_tool_step_citations_and_budget_render(site, chat_settings):
    url = site.url("/a/1")
    at = ask(open_page(None, chat_settings, chat_handle=crawl_then_answer(url)), f"이 기사 요약해 줘 {url}")
    assert not at.exception
    bot = at.chat_message[1]
    (box,) = bot.status
    assert box.label == "도구 사용 1회" and box.text[0].value == f'→ crawl(urls=["{url}"])'
    assert "지하철 기본요금 150원 오른다" in box.text[1].value
    record = at.session_state["transcript"][-1]
    assert record["step"].startswith(
        ("기사 1/1", "지식 베이스에 기사 1건")
    )  # the live step shown while it ran
    assert bot.markdown[0].value == "지하철 요금이 150원 오릅니다 [1]."
    sources = bot.markdown[1].value
    assert sources.startswith("**출처**") and f"\\[1\\] [지하철 기본요금 150원 오른다]({url})" in sources
    meter = bot.get("progress")[0].proto.text
    assert meter.startswith("문맥 ") and "답변 몫" in meter


def test_a_fetch_the_user_did_not_type_waits_for_approval(site, chat_settings):
    url = site.url("/a/1")
    at = ask(open_page(None, chat_settings, chat_handle=crawl_then_answer(url)), "지하철 기사 읽어 줘")
    assert not at.exception
    assert any(url in w.value and "허용할까요" in w.value for w in at.warning)
    assert not site.requests or all(r.path != "/a/1" for r in site.requests)  # nothing fetched yet
    at = next(b for b in at.button if b.label == "허용").click().run()
    assert not at.exception
    assert any(r.path == "/a/1" for r in site.requests)
    assert at.chat_message[-1].markdown[0].value == "지하철 요금이 150원 오릅니다 [1]."
    assert not any("허용할까요" in w.value for w in at.warning)


def test_denied_fetch_is_not_made(site, chat_settings):
    url = site.url("/a/1")
    handle = fake_handle(ai("", ("crawl", {"urls": [url]})), ai("가져오지 않고 답할게요."))
    at = ask(open_page(None, chat_settings, chat_handle=handle), "지하철 기사 읽어 줘")
    at = next(b for b in at.button if b.label == "거절").click().run()
    assert not at.exception and all(r.path != "/a/1" for r in site.requests)
    assert at.chat_message[-1].markdown[-1].value == "가져오지 않고 답할게요."


def test_a_thread_survives_a_rerun_and_a_new_session(site, chat_settings):
    url = site.url("/a/1")
    at = ask(open_page(None, chat_settings, chat_handle=crawl_then_answer(url)), f"요약해 줘 {url}")
    thread = at.session_state["thread_id"]
    at = at.run()
    assert [m.name for m in at.chat_message] == ["user", "assistant"]
    later = open_page(
        None, chat_settings, chat_handle=fake_handle(ai("다음 답"))
    )  # another tab, same data dir
    assert len(later.chat_message) == 0
    picker = later.sidebar.selectbox[0]
    assert picker.options == ["(새 대화)", f"요약해 줘 {url} (1)"]  # title (turns)
    later = picker.set_value(thread).run()
    user, bot = later.chat_message
    assert user.markdown[0].value == f"요약해 줘 {url}"
    assert bot.markdown[0].value == "지하철 요금이 150원 오릅니다 [1]."
    assert "지하철 기본요금 150원 오른다" in bot.markdown[1].value  # citations were saved with the turn


def test_rename_in_the_sidebar(chat_settings):
    at = ask(open_page(None, chat_settings, chat_handle=fake_handle(ai("네."))), "첫 질문")
    at.sidebar.text_input[0].set_value("내 대화")
    at = next(b for b in at.sidebar.button if b.label == "제목 바꾸기").click().run()
    assert not at.exception
    assert "내 대화" in at.sidebar.selectbox[0].format_func(at.session_state["thread_id"])


def test_a_stopped_turn_keeps_what_was_said(chat_settings):
    inflight = {
        "user": {"role": "user", "text": "길게 설명해 줘"},
        "record": {"role": "assistant", "text": "첫 문장까지", "tools": [], "notices": []},
    }
    at = open_page(None, chat_settings, chat_handle=fake_handle(ai("x")), inflight=inflight)
    assert not at.exception
    bot = at.chat_message[1]
    assert bot.markdown[0].value == "첫 문장까지" and bot.warning[0].value == STOPPED
    assert "inflight" not in at.session_state


def test_regenerate_asks_the_last_question_again(chat_settings):
    handle = fake_handle(ai("첫 답"), ai("새 답"))
    at = ask(open_page(None, chat_settings, chat_handle=handle), "다시 물어볼 질문")
    at = next(b for b in at.button if b.label == "다시 답하기").click().run()
    assert not at.exception
    assert [m.markdown[0].value for m in at.chat_message] == [
        "다시 물어볼 질문",
        "첫 답",
        "다시 물어볼 질문",
        "새 답",
    ]


def test_a_one_megabyte_paste_keeps_the_page_usable(chat_settings):
    handle = fake_handle(*[ai("요약된 내용입니다.") for _ in range(40)])
    at = ask(open_page(None, chat_settings, chat_handle=handle), "가나다라마바사 " * 130_000)
    assert not at.exception
    assert any("질문이 너무 깁니다" in w.value for w in at.warning)
    assert at.chat_message[-1].name == "assistant" and len(at.chat_input) == 1
