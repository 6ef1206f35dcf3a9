"""A fake OpenAI-compatible server on 127.0.0.1: scripted answers streamed as SSE, llama.cpp timings last.

`answers` maps a substring of the user's question to the reply; `delay` slows every reply (to interrupt a
run half-way); every question asked is recorded in `asked`. `replay` serves recorded SSE lines verbatim.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class FakeOpenAI:
    def __init__(self, answers: dict[str, str] | None = None, *, delay: float = 0.0) -> None:
        self.answers = answers or {}
        self.delay = delay
        self.asked: list[str] = []
        self.replay: list[str] | None = None
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def __enter__(self) -> FakeOpenAI:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def reply_for(self, question: str) -> str:
        return next((a for key, a in self.answers.items() if key in question), "모르겠습니다.")

    def chunks(self, text: str) -> list[str]:
        if self.replay is not None:
            return self.replay
        base: dict[str, Any] = {"object": "chat.completion.chunk", "model": "fake"}
        pieces = [text[i : i + 3] for i in range(0, len(text), 3)]
        lines = [json.dumps({**base, "choices": [{"index": 0, "delta": {"content": p}}]}) for p in pieces]
        final = {
            **base,
            "choices": [],
            "usage": {
                "prompt_tokens": 40,
                "completion_tokens": len(pieces),
                "total_tokens": 40 + len(pieces),
            },
            "timings": {
                "prompt_n": 40,
                "prompt_ms": 200.0,
                "predicted_n": len(pieces),
                "predicted_ms": 100.0 * len(pieces),
            },
        }
        return [f"data: {line}" for line in [*lines, json.dumps(final)]] + ["data: [DONE]"]


def _handler(fake: FakeOpenAI) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            if self.path.rstrip("/").endswith("/models"):
                self._send(200, json.dumps({"object": "list", "data": [{"id": "fake-model"}]}).encode())
            else:
                self._send(404, b"{}")

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
            question = next(
                (m["content"] for m in reversed(body.get("messages", [])) if m.get("role") == "user"), ""
            )
            fake.asked.append(question)
            time.sleep(fake.delay)
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            for line in fake.chunks(fake.reply_for(question)):
                self.wfile.write(line.encode() + b"\n\n")
                self.wfile.flush()

        def _send(self, status: int, payload: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

    return Handler
