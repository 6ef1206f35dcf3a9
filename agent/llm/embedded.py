"""The embedded backend: llama.cpp in this process (xllamacpp), serving its OpenAI API on 127.0.0.1.

One runtime per process, started on first use at a free port and stopped at exit. The chat model users
get is `ToolCallRepairChatModel` around `ChatOpenAI` pointed at that port. The PyPI xllamacpp wheel is a
CPU build: GPU layers apply to Ollama, or to a CUDA build of llama.cpp installed by the user.
"""

from __future__ import annotations

import atexit
import gc
import logging
import os
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from agent.llm.assets import PreparedModel, prepare_model
from agent.llm.handle import ChatHandle, memoized_counter
from agent.llm.repair import ToolCallRepairChatModel
from config import NuriError, Settings

log = logging.getLogger(__name__)

_LOCK = threading.Lock()
_RUNTIME: EmbeddedRuntime | None = None
_READY_TIMEOUT = 60.0


@dataclass
class EmbeddedRuntime:
    """A running xllamacpp server: where it listens and what it loaded."""

    server: Any
    base_url: str  # http://127.0.0.1:PORT (no /v1)
    model: PreparedModel
    n_ctx: int
    threads: int
    load_seconds: float
    # One pooled connection for /tokenize: a new TCP connection per call cost ~40 ms here vs ~2 ms pooled,
    # and the context budget tokenizes several texts before every model call.
    http: httpx.Client = field(default_factory=lambda: httpx.Client(timeout=30), repr=False)

    @property
    def openai_url(self) -> str:
        return f"{self.base_url}/v1"

    def tokenize(self, text: str) -> list[int]:
        """Token ids of `text` by the loaded model (llama.cpp `/tokenize`)."""
        response = self.http.post(f"{self.base_url}/tokenize", json={"content": text})
        response.raise_for_status()
        return list(response.json()["tokens"])


def _threads(settings: Settings) -> int:
    return settings.threads or max(1, os.cpu_count() or 1)


def _native_stderr_to(log_file: Path) -> None:
    """Point fd 2 (where llama.cpp writes) at the log file; Python's own stderr keeps the terminal.

    Only for NURI_LOG_LEVEL=DEBUG: otherwise llama.cpp is silenced at the source (verbosity -1).
    """
    global _STDERR_REDIRECTED
    if _STDERR_REDIRECTED:
        return
    log_file.parent.mkdir(parents=True, exist_ok=True)
    sys.stderr.flush()
    terminal = os.dup(2)
    log_fd = os.open(log_file, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    os.dup2(log_fd, 2)
    os.close(log_fd)
    sys.stderr = open(terminal, "w", encoding="utf-8", errors="replace", buffering=1, closefd=True)  # noqa: SIM115
    _STDERR_REDIRECTED = True


_STDERR_REDIRECTED = False


def _start(model: PreparedModel, n_ctx: int, threads: int, verbose: bool) -> EmbeddedRuntime:
    import xllamacpp

    params = xllamacpp.CommonParams()
    params.model.path = str(model.path)
    params.n_ctx = n_ctx
    params.n_parallel = 1  # one slot owns the whole window; requests queue
    # Each keep-alive HTTP connection holds a server thread; the default (a few threads on 2 cores) let
    # pooled clients (ChatOpenAI, the UI, a benchmark) starve each other for seconds.
    params.n_threads_http = 16
    params.cpuparams.n_threads = threads
    params.cpuparams_batch.n_threads = threads
    params.use_jinja = True  # the GGUF's own chat template, tools included
    params.hostnames = ["127.0.0.1"]
    params.port = 0  # the OS picks a free port; listening_address tells which
    # llama.cpp logs every request to fd 2: silenced, or (DEBUG) sent to the log file by the caller.
    if not verbose:
        params.verbosity = -1
    started = time.perf_counter()
    try:
        server = xllamacpp.Server(params)
    except Exception as error:  # noqa: BLE001 - the native layer raises plain RuntimeErrors
        log.exception("xllamacpp failed to load %s", model.path)
        raise NuriError(
            f"내장 llama.cpp가 모델을 불러오지 못했습니다 ({model.path.name}: {error}).",
            hint="`nuri doctor`로 GGUF 파일을 확인하거나 NURI_GGUF로 다른 모델을 지정하세요.",
        ) from error
    base_url = str(server.listening_address).rstrip("/")
    _wait_ready(base_url)
    seconds = time.perf_counter() - started
    log.info(
        "embedded llama.cpp serving %s at %s (n_ctx=%d, threads=%d, %.1f s)",
        model.path,
        base_url,
        n_ctx,
        threads,
        seconds,
    )
    return EmbeddedRuntime(server, base_url, model, n_ctx, threads, seconds)


def _wait_ready(base_url: str) -> None:
    deadline = time.monotonic() + _READY_TIMEOUT
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base_url}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise NuriError(
        f"내장 llama.cpp 서버가 {_READY_TIMEOUT:.0f}초 안에 준비되지 않았습니다.",
        hint="다른 프로그램이 CPU를 많이 쓰는지 확인하고 다시 실행하세요.",
    )


