"""`nuri extract`: files offline, stdin (HTML or a pasted page), URLs through the fetcher, --json."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from cli.main import app
from crawlers.article import Article

FIXTURES = Path(__file__).parent / "fixtures"
runner = CliRunner()


def test_local_html_file_prints_a_korean_summary():
    result = runner.invoke(app, ["extract", str(FIXTURES / "yonhap.society.html")])
    assert result.exit_code == 0, result.output
    assert "제목: 겨울철 도로 살얼음 사고 대비…고속도로 제설 장비 30% 늘린다" in result.output
    assert "언론사: 연합뉴스" in result.output
    assert "입력: 2026-11-23 08:05 (KST)" in result.output
    assert "기자: 박서준" in result.output
    assert "자동 염수 분사 장치를 새로 설치한다고 밝혔다." in result.output
    assert "무단 전재" not in result.output


def test_json_is_one_line_that_round_trips():
    result = runner.invoke(app, ["extract", str(FIXTURES / "naver.politics.html"), "--json"])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    article = Article.from_json_line(lines[0])
    assert article.title == "청년 월세 지원, 내년부터 소득 기준 완화한다"
    assert article.canonical_url == "https://n.news.naver.com/article/001/0015000001"
    assert json.loads(lines[0])["published"] == "2026-11-23T09:12:00+09:00"


def test_url_option_names_a_saved_page():
    saved = FIXTURES / "generic.nometa.html"
    result = runner.invoke(
        app, ["extract", str(saved), "--url", "https://museum.example/board/view?id=100", "--json"]
    )
    article = Article.from_json_line(result.output.strip())
    assert article.url == "https://museum.example/board/view?id=100"
    assert article.canonical_url == "https://museum.example/board/view?id=100"


def test_stdin_pasted_page_text():
    paste = (FIXTURES / "naver.paste.txt").read_text(encoding="utf-8")
    result = runner.invoke(app, ["extract", "-", "--json"], input=paste)
    assert result.exit_code == 0, result.output
    article = Article.from_json_line(result.output.strip())
    assert article.title == "전통시장 온누리상품권 할인율 연말까지 15%로 상향"
    assert "가맹점이 너무 적어요" not in article.text


def test_stdin_html_in_cp949():
    html = (FIXTURES / "generic.nometa.html").read_text(encoding="utf-8")
    html = html.replace("<head>", '<head><meta charset="euc-kr">').replace(
        "시립미술관이", "똠방 시립미술관이"
    )
    result = runner.invoke(app, ["extract", "-", "--json"], input=html.encode("cp949"))
    assert result.exit_code == 0, result.output
    assert "똠방 시립미술관이" in Article.from_json_line(result.output.strip()).text


def test_image_only_page_says_there_is_no_text():
    result = runner.invoke(app, ["extract", str(FIXTURES / "generic.imageonly.html")])
    assert result.exit_code == 0
    assert "(본문 없음" in result.output


def test_missing_file_is_one_korean_line_and_exit_2():
    result = runner.invoke(app, ["extract", "/no/such/page.html"])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        "오류: 파일을 찾을 수 없습니다: /no/such/page.html. 경로를 확인하거나 http(s) 주소를 주세요."
    ]


def test_empty_stdin_is_refused():
    result = runner.invoke(app, ["extract", "-"], input="")
    assert result.exit_code == 2
    assert "표준 입력이 비어 있습니다" in result.output


def test_url_is_fetched_through_the_fetcher(http_server, monkeypatch):
    page = (FIXTURES / "generic.jsonld.html").read_bytes()
    server = http_server(
        {"/news/articleView.html": (200, {"Content-Type": "text/html; charset=utf-8"}, page)}
    )
    monkeypatch.setenv("NURI_ALLOW_PRIVATE", server.host_port)
    monkeypatch.setenv("NURI_CRAWL_DELAY", "0")
    url = server.url("/news/articleView.html?idxno=40001")
    result = runner.invoke(app, ["extract", url, "--json"])
    assert result.exit_code == 0, result.output
    article = Article.from_json_line(result.output.strip())
    assert article.url == url
    assert article.title == "바다숲 조성 10년, 갯녹음 면적 절반으로 줄어"
    assert [hit.path for hit in server.hits()][-1] == "/news/articleView.html?idxno=40001"


def test_private_url_without_permission_is_refused_in_korean(http_server):
    server = http_server({"/": (200, {"Content-Type": "text/html"}, "<p>비밀</p>")})
    result = runner.invoke(app, ["extract", server.url("/")])
    assert result.exit_code == 2
    assert result.output.startswith("오류: ")
    assert len(result.output.strip().splitlines()) == 1
