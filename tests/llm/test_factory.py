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
from tests.ollama.fake_ollama import FakeOllama


class _OpenAIModels(BaseHTTPRequestHandler):
    """An OpenAI-compatible server's `/v1/models`, all the OpenAI probe asks for."""

    def log_message(self, *args) -> None:  # keep pytest output clean
        pass

    def do_GET(self) -> None:
        found = self.path == "/v1/models"
        body = {"object": "list", "data": [{"id": "served", "object": "model"}]} if found else {}
        data = json.dumps(body).encode()
        self.send_response(200 if found else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture
def openai_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _OpenAIModels)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def ollama() -> Iterator[FakeOllama]:
    with FakeOllama() as server:
        yield server


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_auto_picks_ollama_when_it_has_the_model(ollama) -> None:
    ollama.add_model("nuri-llama3-ko")
    ollama.add_model("bge-m3")
    choice = factory.choose_backend(Settings(ollama_host=ollama.url))
    assert choice.backend == "ollama" and "nuri-llama3-ko" in choice.reason


def test_auto_falls_back_when_the_model_is_missing(ollama) -> None:
    ollama.add_model("other")
    choice = factory.choose_backend(Settings(ollama_host=ollama.url))
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


def test_openai_handle_and_probe(openai_server) -> None:
    url = openai_server
    settings = Settings(provider="openai", openai_base_url=f"{url}/v1", model="served", num_ctx=16384)
    handle = open_openai(settings)
    assert handle.backend == "openai" and handle.badge() == "openai · served · ctx 16,384"
    assert handle.model.force_with_schema is False and handle.model.inner.openai_api_base == f"{url}/v1"
    assert probe_openai(settings) is None
    down = Settings(openai_base_url=f"http://127.0.0.1:{closed_port()}/v1")
    assert "연결할 수 없습니다" in probe_openai(down)
