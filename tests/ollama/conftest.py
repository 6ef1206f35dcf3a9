"""Fixtures for the Ollama tests: a fake Ollama server, settings pointing at it, a closed port."""

from __future__ import annotations

import socket

import pytest

from agent.llm.modelfile import gotemplates
from config import Settings
from tests.ollama.fake_ollama import FakeOllama


@pytest.fixture
def fake_ollama():
    with FakeOllama() as server:
        server.add_model("nuri-llama3-ko", template=gotemplates.LLAMA3, system="당신은 누리입니다.")
        yield server


@pytest.fixture
def settings(fake_ollama) -> Settings:
    return Settings(provider="ollama", ollama_host=fake_ollama.url, model="nuri-llama3-ko", num_ctx=4096)


@pytest.fixture
def closed_port() -> int:
    """A loopback port that nothing listens on (bound, then closed)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
