"""A fake llama.cpp server: a real HTTP server on 127.0.0.1 (port 0) with the two endpoints the summarizer uses.

- `POST /tokenize` `{"content": text}` -> `{"tokens": [...]}` with a deterministic tokenizer (`fake_tokens`,
  one token per Hangul syllable, Latin word, digit or symbol) that tests share for their own counts.
- `POST /v1/chat/completions` (OpenAI-compatible, plain or streamed): the prompt is counted with the same
  tokenizer plus a chat-template cost per message; a request whose prompt plus its `max_tokens` exceeds
  `n_ctx` is answered 400 with llama.cpp's "exceeds the available context size" error. Answers are
  deterministic extracts of the data block (its first sentences, `[n]` markers kept), cut to `max_tokens`.

Every request is recorded (prompt tokens, max tokens, status), so a test asserts at the server that no
request exceeded the window. `delay` makes every completion slow (a model that times out).
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx

_TOKEN = re.compile(r"[가-힣]|[A-Za-z]+|\d|[^\s\w]|[^\s]")
PER_MESSAGE = 4  # <|im_start|>role\n ... <|im_end|>\n
PER_REQUEST = 3  # <|im_start|>assistant\n
DATA = re.compile(r"<<<자료 시작:[^\n]*>>>\n(.*?)\n<<<자료 끝>>>", re.DOTALL)
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_MARKER = re.compile(r"\[\d+\]")


def fake_tokens(text: str) -> list[str]:
    """The fake model's tokens: Hangul syllables, Latin words, digits and symbols, one each.

    >>> fake_tokens("서울 subway 12.")
    ['서', '울', 'subway', '1', '2', '.']
    """
    return _TOKEN.findall(text)


def fake_count(text: str) -> int:
    return len(fake_tokens(text))


def prompt_tokens(messages: list[dict[str, Any]]) -> int:
    """What the fake server charges for a chat request's prompt: contents plus template tokens."""
    total = PER_REQUEST
    for message in messages:
        content = message.get("content") or ""
        if isinstance(content, list):
            content = " ".join(part.get("text", "") for part in content if isinstance(part, dict))
        total += PER_MESSAGE + fake_count(str(content))
    return total


def extract_answer(messages: list[dict[str, Any]], limit: int) -> str:
    """A deterministic 'summary': the data block's first three sentences, cut to `limit` tokens."""
    user = str(messages[-1].get("content") or "")
    match = DATA.search(user)
    data = match.group(1) if match else user
    sentences = [s.strip() for s in _SENTENCE.split(" ".join(data.split())) if s.strip()]
    # Like a model asked to cite, it keeps one sentence per [n] source, then the first ones up to three.
    keep: list[int] = []
    for marker in dict.fromkeys(_MARKER.findall(data)):
        keep += [next(i for i, s in enumerate(sentences) if marker in s)]
    keep += [i for i in range(len(sentences)) if i not in keep][: max(0, 3 - len(keep))]
    sentences = [sentences[i] for i in sorted(set(keep))]
    out: list[str] = []
    used = 0
    for sentence in sentences or ["요약할 내용이 없습니다."]:
        tokens = _TOKEN.findall(sentence)
        room = limit - used
        if room <= 0:
            break
        if len(tokens) > room:  # cut mid-sentence, as a model hitting max_tokens does
            sentence = "".join(tokens[:room])
        out.append(sentence)
        used += min(len(tokens), room)
    return "\n".join(out)


@dataclass
class ChatRecord:
    prompt_tokens: int
    max_tokens: int
    status: int
    messages: list[dict[str, Any]]


