"""A huge history, a huge paste and a huge retrieval with num_ctx 2048: every request fits the window,
measured at a fake llama.cpp server that counts prompt tokens the way the real one does and refuses any
request over n_ctx. The system prompt and the current question always reach the model; folds show."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from langchain_core.messages import AIMessage, HumanMessage

from agent.conversation import Conversation
from agent.events import Done
from agent.llm.handle import ChatHandle
from agent.llm.repair import ToolCallRepairChatModel
from config import NuriError, Settings
from tests.tools.fake_llamacpp import FakeLlamaCpp
from tools import clock
from tools.registry import make_tool
from tools.results import Citation, ToolOutput

FROZEN = datetime(2026, 11, 24, 14, 5, tzinfo=clock.KST)
SENTENCE = "서울시는 내년부터 지하철 기본요금을 1,550원으로 올린다고 밝혔다. "


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch):
    monkeypatch.setattr(clock, "now_kst", lambda: FROZEN)


class ScriptedLlamaCpp(FakeLlamaCpp):
    """The fake server, answering the scripted replies first (a tool call as JSON text, as small models do)."""

    def __init__(self, *replies: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.replies = list(replies)

    def _chat(self, body):
        status, error, answer = super()._chat(body)
        if status == 200 and self.replies:
            answer = self.replies.pop(0)
        return status, error, answer


def handle_for(server: FakeLlamaCpp) -> ChatHandle:
    model = ToolCallRepairChatModel(
        base_url=server.openai_url,
        api_key="x",
        model="fake",
        max_tokens=512,
        max_retries=0,
        stream_usage=True,
    )
    return ChatHandle(
        model=model,
        backend="openai",
        model_name="fake",
        context_length=server.n_ctx,
        count_tokens=server.counter(),
        token_count_exact=True,
    )


def big_search(query: str) -> ToolOutput:
    """Search saved articles (for this test): eight long passages."""
    sources = [Citation(n, f"기사 {n}", f"https://news.test/{n}") for n in range(1, 9)]
    text = "\n\n".join(f"{c.line()}\n" + SENTENCE * 40 for c in sources)
    return ToolOutput(text, sources)


def assert_all_fit(server: FakeLlamaCpp) -> None:
    assert server.chats, "no request reached the server"
    for chat in server.chats:
        assert chat.status == 200 and chat.prompt_tokens + chat.max_tokens <= server.n_ctx, chat.prompt_tokens


def settings(tmp_path) -> Settings:
    return Settings(home=tmp_path / "home", num_ctx=2048, num_predict=512)


def test_a_huge_history_is_folded_and_every_request_fits(tmp_path):
    history = []
    for n in range(40):
        history += [
            HumanMessage(f"{n}번째 질문입니다. " + SENTENCE * 3),
            AIMessage(f"{n}번째 답입니다. " + SENTENCE * 3),
        ]
    with ScriptedLlamaCpp(n_ctx=2048) as server:
        conversation = Conversation(handle_for(server), settings(tmp_path), tools=[], history=history)
        done = list(conversation.ask("지금까지 무슨 이야기를 했지?"))[-1]
        assert_all_fit(server)
        last = server.chats[-1].messages
        assert last[0]["role"] == "system" and "누리" in last[0]["content"]  # the system prompt survived
        assert "[이전 대화 요약]" in last[0]["content"]
        assert last[-1]["content"] == "지금까지 무슨 이야기를 했지?"  # the question survived, whole
        assert "39번째 질문" in json.dumps(last, ensure_ascii=False)  # the newest turns are sent whole
    assert isinstance(done, Done)
    budget = done.budget
    assert budget["folded_turns"] >= 20 and budget["history_turns"] >= 1
    assert budget["prompt"] + budget["reserve"] <= 2048 and budget["exact"]
    assert any("요약에 넣었습니다" in note for note in budget["trimmed"])
    assert conversation.values()["summary"]  # the fold is kept in the thread


def test_a_huge_paste_is_condensed_not_cut_and_every_request_fits(tmp_path):
    paste = "다음 글을 읽고 핵심을 알려 줘.\n" + SENTENCE * 400 + "\n마지막 문장: 요금 인상은 3월부터다."
    with ScriptedLlamaCpp(n_ctx=2048) as server:
        conversation = Conversation(handle_for(server), settings(tmp_path), tools=[])
        done = list(conversation.ask(paste))[-1]
        assert_all_fit(server)
        assert len(server.chats) > 3  # map-reduce over the paste, then the answer
        sent = server.chats[-1].messages[-1]["content"]
        assert (
            sent.startswith("[사용자 메시지가 문맥 창보다 길어") and "다음 글을 읽고 핵심을 알려 줘." in sent
        )
        assert "요금 인상은 3월부터다." in sent  # both ends verbatim
    assert conversation.messages()[0].content == paste  # the thread keeps it whole
    assert any("긴 질문" in note for note in done.budget["trimmed"])


def test_a_huge_retrieval_is_trimmed_visibly_and_every_request_fits(tmp_path):
    call = json.dumps({"name": "big_search", "arguments": {"query": "지하철 요금"}})
    with ScriptedLlamaCpp(call, n_ctx=2048) as server:
        conversation = Conversation(handle_for(server), settings(tmp_path), tools=[make_tool(big_search)])
        done = list(conversation.ask("저장한 기사에서 지하철 요금 찾아 줘"))[-1]
        assert_all_fit(server)
        final = server.chats[-1].messages
        assert final[0]["role"] == "system" and any(
            m.get("content") == "저장한 기사에서 지하철 요금 찾아 줘" for m in final
        )
        assert "[1] 기사 1" in json.dumps(final, ensure_ascii=False)  # the best-ranked passage stays
    assert any("도구 결과 'big_search'" in note for note in done.budget["trimmed"])
    assert done.budget["tools"] > 0 and [c.n for c in done.citations][:2] == [1, 2]


def test_a_system_prompt_that_alone_overflows_is_a_korean_error(tmp_path):
    from agent.presets import Preset, PresetStore

    home = settings(tmp_path)
    PresetStore(home).save(Preset("huge", "거대한 프리셋", "당신은 누리입니다. " * 900))
    with ScriptedLlamaCpp(n_ctx=2048) as server:
        conversation = Conversation(handle_for(server), home, tools=[], preset="huge")
        with pytest.raises(NuriError, match="시스템 프롬프트만으로 문맥 창이 찹니다"):
            list(conversation.ask("안녕"))
        assert server.chats == []
