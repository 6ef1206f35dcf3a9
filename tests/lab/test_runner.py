"""The bench run end to end against fake OpenAI-compatible servers on 127.0.0.1: rows per cell, an
unreachable endpoint recorded in Korean while the run goes on, and resuming without redoing cells."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from config import Settings
from lab.results import append_row, finished_cells, read_rows
from lab.runner import run_bench
from tests.lab.fake_openai import FakeOpenAI

ROOT = Path(__file__).resolve().parents[2]
ANSWERS = {"수도는": "서울입니다.", "한글": "세종대왕입니다.", "광복절": "8월 15일입니다."}


def _cells(rows, model=None):
    return [r for r in rows if r["type"] == "cell" and (model is None or r["model"] == model)]


def test_two_endpoints_one_unreachable(tmp_path, closed_port):
    out = tmp_path / "out"
    lines: list[str] = []
    with FakeOpenAI(ANSWERS) as server:
        models = f"openai:http://127.0.0.1:{closed_port}/v1#down,openai:{server.url}#fake"
        rows = run_bench(
            models, out, Settings(request_timeout=10), tasks="qa", limit=3, progress=lines.append
        )
    down = _cells(rows, "down@127.0.0.1")
    assert [r["status"] for r in down] == ["error"] * 3
    assert "연결할 수 없습니다" in down[0]["error"]
    ok = _cells(rows, "fake@127.0.0.1")
    assert [(r["task"], r["passed"]) for r in ok] == [("qa-01", True), ("qa-02", True), ("qa-03", True)]
    assert ok[0]["prompt_tokens"] == 40 and ok[0]["decode_tps"] == 10.0  # the fake sends llama.cpp timings
    assert any("down@127.0.0.1: 오류" in line for line in lines)
    assert server.asked == [r["question"] for r in ok]


def test_resume_skips_finished_cells(tmp_path):
    out = tmp_path / "out"
    with FakeOpenAI(ANSWERS) as server:
        label = "fake@127.0.0.1"
        append_row(
            out,
            {"type": "cell", "model": label, "task": "qa-01", "kind": "qa", "status": "ok", "answer": "서울"},
        )
        append_row(
            out,
            {"type": "cell", "model": label, "task": "qa-02", "kind": "qa", "status": "error", "error": "x"},
        )
        rows = run_bench(f"openai:{server.url}#fake", out, Settings(), tasks="qa", limit=3)
    assert not any("수도는" in q for q in server.asked)
    assert len(server.asked) == 2  # qa-02 (error before) and qa-03 again; qa-01 kept
    assert finished_cells(rows) == {(label, "qa-01"), (label, "qa-02"), (label, "qa-03")}


def test_interrupted_run_resumes_without_redoing(tmp_path):
    out = tmp_path / "out"
    with FakeOpenAI(ANSWERS, delay=0.8) as server:
        command = [
            sys.executable,
            "-m",
            "cli.main",
            "bench",
            "run",
            "--models",
            f"openai:{server.url}#fake",
            "--tasks",
            "qa",
            "--limit",
            "6",
            "--out",
            str(out),
        ]
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            start_new_session=True,
            env={**os.environ},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(_cells(read_rows(out))) < 2:
            time.sleep(0.1)
        os.killpg(process.pid, signal.SIGKILL)  # the whole run, worker included, as a crash would
        process.wait()
        first = {r["task"] for r in _cells(read_rows(out))}
        assert 2 <= len(first) < 6
        asked_before = len(server.asked)
        server.delay = 0
        rows = run_bench(f"openai:{server.url}#fake", out, Settings(), tasks="qa", limit=6)
        redone = server.asked[asked_before:]
    assert len(redone) <= 6 - len(first)  # the cell in flight may be asked again, finished ones never
    assert len(finished_cells(rows)) == 6
    assert sorted(r["task"] for r in _cells(rows) if r["status"] == "ok") == [f"qa-0{i}" for i in range(1, 7)]
