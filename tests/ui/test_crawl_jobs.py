"""The UI's crawl worker against fixture pages on 127.0.0.1: runs once, keeps what it stored on failure."""

from __future__ import annotations

import pytest

from config import NuriError
from crawlers.pipeline import crawl
from crawlers.state import JsonlArchive
from tests.crawlers.conftest import fast_settings
from ui.crawl_jobs import ALREADY_RUNNING, CrawlJobs, CrawlRequest
from vectorstore import HashingEmbedder, KnowledgeBase


@pytest.fixture
def kb(site, nuri_home):
    base = KnowledgeBase(fast_settings(site, home=nuri_home), embedder=HashingEmbedder())
    yield base
    base.close()


def test_the_same_crawl_started_twice_runs_once(site, kb, gate, nuri_home):
    settings = fast_settings(site, home=nuri_home, read_timeout=30.0, total_timeout=60.0)
    jobs = CrawlJobs()
    first = jobs.start(settings, CrawlRequest(urls=(site.url("/slow"), site.url("/a/1")), max_pages=5), kb)
    same = CrawlRequest(urls=(site.url("/a/1"), site.url("/slow")), max_pages=5)  # order does not matter
    with pytest.raises(NuriError) as refused:
        jobs.start(settings, same, kb)
    assert str(refused.value) == ALREADY_RUNNING
    assert [j.id for j in jobs.running()] == [first.id]
    other = jobs.start(
        settings, CrawlRequest(urls=(site.url("/a/2"),), max_pages=5), kb
    )  # a different one runs
    assert jobs.wait(other.id, 30).state == "done"
    gate.set()
    done = jobs.wait(first.id, 30)
    assert done.state == "done" and done.stored == 2 and done.fraction == 1.0
    assert done.indexed == 2 and done.chunks >= 2
    assert sum(1 for r in site.requests if r.path == "/slow") == 1  # fetched once, by the one crawl
    again = jobs.start(settings, same, kb)  # once finished, the same crawl may run again
    assert jobs.wait(again.id, 30).state == "done"


def test_a_crawl_failing_half_way_keeps_what_it_stored_and_names_the_failed_pages(site, kb, nuri_home):
    settings = fast_settings(site, home=nuri_home)

    def crawl_then_lose_the_network(settings, urls, **kwargs):
        crawl(settings, urls, **kwargs)  # the real crawl: one article stored, one page failing
        raise ConnectionError("network unreachable")

    jobs = CrawlJobs(crawl_function=crawl_then_lose_the_network)
    job = jobs.start(settings, CrawlRequest(urls=(site.url("/a/1"), site.url("/broken")), max_pages=5), kb)
    done = jobs.wait(job.id, 30)
    assert done.state == "failed"
    assert done.error.startswith("수집이 중간에 멈췄습니다 (ConnectionError")
    assert [url for url, _ in done.failures] == [site.url("/broken")]
    assert done.stored == 1 and done.indexed == 1
    assert [d.title for d in kb.documents()] == ["지하철 기본요금 150원 오른다"]
    archived = JsonlArchive(settings.crawl_dir / "articles.jsonl").read()
    assert [a.title for a in archived] == ["지하철 기본요금 150원 오른다"]


def test_form_input_is_checked_in_korean():
    with pytest.raises(NuriError, match="수집할 주소가 없습니다"):
        CrawlRequest.from_form("  \n ", "", "")
    with pytest.raises(NuriError, match="http:// 또는 https://"):
        CrawlRequest.from_form("ftp://example.kr/a")
    with pytest.raises(NuriError, match="1에서 500"):
        CrawlRequest.from_form("https://example.kr/a", max_pages=0)
    request = CrawlRequest.from_form(
        "https://e.kr/a\nhttps://e.kr/a", "https://e.kr/rss", "https://e.kr/s", 7
    )
    assert request.urls == ("https://e.kr/a", "https://e.kr/s") and request.feeds == ("https://e.kr/rss",)
