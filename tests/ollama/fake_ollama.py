"""A fake Ollama: a real HTTP server on 127.0.0.1 (port 0) answering as Ollama's documented API does.

It records every request (method, path, headers, parsed JSON) so tests assert the exact JSON sent, and
replays scripted `/api/chat` replies as NDJSON streams (chunked, `application/x-ndjson`, like Ollama) or
as one JSON object for `"stream": false`. Blobs are checked against their sha256 as Ollama does, and
`/api/create` reads the uploaded GGUF's header with `gguf.GGUFReader` (not nuri's own reader) to fill
`/api/show`'s model_info. Errors: unknown model (404 `{"error": "model 'x' not found"}`), forced status
codes per path (`fail(path, 500)`), and templates without `.Tools` refusing tool calls (400).
"""

from __future__ import annotations

import hashlib
import json
import tempfile
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

VERSION = "0.12.6"


def _now() -> str:
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    json: Any = None
    body_size: int = 0


@dataclass
class FakeModel:
    name: str
    architecture: str = "llama"
    context_length: int = 8192
    template: str = "{{ .Prompt }}"
    system: str = ""
    parameters: dict[str, Any] = field(default_factory=dict)
    quantization: str = "Q4_K_M"
    size: int = 4_920_000_000
    capabilities: list[str] = field(default_factory=lambda: ["completion", "tools"])
    model_info: dict[str, Any] = field(default_factory=dict)

    def full_name(self) -> str:
        return self.name if ":" in self.name else f"{self.name}:latest"

    def info(self) -> dict[str, Any]:
        base = {
            "general.architecture": self.architecture,
            "general.parameter_count": 8_030_261_248,
            f"{self.architecture}.context_length": self.context_length,
            f"{self.architecture}.embedding_length": 4096,
            "tokenizer.ggml.model": "gpt2",
            "tokenizer.ggml.tokens": None,  # Ollama elides vocabularies unless verbose
        }
        return {**base, **self.model_info}

    def details(self) -> dict[str, Any]:
        return {
            "parent_model": "",
            "format": "gguf",
            "family": self.architecture,
            "families": [self.architecture],
            "parameter_size": "8.0B",
            "quantization_level": self.quantization,
        }


def text_reply(*pieces: str, model: str = "nuri-llama3-ko", prompt_eval_count: int = 26) -> list[dict]:
    """Stream chunks of an answer, then the final `done` chunk with its counters."""
    chunks = [
        {"model": model, "created_at": _now(), "message": {"role": "assistant", "content": p}, "done": False}
        for p in pieces
    ]
    return [*chunks, _final(model, prompt_eval_count, len(pieces))]


def tool_call_reply(
    name: str, arguments: dict[str, Any], *, model: str = "nuri-llama3-ko", prompt_eval_count: int = 180
) -> list[dict]:
    """A tool call as Ollama streams it: one chunk whose message carries `tool_calls`, then `done`."""
    call = {"id": "call_8f2k1", "function": {"index": 0, "name": name, "arguments": arguments}}
    message = {"role": "assistant", "content": "", "tool_calls": [call]}
    return [
        {"model": model, "created_at": _now(), "message": message, "done": False},
        _final(model, prompt_eval_count, 12),
    ]


def _final(model: str, prompt_eval_count: int, eval_count: int) -> dict:
    return {
        "model": model,
        "created_at": _now(),
        "message": {"role": "assistant", "content": ""},
        "done": True,
        "done_reason": "stop",
        "total_duration": 912_000_000,
        "load_duration": 41_000_000,
        "prompt_eval_count": prompt_eval_count,
        "prompt_eval_duration": 120_000_000,
        "eval_count": eval_count,
        "eval_duration": 700_000_000,
    }


