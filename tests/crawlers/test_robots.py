"""robots.txt per RFC 9309: Disallow, 4xx = allow, 5xx = disallow, 500 KiB limit, caching, Crawl-delay."""

from __future__ import annotations

import time

from crawlers.fetch import Fetcher, RobotsDisallowed
from crawlers.fetch.robots import MemoryRobotsStore
from tests.crawlers.conftest import fast_settings

HTML = {"Content-Type": "text/html; charset=utf-8"}
TEXT = {"Content-Type": "text/plain"}


def _site(http_server, robots):
    return http_server(
        {
            "/robots.txt": robots,
            "/news/1": (200, HTML, "<p>기사 1</p>"),
            "/news/2": (200, HTML, "<p>기사 2</p>"),
            "/private/1": (200, HTML, "<p>비공개</p>"),
            "/late/1": (200, HTML, "<p>늦은 규칙</p>"),
        }
    )


def test_disallow_is_honoured_and_allowed_paths_fetched(http_server):
    server = _site(http_server, (200, TEXT, "User-agent: *\nDisallow: /private\n"))
    with Fetcher(fast_settings(server)) as fetcher:
        refused = fetcher.try_fetch(server.url("/private/1"))
        page = fetcher.fetch(server.url("/news/1"))
    assert isinstance(refused, RobotsDisallowed) and str(refused) == "robots.txt가 허용하지 않음"
    assert page.status == 200
    assert server.hits("/private/1") == []
    assert len(server.hits("/robots.txt")) == 1


def test_group_for_our_agent_wins(http_server):
    robots = "User-agent: *\nDisallow:\n\nUser-agent: nuri-bot\nDisallow: /news/\n"
    server = _site(http_server, (200, TEXT, robots))
    with Fetcher(fast_settings(server)) as fetcher:
        assert isinstance(fetcher.try_fetch(server.url("/news/1")), RobotsDisallowed)
    assert server.hits("/news/1") == []


def test_robots_404_allows_everything(http_server):
    server = _site(http_server, (404, TEXT, "no robots here"))
    with Fetcher(fast_settings(server)) as fetcher:
        assert fetcher.fetch(server.url("/private/1")).status == 200


def test_robots_503_disallows_everything(http_server):
    server = _site(http_server, (503, TEXT, "busy"))
    with Fetcher(fast_settings(server)) as fetcher:
        result = fetcher.try_fetch(server.url("/news/1"))
    assert isinstance(result, RobotsDisallowed)
    assert "robots.txt" in str(result) and "503" in str(result)
    assert server.hits("/news/1") == []


def test_unreachable_robots_disallows_everything(http_server):
    server = _site(http_server, lambda r: (_ for _ in ()).throw(ConnectionResetError()))
    with Fetcher(fast_settings(server)) as fetcher:
        result = fetcher.try_fetch(server.url("/news/1"))
    assert isinstance(result, RobotsDisallowed)
    assert server.hits("/news/1") == []


def test_robots_over_500_kib_is_truncated(http_server):
    filler = "".join(f"# 주석 줄 {i:06d} 채우기 위한 긴 문장입니다\n" for i in range(14_000))
    body = "User-agent: *\nDisallow: /private\n" + filler + "Disallow: /late\n"
    assert len(body.encode()) > 600 * 1024
    server = _site(http_server, (200, TEXT, body))
    with Fetcher(fast_settings(server)) as fetcher:
        assert isinstance(fetcher.try_fetch(server.url("/private/1")), RobotsDisallowed)
        assert fetcher.fetch(server.url("/late/1")).status == 200  # that rule lies past 500 KiB


def test_robots_cache_is_reused_then_expires(http_server):
    rules = {"body": "User-agent: *\nDisallow: /private\n"}
    server = _site(http_server, lambda r: (200, TEXT, rules["body"]))
    with Fetcher(fast_settings(server, robots_cache_ttl=0.6)) as fetcher:
        fetcher.fetch(server.url("/news/1"))
        fetcher.fetch(server.url("/news/2"))
        assert len(server.hits("/robots.txt")) == 1
        rules["body"] = "User-agent: *\nDisallow: /news\n"
        time.sleep(0.7)
        assert isinstance(fetcher.try_fetch(server.url("/news/1")), RobotsDisallowed)
    assert len(server.hits("/robots.txt")) == 2


def test_robots_store_survives_a_new_fetcher(http_server):
    server = _site(http_server, (200, TEXT, "User-agent: *\nDisallow: /private\n"))
    store = MemoryRobotsStore()
    with Fetcher(fast_settings(server), robots_store=store) as fetcher:
        fetcher.fetch(server.url("/news/1"))
    with Fetcher(fast_settings(server), robots_store=store) as fetcher:
        assert isinstance(fetcher.try_fetch(server.url("/private/1")), RobotsDisallowed)
    assert len(server.hits("/robots.txt")) == 1


def test_crawl_delay_is_honoured(http_server):
    server = _site(http_server, (200, TEXT, "User-agent: *\nCrawl-delay: 0.4\n"))
    with Fetcher(fast_settings(server, crawl_delay=0.05)) as fetcher:
        for path in ("/news/1", "/news/2", "/late/1"):
            fetcher.fetch(server.url(path))
    page_gaps = server.gaps()[1:]  # the gap after robots.txt itself uses the configured delay
    assert len(page_gaps) == 2 and min(page_gaps) >= 0.4


def test_portal_refusal_says_what_still_works(http_server, fake_internet):
    portal = http_server(
        {
            "/robots.txt": (200, TEXT, "User-agent: *\nDisallow: /\n"),
            "/mnews/article/001/0012345678": (200, HTML, "<p>포털 기사</p>"),
        }
    )
    fake_internet.add("n.news.naver.com", portal, port=80)
    with Fetcher(fast_settings(), resolver=fake_internet.resolver) as fetcher:
        result = fetcher.try_fetch("http://n.news.naver.com/mnews/article/001/0012345678")
    assert isinstance(result, RobotsDisallowed)
    message = str(result)
    assert message.startswith("robots.txt가 허용하지 않음")
    assert "nuri extract -" in message and "RSS" in message and "언론사" in message
    assert "\n" not in message
    assert portal.hits("/mnews/article/001/0012345678") == []
