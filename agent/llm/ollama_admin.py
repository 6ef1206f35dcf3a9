"""Ollama model management through its HTTP API: upload a GGUF blob, create a model, list models.

Creating follows Ollama's current API: the file goes up as a content-addressed blob (`HEAD` to skip an
upload the server already has, then `POST /api/blobs/sha256:<digest>`), and `POST /api/create` names it
under `files`, with the TEMPLATE, stop/num_ctx parameters and SYSTEM that the GGUF's metadata implies.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

from agent.llm import ollama_errors
from agent.llm.modelfile import ModelSpec, build_spec, create_request
from agent.llm.ollama import context_length_of
from config import NuriError, Settings

log = logging.getLogger(__name__)

# What Ollama's create accepts for `quantize` (docs/api.md); it quantizes only F16/F32 sources.
QUANTIZE_TYPES = ("q4_0", "q4_1", "q5_0", "q5_1", "q8_0", "q2_K", "q3_K_S", "q3_K_M", "q3_K_L")
QUANTIZE_TYPES += ("q4_K_S", "q4_K_M", "q5_K_S", "q5_K_M", "q6_K")
_BLOCK = 1024 * 1024

Progress = Callable[[str, int, int], None]  # (what, done, total)
Status = Callable[[str], None]


@dataclass(frozen=True)
class ModelRow:
    """One line of `nuri models list`."""

    name: str
    size: int
    quantization: str
    context_length: int | None
    family: str


def _client(settings: Settings, read_timeout: float) -> httpx.Client:
    timeout = httpx.Timeout(connect=5.0, read=read_timeout, write=read_timeout, pool=5.0)
    return httpx.Client(base_url=ollama_errors.base_url(settings.ollama_host), timeout=timeout)


def file_digest(path: Path, progress: Progress | None = None) -> str:
    """`sha256:<hex>` of the file, as Ollama names blobs."""
    total, done, digest = path.stat().st_size, 0, hashlib.sha256()
    with path.open("rb") as stream:
        while block := stream.read(_BLOCK):
            digest.update(block)
            done += len(block)
            if progress:
                progress("sha256", done, total)
    return f"sha256:{digest.hexdigest()}"


def upload_blob(client: httpx.Client, path: Path, digest: str, progress: Progress | None = None) -> bool:
    """Upload `path` as blob `digest` unless Ollama has it already; True when bytes were sent."""
    head = client.head(f"/api/blobs/{digest}")
    if head.status_code == 200:
        log.info("blob %s already on the server", digest)
        return False
    total = path.stat().st_size

    def chunks() -> Iterator[bytes]:
        done = 0
        with path.open("rb") as stream:
            while block := stream.read(_BLOCK):
                done += len(block)
                if progress:
                    progress("upload", done, total)
                yield block

    response = client.post(f"/api/blobs/{digest}", content=chunks(), headers={"Content-Length": str(total)})
    if response.status_code not in (200, 201):
        raise NuriError(
            f"GGUF 업로드가 거절되었습니다(HTTP {response.status_code}: "
            f"{ollama_errors.error_text(response.text)}). 파일이 바뀌지 않았는지 확인하고 다시 실행하세요."
        )
    return True


def check_quantize(spec: ModelSpec, quantize: str | None) -> str | None:
    """The canonical quantize type, or a Korean error when the type or the source file cannot do it."""
    if not quantize:
        return None
    canonical = next((q for q in QUANTIZE_TYPES if q.lower() == quantize.lower()), None)
    if canonical is None:
        raise NuriError(
            f"알 수 없는 양자화 형식 '{quantize}'입니다. 다음 중 하나를 쓰세요: {', '.join(QUANTIZE_TYPES)}."
        )
    if not spec.gguf.quantizable:
        raise NuriError(
            f"{spec.gguf.path.name}은(는) 이미 {spec.gguf.file_type}로 양자화된 파일이라 다시 양자화할 수 "
            "없습니다(Ollama는 F16/F32 원본만 양자화합니다). --quantize 없이 실행하거나 F16 GGUF를 지정하세요."
        )
    return canonical


def create_model(
    settings: Settings,
    name: str,
    spec: ModelSpec,
    *,
    quantize: str | None = None,
    progress: Progress | None = None,
    status: Status | None = None,
) -> None:
    """Create model `name` in Ollama from the spec's GGUF, reporting progress; Korean errors on failure."""
    quantize = check_quantize(spec, quantize)
    try:
        with _client(settings, read_timeout=max(settings.request_timeout, 600.0)) as client:
            digest = file_digest(spec.gguf.path, progress)
            upload_blob(client, spec.gguf.path, digest, progress)
            body = create_request(name, spec, digest, quantize=quantize)
            with client.stream("POST", "/api/create", json=body) as response:
                if response.status_code != 200:
                    response.read()
                    raise ollama_errors.http_error(response.status_code, response.text, model=name)
                for line in response.iter_lines():
                    if not line.strip():
                        continue
                    event = json.loads(line)
                    if event.get("error"):
                        raise NuriError(
                            f"Ollama가 모델을 만들지 못했습니다: {ollama_errors.error_text(line)}"
                        )
                    if status and event.get("status"):
                        status(str(event["status"]))
    except httpx.TransportError as error:
        raise ollama_errors.server_down(settings.ollama_host) from error


def create_from_gguf(
    settings: Settings,
    name: str,
    gguf: Path,
    *,
    quantize: str | None = None,
    family: str | None = None,
    system: str | None = None,
    num_ctx: int | None = None,
    progress: Progress | None = None,
    status: Status | None = None,
) -> ModelSpec:
    """Read the GGUF, choose its template family, then create the model. Returns the spec used."""
    spec = build_spec(gguf, family=family, system=system, num_ctx=num_ctx)
    check_quantize(spec, quantize)  # fail before hashing gigabytes
    create_model(settings, name, spec, quantize=quantize, progress=progress, status=status)
    return spec


def list_models(settings: Settings) -> list[ModelRow]:
    """Every model Ollama has, with size, quantization and trained context (one `/api/show` each)."""
    rows = []
    try:
        with _client(settings, read_timeout=settings.request_timeout) as client:
            tags = client.get("/api/tags")
            if tags.status_code != 200:
                raise ollama_errors.http_error(tags.status_code, tags.text, model="")
            for entry in tags.json().get("models", []):
                name = entry.get("name") or entry.get("model")
                details = entry.get("details") or {}
                show = client.post("/api/show", json={"model": name})
                info = show.json().get("model_info", {}) if show.status_code == 200 else {}
                rows.append(
                    ModelRow(
                        name=name,
                        size=int(entry.get("size") or 0),
                        quantization=details.get("quantization_level") or "?",
                        context_length=context_length_of(info or {}),
                        family=details.get("family") or info.get("general.architecture") or "?",
                    )
                )
    except httpx.TransportError as error:
        raise ollama_errors.server_down(settings.ollama_host) from error
    return rows