class FakeLlamaCpp:
    """`with FakeLlamaCpp(n_ctx=2048) as server: ChatOpenAI(base_url=server.openai_url, ...)`."""

    def __init__(self, n_ctx: int = 2048, *, reply_tokens: int = 120, delay: float = 0.0) -> None:
        self.n_ctx = n_ctx
        self.reply_tokens = reply_tokens  # how long an answer is when max_tokens allows
        self.delay = delay
        self.scripted: list[str] = []  # replies given first, in order, instead of the extracted answer
        self.chats: list[ChatRecord] = []
        self.tokenize_calls = 0
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    @property
    def openai_url(self) -> str:
        return self.base_url + "/v1"

    def counter(self) -> Callable[[str], int]:
        """A token counter that asks this server's `/tokenize`, as the embedded runtime's handle does."""
        client = httpx.Client(base_url=self.base_url, timeout=10)

        def count(text: str) -> int:
            response = client.post("/tokenize", json={"content": text})
            response.raise_for_status()
            return len(response.json()["tokens"])

        return count

    def __enter__(self) -> FakeLlamaCpp:
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05})
        self._thread.daemon = True
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    # --- requests ----------------------------------------------------------------------------------
    def _chat(self, body: dict[str, Any]) -> tuple[int, dict[str, Any] | None, str]:
        messages = body.get("messages") or []
        prompt = prompt_tokens(messages)
        limit = body.get("max_completion_tokens") or body.get("max_tokens") or body.get("n_predict") or 0
        status = 400 if prompt + limit > self.n_ctx else 200
        with self._lock:
            self.chats.append(ChatRecord(prompt, limit, status, messages))
        if status == 400:
            return (
                400,
                {
                    "error": {
                        "code": 400,
                        "message": "the request exceeds the available context size, try increasing it",
                        "type": "exceed_context_size_error",
                        "n_prompt_tokens": prompt,
                        "n_ctx": self.n_ctx,
                    }
                },
                "",
            )
        if self.delay:
            time.sleep(self.delay)
        with self._lock:
            scripted = self.scripted.pop(0) if self.scripted else None
        answer = scripted or extract_answer(messages, min(limit or self.reply_tokens, self.reply_tokens))
        return 200, None, answer

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body go out in two writes: no 40 ms stalls

            def log_message(self, *args: object) -> None:
                pass

            def _send(self, status: int, payload: Any, content_type: str = "application/json") -> None:
                data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                try:
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):  # a client that timed out and left
                    pass

            def do_GET(self) -> None:
                if self.path.rstrip("/") == "/v1/models":
                    self._send(200, {"object": "list", "data": [{"id": "fake", "object": "model"}]})
                else:
                    self._send(404, {"error": {"code": 404, "message": "not found"}})

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
                if self.path == "/tokenize":
                    with server._lock:
                        server.tokenize_calls += 1
                    self._send(
                        200, {"tokens": [sum(map(ord, t)) % 150_000 for t in fake_tokens(body["content"])]}
                    )
                    return
                if self.path != "/v1/chat/completions":
                    self._send(404, {"error": {"code": 404, "message": "not found"}})
                    return
                status, error, answer = server._chat(body)
                if error is not None:
                    self._send(status, error)
                    return
                usage = {
                    "prompt_tokens": server.chats[-1].prompt_tokens,
                    "completion_tokens": fake_count(answer),
                }
                if body.get("stream"):
                    chunks = [
                        {"choices": [{"index": 0, "delta": {"role": "assistant", "content": answer}}]},
                        {"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}], "usage": usage},
                    ]
                    sse = "".join(f"data: {json.dumps(c)}\n\n" for c in chunks) + "data: [DONE]\n\n"
                    self._send(200, sse.encode(), "text/event-stream")
                    return
                self._send(
                    200,
                    {
                        "id": "chatcmpl-fake",
                        "object": "chat.completion",
                        "created": int(time.time()),
                        "model": "fake",
                        "choices": [
                            {
                                "index": 0,
                                "message": {"role": "assistant", "content": answer},
                                "finish_reason": "stop",
                            }
                        ],
                        "usage": {**usage, "total_tokens": sum(usage.values())},
                    },
                )

        return Handler