def ensure_runtime(settings: Settings) -> EmbeddedRuntime:
    """The process's runtime, started on first call; restarted only if the model or window changed."""
    global _RUNTIME
    with _LOCK:
        model = prepare_model(settings)
        wanted = (model.path, settings.num_ctx, _threads(settings))
        if _RUNTIME is not None:
            if (_RUNTIME.model.path, _RUNTIME.n_ctx, _RUNTIME.threads) == wanted:
                return _RUNTIME
            _stop_locked()
        verbose = settings.log_level.upper() == "DEBUG"
        if verbose:
            _native_stderr_to(settings.log_file)
        _RUNTIME = _start(model, settings.num_ctx, _threads(settings), verbose)
        return _RUNTIME


def current_runtime() -> EmbeddedRuntime | None:
    return _RUNTIME


def _stop_locked() -> None:
    global _RUNTIME
    runtime, _RUNTIME = _RUNTIME, None
    if runtime is not None:
        log.info("stopping embedded llama.cpp at %s", runtime.base_url)
        # ~Server stops the HTTP loop and frees the model; drop every reference, then collect.
        runtime.http.close()
        runtime.server = None
        del runtime
        gc.collect()


def stop_runtime() -> None:
    """Stop the embedded server (also registered to run at interpreter exit)."""
    with _LOCK:
        _stop_locked()


atexit.register(stop_runtime)


def chat_model_for(runtime: EmbeddedRuntime, settings: Settings, **overrides: Any) -> ToolCallRepairChatModel:
    """The chat model users get: repair wrapper -> ChatOpenAI -> this runtime."""
    params: dict[str, Any] = {
        "base_url": runtime.openai_url,
        "api_key": "local",
        "model": runtime.model.label,
        "temperature": settings.temperature,
        "top_p": settings.top_p,
        "max_tokens": settings.num_predict,
        "timeout": settings.request_timeout,
        "max_retries": 1,
        "stream_usage": True,
        "extra_body": {"top_k": settings.top_k},
    }
    params.update(overrides)
    return ToolCallRepairChatModel(**params)


def open_embedded(settings: Settings) -> ChatHandle:
    """Start (or reuse) the runtime and hand back the repaired chat model with its provenance."""
    runtime = ensure_runtime(settings)
    handle = ChatHandle(
        model=chat_model_for(runtime, settings),
        backend="embedded",
        model_name=runtime.model.label,
        context_length=runtime.n_ctx,
        count_tokens=memoized_counter(lambda text: len(runtime.tokenize(text))),
        token_count_exact=True,
    )
    if settings.gguf is None:
        handle.notes.append(
            f"내장 llama.cpp(CPU)에서 기본 모델 {Path(runtime.model.path).name}을 실행합니다."
        )
    else:
        handle.notes.append(f"내장 llama.cpp(CPU)에서 NURI_GGUF 모델 {runtime.model.path}을 실행합니다.")
    return handle
