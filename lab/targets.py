"""Model specs for the lab: which backend, which model, and the settings that open it.

Spec forms:
  path/to/model.gguf         a GGUF file in the embedded llama.cpp runtime
  embedded | default         the embedded default model (what `nuri model prepare` made)
  ollama:NAME or a bare NAME an Ollama model on `NURI_OLLAMA_HOST`
  openai:URL#MODEL           a model on an OpenAI-compatible server (vLLM, llama.cpp server, ...)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from config import NuriError, Settings

TargetKind = Literal["embedded", "ollama", "openai"]


@dataclass(frozen=True)
class Target:
    """One model to measure."""

    spec: str  # as the user wrote it
    kind: TargetKind
    name: str  # Ollama/OpenAI model name, or the GGUF path
    base_url: str | None = None  # openai only

    @property
    def label(self) -> str:
        """A short, file-safe name for tables and charts.

        >>> parse_target("openai:http://gpu:8000/v1#Qwen/Qwen2.5-7B").label
        'Qwen2.5-7B@gpu'
        >>> parse_target("/m/qwen-0.5b-q4_k_m.gguf").label
        'qwen-0.5b-q4_k_m'
        """
        if self.kind == "embedded":
            return Path(self.name).stem if self.name else "embedded-default"
        if self.kind == "openai":
            host = re.sub(r"^https?://", "", self.base_url or "").split("/")[0].split(":")[0]
            return f"{self.name.rsplit('/', 1)[-1]}@{host}"
        return self.name


def parse_target(spec: str) -> Target:
    """Read one model spec; a Korean error says which forms are allowed.

    >>> parse_target("ollama:qwen2.5:1.5b")
    Target(spec='ollama:qwen2.5:1.5b', kind='ollama', name='qwen2.5:1.5b', base_url=None)
    >>> parse_target("exaone3.5").kind, parse_target("models/a.GGUF").kind, parse_target("default").name
    ('ollama', 'embedded', '')
    """
    text = spec.strip()
    if not text:
        raise NuriError("모델 이름이 비어 있습니다.", hint=_FORMS)
    if text in ("embedded", "default"):
        return Target(text, "embedded", "")
    if text.lower().endswith(".gguf"):
        return Target(text, "embedded", str(Path(text).expanduser()))
    if text.startswith("openai:"):
        url, _, model = text[len("openai:") :].partition("#")
        if not re.match(r"^https?://", url) or not model:
            raise NuriError(f"OpenAI 호환 모델 지정이 잘못되었습니다: {text}.", hint=_FORMS)
        return Target(text, "openai", model, url.rstrip("/"))
    name = text[len("ollama:") :] if text.startswith("ollama:") else text
    if not name or name.startswith(("http:", "https:")):
        raise NuriError(f"Ollama 모델 이름이 잘못되었습니다: {text}.", hint=_FORMS)
    return Target(text, "ollama", name)


_FORMS = "형식: 경로.gguf, embedded, ollama:이름(또는 이름만), openai:http://서버:포트/v1#모델"


def parse_targets(specs: str) -> list[Target]:
    """Comma-separated specs, in order, without repeats (an OpenAI URL may not hold a comma).

    >>> [t.label for t in parse_targets("a.gguf, ollama:b ,a.gguf")]
    ['a', 'b']
    """
    targets: list[Target] = []
    for part in specs.split(","):
        if part.strip():
            target = parse_target(part)
            if target not in targets:
                targets.append(target)
    if not targets:
        raise NuriError("비교할 모델이 없습니다.", hint="--models 모델1,모델2 처럼 쉼표로 나누어 주세요.")
    labels = [t.label for t in targets]
    if len(set(labels)) != len(labels):
        raise NuriError(
            f"모델 이름이 겹칩니다: {', '.join(labels)}.", hint="파일 이름이 서로 다른 GGUF를 쓰세요."
        )
    return targets


def settings_for(target: Target, base: Settings) -> Settings:
    """`base` with the backend switched to `target`; sampling and the window stay as the user set them."""
    update: dict[str, object] = {"provider": target.kind}
    if target.kind == "embedded":
        update["gguf"] = Path(target.name) if target.name else None
    elif target.kind == "ollama":
        update["model"] = target.name
    else:
        update["model"] = target.name
        update["openai_base_url"] = target.base_url
    return base.model_copy(update=update)
