"""The standard values a preset can use: `{today}`, `{user_name}`, `{kb_stats}`.

`PresetValues` is a mapping whose values may be callables, computed on first use and then kept, so the
knowledge-base summary (which opens the store) is computed only when the preset's text asks for it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping
from datetime import datetime
from typing import Any

from config import Settings
from tools import clock
from tools.clock import KST, format_korean_date

log = logging.getLogger(__name__)

STANDARD_VARIABLES: dict[str, str] = {
    "today": "오늘 날짜와 요일 (한국 시각), 예: 2026년 3월 1일 일요일",
    "user_name": "사용자 이름 (NURI_USER_NAME, 기본: 사용자)",
    "kb_stats": "지식 베이스 요약 한 줄: 기사 수, 언론사 수, 최신 기사 날짜",
}

Value = str | Callable[[], str]


class PresetValues(Mapping[str, str]):
    """Variable values; a callable value is called once, when a preset first reads it."""

    def __init__(self, values: Mapping[str, Value]) -> None:
        self._values: dict[str, Value] = dict(values)

    def __getitem__(self, name: str) -> str:
        value = self._values[name]
        if callable(value):
            value = value()
            self._values[name] = value
        return value

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)


def format_kb_stats(stats: Any) -> str:
    """One Korean line about the knowledge base, from anything shaped like `vectorstore.KBStats`.

    >>> from types import SimpleNamespace as S
    >>> format_kb_stats(S(documents=120, outlets={"연합뉴스": 80, "한겨레": 40},
    ...                   newest=datetime(2026, 12, 4, 9, 0, tzinfo=KST)))
    '지식 베이스: 기사 120건, 언론사 2곳, 최신 기사 2026년 12월 4일 금요일'
    >>> format_kb_stats(S(documents=0, outlets={}, newest=None))
    '지식 베이스가 비어 있습니다 (기사 0건).'
    """
    if not stats.documents:
        return "지식 베이스가 비어 있습니다 (기사 0건)."
    line = f"지식 베이스: 기사 {stats.documents:,}건, 언론사 {len(stats.outlets):,}곳"
    newest = stats.newest
    if newest is not None:
        aware = newest if newest.tzinfo else newest.replace(tzinfo=KST)
        line += f", 최신 기사 {format_korean_date(aware)}"
    return line


_KB_UNAVAILABLE = "지식 베이스 정보를 읽지 못했습니다."


def _safe_kb_stats(source: Callable[[], Any]) -> Callable[[], str]:
    """`source` (giving a string or a `KBStats`) as a line that never fails: the prompt must still work.

    >>> _safe_kb_stats(lambda: 1 / 0)()
    '지식 베이스 정보를 읽지 못했습니다.'
    """

    def compute() -> str:
        try:
            result = source()
            return result if isinstance(result, str) else format_kb_stats(result)
        except Exception as error:  # noqa: BLE001 - a broken store must not stop the chat turn
            log.warning("kb_stats unavailable: %s", error, exc_info=True)
            return _KB_UNAVAILABLE

    return compute


def kb_stats_of(settings: Settings) -> Callable[[], str]:
    """A callable that summarizes the knowledge base of `settings`' data dir (opened only when called)."""

    def stats() -> Any:
        from tools.context import knowledge_base  # lazy: opening the store loads the embedder

        return knowledge_base(settings).stats()

    return _safe_kb_stats(stats)


def standard_values(
    settings: Settings,
    *,
    now: datetime | None = None,
    kb_stats: Callable[[], Any] | str | None = None,
    extra: Mapping[str, Value] | None = None,
) -> PresetValues:
    """`today`, `user_name` and `kb_stats` (lazy), plus any `extra` values (which win).

    `kb_stats` may be a string, or a callable returning a string or a `KBStats`; by default the data
    dir's knowledge base is summarized, only if a preset uses `{kb_stats}`. A failing source gives a
    Korean line saying the figures could not be read, never an error.

    >>> values = standard_values(Settings(user_name="민지"), now=datetime(2026, 3, 1, tzinfo=KST),
    ...                          kb_stats=lambda: 1 / 0)
    >>> values["today"], values["user_name"]
    ('2026년 3월 1일 일요일', '민지')
    """
    if kb_stats is None:
        stats_value: Value = kb_stats_of(settings)
    elif callable(kb_stats):
        stats_value = _safe_kb_stats(kb_stats)
    else:
        stats_value = kb_stats
    # Looked up through the module, so a test that freezes `clock.now_kst` freezes `{today}` too.
    moment = now or clock.now_kst()
    values: dict[str, Value] = {
        "today": format_korean_date(moment),
        "user_name": settings.user_name,
        "kb_stats": stats_value,
    }
    values.update(extra or {})
    return PresetValues(values)
