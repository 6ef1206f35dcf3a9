"""`open_chat_model(settings)`: the one place that decides which backend answers.

auto = Ollama when it is reachable and has the configured model, else the embedded llama.cpp runtime;
`handle.notes` records why, so CLI and UI can say it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from agent.llm.handle import Backend, ChatHandle
from config import NuriError, Settings

log = logging.getLogger(__name__)

PROVIDERS = ("auto", "ollama", "openai", "embedded")


@dataclass(frozen=True)
class BackendChoice:
    """Which backend a provider setting leads to, and a Korean line saying why."""

    backend: Backend
    reason: str


def _unknown(provider: object) -> NuriError:
    return NuriError(
        f"알 수 없는 LLM 제공자입니다: {provider!r}.",
        hint="NURI_PROVIDER를 auto, ollama, openai, embedded 중 하나로 설정하세요.",
    )


def choose_backend(settings: Settings, *, probe_timeout: float = 1.0) -> BackendChoice:
    """Decide without starting anything (`nuri doctor` shows this)."""
    provider = settings.provider
    if provider not in PROVIDERS:
        raise _unknown(provider)
    if provider != "auto":
        return BackendChoice(provider, f"NURI_PROVIDER={provider}로 지정되어 있습니다.")  # type: ignore[arg-type]
    try:
        from agent.llm.ollama import probe_ollama  # lazy: the Ollama side is optional here
    except ImportError:
        log.info("agent.llm.ollama not importable; auto treats Ollama as unreachable", exc_info=True)
        return BackendChoice("embedded", "auto: Ollama 백엔드를 불러올 수 없어 내장 모델을 씁니다.")
    probe = probe_ollama(settings, timeout=probe_timeout)
    if probe.reachable and probe.has_model:
        return BackendChoice(
            "ollama", f"auto: Ollama({settings.ollama_host})에 모델 {settings.model}이 있어 사용합니다."
        )
    if probe.reachable:
        why = f"Ollama에 모델 {settings.model}이 없어"
    else:
        why = f"Ollama({settings.ollama_host})에 연결할 수 없어"
    return BackendChoice("embedded", f"auto: {why} 내장 모델을 씁니다.")


def open_chat_model(settings: Settings) -> ChatHandle:
    """A ready chat model for `settings.provider`; raises `NuriError` with a Korean line when it cannot."""
    choice = choose_backend(settings)
    if choice.backend == "ollama":
        from agent.llm.ollama import open_ollama

        handle = open_ollama(settings)
    elif choice.backend == "openai":
        from agent.llm.openai_compat import open_openai

        handle = open_openai(settings)
    else:
        from agent.llm.embedded import open_embedded

        handle = open_embedded(settings)
    handle.notes.insert(0, choice.reason)
    log.info("chat model: %s (%s)", handle.badge(), choice.reason)
    return handle
