"""The preset the agent answers with, rendered: what goes first in the system prompt and into the record."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from agent.presets.model import Preset
from agent.presets.store import PresetStore
from agent.presets.variables import standard_values
from config import NuriError, Settings


@dataclass(frozen=True)
class RenderedPreset:
    """Which preset answered and the exact text it gave the model (kept with each answer)."""

    preset_id: str
    preset_name: str
    text: str


def render_system_text(preset: Preset, values: Mapping[str, str]) -> str:
    """The preset's text with its variables filled in; the agent appends its tool rules after it.

    >>> p = Preset("demo", "데모", "\\n오늘은 {today}입니다.\\n", variables=("today",))
    >>> render_system_text(p, {"today": "2026년 3월 1일 일요일"})
    '오늘은 2026년 3월 1일 일요일입니다.'
    """
    return preset.render(values).strip()


def render_active(
    settings: Settings,
    *,
    preset: str | None = None,
    now: datetime | None = None,
    kb_stats: Callable[[], Any] | str | None = None,
    store: PresetStore | None = None,
) -> RenderedPreset:
    """Render `preset` (default: `settings.preset`) with today's standard values.

    `kb_stats` is computed only if the preset uses `{kb_stats}`; pass a callable to reuse an open
    knowledge base. An unknown configured preset is a Korean error naming `NURI_PRESET`.
    """
    store = store or PresetStore(settings)
    key = preset or settings.preset
    try:
        chosen = store.get(key)
    except NuriError as error:
        if preset is None:
            raise NuriError(f"{error.message} (NURI_PRESET={key!r}을(를) 고치세요.)") from None
        raise
    text = render_system_text(chosen, standard_values(settings, now=now, kb_stats=kb_stats))
    return RenderedPreset(chosen.id, chosen.name, text)
