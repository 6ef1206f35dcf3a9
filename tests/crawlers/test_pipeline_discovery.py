"""Discovery in the crawl loop: sections, feeds and sitemaps; same site only; cycles end within budget."""

from __future__ import annotations

from crawlers.article import Article
from crawlers.fetch import Fetcher
from crawlers.pipeline import Crawler
from crawlers.state import CrawlState
from tests.crawlers.conftest import fast_settings
from tests.crawlers.crawlfixtures import HTML, RSS, XML, article_page, rss, section_page, sitemap

NO_ROBOTS = (404, {}, b"")


def _run(settings, resolver, seeds=(), feeds=(), **budget):
    stored: list[Article] = []
    state = CrawlState(settings.crawl_dir / "state.sqlite3")
    with Fetcher(settings, resolver=resolver, robots_store=state) as fetcher:
        report = Crawler(settings, sink=stored.append, fetcher=fetcher, state=state).run(
            seeds, feeds=feeds, **budget
        )
    state.close()
    return report, stored


def test_section_page_links_followed_on_the_same_site_only(http_server, fake_internet):
    news = http_server(
        {
            "/robots.txt": NO_ROBOTS,
            "/society": (
                200,
                HTML,
                section_page(
                    "사회",
                    [
                        "/article/1001",
                        "http://www.example.com/article/1002",
                        "http://example.com.evil.test/article/1003",
                        "http://evil.test/example.com/article/1004",
                    ],
                ),
            ),
            "/article/1001": (200, HTML, article_page("subway")),
        }
    )
    www = http_server({"/robots.txt": NO_ROBOTS, "/article/1002": (200, HTML, article_page("rice"))})
    evil = http_server({"/robots.txt": NO_ROBOTS}, fallback=lambda r: (200, HTML, article_page("typhoon")))
    fake_internet.add("news.example.com", news)
    fake_internet.add("www.example.com", www)
    fake_internet.add("example.com.evil.test", evil)
    fake_internet.add("evil.test", evil)
    report, stored = _run(fast_settings(), fake_internet.resolver, ["http://news.example.com/society"])
    assert sorted(a.title for a in stored) == ["올해 쌀 생산량 3년 만에 늘어", "지하철 기본요금 150원 오른다"]
    assert evil.hits() == []
    assert report.summary()["listings"] == 1


def test_feed_items_on_other_sites_are_not_followed(http_server, fake_internet):
    items = ["http://news.example.com/article/2001", "http://news.example.com.evil.test/article/2002"]
    news = http_server(
        {
            "/robots.txt": NO_ROBOTS,
            "/rss.xml": (200, RSS, rss(items)),
            "/article/2001": (200, HTML, article_page("typhoon")),
        }
    )
    evil = http_server({"/robots.txt": NO_ROBOTS}, fallback=lambda r: (200, HTML, article_page("rice")))
    fake_internet.add("news.example.com", news)
    fake_internet.add("news.example.com.evil.test", evil)
    report, stored = _run(fast_settings(), fake_internet.resolver, feeds=["http://news.example.com/rss.xml"])
    assert [a.title for a in stored] == ["태풍 북상에 남해안 뱃길 끊겨"]
    assert evil.hits() == []


def test_link_cycle_ends_within_the_budget(http_server):
    # Three list pages (no article body) that link to each other in a ring, and to themselves.
    ring = {
        f"/article/100{n}": (
            200,
            HTML,
            section_page(f"목록 {n}", [f"/article/100{n}", f"/article/100{n % 3 + 1}"]),
        )
        for n in (1, 2, 3)
    }
    server = http_server({"/robots.txt": NO_ROBOTS, **ring})
    report, stored = _run(
        fast_settings(server), None, [server.url("/article/1001")], max_pages=20, max_depth=50
    )
    assert stored == []
    assert sorted(r.path for r in server.hits() if r.path != "/robots.txt") == [
        "/article/1001",
        "/article/1002",
        "/article/1003",
    ]
    assert report.summary()["listings"] == 3


def test_self_referencing_sitemaps_end_within_the_budget(http_server):
    def endless(record):
        n = int(record.path.split("-")[1].split(".")[0])
        return (200, XML, sitemap([], children=[f"/sitemap-{n}.xml", f"/sitemap-{n + 1}.xml"]))

    server = http_server({"/robots.txt": NO_ROBOTS}, fallback=endless)
    report, _ = _run(fast_settings(server), None, [server.url("/sitemap-1.xml")], max_pages=6, max_depth=3)
    fetched = [r.path for r in server.hits() if r.path != "/robots.txt"]
    assert fetched == [f"/sitemap-{n}.xml" for n in range(1, 7)]
    assert report.summary()["skipped"] == 1  # /sitemap-7.xml was queued when the budget ran out


def test_sitemap_articles_are_crawled(http_server):
    server = http_server({"/robots.txt": NO_ROBOTS, "/article/7": (200, HTML, article_page("rice"))})
    server.routes["/news-sitemap.xml"] = (200, XML, sitemap([server.url("/article/7")]))
    report, stored = _run(fast_settings(server), None, [server.url("/news-sitemap.xml")])
    assert [a.title for a in stored] == ["올해 쌀 생산량 3년 만에 늘어"]


def test_depth_zero_reads_only_the_given_pages(http_server):
    server = http_server(
        {
            "/robots.txt": NO_ROBOTS,
            "/economy": (200, HTML, section_page("경제", ["/article/3001"])),
            "/article/3001": (200, HTML, article_page("rice")),
        }
    )
    report, stored = _run(fast_settings(server), None, [server.url("/economy")], max_depth=0)
    assert stored == [] and server.hits("/article/3001") == []
    assert report.failures and report.failures[0].reason
