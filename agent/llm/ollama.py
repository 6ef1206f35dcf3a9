"""The Ollama backend: is the server there and does it have the model (`probe_ollama`), and a guarded
`ChatOllama` for it (`open_ollama`) that always sends `num_ctx`, capped at the model's trained context."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

import httpx

from agent.llm import ollama_errors
from agent.llm.handle import ChatHandle
from agent.llm.ollama_budget import estimate_text_tokens, rates_for
from agent.llm.ollama_chat import OllamaChat
from config import NuriError, Settings

log = logging.getLogger(__name__)

__all__ = ["OllamaProbe", "context_length_of", "model_listed", "open_ollama", "probe_ollama"]


@dataclass
class OllamaProbe:
    """What `/api/tags` and `/api/show` said. `error` is a Korean line with the fixing command, or None."""

    reachable: bool
    has_model: bool
    context_length: int | None = None
    template: str | None = None
    error: str | None = None
    model_info: dict[str, Any] = field(default_factory=dict, repr=False)
    system: str | None = None
    capabilities: list[str] = field(default_factory=list)


def model_listed(requested: str, names: list[str]) -> bool:
    """Whether `requested` is among Ollama's model names, where a bare name means its `:latest` tag.

    >>> model_listed("nuri-llama3-ko", ["nuri-llama3-ko:latest", "bge-m3:latest"])
    True
    >>> model_listed("qwen2.5:7b", ["qwen2.5:latest"])
    False
    """
    wanted = requested if ":" in requested.rsplit("/", 1)[-1] else f"{requested}:latest"
    return any(name in (requested, wanted) for name in names)


def context_length_of(model_info: dict[str, Any]) -> int | None:
    """The trained context from `/api/show` model_info (`<arch>.context_length`).

    >>> context_length_of({"general.architecture": "llama", "llama.context_length": 8192})
    8192
    >>> context_length_of({}) is None
    True
    """
    arch = model_info.get("general.architecture")
    value = model_info.get(f"{arch}.context_length")
    if not isinstance(value, int):
        value = next(
            (v for k, v in model_info.items() if k.endswith(".context_length") and isinstance(v, int)), None
        )
    return value


def probe_ollama(settings: Settings, timeout: float = 1.0) -> OllamaProbe:
    """Ask Ollama whether it runs and has `settings.model`; never raises for a server that is down."""
    url = ollama_errors.base_url(settings.ollama_host)
    model = settings.model
    try:
        with httpx.Client(base_url=url, timeout=timeout) as client:
            tags = client.get("/api/tags")
            tags.raise_for_status()
            names = [str(m.get("name") or m.get("model")) for m in tags.json().get("models", [])]
            if not model_listed(model, names):
                return OllamaProbe(True, False, error=ollama_errors.model_missing(model).message)
            show = client.post("/api/show", json={"model": model})
            show.raise_for_status()
            details = show.json()
    except httpx.TimeoutException:
        return OllamaProbe(False, False, error=ollama_errors.timed_out(settings.ollama_host, timeout).message)
    except httpx.TransportError:
        return OllamaProbe(False, False, error=ollama_errors.server_down(settings.ollama_host).message)
    except httpx.HTTPStatusError as error:
        mapped = ollama_errors.http_error(error.response.status_code, error.response.text, model=model)
        has_model = error.response.status_code != 404 and error.request.url.path.endswith("/show")
        return OllamaProbe(True, has_model, error=mapped.message)
    except ValueError:
        return OllamaProbe(
            False, False, error=f"{url}의 응답이 Ollama API가 아닙니다. NURI_OLLAMA_HOST를 확인하세요."
        )
    model_info = details.get("model_info") or {}
    return OllamaProbe(
        reachable=True,
        has_model=True,
        context_length=context_length_of(model_info),
        template=details.get("template"),
        model_info=model_info,
        system=details.get("system"),
        capabilities=list(details.get("capabilities") or []),
    )


def open_ollama(settings: Settings) -> ChatHandle:
    """A ready Ollama chat model, or a Korean error naming the command that fixes what is missing."""
    probe = probe_ollama(settings, timeout=min(settings.request_timeout, 5.0))
    if probe.error or not probe.has_model:
        raise NuriError(probe.error or ollama_errors.model_missing(settings.model).message)
    notes = [f"Ollama {ollama_errors.base_url(settings.ollama_host)}"]
    num_ctx = settings.num_ctx
    if probe.context_length and num_ctx > probe.context_length:
        notes.append(f"num_ctx {num_ctx:,} → {probe.context_length:,} (모델이 학습한 최대 길이)")
        num_ctx = probe.context_length
    if settings.num_predict >= num_ctx:
        raise NuriError(
            f"NURI_NUM_PREDICT({settings.num_predict:,})가 문맥 창({num_ctx:,})보다 큽니다. "
            "NURI_NUM_PREDICT를 줄이세요."
        )
    if probe.capabilities and "tools" not in probe.capabilities:
        notes.append("이 모델 템플릿은 도구 호출을 지원하지 않습니다")
    model = OllamaChat(
        model=settings.model,
        base_url=ollama_errors.base_url(settings.ollama_host),
        num_ctx=num_ctx,
        num_predict=settings.num_predict,
        temperature=settings.temperature,
        top_k=settings.top_k,
        top_p=settings.top_p,
        num_gpu=settings.gpu_layers,
        keep_alive=settings.keep_alive,
        client_kwargs={"timeout": settings.request_timeout},
        token_rates=rates_for(probe.model_info, probe.template),
        default_system=probe.system,
        request_timeout=settings.request_timeout,
    )
    log.info("ollama backend: model %s, num_ctx %d, host %s", settings.model, num_ctx, settings.ollama_host)
    rates = rates_for(probe.model_info, probe.template)
    return ChatHandle(
        model=model,
        backend="ollama",
        model_name=settings.model,
        context_length=num_ctx,
        notes=notes,
        count_tokens=lambda text: estimate_text_tokens(text, rates),
    )
