"""`nuri summarize` through the CLI, its model replaced at the `open_handle` seam by the fake llama.cpp server."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
from typer.testing import CliRunner

from agent.llm.handle import ChatHandle
from agent.llm.openai_compat import open_openai
from cli import summarize as summarize_cli
from cli.main import app
from config import Settings
from crawlers.article import Article
from tests.crawlers.crawlfixtures import article_page
from tests.tools.fake_llamacpp import FakeLlamaCpp
from tests.tools.test_summarize import korean_text

KST = timezone(timedelta(hours=9))


@pytest.fixture
def server(monkeypatch):
    """The fake server, and `nuri`'s chat model pointed at it (window 2048, counts from /tokenize)."""
    with FakeLlamaCpp(n_ctx=2048) as fake:
        opened: list[Settings] = []

        def open_handle(settings: Settings) -> ChatHandle:
            opened.append(settings)
            local = settings.model_copy(update={"provider": "openai", "openai_base_url": fake.openai_url})
            handle = open_openai(local.model_copy(update={"num_ctx": 2048, "model": "fake"}))
            handle.count_tokens, handle.token_count_exact = fake.counter(), True
            return handle

        monkeypatch.setattr(summarize_cli, "open_handle", open_handle)
        fake.opened = opened
        yield fake


def run(*args: str, stdin: str | None = None):
    return CliRunner().invoke(app, ["summarize", *args], input=stdin)


def test_a_long_text_file_is_summarized_in_three_lines_without_overflowing(server, tmp_path):
    path = tmp_path / "long.txt"
    path.write_text(korean_text(30_000), encoding="utf-8")
    result = run(str(path))
    assert result.exit_code == 0, result.output
    assert len(result.stdout.strip().splitlines()) == 3
    assert "· 요약 1/" in result.stderr and "· 최종 요약 쓰는 중…" in result.stderr
    calls = len(server.chats)
    assert calls > 20 and f"모델 호출 {calls}번]" in result.stderr.splitlines()[-1]
    assert all(c.status == 200 and c.prompt_tokens + c.max_tokens <= 2048 for c in server.chats)


def test_standard_input_in_one_line_style(server):
    result = run("-", "--style", "한줄", stdin=korean_text(1200))
    assert result.exit_code == 0, result.output
    assert len(result.stdout.strip().splitlines()) == 1 and len(server.chats) == 1


def test_article_json_lines_make_a_briefing_with_numbered_sources(server, tmp_path):
    articles = [
        Article(url=f"https://news.example/{i}", canonical_url=f"https://news.example/{i}", title=title,
                text=body, outlet=outlet, published=datetime(2026, 11, 20 + i, 9, tzinfo=KST))
        for i, (title, body, outlet) in enumerate([
            ("지하철 요금 인상", "서울시가 지하철 요금을 150원 올린다. 적자 때문이다.", "누리일보"),
            ("쌀값 하락", "산지 쌀값이 두 달 연속 떨어졌다. 농민들이 수매를 요구했다.", "바다신문"),
        ], 1)
    ]  # fmt: skip
    path = tmp_path / "articles.jsonl"
    path.write_text("\n".join(a.to_json_line() for a in articles) + "\n", encoding="utf-8")
    result = run(str(path), "--style", "브리핑", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["style"] == "브리핑" and data["model_calls"] == 1
    assert [(c["n"], c["title"], c["outlet"], c["published"]) for c in data["citations"]] == [
        (1, "지하철 요금 인상", "누리일보", "2026-11-21"),
        (2, "쌀값 하락", "바다신문", "2026-11-22"),
    ]
    assert all(line.startswith("- ") for line in data["summary"].splitlines())
    assert "[1]" in data["summary"] and "[2]" in data["summary"]


def test_a_saved_html_page_is_extracted_first_and_cited(server, tmp_path):
    path = tmp_path / "page.html"
    path.write_text(article_page("rice"), encoding="utf-8")
    result = run(str(path))
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("통계청은 올해 쌀 생산량이") and "무단전재" not in out
    assert "\n출처:\n[1] 올해 쌀 생산량 3년 만에 늘어 (누리일보, 2026-11-23) file://" in out


def test_bad_input_gets_a_korean_line_and_no_model(server, tmp_path):
    missing = run("없는파일.txt")
    assert missing.exit_code == 2 and "파일을 찾을 수 없습니다: 없는파일.txt" in missing.stderr
    big = tmp_path / "big.txt"
    big.write_text("가" * 400_000, encoding="utf-8")
    too_big = run(str(big))
    assert too_big.exit_code == 2 and "파일이 너무 큽니다 (1.2 MB > 한도 1.0 MB)" in too_big.stderr
    style = run("-", "--style", "시", stdin="서울시가 요금을 올린다.")
    assert style.exit_code == 2 and "요약 형식 '시'은(는) 없습니다" in style.stderr
    empty = run("-", stdin="  \n")
    assert empty.exit_code == 2 and "표준 입력에 요약할 글이 없습니다" in empty.stderr
    assert server.opened == [] and server.chats == []
