"""Where presets live: shipped ones in the package, the user's own in `<home>/prompts/<id>.toml`.

A user file with the id of a shipped preset is a user copy that replaces it (deleting the copy brings the
shipped one back). A user file that cannot be read is skipped with a warning and listed in `problems`,
so one bad edit never stops the app; asking for it by id gives its Korean error.
"""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
from dataclasses import replace
from pathlib import Path

from agent.presets.model import ID_PATTERN, Preset, preset_from_toml
from agent.presets.tomlfile import preset_to_toml
from config import NuriError, Settings

log = logging.getLogger(__name__)

SHIPPED_DIR = Path(__file__).resolve().parent / "shipped"
# The order `nuri prompts list` shows them in; the user's own follow, by id.
SHIPPED_ORDER = ("default", "news-analyst", "concise", "formal", "casual")


def _squash(name: str) -> str:
    """Names compare without spaces or case: '기본비서' finds '기본 비서'."""
    return "".join(name.split()).casefold()


class PresetStore:
    """Shipped and user presets of one data dir. Cheap to create: files are read on each call."""

    def __init__(self, settings: Settings, *, shipped_dir: Path = SHIPPED_DIR) -> None:
        self.settings = settings
        self.shipped_dir = shipped_dir
        self.user_dir = settings.home / "prompts"
        self.problems: dict[str, NuriError] = {}  # user file id -> why it could not be read

    @property
    def default_id(self) -> str:
        """The preset the agent answers with (`NURI_PRESET`), as configured: an id or a name."""
        return self.settings.preset

    # --- reading ---------------------------------------------------------------------------------
    def shipped(self) -> dict[str, Preset]:
        """The presets that come with nuri; a broken one is a bug, so its error is raised."""
        found = {}
        for path in sorted(self.shipped_dir.glob("*.toml")):
            text = path.read_text(encoding="utf-8")
            found[path.stem] = preset_from_toml(text, path.stem, source="shipped", path=path)
        return found

    def _user(self) -> dict[str, Preset]:
        self.problems = {}
        found = {}
        for path in sorted(self.user_dir.glob("*.toml")) if self.user_dir.is_dir() else ():
            try:
                if not ID_PATTERN.match(path.stem):
                    raise NuriError(
                        f"{path}: 파일 이름이 프리셋 ID로 쓸 수 없는 형식입니다. "
                        "영문 소문자, 숫자, 하이픈으로 된 이름(예: my-helper.toml)으로 바꿔 주세요."
                    )
                text = path.read_text(encoding="utf-8")
                found[path.stem] = preset_from_toml(text, path.stem, source="user", path=path)
            except (NuriError, OSError, UnicodeDecodeError) as error:
                problem = (
                    error
                    if isinstance(error, NuriError)
                    else NuriError(f"{path}: 읽을 수 없습니다 ({error}).")
                )
                log.warning("skipping preset file %s: %s", path, problem)
                self.problems[path.stem] = problem
        return found

    def presets(self) -> dict[str, Preset]:
        """Every usable preset by id: shipped, then the user's (a user copy replaces a shipped one)."""
        merged = self.shipped()
        for preset_id, preset in self._user().items():
            merged[preset_id] = replace(preset, overrides_shipped=preset_id in merged)
        rank = {preset_id: n for n, preset_id in enumerate(SHIPPED_ORDER)}
        ordered = sorted(merged, key=lambda i: (rank.get(i, len(rank)), i))
        return {preset_id: merged[preset_id] for preset_id in ordered}

    def list(self) -> list[Preset]:
        """Every usable preset, in display order; unreadable user files are in `problems` afterwards."""
        return list(self.presets().values())

    def get(self, key: str) -> Preset:
        """The preset with this id or (Korean) name; a Korean error names it and lists the others."""
        key = key.strip()
        presets = self.presets()
        if key in presets:
            return presets[key]
        by_name = [p for p in presets.values() if _squash(p.name) == _squash(key)]
        if by_name:
            return by_name[0]
        if key in self.problems:
            raise self.problems[key]
        available = ", ".join(p.label for p in presets.values())
        raise NuriError(
            f"프리셋 '{key}'을(를) 찾을 수 없습니다. 있는 프리셋: {available}. "
            "`nuri prompts list`로 확인하거나 `nuri prompts new`로 만드세요."
        )

    # --- writing ---------------------------------------------------------------------------------
    def path_for(self, preset_id: str) -> Path:
        return self.user_dir / f"{preset_id}.toml"

    def save(self, preset: Preset, *, overwrite: bool = True, override_shipped: bool = False) -> Path:
        """Write `preset` to the user dir atomically (a crash leaves the old file whole) and return its path.

        A shipped id is refused unless `override_shipped` or a user copy already replaces it; an existing
        user file is refused unless `overwrite`. Another preset's name is refused (names find presets too).
        """
        target = self.path_for(preset.id)
        shipped = self.shipped()
        if preset.id in shipped and not override_shipped and not target.exists():
            raise NuriError(
                f"'{preset.id}'은(는) 기본 제공 프리셋({shipped[preset.id].name})이라 덮어쓰지 않았습니다. "
                f"사용자 사본으로 바꾸려면 `nuri prompts edit {preset.id}`를 쓰세요 "
                "(사본이 기본 제공본보다 우선하고, 사본을 지우면 기본 제공본으로 돌아갑니다)."
            )
        if target.exists() and not overwrite:
            raise NuriError(
                f"사용자 프리셋 '{preset.id}'이(가) 이미 있습니다 ({target}). "
                f"고치려면 `nuri prompts edit {preset.id}`를 쓰세요."
            )
        clash = [
            p
            for p in self.presets().values()
            if p.id != preset.id and _squash(p.name) == _squash(preset.name)
        ]
        if clash:
            raise NuriError(
                f"이름 '{preset.name}'은(는) 이미 프리셋 {clash[0].label}이(가) 쓰고 있습니다. 다른 이름을 지어 주세요."
            )
        content = preset_to_toml(preset)
        preset_from_toml(content, preset.id, source="user")  # what we write must read back
        _atomic_write(target, content)
        log.info("saved preset %s to %s", preset.id, target)
        return target

    def delete(self, key: str) -> Preset | None:
        """Delete a user preset (by id or name) and return it; a user copy's shipped preset comes back.

        A user file that cannot be read is deleted by its id too (None is returned).
        """
        self.presets()  # refreshes `problems`
        if key in self.problems:
            self.path_for(key).unlink()
            return None
        preset = self.get(key)
        if preset.source == "shipped":
            raise NuriError(
                f"{preset.label}은(는) 기본 제공 프리셋이라 지울 수 없습니다. "
                "다른 프리셋을 쓰려면 NURI_PRESET을 바꾸세요."
            )
        self.path_for(preset.id).unlink()
        log.info("deleted preset %s", preset.id)
        return preset


def _atomic_write(path: Path, content: str) -> None:
    """Write through a temp file in the same folder and `os.replace`: readers see the old or the new file."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=".tmp")
    except OSError as error:
        raise NuriError(f"프리셋 폴더 {path.parent}에 쓸 수 없습니다 ({error}). 권한을 확인하세요.") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            file.write(content)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temp, path)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        if isinstance(error, OSError):
            raise NuriError(
                f"프리셋 파일 {path}을(를) 저장하지 못했습니다 ({error}). 기존 파일은 그대로입니다. "
                "디스크 공간과 권한을 확인하세요."
            ) from None
        raise
