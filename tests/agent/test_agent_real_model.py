"""The real embedded model end to end: crawl a fixture article from a loopback server, ask about it in
the same thread, get an answer that holds the fact and cites the article."""

from __future__ import annotations

import pytest

from agent.conversation import Conversation
from agent.events import Done, ToolCall, ToolResult
from agent.llm import open_chat_model
from tests.crawlers.conftest import fast_settings
from tests.crawlers.crawlfixtures import HTML, article_page
from tests.crawlers.httpfixture import FixtureServer
from tests.llm.conftest import real_gguf, real_settings  # noqa: F401 - real-model fixtures
from vectorstore import HashingEmbedder, KnowledgeBase


@pytest.mark.real_model
def test_crawl_then_ask_gives_a_cited_answer(real_settings):  # noqa: F811
    with FixtureServer({"/a/subway": (200, HTML, article_page("subway"))}) as news:
        settings = fast_settings(news).model_copy(
            update=real_settings.model_dump(include={"provider", "gguf", "num_ctx", "temperature"})
            | {"num_predict": 120}
        )
        url = news.url("/a/subway")
        kb = KnowledgeBase(settings, embedder=HashingEmbedder())
        conversation = Conversation(open_chat_model(settings), settings, knowledge=kb)
        first = list(conversation.ask(f"이 기사 수집해 줘 {url}"))
        assert [e.name for e in first if isinstance(e, ToolCall)][:1] == ["crawl"]
        assert len(news.hits("/a/subway")) == 1 and kb.stats().documents == 1
        second = list(conversation.ask("저장한 기사에 따르면 지하철 기본요금은 얼마나 오르나?"))
        calls = [e for e in second if isinstance(e, ToolCall)]
        done = second[-1]
        assert calls and calls[0].name == "search_knowledge"
        results = [e for e in second if isinstance(e, ToolResult)]
        assert isinstance(done, Done) and "150" in done.answer, results
        # The search cites the stored article; if the small model's search words miss it, the answer still
        # stands on the article crawled and cited in this thread's first turn.
        cited = done.citations or first[-1].citations
        assert cited and cited[0].title == "지하철 기본요금 150원 오른다", [r.content[:300] for r in results]
        assert "{" not in done.answer
        kb.close()
