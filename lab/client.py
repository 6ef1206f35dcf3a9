"""Direct streamed completions for plain (tool-less) tasks, so speed comes from the server's own figures.

The agent path (LangChain) does not pass llama.cpp's `timings` or Ollama's durations through, so the lab
asks the same server directly for QA and summaries: the first content chunk gives the time to first
token, the last chunk the server's prompt and decode timings.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx

from lab.metrics import Timings, llamacpp_timings, ollama_timings, usage_timings

SYSTEM_PROMPT = "당신은 한국어 도우미입니다. 질문에 한국어로 짧고 정확하게 답하세요."


@dataclass
class Completion:
    """One streamed answer and what it cost."""

    text: str
    ttft: float | None  # seconds from the request to the first content
    seconds: float  # request to the last byte
    timings: Timings = field(default_factory=Timings)


def _lines(response: httpx.Response) -> Iterator[str]:
    for line in response.iter_lines():
        if line.strip():
            yield line


def stream_openai(
    base_url: str,
    model: str,
    messages: list[dict[str, str]],
    *,
    max_tokens: int,
    api_key: str = "local",
    timeout: float = 120.0,
) -> Completion:
    """Stream `/chat/completions` (temperature 0); llama.cpp's `timings` when sent, else `usage`."""
    body: dict[str, Any] = {
        "model": model,
        "messages": messages,
        "max_tokens": max_tokens,
        "temperature": 0,
        "stream": True,
        "stream_options": {"include_usage": True},
    }
    headers = {"Authorization": f"Bearer {api_key}"}
    started = time.perf_counter()
    first: float | None = None
    parts: list[str] = []
    usage: dict[str, Any] | None = None
    timings: Timings | None = None
    with httpx.stream(
        "POST", f"{base_url.rstrip('/')}/chat/completions", json=body, headers=headers, timeout=timeout
    ) as response:
        response.raise_for_status()
        for line in _lines(response):
            if not line.startswith("data:") or line.endswith("[DONE]"):
                continue
            chunk = json.loads(line[5:])
            for choice in chunk.get("choices") or []:
                piece = (choice.get("delta") or {}).get("content") or ""
                if piece and first is None:
                    first = time.perf_counter() - started
                parts.append(piece)
            usage = chunk.get("usage") or usage
            timings = llamacpp_timings(chunk) or timings
    seconds = time.perf_counter() - started
    return Completion("".join(parts), first, seconds, timings or usage_timings(usage, first, seconds))


def stream_ollama(
    host: str,
    model: str,
    messages: list[dict[str, str]],
    *,
    max_tokens: int,
    num_ctx: int,
    timeout: float = 120.0,
) -> Completion:
    """Stream Ollama's `/api/chat` (temperature 0, `num_ctx` sent); durations from its `done` message."""
    body = {
        "model": model,
        "messages": messages,
        "stream": True,
        "options": {"temperature": 0, "num_predict": max_tokens, "num_ctx": num_ctx},
    }
    started = time.perf_counter()
    first: float | None = None
    parts: list[str] = []
    timings: Timings | None = None
    with httpx.stream("POST", f"{host.rstrip('/')}/api/chat", json=body, timeout=timeout) as response:
        response.raise_for_status()
        for line in _lines(response):
            chunk = json.loads(line)
            if chunk.get("error"):
                raise RuntimeError(str(chunk["error"]))
            piece = (chunk.get("message") or {}).get("content") or ""
            if piece and first is None:
                first = time.perf_counter() - started
            parts.append(piece)
            if chunk.get("done"):
                timings = ollama_timings(chunk)
    seconds = time.perf_counter() - started
    return Completion("".join(parts), first, seconds, timings or Timings())


def chat_messages(question: str) -> list[dict[str, str]]:
    """The plain-task conversation: the lab's Korean system prompt and the question."""
    return [{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": question}]
