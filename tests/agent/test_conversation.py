"""Threads, confirmations and the per-turn record, with the scripted fake model and a loopback server."""

from __future__ import annotations

from datetime import datetime

import httpx
import pytest
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage

from agent.conversation import INTERRUPTED, Conversation
from agent.events import Confirm, Done, Notice, ToolResult
from agent.runner import stream_turn
from agent.threads import ThreadStore
from config import NuriError, Settings
from tests.crawlers.httpfixture import FixtureServer
from tests.fakes import ai, fake_handle
from tools import clock
from tools.registry import make_tool
from tools.results import Citation, ToolOutput

FROZEN = datetime(2026, 11, 24, 14, 5, tzinfo=clock.KST)


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch):
    monkeypatch.setattr(clock, "now_kst", lambda: FROZEN)


@pytest.fixture
def site():
    page = (200, {"Content-Type": "text/plain; charset=utf-8"}, "기사 본문: 서울 지하철 요금 1,550원")
    with FixtureServer({"/article": page, "/other": page}) as server:
        yield server


def fetch_page(url: str) -> str:
    """Fetch one web page and return its text (for this test)."""
    return httpx.get(url, timeout=5).text


FETCH = make_tool(fetch_page, fetches="url")


def cite(query: str) -> ToolOutput:
    """Search saved articles (for this test): two numbered sources."""
    sources = [
        Citation(1, "요금 인상", "https://news.test/1", "누리일보", "2026-11-23"),
        Citation(2, "버스", "https://news.test/2"),
    ]
    return ToolOutput("\n".join(c.line() for c in sources), sources)


def events_of(iterator):
    return list(iterator)


def test_a_url_the_user_typed_is_fetched_without_asking(site):
    url = site.url("/article")
    handle = fake_handle(ai("", ("fetch_page", {"url": url})), ai("요금은 1,550원입니다."))
    events = list(stream_turn(handle, [], f"{url} 읽고 요금 알려 줘", Settings(), tools=[FETCH]))
    assert not [e for e in events if isinstance(e, Confirm)]
    assert "1,550원" in [e for e in events if isinstance(e, ToolResult)][0].content
    assert len(site.hits("/article")) == 1


def test_a_url_from_elsewhere_waits_for_approval_and_denial_fetches_nothing(site):
    other = site.url("/other")
    handle = fake_handle(ai("", ("fetch_page", {"url": other})), ai("가져오지 않고 답합니다."))
    conversation = Conversation(handle, Settings(), tools=[FETCH])
    events = events_of(conversation.ask("저장한 기사 요약해 줘"))
    assert isinstance(events[-1], Confirm) and events[-1].urls == [other] and events[-1].tool == "fetch_page"
    assert conversation.pending() == events[-1]
    assert "허용할까요" in events[-1].question()
    resumed = events_of(conversation.resume(False))
    assert site.hits("/other") == []  # the server saw nothing
    (result,) = [e for e in resumed if isinstance(e, ToolResult)]
    assert result.is_error and "허락하지 않았습니다" in result.content
    assert isinstance(resumed[-1], Done) and resumed[-1].answer == "가져오지 않고 답합니다."
    assert conversation.pending() is None


def test_approval_fetches_once(site):
    other = site.url("/other")
    handle = fake_handle(ai("", ("fetch_page", {"url": other})), ai("읽었습니다."))
    conversation = Conversation(handle, Settings(), tools=[FETCH])
    assert isinstance(events_of(conversation.ask("관련 기사도 읽어 줘"))[-1], Confirm)
    resumed = events_of(conversation.resume(True))
    assert len(site.hits("/other")) == 1
    assert not [e for e in resumed if isinstance(e, ToolResult)][0].is_error


def test_stream_turn_denies_by_default_and_says_so(site):
    other = site.url("/other")
    handle = fake_handle(ai("", ("fetch_page", {"url": other})), ai("알겠습니다."))
    events = list(stream_turn(handle, [], "요약해 줘", Settings(), tools=[FETCH]))
    assert any(isinstance(e, Notice) and other in e.text for e in events)
    assert site.hits("/other") == [] and isinstance(events[-1], Done)
    approved = list(
        stream_turn(
            fake_handle(ai("", ("fetch_page", {"url": other})), ai("네.")),
            [],
            "요약해 줘",
            Settings(),
            tools=[FETCH],
            confirm=lambda request: True,
        )
    )
    assert len(site.hits("/other")) == 1 and isinstance(approved[-1], Done)


def test_citations_are_numbered_across_two_searches_in_one_turn():
    handle = fake_handle(
        ai("", ("cite", {"query": "요금"})),
        ai("", ("cite", {"query": "버스"})),
        ai("[1]과 [3]에 따르면 올랐습니다."),
    )
    done = list(stream_turn(handle, [], "요금 기사 찾아 줘", Settings(), tools=[make_tool(cite)]))[-1]
    assert [c.n for c in done.citations] == [1, 2, 3, 4]
    second = [m for m in done.messages if isinstance(m, ToolMessage)][1]
    assert second.content.startswith("[3] 요금 인상")


