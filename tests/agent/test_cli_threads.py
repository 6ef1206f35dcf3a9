"""`nuri ask --json/--thread/--yes/--show-budget`, `nuri chat` and `nuri threads` with the scripted fake model."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from typer.testing import CliRunner

import cli.ask
from cli.main import app
from tests.crawlers.httpfixture import FixtureServer
from tests.fakes import ai, fake_handle
from tools import clock
from tools.registry import make_tool
from tools.results import Citation, ToolOutput


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch):
    monkeypatch.setattr(clock, "now_kst", lambda: datetime(2026, 11, 24, 21, 7, tzinfo=clock.KST))


@pytest.fixture
def handles(monkeypatch):
    """Each CLI call gets the next scripted handle."""
    queue = []

    def open_handle(settings):
        return queue.pop(0)

    monkeypatch.setattr(cli.ask, "open_handle", open_handle)
    return queue


def cite(query: str) -> ToolOutput:
    """Search saved articles (for this test)."""
    source = Citation(1, "지하철 요금 인상", "https://news.test/1", "누리일보", "2026-11-23")
    return ToolOutput(source.line() + "\n기본요금이 150원 오른다.", [source])


def fetch_page(url: str) -> str:
    """Fetch a page (for this test)."""
    import httpx

    return httpx.get(url, timeout=5).text


@pytest.fixture
def test_tools(monkeypatch):
    tools = [make_tool(cite), make_tool(fetch_page, fetches="url")]
    monkeypatch.setattr("tools.registry.TOOLS", tools)
    return tools


def test_ask_json_prints_exactly_one_object(handles, test_tools):
    handles.append(fake_handle(ai("", ("cite", {"query": "요금"})), ai("150원 오릅니다 [1].")))
    result = CliRunner().invoke(app, ["ask", "--json", "저장한 기사에 따르면 요금은?"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)  # the whole stdout is one JSON object
    assert data["answer"] == "150원 오릅니다 [1]."
    assert data["tool_calls"] == [
        {
            "name": "cite",
            "args": {"query": "요금"},
            "result": data["tool_calls"][0]["result"],
            "is_error": False,
        }
    ]
    assert "지하철 요금 인상" in data["tool_calls"][0]["result"]
    assert data["citations"] == [
        {
            "n": 1,
            "title": "지하철 요금 인상",
            "url": "https://news.test/1",
            "outlet": "누리일보",
            "published": "2026-11-23",
        }
    ]
    assert (data["backend"], data["model"]) == ("fake", "fake-scripted")
    assert data["elapsed_s"] >= 0 and data["budget"]["num_ctx"] == 4096
    assert result.stderr == ""


def test_ask_denies_an_unasked_url_without_yes_and_fetches_it_with_yes(handles, test_tools):
    with FixtureServer({"/x": (200, {"Content-Type": "text/plain"}, "본문")}) as server:
        url = server.url("/x")
        handles.append(fake_handle(ai("", ("fetch_page", {"url": url})), ai("가져오지 않았어요.")))
        result = CliRunner().invoke(app, ["ask", "--json", "관련 페이지도 읽어 줘"])
        assert result.exit_code == 0, result.output
        data = json.loads(result.stdout)
        assert server.hits() == [] and data["tool_calls"][0]["is_error"]
        assert any("--yes" in n for n in data["notices"])
        handles.append(fake_handle(ai("", ("fetch_page", {"url": url})), ai("읽었어요.")))
        result = CliRunner().invoke(app, ["ask", "--yes", "관련 페이지도 읽어 줘"])
        assert result.exit_code == 0, result.output
        assert len(server.hits()) == 1 and "← 도구 결과: 본문" in result.stderr


def test_show_budget_prints_the_parts(handles, test_tools):
    handles.append(fake_handle(ai("네.")))
    result = CliRunner().invoke(app, ["ask", "--show-budget", "안녕"])
    assert result.exit_code == 0, result.output
    assert "문맥 " in result.stderr and "/4,096 토큰 (시스템 " in result.stderr and "답변 몫" in result.stderr


def test_a_thread_continues_across_calls_and_threads_commands_manage_it(handles, test_tools, nuri_home):
    handles.append(fake_handle(ai("반가워요, 지수 님.")))
    runner = CliRunner()
    assert runner.invoke(app, ["ask", "--thread", "t1", "내 이름은 지수야."]).exit_code == 0
    second = fake_handle(ai("지수 님이에요."))
    handles.append(second)
    result = runner.invoke(app, ["ask", "-t", "t1", "내 이름이 뭐지?"])
    assert result.exit_code == 0 and result.stdout == "지수 님이에요.\n"
    assert [m.content for m in second.model.calls[0]["messages"][1:3]] == [
        "내 이름은 지수야.",
        "반가워요, 지수 님.",
    ]
    listing = runner.invoke(app, ["threads", "list"])
    assert "t1" in listing.stdout and "내 이름은 지수야." in listing.stdout
    shown = runner.invoke(app, ["threads", "show", "t1"])
    assert "## 2. 내 이름이 뭐지?" in shown.stdout
    out = nuri_home / "t1.json"
    assert runner.invoke(app, ["threads", "export", "t1", "-f", "json", "-o", str(out)]).exit_code == 0
    assert [t["question"] for t in json.loads(out.read_text())["turns"]] == [
        "내 이름은 지수야.",
        "내 이름이 뭐지?",
    ]
    assert runner.invoke(app, ["threads", "rename", "t1", "이름 이야기"]).exit_code == 0
    assert "이름 이야기" in runner.invoke(app, ["threads", "list"]).stdout
    assert runner.invoke(app, ["threads", "delete", "t1", "--yes"]).exit_code == 0
    gone = runner.invoke(app, ["threads", "show", "t1"])
    assert gone.exit_code == 2 and "없습니다" in gone.stderr
    assert runner.invoke(app, ["threads", "export", "nope", "-f", "xml"]).exit_code == 2


def test_chat_keeps_a_thread_and_answers_each_line(handles, test_tools):
    handles.append(fake_handle(ai("안녕하세요!"), ai("지수 님이시죠.")))
    result = CliRunner().invoke(app, ["chat"], input="안녕\n/budget\n내 이름 기억해?\n/exit\n")
    assert result.exit_code == 0, result.output
    # CliRunner echoes the typed lines into stdout; the answers follow each one.
    assert result.stdout.index("안녕하세요!\n") < result.stdout.index("지수 님이시죠.\n")
    assert "문맥 " in result.stderr and "nuri chat --thread " in result.stderr
    thread_id = result.stderr.split("nuri chat --thread ")[1].split()[0]
    listing = CliRunner().invoke(app, ["threads", "list"])
    assert thread_id in listing.stdout


def test_chat_asks_before_fetching_a_url_the_user_did_not_type(handles, test_tools):
    with FixtureServer({"/x": (200, {"Content-Type": "text/plain"}, "본문")}) as server:
        handles.append(fake_handle(ai("", ("fetch_page", {"url": server.url("/x")})), ai("알겠어요.")))
        result = CliRunner().invoke(app, ["chat"], input="관련 글 읽어 줘\nn\n/exit\n")
        assert result.exit_code == 0, result.output
        assert "허용할까요" in result.stderr and server.hits() == []
