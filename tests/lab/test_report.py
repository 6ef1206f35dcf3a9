"""Report generation from result rows: Markdown tables, CSV files, non-empty PNG charts, `nuri bench compare`."""

from __future__ import annotations

import csv

from typer.testing import CliRunner

from cli.main import app
from lab.report import render_report
from lab.results import append_row
from lab.summary import summarize


def _cell(model, task, kind, passed, answer, seconds, **extra):
    return {
        "type": "cell",
        "model": model,
        "task": task,
        "kind": kind,
        "status": "ok",
        "question": f"{task}?",
        "reference": "서울",
        "answer": answer,
        "score": float(passed),
        "passed": passed,
        "korean": True,
        "seconds": seconds,
        "ttft": seconds / 4,
        "prompt_tps": 100.0,
        "decode_tps": 40.0 / seconds,
        **extra,
    }


def _fill(out):
    append_row(out, _cell("small", "qa-01", "qa", True, "서울입니다.", 1.0))
    append_row(out, _cell("small", "qa-02", "qa", False, "김정은 | 입니다\n둘째 줄", 1.0))
    append_row(out, _cell("big", "qa-01", "qa", True, "서울", 2.0))
    append_row(out, _cell("big", "qa-02", "qa", True, "세종대왕", 2.0))
    append_row(out, _cell("big", "calc-01", "calc", True, "34,100", 3.0, tools=["calculator"]))
    append_row(
        out,
        {
            "type": "model",
            "model": "small",
            "backend": "embedded",
            "quant": "Q4_K_M",
            "file_bytes": 491_400_064,
            "load_seconds": 2.5,
            "peak_rss": 800_000_000,
        },
    )
    append_row(
        out,
        {
            "type": "model",
            "model": "big",
            "backend": "embedded",
            "quant": "Q4_K_M",
            "file_bytes": 1_117_320_768,
            "load_seconds": 3.8,
            "peak_rss": 1_600_000_000,
        },
    )
    append_row(
        out,
        {
            "type": "cell",
            "model": "gone",
            "task": "qa-01",
            "kind": "qa",
            "status": "error",
            "error": "모델을 열지 못했습니다: GGUF 파일을 찾을 수 없습니다",
        },
    )
    append_row(
        out, {"type": "model", "model": "gone", "status": "error", "error": "GGUF 파일을 찾을 수 없습니다"}
    )


def test_summary_compares_quality_on_common_tasks_only(tmp_path):
    _fill(tmp_path)
    from lab.results import read_rows

    small, big, gone = summarize(read_rows(tmp_path))
    assert (small.quality, big.quality) == (0.5, 1.0)  # calc-01 only "big" answered: left out of quality
    assert big.by_kind["qa"] == (2, 2) and small.by_kind["calc"] is None
    assert small.peak_rss_mb == 800.0 and big.file_mb == 1117.3
    assert gone.errors == 1 and gone.quality is None and "GGUF" in gone.error


def test_report_csv_and_charts_are_written(tmp_path):
    _fill(tmp_path)
    report = render_report(tmp_path)
    text = report.read_text(encoding="utf-8")
    assert "| small | embedded | Q4_K_M | 491 MB | 2.5 s | 800 MB | 0.50 | 1/2 |" in text
    assert "김정은 \\| 입니다 / 둘째 줄" in text  # one table cell per answer
    assert "불러오지 못한 모델" in text and "GPU 없음" in text
    for name in ("speed_vs_quality.png", "memory_vs_quality.png"):
        data = (tmp_path / name).read_bytes()
        assert data.startswith(b"\x89PNG") and len(data) > 5_000
    with (tmp_path / "models.csv").open(encoding="utf-8") as handle:
        models = list(csv.DictReader(handle))
    assert [m["model"] for m in models] == ["small", "big", "gone"] and models[1]["qa_passed"] == "2"
    with (tmp_path / "cells.csv").open(encoding="utf-8") as handle:
        assert len(list(csv.DictReader(handle))) == 6


def test_compare_command_prints_answers_side_by_side(tmp_path):
    _fill(tmp_path)
    result = CliRunner().invoke(app, ["bench", "compare", str(tmp_path), "--task", "qa-02"])
    assert result.exit_code == 0, result.output
    assert "| qa-02 |" in result.output and "✗ 김정은" in result.output and "✓ 세종대왕" in result.output
    missing = CliRunner().invoke(app, ["bench", "compare", str(tmp_path / "none")])
    assert missing.exit_code == 2 and "결과가 없습니다" in missing.output


def test_torn_last_line_is_skipped(tmp_path):
    _fill(tmp_path)
    with (tmp_path / "results.jsonl").open("a", encoding="utf-8") as handle:
        handle.write('{"type": "cell", "model": "small", "ta')
    assert render_report(tmp_path).is_file()


def test_stored_answers_are_scored_again_with_the_current_scorer(tmp_path):
    # A run stored a calculator answer as failed; today's scorer reads "3만 4,100" as 34100.
    append_row(tmp_path, {**_cell("m", "calc-01", "calc", False, "3만 4,100", 1.0), "tools": ["calculator"]})
    append_row(tmp_path, {**_cell("m", "qa-01", "qa", False, "서울입니다", 1.0)})
    from lab.rescore import rescore
    from lab.results import read_rows

    rows = {r["task"]: r for r in rescore(read_rows(tmp_path))}
    assert rows["calc-01"]["passed"] and rows["calc-01"]["detail"] == "도구 O, 결과 O"
    assert rows["qa-01"]["passed"]
    assert "| calc-01 |" in render_report(tmp_path).read_text(encoding="utf-8")
