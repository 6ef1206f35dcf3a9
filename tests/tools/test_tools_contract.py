"""Every registered tool keeps the contract: a name, a manual, a valid schema, text back even on failure."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

import jsonschema
import pytest
from langchain_core.messages import ToolMessage
from langchain_core.utils.function_calling import convert_to_openai_tool

from config import NuriError
from tools import TOOLS, clock, current_time, make_tool


@pytest.mark.parametrize("tool", TOOLS, ids=lambda t: t.name)
def test_registered_tool_contract(tool):
    assert re.fullmatch(r"[a-z][a-z0-9_]{2,63}", tool.name)
    assert len(tool.description) >= 20 and not tool.description.startswith(" ")
    schema = convert_to_openai_tool(tool)["function"]["parameters"]
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["type"] == "object"
    # Failures come back as text: the function is guarded, and bad arguments are explained, not raised.
    assert getattr(tool.func, "nuri_guarded", False) and tool.handle_tool_error
    assert tool.handle_validation_error
    required = schema.get("required", [])
    reply = tool.invoke({"type": "tool_call", "name": tool.name, "id": "c1", "args": {"zz": {"x": [1]}}})
    assert isinstance(reply, ToolMessage) and isinstance(reply.content, str) and reply.content
    assert reply.status == ("error" if required else "success")


def test_guard_turns_an_exception_into_korean_text():
    def fragile(path: str) -> str:
        """Read a file (fails in this test)."""
        raise OSError("disk on fire")

    built = make_tool(fragile)
    reply = built.invoke({"type": "tool_call", "name": "fragile", "id": "c1", "args": {"path": "/x"}})
    assert (
        reply.status == "error"
        and "도구 'fragile' 실행 중 오류" in reply.content
        and "disk on fire" in reply.content
    )
    assert built.invoke({"path": "/x"}).startswith("도구 'fragile'")  # plain invoke returns text too


def test_guard_passes_a_nuri_error_message_through():
    def refuse(url: str) -> str:
        """Fetch a page (refused in this test)."""
        raise NuriError("robots.txt가 허용하지 않습니다.")

    assert (
        make_tool(refuse).invoke({"url": "https://example.test/"})
        == "도구 'refuse' 오류: robots.txt가 허용하지 않습니다."
    )


def test_bad_arguments_are_explained_in_korean():
    def repeat(text: str, times: int) -> str:
        """Repeat a text."""
        return text * times

    reply = make_tool(repeat).invoke(
        {"type": "tool_call", "name": "repeat", "id": "c", "args": {"text": "가"}}
    )
    assert reply.status == "error" and "인자가 잘못되었습니다" in reply.content and "times" in reply.content


def test_a_tool_without_docstring_is_refused():
    def mystery() -> str:
        return ""

    with pytest.raises(ValueError, match="docstring"):
        make_tool(mystery)


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (datetime(2026, 11, 24, 14, 5, tzinfo=clock.KST), "2026년 11월 24일 화요일 오후 2시 5분 (14:05"),
        (datetime(2027, 1, 1, 0, 0, tzinfo=clock.KST), "2027년 1월 1일 금요일 오전 12시 정각 (00:00"),
        (datetime(2026, 2, 28, 12, 30, tzinfo=clock.KST), "2026년 2월 28일 토요일 오후 12시 30분 (12:30"),
        # 15:30 UTC on the 24th is already 00:30 on the 25th in Seoul.
        (
            datetime(2026, 11, 24, 15, 30, tzinfo=UTC),
            "2026년 11월 25일 수요일 오전 12시 30분 (00:30",
        ),
    ],
)
def test_current_time_with_a_frozen_clock(monkeypatch, moment, expected):
    monkeypatch.setattr(clock, "now_kst", lambda: moment)
    assert current_time() == f"현재 서울 시각: {expected}, 한국 표준시 UTC+9)"
    assert TOOLS[0].invoke({}) == current_time()


def test_current_time_really_reads_the_clock():
    text = current_time()
    now = datetime.now(timezone(timedelta(hours=9)))
    hhmm = re.search(r"\((\d\d):(\d\d),", text)
    assert hhmm and f"{now.year}년" in text
    minutes = int(hhmm[1]) * 60 + int(hhmm[2])
    assert abs(minutes - (now.hour * 60 + now.minute)) % (24 * 60) <= 1


def test_current_time_failure_reaches_the_model_as_text(monkeypatch):
    def broken():
        raise RuntimeError("clock unavailable")

    monkeypatch.setattr(clock, "now_kst", broken)
    reply = TOOLS[0].invoke({"type": "tool_call", "name": "current_time", "id": "c", "args": {}})
    assert reply.status == "error" and "clock unavailable" in reply.content
