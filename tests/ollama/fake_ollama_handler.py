"""The HTTP side of the fake Ollama: routing, chunked NDJSON streaming, request recording."""

from __future__ import annotations

import json
from http.server import BaseHTTPRequestHandler
from typing import Any


class OllamaHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    fake: Any = None  # the FakeOllama, bound by a subclass

    def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
        pass

    # --- plumbing -----------------------------------------------------------------------------
    def _body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            data = bytearray()
            while True:
                size = int(self.rfile.readline().strip().split(b";")[0], 16)
                if size == 0:
                    self.rfile.readline()
                    return bytes(data)
                data += self.rfile.read(size)
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _record(self, body: bytes) -> Any:
        parsed = None
        if body and self.path != "/api/blobs" and not self.path.startswith("/api/blobs/"):
            try:
                parsed = json.loads(body)
            except ValueError:
                parsed = None
        self.fake.requests.append(
            self.fake_recorded(self.command, self.path, dict(self.headers.items()), parsed, len(body))
        )
        return parsed

    @staticmethod
    def fake_recorded(*args: Any) -> Any:
        from tests.ollama.fake_ollama import Recorded

        return Recorded(*args)

    def _json(self, status: int, payload: Any) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _empty(self, status: int) -> None:
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _ndjson(self, items: list[dict]) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/x-ndjson")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        for item in items:
            line = json.dumps(item, ensure_ascii=False).encode() + b"\n"
            self.wfile.write(f"{len(line):x}\r\n".encode() + line + b"\r\n")
            self.wfile.flush()
        self.wfile.write(b"0\r\n\r\n")

    # --- verbs --------------------------------------------------------------------------------
    def do_HEAD(self) -> None:
        self._record(b"")
        if self._forced():
            return
        if self.path.startswith("/api/blobs/"):
            self._empty(200 if self.path.removeprefix("/api/blobs/") in self.fake.blobs else 404)
        elif self.path == "/":
            self._empty(200)
        else:
            self._empty(404)

    def do_GET(self) -> None:
        self._record(b"")
        if self._forced():
            return
        if self.path == "/api/version":
            self._json(200, {"version": self._version()})
        elif self.path == "/api/tags":
            self._json(200, {"models": [self._tag(m) for m in self.fake.models.values()]})
        elif self.path == "/":
            self._text(200, "Ollama is running")
        else:
            self._text(404, "404 page not found")

    def do_POST(self) -> None:
        raw = self._body()
        body = self._record(raw) or {}
        if self._forced():
            return
        if self.path.startswith("/api/blobs/"):
            status, payload = self.fake.store_blob(self.path.removeprefix("/api/blobs/"), raw)
            self._json(status, payload) if payload else self._empty(status)
        elif self.path == "/api/show":
            self._show(body)
        elif self.path == "/api/chat":
            self._chat(body)
        elif self.path == "/api/create":
            status, statuses = self.fake.create(body)
            if status != 200:
                self._json(status, statuses[-1])
            elif body.get("stream", True):
                self._ndjson(statuses)
            else:
                self._json(200, statuses[-1])
        else:
            self._text(404, "404 page not found")

    # --- endpoints ----------------------------------------------------------------------------
    def _forced(self) -> bool:
        forced = self.fake.failures.get(self.path.split("?")[0])
        if forced is None:
            return False
        status, body = forced
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)
        return True

    def _text(self, status: int, text: str) -> None:
        data = text.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _version(self) -> str:
        from tests.ollama.fake_ollama import VERSION

        return VERSION

    def _tag(self, model: Any) -> dict:
        return {
            "name": model.full_name(),
            "model": model.full_name(),
            "modified_at": "2026-11-20T09:12:44.123456789+09:00",
            "size": model.size,
            "digest": "a1b2c3d4e5f6" * 5 + "a1b2c3d4",
            "details": model.details(),
        }

    def _show(self, body: dict) -> None:
        name = body.get("model") or body.get("name") or ""
        model = self.fake.find(name)
        if model is None:
            self._json(404, {"error": f"model '{name}' not found"})
            return
        params = "\n".join(
            f"{k:<30} {json.dumps(v) if isinstance(v, str) else v}"
            for k, values in model.parameters.items()
            for v in (values if isinstance(values, list) else [values])
        )
        payload = {
            "license": "",
            "modelfile": f'# Modelfile generated by "ollama show"\nFROM {model.full_name()}\n',
            "parameters": params,
            "template": model.template,
            "details": model.details(),
            "model_info": model.info(),
            "capabilities": model.capabilities,
            "modified_at": "2026-11-20T09:12:44.123456789+09:00",
        }
        if model.system:
            payload["system"] = model.system
        self._json(200, payload)

    def _chat(self, body: dict) -> None:
        name = body.get("model") or ""
        model = self.fake.find(name)
        if model is None:
            self._json(404, {"error": f"model '{name}' not found"})
            return
        if body.get("tools") and "tools" not in model.capabilities:
            self._json(
                400, {"error": f"registry.ollama.ai/library/{model.full_name()} does not support tools"}
            )
            return
        if not self.fake.chat_replies:
            self._json(500, {"error": "fake ollama: no scripted reply left"})
            return
        chunks = self.fake.chat_replies.pop(0)
        if body.get("stream", True):
            self._ndjson(chunks)
            return
        final = dict(chunks[-1])
        message = {"role": "assistant", "content": "".join(c["message"].get("content", "") for c in chunks)}
        calls = [call for c in chunks for call in c["message"].get("tool_calls", [])]
        if calls:
            message["tool_calls"] = calls
        final["message"] = message
        self._json(200, final)
