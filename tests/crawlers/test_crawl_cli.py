"""`nuri crawl` end to end over a local server: summary, archive, --json, knowledge-base batches."""

from __future__ import annotations

import json
import sys
import types

from typer.testing import CliRunner

from cli.main import app
from crawlers.article import Article
from tests.crawlers.crawlfixtures import HTML, article_page

ROBOTS = (200, {"Content-Type": "text/plain"}, "User-agent: *\nDisallow: /private\n")


def _site(http_server):
    return http_server(
        {
            "/robots.txt": ROBOTS,
            "/a/1": (200, HTML, article_page("subway")),
            "/a/2": (200, HTML, article_page("typhoon")),
            "/private/3": (200, HTML, article_page("rice")),
        }
    )


def _invoke(server, args, monkeypatch):
    monkeypatch.setenv("NURI_ALLOW_PRIVATE", server.host_port)
    monkeypatch.setenv("NURI_CRAWL_DELAY", "0")
    return CliRunner().invoke(app, ["crawl", *args])


def test_crawl_prints_a_summary_and_archives_articles(http_server, nuri_home, monkeypatch):
    server = _site(http_server)
    result = _invoke(server, [server.url("/a/1"), server.url("/private/3"), "--no-index"], monkeypatch)
    assert result.exit_code == 0, result.output
    assert "새 기사 1" in result.stderr and "robots.txt 차단 1" in result.stderr
    assert f"{server.url('/private/3')}: robots.txt가 허용하지 않음" in result.stderr
    lines = (nuri_home / "crawl" / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    assert [Article.from_json_line(line).title for line in lines] == ["지하철 기본요금 150원 오른다"]


def test_crawl_json_prints_articles_on_stdout_and_a_summary_on_stderr(http_server, monkeypatch):
    server = _site(http_server)
    result = _invoke(server, [server.url("/a/1"), server.url("/a/2"), "--json", "--no-index"], monkeypatch)
    assert result.exit_code == 0, result.output
    titles = sorted(Article.from_json_line(line).title for line in result.stdout.splitlines())
    assert titles == ["지하철 기본요금 150원 오른다", "태풍 북상에 남해안 뱃길 끊겨"]
    summary = json.loads(result.stderr.strip().splitlines()[-1])
    assert summary["stored"] == 2 and summary["errors"] == 0 and summary["failures"] == []


def test_crawl_where_every_page_fails_exits_non_zero(http_server, monkeypatch):
    server = _site(http_server)
    result = _invoke(server, [server.url("/private/3"), "http://192.168.1.1/", "--no-index"], monkeypatch)
    assert result.exit_code == 1
    assert "사설 IP 주소는 차단됨" in result.stderr and "robots.txt가 허용하지 않음" in result.stderr


def test_crawl_without_urls_says_what_to_do(monkeypatch):
    result = CliRunner().invoke(app, ["crawl"])
    assert result.exit_code == 2
    assert "크롤링할 주소를 주세요" in result.stderr


def test_crawl_indexes_into_the_knowledge_base_in_batches(http_server, monkeypatch, nuri_home):
    calls: list[list[str]] = []

    class FakeKnowledgeBase:
        def __init__(self, settings):
            self.settings = settings

        def add(self, articles):
            calls.append([a.title for a in articles])
            return types.SimpleNamespace(chunks=3 * len(articles))

    monkeypatch.setitem(sys.modules, "vectorstore", types.SimpleNamespace(KnowledgeBase=FakeKnowledgeBase))
    server = _site(http_server)
    result = _invoke(server, [server.url("/a/1"), server.url("/a/2")], monkeypatch)
    assert result.exit_code == 0, result.output
    assert sorted(sum(calls, [])) == ["지하철 기본요금 150원 오른다", "태풍 북상에 남해안 뱃길 끊겨"]
    assert "기사 2건, 청크 6개 색인" in result.stderr
    assert len((nuri_home / "crawl" / "articles.jsonl").read_text().splitlines()) == 2


def test_knowledge_base_failure_keeps_the_archive(http_server, monkeypatch, nuri_home):
    from config import NuriError

    class BrokenKnowledgeBase:
        def __init__(self, settings):
            pass

        def add(self, articles):
            raise NuriError("지식 베이스를 열 수 없습니다.")

    monkeypatch.setitem(sys.modules, "vectorstore", types.SimpleNamespace(KnowledgeBase=BrokenKnowledgeBase))
    server = _site(http_server)
    result = _invoke(server, [server.url("/a/1")], monkeypatch)
    assert result.exit_code == 0
    assert "지식 베이스를 열 수 없습니다." in result.stderr and "nuri kb add" in result.stderr
    assert len((nuri_home / "crawl" / "articles.jsonl").read_text().splitlines()) == 1
