"""The crawl loop over local servers: articles stored, links followed on the same site only, budgets kept."""

from __future__ import annotations

from config import Settings
from crawlers.article import Article
from crawlers.fetch import Fetcher
from crawlers.pipeline import Crawler, crawl
from crawlers.state import CrawlState, JsonlArchive
from tests.crawlers.conftest import fast_settings
from tests.crawlers.crawlfixtures import HTML, article_page

NO_ROBOTS = (404, {}, b"")


def _crawler(settings: Settings, store: list, resolver=None, dedup=None) -> Crawler:
    state = CrawlState(settings.crawl_dir / "state.sqlite3")
    fetcher = Fetcher(settings, resolver=resolver, robots_store=state)
    return Crawler(settings, sink=store.append, fetcher=fetcher, state=state, dedup=dedup)


def test_article_seeds_are_stored_with_their_sources(http_server):
    server = http_server(
        {
            "/robots.txt": NO_ROBOTS,
            "/a/1": (200, HTML, article_page("subway")),
            "/a/2": (200, HTML, article_page("rice")),
        }
    )
    stored: list[Article] = []
    report = _crawler(fast_settings(server), stored).run(
        [server.url("/a/1"), server.url("/a/2?utm_source=x")]
    )
    assert sorted(a.title for a in stored) == ["올해 쌀 생산량 3년 만에 늘어", "지하철 기본요금 150원 오른다"]
    assert report.summary()["stored"] == 2 and report.failures == []
    subway = next(a for a in stored if "지하철" in a.title)
    assert "150원" in subway.text and "무단전재" not in subway.text
    assert [s.url for s in subway.sources] == [server.url("/a/1")]


def test_one_bad_page_does_not_end_the_batch(http_server):
    server = http_server(
        {
            "/robots.txt": (200, {}, "User-agent: *\nDisallow: /private\n"),
            "/ok": (200, HTML, article_page("subway")),
            "/private/x": (200, HTML, article_page("rice")),
            "/gone": (404, HTML, "<p>없음</p>"),
            "/broken": (500, HTML, "<p>오류</p>"),
            "/huge": (200, {"Content-Length": "12000000"}, (b"x" * 65536 for _ in range(200))),
        }
    )
    stored: list[Article] = []
    urls = [server.url(p) for p in ("/private/x", "/gone", "/broken", "/huge")]
    urls += ["http://10.0.0.8/admin", "ftp://files.example.com/a", server.url("/ok")]
    report = _crawler(fast_settings(server), stored).run(urls)
    assert [a.title for a in stored] == ["지하철 기본요금 150원 오른다"]
    reasons = {o.url: o.reason for o in report.failures}
    assert reasons[server.url("/private/x")] == "robots.txt가 허용하지 않음"
    assert reasons[server.url("/huge")] == "페이지가 너무 큼 (12 MB > 10 MB)"
    assert reasons["http://10.0.0.8/admin"] == "사설 IP 주소는 차단됨"
    assert "404" in reasons[server.url("/gone")] and "500" in reasons[server.url("/broken")]
    assert report.summary()["blocked_by_robots"] == 1 and report.summary()["errors"] == 5
    assert all("\n" not in reason for reason in reasons.values())


def test_conditional_recrawl_keeps_the_stored_article(http_server):
    def page(record):
        if record.headers.get("if-none-match") == '"v1"':
            return (304, {"ETag": '"v1"'}, b"")
        return (200, {**HTML, "ETag": '"v1"'}, article_page("typhoon"))

    server = http_server({"/robots.txt": NO_ROBOTS, "/a/t": page})
    settings = fast_settings(server)
    archive = JsonlArchive(settings.crawl_dir / "articles.jsonl")
    first = crawl(settings, [server.url("/a/t")], sink=archive)
    second = crawl(settings, [server.url("/a/t")], sink=archive)
    assert first.summary()["stored"] == 1
    assert second.summary()["unchanged"] == 1 and second.summary()["stored"] == 0
    assert server.hits("/a/t")[1].headers["if-none-match"] == '"v1"'
    assert [a.title for a in archive.read()] == ["태풍 북상에 남해안 뱃길 끊겨"]
    assert len(server.hits("/robots.txt")) == 1  # the robots cache lives in the data dir too


def test_changed_article_is_stored_again_as_updated(http_server):
    version = {"extra": ""}
    server = http_server(
        {
            "/robots.txt": NO_ROBOTS,
            "/a/s": lambda r: (200, HTML, article_page("subway", extra=version["extra"])),
        }
    )
    settings = fast_settings(server)
    stored: list[Article] = []
    crawl(settings, [server.url("/a/s")], sink=stored.append)
    version["extra"] = " (수정)"
    report = crawl(settings, [server.url("/a/s")], sink=stored.append)
    assert report.summary()["updated"] == 1
    assert len(stored) == 2 and "(수정)" in stored[1].text


class ExactTextIndex:
    """A stand-in for the SimHash index with the same interface: equal text means duplicate."""

    def __init__(self) -> None:
        self.seen: dict[str, str] = {}

    def find(self, article: Article) -> str | None:
        return self.seen.get(article.text)

    def add(self, article: Article) -> None:
        self.seen.setdefault(article.text, article.canonical_url)


def test_wire_story_reprinted_by_two_outlets_is_stored_once_with_both_sources(http_server):
    server = http_server(
        {
            "/robots.txt": NO_ROBOTS,
            "/nuri/1": (200, HTML, article_page("rice", outlet="누리일보")),
            "/hanbit/9": (200, HTML, article_page("rice", outlet="한빛신문")),
        }
    )
    stored: list[Article] = []
    settings = fast_settings(server, crawl_concurrency=1)
    report = _crawler(settings, stored, dedup=ExactTextIndex()).run(
        [server.url("/nuri/1"), server.url("/hanbit/9")]
    )
    assert report.summary()["duplicates"] == 1 and report.summary()["stored"] == 1
    final = stored[-1]
    assert final.canonical_url == server.url("/nuri/1")
    assert [s.url for s in final.sources] == [server.url("/nuri/1"), server.url("/hanbit/9")]
    assert [s.outlet for s in final.sources] == ["누리일보", "한빛신문"]


def test_edited_reprint_is_merged_by_the_real_fingerprint_index(http_server):
    server = http_server(
        {
            "/robots.txt": NO_ROBOTS,
            "/a/nuri": (200, HTML, article_page("typhoon", outlet="누리일보")),
            "/a/hanbit": (
                200,
                HTML,
                article_page("typhoon", outlet="한빛신문", extra=" 현장에서는 긴장감이 감돌았다."),
            ),
            "/a/other": (200, HTML, article_page("subway", outlet="한빛신문")),
        }
    )
    settings = fast_settings(server, crawl_concurrency=1)
    archive = JsonlArchive(settings.crawl_dir / "articles.jsonl")
    report = crawl(
        settings, [server.url("/a/nuri"), server.url("/a/hanbit"), server.url("/a/other")], sink=archive
    )
    assert report.summary()["stored"] == 2 and report.summary()["duplicates"] == 1
    kept = {a.title: a for a in archive.read()}
    assert set(kept) == {"태풍 북상에 남해안 뱃길 끊겨", "지하철 기본요금 150원 오른다"}
    typhoon = kept["태풍 북상에 남해안 뱃길 끊겨"]
    assert [(s.outlet, s.url) for s in typhoon.sources] == [
        ("누리일보", server.url("/a/nuri")),
        ("한빛신문", server.url("/a/hanbit")),
    ]
