"""From a GGUF's own metadata to an Ollama model definition: a Modelfile text or an `/api/create` body."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from agent.llm.modelfile.families import TemplateFamily, detect_family, family_by_name, unknown_family_error
from agent.llm.modelfile.gguf_info import GGUFInfo, read_gguf_info
from config import NuriError

DEFAULT_SYSTEM = (
    "당신은 '누리'라는 한국어 도우미입니다. 질문에 한국어로 정확하고 간결하게 답하세요. "
    "주어진 자료에 없는 내용은 지어내지 말고 모른다고 말하세요."
)
# Used when a GGUF records no trained context (old conversions): small enough for any 7-8B model.
FALLBACK_NUM_CTX = 4096


@dataclass(frozen=True)
class ModelSpec:
    """Everything Ollama needs to serve one GGUF correctly."""

    gguf: GGUFInfo
    family: TemplateFamily
    num_ctx: int
    system: str

    @property
    def parameters(self) -> dict[str, Any]:
        return {"stop": list(self.family.stop), "num_ctx": self.num_ctx}


def build_spec(
    gguf_path: Path,
    *,
    family: str | None = None,
    system: str | None = None,
    num_ctx: int | None = None,
) -> ModelSpec:
    """Read the GGUF and choose its family (explicit `family` beats detection) and context window."""
    info = read_gguf_info(gguf_path)
    if family:
        chosen = family_by_name(family)
    else:
        detected = detect_family(info.chat_template, info.architecture)
        if detected is None:
            raise unknown_family_error(info.path.name)
        chosen = detected
    if num_ctx is not None and num_ctx < 256:
        raise NuriError(f"num_ctx {num_ctx}는 너무 작습니다. 256 이상으로 지정하세요.")
    context = num_ctx or info.context_length or FALLBACK_NUM_CTX
    return ModelSpec(
        gguf=info, family=chosen, num_ctx=context, system=DEFAULT_SYSTEM if system is None else system
    )


def _quoted(text: str, what: str) -> str:
    # A Modelfile value in triple quotes cannot itself contain three double quotes.
    if '"""' in text:
        raise NuriError(
            f'{what}에 """가 들어 있어 Modelfile에 쓸 수 없습니다. 그 부분을 고친 뒤 다시 실행하세요.'
        )
    return f'"""{text}"""'


def render_modelfile(spec: ModelSpec, *, from_path: str | None = None) -> str:
    """The Modelfile text: FROM, TEMPLATE, PARAMETER stop/num_ctx, SYSTEM.

    `from_path` overrides the FROM line (default: the GGUF's absolute path).
    """
    info = spec.gguf
    source = from_path or str(info.path.resolve())
    header = [
        f"# Modelfile for {info.name or info.path.name}, written by `nuri models modelfile` from the GGUF's own",
        f"# metadata: architecture {info.architecture}, weights {info.file_type}, chat template family "
        f"{spec.family.name} ({spec.family.label}),",
        f"# trained context {info.context_length or 'unknown'} tokens"
        + ("" if spec.family.tools else "; this template has no tool calling")
        + ".",
    ]
    lines = [*header, f"FROM {source}", f"TEMPLATE {_quoted(spec.family.template, 'TEMPLATE')}"]
    lines += [f"PARAMETER stop {_stop_literal(token)}" for token in spec.family.stop]
    lines.append(f"PARAMETER num_ctx {spec.num_ctx}")
    if spec.system:
        lines.append(f"SYSTEM {_quoted(spec.system, 'SYSTEM')}")
    return "\n".join(lines) + "\n"


def _stop_literal(token: str) -> str:
    """A stop token as a Modelfile string.

    >>> _stop_literal("<|eot_id|>")
    '"<|eot_id|>"'
    """
    return '"' + token.replace("\\", "\\\\").replace('"', '\\"') + '"'


def create_request(name: str, spec: ModelSpec, digest: str, *, quantize: str | None = None) -> dict[str, Any]:
    """The JSON body of `POST /api/create` for a GGUF already uploaded as blob `digest`."""
    body: dict[str, Any] = {
        "model": name,
        "files": {spec.gguf.path.name if spec.gguf.path.suffix == ".gguf" else "model.gguf": digest},
        "template": spec.family.template,
        "parameters": spec.parameters,
        "stream": True,
    }
    if spec.system:
        body["system"] = spec.system
    if quantize:
        body["quantize"] = quantize
    return body
