"""`nuri models modelfile | create | list` end to end against the fake Ollama."""

from __future__ import annotations

import hashlib

import gguf
import pytest
from typer.testing import CliRunner

from agent.llm.modelfile import gotemplates
from cli.main import app
from tests.ollama.gguf_factory import family_gguf, write_gguf


@pytest.fixture
def nuri(fake_ollama, monkeypatch):
    monkeypatch.setenv("NURI_OLLAMA_HOST", fake_ollama.url)
    runner = CliRunner()

    def run(*args: str):
        return runner.invoke(app, list(args))

    return run


def test_modelfile_to_stdout_and_file(nuri, tmp_path):
    path = family_gguf(tmp_path, "exaone")
    result = nuri("models", "modelfile", "--gguf", str(path))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# Modelfile for tiny test model")
    assert f"FROM {path.resolve()}" in result.stdout
    assert 'PARAMETER stop "[|endofturn|]"' in result.stdout
    assert "PARAMETER num_ctx 32768" in result.stdout
    assert "exaone" in result.stderr
    out = tmp_path / "Modelfile"
    result = nuri("models", "modelfile", "--gguf", str(path), "--system", "요약만 하세요.", "-o", str(out))
    assert result.exit_code == 0
    assert 'SYSTEM """요약만 하세요."""' in out.read_text(encoding="utf-8")
    assert "ollama create" in result.stderr


def test_modelfile_unknown_family_exits_2_with_one_line(nuri, tmp_path):
    path = write_gguf(tmp_path / "x.gguf", chat_template="{{ messages }}")
    result = nuri("models", "modelfile", "--gguf", str(path))
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "--template-family" in result.stderr
    result = nuri("models", "modelfile", "--gguf", str(path), "--template-family", "gemma")
    assert result.exit_code == 0 and "<start_of_turn>" in result.stdout


def test_create_uploads_blob_then_creates(nuri, fake_ollama, tmp_path):
    path = family_gguf(tmp_path, "llama3")
    digest = "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()
    result = nuri("models", "create", "nuri-llama3-ko-test", "--gguf", str(path))
    assert result.exit_code == 0, result.output
    assert "nuri-llama3-ko-test" in result.stdout and "llama3" in result.stdout
    assert "ollama: success" in result.stderr
    assert [(r.method, r.path) for r in fake_ollama.requests] == [
        ("HEAD", f"/api/blobs/{digest}"),
        ("POST", f"/api/blobs/{digest}"),
        ("POST", "/api/create"),
    ]
    assert fake_ollama.requests[1].body_size == path.stat().st_size
    body = fake_ollama.sent("/api/create")[0].json
    assert body == {
        "model": "nuri-llama3-ko-test",
        "files": {"llama3.gguf": digest},
        "template": gotemplates.LLAMA3,
        "parameters": {"stop": ["<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>"], "num_ctx": 8192},
        "system": body["system"],
        "stream": True,
    }
    assert body["system"].startswith("당신은 '누리'")
    assert "tools" in fake_ollama.find("nuri-llama3-ko-test").capabilities
    # A second create finds the blob on the server and sends no bytes again.
    fake_ollama.requests.clear()
    assert nuri("models", "create", "again", "--gguf", str(path)).exit_code == 0
    assert [r.method for r in fake_ollama.requests] == ["HEAD", "POST"]
    assert fake_ollama.requests[1].path == "/api/create"


def test_quantize_needs_an_f16_source(nuri, fake_ollama, tmp_path):
    quantized = family_gguf(tmp_path, "gemma")  # Q4_K_M
    result = nuri("models", "create", "g", "--gguf", str(quantized), "--quantize", "q4_K_M")
    assert result.exit_code == 2
    assert "이미 Q4_K_M로 양자화된" in result.stderr and "F16" in result.stderr
    assert fake_ollama.requests == []  # refused before any upload
    f16 = write_gguf(
        tmp_path / "f16.gguf",
        arch="qwen2",
        chat_template="<|im_start|><|im_end|><tool_call>",
        file_type=gguf.LlamaFileType.MOSTLY_F16,
    )
    result = nuri("models", "create", "q", "--gguf", str(f16), "--quantize", "Q4_K_M")
    assert result.exit_code == 0, result.output
    assert fake_ollama.sent("/api/create")[0].json["quantize"] == "q4_K_M"
    assert "quantizing F16 model to Q4_K_M" in result.stderr
    assert nuri("models", "create", "q", "--gguf", str(f16), "--quantize", "q9_X").exit_code == 2


def test_create_when_server_down(monkeypatch, closed_port, tmp_path):
    monkeypatch.setenv("NURI_OLLAMA_HOST", f"127.0.0.1:{closed_port}")
    result = CliRunner().invoke(app, ["models", "create", "x", "--gguf", str(family_gguf(tmp_path, "phi3"))])
    assert result.exit_code == 2 and "`ollama serve`" in result.stderr


def test_list_shows_size_quantization_context(nuri, fake_ollama):
    fake_ollama.add_model("exaone-ko:7.8b", architecture="exaone", context_length=32768, quantization="Q8_0")
    result = nuri("models", "list")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    row = next(line for line in lines if "exaone-ko:7.8b" in line)
    assert "Q8_0" in row and "32,768" in row and "4.92 GB" in row
    assert any("nuri-llama3-ko:latest" in line and "8,192" in line for line in lines)


def test_list_empty_and_down(nuri, fake_ollama, monkeypatch, closed_port):
    fake_ollama.models.clear()
    assert "nuri models create" in nuri("models", "list").stdout
    monkeypatch.setenv("NURI_OLLAMA_HOST", f"127.0.0.1:{closed_port}")
    result = nuri("models", "list")
    assert result.exit_code == 2 and "`ollama serve`" in result.stderr