class FakeOllama:
    """Start with `with FakeOllama() as server:`; `server.url` is its base URL."""

    def __init__(self) -> None:
        self.models: dict[str, FakeModel] = {}
        self.blobs: dict[str, Path] = {}
        self.requests: list[Recorded] = []
        self.chat_replies: list[list[dict]] = []
        self.failures: dict[str, tuple[int, str]] = {}
        self._blob_dir = tempfile.TemporaryDirectory(prefix="fake-ollama-blobs-")
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.02,), daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> FakeOllama:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._blob_dir.cleanup()

    # --- scripting ----------------------------------------------------------------------------
    def add_model(self, name: str, **kwargs: Any) -> FakeModel:
        model = FakeModel(name=name, **kwargs)
        self.models[model.full_name()] = model
        return model

    def reply(self, chunks: list[dict]) -> None:
        """Queue the chunks that the next `/api/chat` request gets."""
        self.chat_replies.append(chunks)

    def fail(self, path: str, status: int, error: str = "internal error") -> None:
        """Answer every request to `path` with this status and `{"error": error}`."""
        self.failures[path] = (status, json.dumps({"error": error}))

    def find(self, name: str) -> FakeModel | None:
        return self.models.get(name if ":" in name else f"{name}:latest")

    def sent(self, path: str) -> list[Recorded]:
        return [r for r in self.requests if r.path == path]

    # --- request handling ---------------------------------------------------------------------
    def create(self, body: dict[str, Any]) -> tuple[int, list[dict]]:
        import gguf  # the reference reader, independent of nuri's

        name = body.get("model") or ""
        files = body.get("files") or {}
        statuses: list[dict] = []
        if not files and not body.get("from"):
            return 400, [{"error": "neither 'from' or 'files' was specified"}]
        info: dict[str, Any] = {}
        file_type = "unknown"
        for digest in files.values():
            if digest not in self.blobs:
                return 400, [{"error": f"blob {digest} not found"}]
            statuses.append({"status": "parsing GGUF"})
            reader = gguf.GGUFReader(self.blobs[digest])
            for key in ("general.architecture", "general.file_type"):
                if key in reader.fields:
                    info[key] = reader.fields[key].contents()
            arch = info.get("general.architecture", "llama")
            ctx_key = f"{arch}.context_length"
            if ctx_key in reader.fields:
                info[ctx_key] = int(reader.fields[ctx_key].contents())
            code = info.get("general.file_type")
            if code is not None:
                member = gguf.LlamaFileType(code)
                file_type = "F32" if code == 0 else member.name.removeprefix("MOSTLY_")
        quantize = body.get("quantize")
        if quantize:
            if file_type not in ("F16", "F32"):
                return 400, [{"error": "quantization is only supported for F16 and F32 models"}]
            statuses.append({"status": f"quantizing {file_type} model to {quantize.upper()}"})
        statuses += [{"status": "using autodetected template"} if not body.get("template") else {}]
        statuses = [s for s in statuses if s]
        statuses += [{"status": "writing manifest"}, {"status": "success"}]
        arch = info.get("general.architecture", "llama")
        self.add_model(
            name,
            architecture=arch,
            context_length=info.get(f"{arch}.context_length", 2048),
            template=body.get("template", "{{ .Prompt }}"),
            system=body.get("system", ""),
            parameters=body.get("parameters") or {},
            quantization=(quantize or file_type).upper(),
            size=sum(self.blobs[d].stat().st_size for d in files.values()),
            capabilities=["completion", "tools"] if ".Tools" in body.get("template", "") else ["completion"],
        )
        return 200, statuses

    def store_blob(self, digest: str, data: bytes) -> tuple[int, dict | None]:
        actual = "sha256:" + hashlib.sha256(data).hexdigest()
        if actual != digest:
            return 400, {"error": f"digest mismatch, expected {digest}, got {actual}"}
        path = Path(self._blob_dir.name) / digest.replace(":", "-")
        path.write_bytes(data)
        self.blobs[digest] = path
        return 201, None


def _handler_for(fake: FakeOllama) -> type[BaseHTTPRequestHandler]:
    from tests.ollama.fake_ollama_handler import OllamaHandler

    return type("BoundOllamaHandler", (OllamaHandler,), {"fake": fake})
