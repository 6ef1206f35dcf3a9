"""`search_knowledge`: numbered passages with the knowledge base's own citations, filters by outlet alias and
Korean dates, a token budget that is said out loud, and Korean text for every bad input."""

from __future__ import annotations

from datetime import datetime

import jsonschema
import pytest
from langchain_core.messages import ToolMessage
from langchain_core.utils.function_calling import convert_to_openai_tool

from config import Settings
from tests.crawlers.conftest import fast_settings
from tests.crawlers.crawlfixtures import HTML, STORIES, article_page
from tests.crawlers.httpfixture import FixtureServer
from tests.vectorstore.conftest import CORPUS, KST, article
from tools import clock
from tools.context import ToolEnv, using_env
from tools.crawl import crawl, crawl_news
from tools.knowledge import search_knowledge
from tools.registry import make_tool
from tools.untrusted import DATA_CLOSE
from vectorstore import HashingEmbedder, KnowledgeBase


@pytest.fixture
def kb(nuri_home):
    base = KnowledgeBase(Settings(home=nuri_home, kb_lock_timeout=2), embedder=HashingEmbedder())
    yield base
    base.close()


@pytest.fixture
def filled(kb):
    rows = [
        *CORPUS,
        (
            "yna-chip",
            "연합뉴스",
            "2026-04-12",
            "반도체 장비 수입 급증",
            "반도체 장비 수입이 크게 늘었다. 업계는 설비 투자가 본격화했다고 본다.",
        ),
    ]
    kb.add([article(*row) for row in rows])
    return kb


def env_of(kb: KnowledgeBase, **kwargs) -> ToolEnv:
    return ToolEnv(kb.settings, knowledge=kb, **kwargs)


@pytest.fixture
def frozen(monkeypatch):
    monkeypatch.setattr(clock, "now_kst", lambda: datetime(2026, 4, 12, 15, 0, tzinfo=KST))


def test_passages_are_numbered_with_the_kb_citation_and_marked_as_data(filled):
    with using_env(env_of(filled)):
        out = search_knowledge("서울 지하철 요금 인상", k=3)
    first = "[1] 서울 지하철 기본요금 150원 인상 (한빛일보, 2026-03-02) https://news.example.kr/subway"
    assert first in out.text.splitlines()
    assert out.text.count("<<<자료 시작: 검색 결과 [") == 3
    assert out.text.count(DATA_CLOSE) == 4  # the three passages and the key sentences before them
    assert "1,550원" in out.text.split(first, 1)[1].split(DATA_CLOSE)[0]
    assert [c.n for c in out.citations] == [1, 2, 3]
    top = out.citations[0]
    assert (top.title, top.outlet, top.published, top.url) == (
        "서울 지하철 기본요금 150원 인상", "한빛일보", "2026-03-02", "https://news.example.kr/subway"
    )  # fmt: skip
    assert top.line() == first  # the text and the artifact say the same
    assert "[1]처럼 번호로" in out.text and "줄였습니다" not in out.text


def test_the_sentence_that_answers_comes_first_marked_as_data(filled):
    # The 0.5B model answers with the first sentence it reads (held-out agent tasks, docs/benchmarks/agent.md).
    with using_env(env_of(filled)):
        out = search_knowledge("서울 지하철 기본요금은 얼마로 올라?", k=3)
    head, passages = out.text.split("<<<자료 시작: 검색 결과 [1]", 1)
    assert "질문에 가장 가까운 문장:" in head and "<<<자료 시작: 핵심 문장" in head
    key_block = head.split("<<<자료 시작: 핵심 문장", 1)[1]
    assert key_block.split("\n")[1].startswith("[1] ") and "1,550원" in key_block


def test_one_passage_per_article(filled):
    with using_env(env_of(filled)):
        out = search_knowledge("반도체", k=10)
    urls = [c.url for c in out.citations]
    assert len(urls) == len(set(urls)) and len(urls) <= 7


def test_outlet_filter_takes_aliases(filled):
    with using_env(env_of(filled)):
        by_alias = search_knowledge("반도체", outlet="yna")
        by_name = search_knowledge("요금", outlet="바다신문")
    assert [c.outlet for c in by_alias.citations] == ["연합뉴스"]
    assert by_name.citations and {c.outlet for c in by_name.citations} == {"바다신문"}


@pytest.mark.parametrize(
    ("since", "first_day"),
    [
        ("2026-04-01", "2026-04-01"),
        ("최근 7일", "2026-04-06"),
        ("어제", "2026-04-11"),
        ("지난주", "2026-04-05"),
    ],
)
def test_since_keeps_newer_articles(filled, frozen, since, first_day):
    with using_env(env_of(filled)):
        out = search_knowledge("가격 수출 요금 도서관 쌀", k=10, since=since)
    assert out.citations and all(c.published >= first_day for c in out.citations)
    days = {c.published for c in out.citations}
    assert "2026-03-02" not in days


