"""An opened model: plain streamed completions with server timings, the agent's handle, and file facts."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from config import NuriError, Settings
from lab.client import Completion, stream_ollama, stream_openai
from lab.metrics import gpu_memory_mib, ollama_ps_memory
from lab.targets import Target, settings_for

log = logging.getLogger(__name__)


@dataclass
class Session:
    """One model, ready to answer. `info` ends up in the report's model row."""

    target: Target
    settings: Settings
    info: dict[str, Any] = field(default_factory=dict)
    _base_url: str = ""
    _model: str = ""
    _handle: Any = None

    def complete(self, messages: list[dict[str, str]], max_tokens: int) -> Completion:
        """One streamed answer at temperature 0, measured."""
        timeout = self.settings.request_timeout
        if self.target.kind == "ollama":
            return stream_ollama(
                self._base_url,
                self._model,
                messages,
                max_tokens=max_tokens,
                num_ctx=self.settings.num_ctx,
                timeout=timeout,
            )
        key = self.settings.openai_api_key.get_secret_value() if self.target.kind == "openai" else "local"
        return stream_openai(
            self._base_url, self._model, messages, max_tokens=max_tokens, api_key=key, timeout=timeout
        )

    def handle(self) -> Any:
        """The agent's `ChatHandle` for this model (opened on first use)."""
        if self._handle is None:
            from agent.llm import open_chat_model

            self._handle = open_chat_model(self.settings)
        return self._handle

    def memory(self) -> dict[str, Any]:
        """Memory the backend reports after the run: Ollama's `/api/ps`, and nvidia-smi when present."""
        found: dict[str, Any] = {"gpu_mib": gpu_memory_mib()}
        if self.target.kind == "ollama":
            import httpx

            try:
                ps = httpx.get(f"{self._base_url}/api/ps", timeout=5).json()
            except (httpx.HTTPError, ValueError):
                log.info("ollama /api/ps unavailable", exc_info=True)
                ps = {}
            sizes = ollama_ps_memory(ps, self._model) or {}
            found.update({"ollama_size": sizes.get("size"), "ollama_vram": sizes.get("size_vram")})
        return found


def gguf_facts(path: Path) -> dict[str, Any]:
    """File size and quantization type from the GGUF header."""
    from agent.llm.modelfile.gguf_info import read_gguf_info

    try:
        info = read_gguf_info(path)
    except NuriError:
        log.info("cannot read GGUF header of %s", path, exc_info=True)
        return {"file_bytes": path.stat().st_size if path.is_file() else None}
    return {"file_bytes": info.size, "quant": info.file_type, "arch": info.architecture}


def _ollama_quant(model_info: dict[str, Any]) -> str | None:
    from agent.llm.modelfile.gguf_info import file_type_name

    code = model_info.get("general.file_type")
    return file_type_name(code) if code is not None else None


def open_session(target: Target, base: Settings) -> Session:
    """Load or reach the model; a `NuriError` in Korean when it cannot (missing file, server down...)."""
    settings = settings_for(target, base)
    session = Session(target, settings, {"backend": target.kind, "spec": target.spec})
    if target.kind == "embedded":
        from agent.llm.embedded import ensure_runtime

        runtime = ensure_runtime(settings)
        session._base_url, session._model = runtime.openai_url, runtime.model.label
        session.info.update(
            load_seconds=runtime.load_seconds,
            threads=runtime.threads,
            n_ctx=runtime.n_ctx,
            **gguf_facts(Path(runtime.model.path)),
        )
    elif target.kind == "openai":
        from agent.llm.openai_compat import probe_openai

        problem = probe_openai(settings, timeout=min(settings.request_timeout, 10.0))
        if problem:
            raise NuriError(problem)
        session._base_url, session._model = target.base_url or "", target.name
    else:
        from agent.llm import ollama_errors
        from agent.llm.ollama import probe_ollama

        probe = probe_ollama(settings, timeout=min(settings.request_timeout, 10.0))
        if probe.error or not probe.has_model:
            raise NuriError(probe.error or ollama_errors.model_missing(target.name).message)
        session._base_url, session._model = ollama_errors.base_url(settings.ollama_host), target.name
        started = time.perf_counter()
        warm = session.complete([{"role": "user", "content": "안녕"}], max_tokens=1)
        session.info.update(
            load_seconds=warm.timings.load_seconds or (time.perf_counter() - started),
            quant=_ollama_quant(probe.model_info),
            n_ctx=settings.num_ctx,
        )
    return session
