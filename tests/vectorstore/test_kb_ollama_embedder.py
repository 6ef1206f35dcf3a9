"""The Ollama embedder against a fake Ollama server on 127.0.0.1 (the network faked at its lowest layer)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
import pytest

from config import NuriError, Settings
from vectorstore import KnowledgeBase, OllamaEmbedder


class FakeOllama(BaseHTTPRequestHandler):
    requests: list[dict] = []

    def log_message(self, *args):  # keep test output quiet
        pass

    def do_POST(self):  # noqa: N802 - http.server's naming
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        FakeOllama.requests.append({"path": self.path, "body": body})
        if body["model"] != "bge-m3":
            self._send(404, {"error": f"model '{body['model']}' not found"})
            return
        # Deterministic 4-d vectors: how many times 요금 / 야구 / 쌀 / 반도체 occur, plus a constant.
        vectors = [
            [t.count("요금"), t.count("야구"), t.count("쌀"), t.count("반도체") + 0.1] for t in body["input"]
        ]
        self._send(200, {"model": "bge-m3", "embeddings": vectors})

    def _send(self, status: int, payload: dict):
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture
def fake_ollama():
    FakeOllama.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeOllama)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_sends_the_model_and_texts_and_normalises(fake_ollama):
    embedder = OllamaEmbedder(fake_ollama, "bge-m3", timeout=5)
    vectors = embedder.embed_passages(["지하철 요금 요금", "프로야구 야구"])
    # Exactly what goes over the wire: the model and the texts, nothing the server would reinterpret.
    assert FakeOllama.requests == [
        {"path": "/api/embed", "body": {"model": "bge-m3", "input": ["지하철 요금 요금", "프로야구 야구"]}}
    ]
    assert FakeOllama.requests[-1]["path"] == "/api/embed"
    assert FakeOllama.requests[-1]["body"]["model"] == "bge-m3"
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0)
    assert embedder.dim == 4 and embedder.name == "ollama:bge-m3"


def test_knowledge_base_on_ollama_embeddings(fake_ollama, nuri_home, corpus):
    settings = Settings(home=nuri_home, embedder="ollama", ollama_host=fake_ollama)
    kb = KnowledgeBase(settings)
    kb.add(corpus)
    assert kb.search("쌀 값", k=1, mode="dense")[0].canonical_url.endswith("/rice")
    assert kb.stats().embedder == "ollama:bge-m3"
    kb.close()


def test_missing_model_and_unreachable_server_are_korean_errors(fake_ollama):
    with pytest.raises(NuriError, match="ollama pull nomodel"):
        OllamaEmbedder(fake_ollama, "nomodel", timeout=5).embed_query("요금")
    with pytest.raises(NuriError, match="Ollama 서버\\(http://127.0.0.1:9\\)에 연결할 수 없습니다"):
        OllamaEmbedder("http://127.0.0.1:9", "bge-m3", timeout=2).embed_query("요금")