def test_a_thread_survives_a_restart_with_history_record_and_preset(tmp_path):
    settings = Settings(home=tmp_path / "home")
    first = Conversation(
        fake_handle(ai("반가워요, 지수 님.")), settings, store=ThreadStore(settings), preset="casual"
    )
    done = events_of(first.ask("내 이름은 지수야."))[-1]
    assert done.preset == "casual" and done.thread_id == first.thread_id
    # A new store and conversation object: as after a restart of the process.
    store = ThreadStore(settings)
    (info,) = store.list()
    assert (info.id, info.turns, info.preset, info.title) == (
        first.thread_id,
        1,
        "casual",
        "내 이름은 지수야.",
    )
    handle = fake_handle(ai("지수 님이에요."))
    again = Conversation(handle, settings, thread_id=info.id, store=store)
    done = events_of(again.ask("내 이름이 뭐였지?"))[-1]
    seen = handle.model.calls[0]["messages"]
    assert [m.content for m in seen[1:]] == ["내 이름은 지수야.", "반가워요, 지수 님.", "내 이름이 뭐였지?"]
    assert "반말" in seen[0].content or "해체" in seen[0].content or done.preset == "casual"
    records = again.records()
    assert [r["question"] for r in records] == ["내 이름은 지수야.", "내 이름이 뭐였지?"]
    assert records[0]["preset"] == "casual" and "2026년 11월 24일" in records[0]["system_prompt"]
    assert records[1]["budget"]["history"] > 0 and records[1]["budget"]["num_ctx"] == 4096
    exported = store.export(info.id, "md")
    assert "## 2. 내 이름이 뭐였지?" in exported and "지수 님이에요." in exported
    assert '"turns"' in store.export(info.id, "json")
    store.rename(info.id, "이름 대화")
    assert store.get(info.id).title == "이름 대화"
    store.delete(info.id)
    assert store.list() == [] and store.state(info.id) == {}
    with pytest.raises(NuriError, match="없습니다"):
        store.export(info.id)


def test_an_unfinished_turn_is_closed_before_the_next_question(tmp_path):
    settings = Settings(home=tmp_path / "home")
    handle = fake_handle(ai("", ("cite", {"query": "요금"})), ai("이어서 답합니다."))
    conversation = Conversation(handle, settings, store=ThreadStore(settings), tools=[make_tool(cite)])
    # Stop the graph right after the tool ran, as if the process had died before the model answered.
    inputs = {"messages": [HumanMessage("요금 기사")], "steps": 0, "invalid_calls": 0}
    list(
        conversation.graph.stream(
            inputs, conversation.config, context=conversation.context, interrupt_after=["tools"]
        )
    )
    assert conversation.graph.get_state(conversation.config).next == ("agent",)
    done = events_of(conversation.ask("다시 물어볼게"))[-1]
    assert isinstance(done, Done) and done.answer == "이어서 답합니다."
    messages = conversation.messages()
    assert [type(m) for m in messages] == [HumanMessage, AIMessage, HumanMessage, AIMessage]
    assert messages[1].content == INTERRUPTED
    assert [r.get("interrupted", False) for r in conversation.records()] == [True, False]
    # The model saw a valid transcript: no call without its result.
    seen = handle.model.calls[-1]["messages"]
    assert [m.content for m in seen[1:]] == ["요금 기사", INTERRUPTED, "다시 물어볼게"]


def test_empty_question_is_refused():
    with pytest.raises(NuriError, match="비어"):
        events_of(Conversation(fake_handle(), Settings()).ask("   "))


def test_killed_mid_answer_the_thread_stays_consistent_and_continues(tmp_path):
    import os
    import signal
    import subprocess
    import sys

    settings = Settings(home=tmp_path / "home")
    conversation = Conversation(fake_handle(ai("첫 답입니다.")), settings, store=ThreadStore(settings))
    events_of(conversation.ask("첫 질문"))
    worker = subprocess.Popen(
        [sys.executable, "-m", "tests.agent.thread_worker", str(settings.home), conversation.thread_id],
        stdout=subprocess.PIPE,
        text=True,
        cwd=os.getcwd(),
        env={**os.environ, "PYTHONPATH": os.getcwd()},
    )
    try:
        assert worker.stdout.readline().strip() == "STREAMING"  # it is mid-answer now
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    store = ThreadStore(settings)
    handle = fake_handle(ai("세 번째 답입니다."))
    again = Conversation(handle, settings, thread_id=conversation.thread_id, store=store)
    done = events_of(again.ask("세 번째 질문"))[-1]
    assert done.answer == "세 번째 답입니다."
    contents = [m.content for m in again.messages()]
    assert contents == [
        "첫 질문",
        "첫 답입니다.",
        "두 번째 질문: 길게 설명해 줘",
        INTERRUPTED,
        "세 번째 질문",
        "세 번째 답입니다.",
    ]
    assert [m.content for m in handle.model.calls[0]["messages"][1:]] == contents[:-1]


def test_a_thread_whose_preset_was_deleted_answers_with_the_default_and_says_so(tmp_path):
    from agent.presets import Preset, PresetStore

    settings = Settings(home=tmp_path / "home")
    PresetStore(settings).save(
        Preset("mine", "내 프리셋", "당신은 누리입니다. 오늘은 {today}.", variables=("today",))
    )
    first = Conversation(fake_handle(ai("네.")), settings, store=ThreadStore(settings), preset="mine")
    assert events_of(first.ask("안녕"))[-1].preset == "mine"
    PresetStore(settings).delete("mine")
    again = Conversation(
        fake_handle(ai("네.")), settings, thread_id=first.thread_id, store=ThreadStore(settings)
    )
    events = events_of(again.ask("또 안녕"))
    assert any(isinstance(e, Notice) and "'mine'" in e.text for e in events)
    assert events[-1].preset == "default"