def test_today_is_the_kst_date_and_an_empty_range_says_so(filled, frozen):
    with using_env(env_of(filled)):
        today = search_knowledge("반도체 장비", since="오늘")
        future = search_knowledge("반도체", since="2030-01-01")
    assert today.citations[0].published == "2026-04-12"  # the frozen clock's day in Seoul
    assert all(c.published >= "2026-04-12" for c in today.citations)
    assert "찾지 못했습니다 (2030-01-01 이후)" in future.text and future.citations == []


def test_bad_since_is_a_korean_sentence(filled):
    tool = make_tool(search_knowledge)
    with using_env(env_of(filled)):
        reply = tool.invoke(
            {
                "type": "tool_call",
                "name": "search_knowledge",
                "id": "c",
                "args": {"query": "쌀", "since": "언젠가"},
            }
        )
    assert isinstance(reply, ToolMessage) and reply.status == "success"
    assert "since 값 '언젠가'" in reply.content and "최근 7일" in reply.content


def test_empty_knowledge_base_says_how_to_fill_it(kb):
    tool = make_tool(search_knowledge)
    with using_env(env_of(kb)):
        reply = tool.invoke(
            {"type": "tool_call", "name": "search_knowledge", "id": "c", "args": {"query": "쌀값"}}
        )
    assert reply.status == "success" and "저장된 기사가 아직 없습니다" in reply.content
    assert "crawl_news" in reply.content and reply.artifact == {"citations": []}


def test_no_match_and_an_empty_query_are_korean_text(filled):
    with using_env(env_of(filled)):
        nothing = search_knowledge("요금", outlet="없는신문")
        symbols = search_knowledge("???")
    assert "찾지 못했습니다 (언론사 없는신문)" in nothing.text and nothing.citations == []
    assert symbols.text.startswith("지식 베이스 검색 실패:") and "글자가 없습니다" in symbols.text


def test_passages_are_trimmed_to_a_third_of_the_window_and_it_is_said(kb):
    long_body = "\n\n".join(
        f"{i}번째 문단: 지하철 요금 인상과 시민 부담에 관한 설명이 길게 이어진다." * 3 for i in range(12)
    )
    kb.add(
        [
            article(f"long{i}", "한빛일보", "2026-03-0" + str(i + 1), f"긴 기사 {i}", long_body)
            for i in range(3)
        ]
    )
    env = env_of(kb, count_tokens=len, context_length=600)
    with using_env(env):
        out = search_knowledge("지하철 요금", k=3)
    blocks = [part.split(DATA_CLOSE)[0].split("\n", 1)[1] for part in out.text.split("<<<자료 시작")[1:]]
    assert len(blocks) == 3 and sum(len(b.strip()) for b in blocks) <= 600 // 3
    assert (
        "발췌를 줄였습니다" in out.text and "[1]" in out.text.split("발췌를 줄였습니다")[0].rsplit("(", 1)[1]
    )


@pytest.mark.parametrize(
    ("function", "fetches"), [(search_knowledge, None), (crawl, "urls"), (crawl_news, "source")]
)
def test_the_three_tools_keep_the_registry_contract(function, fetches, kb):
    """What tests/tools/test_tools_contract.py checks for registered tools, before the lead registers these."""
    tool = make_tool(function, fetches=fetches)
    schema = convert_to_openai_tool(tool)["function"]["parameters"]
    jsonschema.Draft202012Validator.check_schema(schema)
    assert len(schema["required"]) == 1 and tool.description.startswith(function.__doc__.split("\n")[0])
    with using_env(env_of(kb)):
        reply = tool.invoke({"type": "tool_call", "name": tool.name, "id": "c1", "args": {"zz": 1}})
    assert reply.status == "error" and "인자가 잘못되었습니다" in reply.content


@pytest.mark.real_embedder
def test_a_crawled_article_is_found_through_the_real_e5_embedder(nuri_home):
    with FixtureServer(
        {"/robots.txt": (404, {}, b"")} | {f"/a/{key}": (200, HTML, article_page(key)) for key in STORIES}
    ) as server:
        settings = fast_settings(server)
        kb = KnowledgeBase(settings)  # the configured embedder: e5
        try:
            with using_env(ToolEnv(settings, knowledge=kb)):
                stored = crawl([server.url(f"/a/{key}") for key in STORIES])
                found = search_knowledge("서울에서 전철 탈 때 내는 돈이 얼마나 오르나", k=2)
        finally:
            kb.close()
    assert len(stored.citations) == 3 and kb.embedder.name.startswith("e5")
    assert found.citations[0].title == "지하철 기본요금 150원 오른다"
    assert found.citations[0].url == server.url("/a/subway")
