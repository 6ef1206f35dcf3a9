"""`nuri ask` through typer's CliRunner, with the scripted fake model behind the handle seam."""

from __future__ import annotations

from datetime import datetime

import pytest
import typer
from typer.testing import CliRunner

import cli.ask
from cli.main import app
from config import NuriError
from tests.fakes import ai, fake_handle
from tools import clock


@pytest.fixture
def use_handle(monkeypatch):
    opened = []

    def install(handle):
        def open_handle(settings):
            opened.append(settings)
            return handle

        monkeypatch.setattr(cli.ask, "open_handle", open_handle)
        return opened

    return install


def test_ask_streams_the_answer_and_shows_tool_use_and_badge(use_handle, monkeypatch):
    monkeypatch.setattr(clock, "now_kst", lambda: datetime(2026, 11, 24, 21, 7, tzinfo=clock.KST))
    use_handle(fake_handle(ai("", ("current_time", {})), ai("지금 서울은 오후 9시 7분입니다.")))
    pieces = []
    real_echo = typer.echo

    def spy(message=None, *args, **kwargs):
        if kwargs.get("nl") is False:
            pieces.append(message)
        return real_echo(message, *args, **kwargs)

    monkeypatch.setattr(typer, "echo", spy)
    result = CliRunner().invoke(app, ["--provider", "embedded", "ask", "서울 시각 좀 알려 줄래?"])
    assert result.exit_code == 0, result.output
    assert result.stdout == "지금 서울은 오후 9시 7분입니다.\n"
    assert len(pieces) > 1 and "".join(pieces) == "지금 서울은 오후 9시 7분입니다."
    err = result.stderr
    assert "→ 도구 호출: current_time()" in err
    assert "← 도구 결과: 현재 서울 시각: 2026년 11월 24일 화요일 오후 9시 7분" in err
    assert "[fake · fake-scripted · ctx 4,096 · " in err.splitlines()[-1]


def test_ask_passes_root_options_to_the_backend(use_handle, tmp_path):
    opened = use_handle(fake_handle(ai("네.")))
    result = CliRunner().invoke(
        app, ["--provider", "ollama", "--llm", "exaone", "--home", str(tmp_path), "ask", "됐어?"]
    )
    assert result.exit_code == 0, result.output
    (settings,) = opened
    assert (settings.provider, settings.model, settings.home) == ("ollama", "exaone", tmp_path)


def test_ask_notices_and_tool_errors_are_shown(use_handle):
    use_handle(
        fake_handle(ai("", ("no_such_tool", {})), ai("", ("no_such_tool", {})), ai("도구 없이 답할게요."))
    )
    result = CliRunner().invoke(app, ["ask", "아무거나"])
    assert result.exit_code == 0, result.output
    assert result.stdout == "도구 없이 답할게요.\n"
    assert result.stderr.count("! ") == 2 and "no_such_tool" in result.stderr


def test_ask_backend_failure_is_one_korean_line(use_handle):
    use_handle(fake_handle(error=ConnectionError("refused")))
    result = CliRunner().invoke(app, ["ask", "안녕"])
    assert result.exit_code == 2
    assert (
        result.stderr.startswith("오류: 모델이 답하는 중 오류가 났습니다") and result.stderr.count("\n") == 1
    )
    assert "Traceback" not in result.output


def test_ask_when_no_backend_can_start(monkeypatch):
    def refuse(settings):
        raise NuriError("Ollama 서버에 연결할 수 없습니다.", hint="`ollama serve`로 서버를 켜세요.")

    monkeypatch.setattr(cli.ask, "open_handle", refuse)
    result = CliRunner().invoke(app, ["ask", "안녕"])
    assert result.exit_code == 2
    assert result.stderr == "오류: Ollama 서버에 연결할 수 없습니다. `ollama serve`로 서버를 켜세요.\n"


def test_ask_refuses_an_empty_question(use_handle):
    opened = use_handle(fake_handle())
    result = CliRunner().invoke(app, ["ask", "   "])
    assert result.exit_code == 2 and "질문이 비어 있습니다" in result.stderr
    assert opened == []


def test_ask_prints_the_kept_answer_when_it_differs_from_what_streamed(use_handle):
    use_handle(fake_handle(ai("한국의 수도는 Seoul입니다.")))
    result = CliRunner().invoke(app, ["--provider", "embedded", "ask", "한국의 수도는 어디야?"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("한국의 수도는 Seoul입니다.")  # as it streamed
    assert result.stdout.rstrip().endswith("한국의 수도는 서울입니다.")
    assert "정리된 답:" in result.stderr
