"""Calculator and RAG cells through the real agent graph and the real tools, with a scripted model."""

from __future__ import annotations

from config import Settings
from lab.cells import RagFixture, run_cell
from lab.session import Session
from lab.targets import parse_target
from lab.tasks import load_suite
from tests.fakes import ai, fake_handle
from vectorstore import HashingEmbedder


def _session(*responses) -> Session:
    session = Session(parse_target("openai:http://127.0.0.1:9/v1#scripted"), Settings(temperature=0.0))
    session._handle = fake_handle(*responses)
    return session


def test_calc_cell_needs_the_tool_call_and_the_exact_result():
    task = next(t for t in load_suite("calc") if t.id == "calc-01")
    called = _session(ai("", ("calculator", {"expression": "1550 * 22"})), ai("1550 × 22 = 34,100입니다."))
    row = run_cell(called, task)
    assert row["status"] == "ok" and row["passed"] and row["tools"] == ["calculator"], row
    guessed = run_cell(_session(ai("34,100입니다.")), task)
    assert not guessed["passed"] and guessed["score"] == 0.5 and guessed["detail"] == "도구 X, 결과 O"


def test_rag_cell_checks_fact_and_cited_source():
    task = next(t for t in load_suite("rag") if t.id == "rag-01")
    session = _session(
        ai("", ("search_knowledge", {"query": "서울 지하철 기본요금 인상"})),
        ai("서울 지하철 기본요금은 6월부터 1550원입니다 (누리일보)."),
    )
    rag = RagFixture.build(session, embedder=HashingEmbedder())
    row = run_cell(session, task, rag)
    assert row["status"] == "ok" and row["tools"] == ["search_knowledge"], row
    assert row["passed"] and row["detail"] == "사실 O, 출처 O"
    wrong = _session(
        ai("", ("search_knowledge", {"query": "지하철 요금"})), ai("기본요금은 1550원입니다 (바다신문).")
    )
    assert run_cell(wrong, task, rag)["detail"] == "사실 O, 출처 X"


def test_cell_failure_becomes_an_error_row():
    task = load_suite("calc")[0]
    broken = _session()
    broken._handle = fake_handle(error=RuntimeError("연결 끊김"))
    row = run_cell(broken, task)
    assert row["status"] == "error" and "연결 끊김" in row["error"]
