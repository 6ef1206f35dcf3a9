"""Backend selection: auto against a real loopback HTTP server that answers as Ollama does, explicit providers."""

from __future__ import annotations

import json
import socket
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from agent.llm import factory
from agent.llm.handle import ChatHandle
from agent.llm.openai_compat import open_openai, probe_openai
from config import NuriError, Settings
from tests.llm.scripted import ScriptedInner


class _Handler(BaseHTTPRequestHandler):
    models: list[str] = []

    def log_message(self, *args) -> None:  # keep pytest output clean
        pass

    def _json(self, status: int, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        if self.path == "/api/tags":
            self._json(200, {"models": [{"name": m, "model": m} for m in self.models]})
        elif self.path == "/v1/models":
            self._json(200, {"object": "list", "data": [{"id": "served", "object": "model"}]})
        else:
            self._json(404, {"error": "not found"})

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length) or b"{}")
        if self.path == "/api/show" and f"{body.get('model')}:latest" in self.models:
            self._json(
                200,
                {
                    "template": "{{ .Prompt }}",
                    "model_info": {"general.architecture": "llama", "llama.context_length": 8192},
                },
            )
        else:
            self._json(404, {"error": f"model '{body.get('model')}' not found"})


@pytest.fixture
def fake_server() -> Iterator[tuple[str, type[_Handler]]]:
    handler = type("Handler", (_Handler,), {"models": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", handler
    server.shutdown()
    server.server_close()


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_auto_picks_ollama_when_it_has_the_model(fake_server) -> None:
    url, handler = fake_server
    handler.models = ["nuri-llama3-ko:latest", "bge-m3:latest"]
    choice = factory.choose_backend(Settings(ollama_host=url))
    assert choice.backend == "ollama" and "nuri-llama3-ko" in choice.reason


def test_auto_falls_back_when_the_model_is_missing(fake_server) -> None:
    url, handler = fake_server
    handler.models = ["other:latest"]
    choice = factory.choose_backend(Settings(ollama_host=url))
    assert choice.backend == "embedded" and "없어" in choice.reason


def test_auto_falls_back_when_ollama_is_down() -> None:
    choice = factory.choose_backend(Settings(ollama_host=f"http://127.0.0.1:{closed_port()}"))
    assert choice.backend == "embedded" and "연결할 수 없어" in choice.reason


def test_auto_treats_a_missing_ollama_module_as_unreachable(monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "agent.llm.ollama", None)  # import now raises ImportError
    assert factory.choose_backend(Settings()).backend == "embedded"


@pytest.mark.parametrize("provider", ["embedded", "openai", "ollama"])
def test_explicit_provider_is_obeyed_without_probing(provider: str, monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "agent.llm.ollama", None)
    choice = factory.choose_backend(Settings(provider=provider))
    assert choice.backend == provider and f"NURI_PROVIDER={provider}" in choice.reason


def test_unknown_provider_is_a_korean_error() -> None:
    settings = Settings.model_construct(provider="gpt-5")
    with pytest.raises(NuriError, match="알 수 없는 LLM 제공자") as caught:
        factory.open_chat_model(settings)
    assert "auto, ollama, openai, embedded" in str(caught.value)


def test_open_chat_model_records_why_auto_chose_embedded(monkeypatch) -> None:
    import agent.llm.embedded as embedded

    fake = ChatHandle(
        model=ScriptedInner(replies=["네"]), backend="embedded", model_name="m", context_length=4096
    )
    monkeypatch.setattr(embedded, "open_embedded", lambda settings: fake)
    handle = factory.open_chat_model(Settings(ollama_host=f"http://127.0.0.1:{closed_port()}"))
    assert handle is fake
    assert handle.notes[0].startswith("auto:") and "내장 모델" in handle.notes[0]


def test_openai_needs_a_base_url() -> None:
    with pytest.raises(NuriError, match="NURI_OPENAI_BASE_URL"):
        open_openai(Settings(provider="openai"))


def test_openai_handle_and_probe(fake_server) -> None:
    url, _ = fake_server
    settings = Settings(provider="openai", openai_base_url=f"{url}/v1", model="served", num_ctx=16384)
    handle = open_openai(settings)
    assert handle.backend == "openai" and handle.badge() == "openai · served · ctx 16,384"
    assert handle.model.force_with_schema is False and handle.model.inner.openai_api_base == f"{url}/v1"
    assert probe_openai(settings) is None
    down = Settings(openai_base_url=f"http://127.0.0.1:{closed_port()}/v1")
    assert "연결할 수 없습니다" in probe_openai(down)
