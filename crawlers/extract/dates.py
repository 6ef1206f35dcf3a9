"""Dates as Korean news pages write them, returned timezone-aware (KST when the page names no zone)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

__all__ = ["KST", "parse_datetime", "find_labeled_dates"]

KST = timezone(timedelta(hours=9), "KST")

_ISO = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?",
    re.IGNORECASE,
)
# 2026.11.23. 오전 9:12 | 2026-11-23 09:12 | 2026/11/23 (월) 9:12 | 2026년 11월 23일 오후 3시 5분 | 2026. 11. 23. 09:12
_KOREAN = re.compile(
    r"(\d{4})\s*[.\-/년]\s*(\d{1,2})\s*[.\-/월]\s*(\d{1,2})\s*[.일]?\s*(?:\([^)]{1,3}\)\s*)?"
    r"(?:(오전|오후|AM|PM)\s*)?(?:\(?\s*(\d{1,2})\s*[:시]\s*(\d{1,2})?\s*분?(?::(\d{2}))?\s*\)?)?\s*(오전|오후|AM|PM)?",
    re.IGNORECASE,
)
_DATE_ONLY = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:(\d{2})(\d{2})(\d{2})?)?$")
_LABELED = re.compile(
    r"(기사\s*입력|최초\s*입력|입력|등록|작성|송고|게재|발행|승인|수정|업데이트|최종\s*수정)\s*[:：]?\s*"
)
_UPDATE_LABELS = ("수정", "업데이트", "최종")


def _zone(text: str | None) -> timezone:
    if not text:
        return KST
    if text.upper() == "Z":
        return UTC
    sign = 1 if text[0] == "+" else -1
    digits = text[1:].replace(":", "")
    offset = sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0))
    return KST if offset == timedelta(hours=9) else timezone(offset)


def _build(year, month, day, hour=0, minute=0, second=0, tz: timezone = KST) -> datetime | None:
    try:
        return datetime(int(year), int(month), int(day), int(hour), int(minute), int(second), tzinfo=tz)
    except (ValueError, TypeError):
        return None


def parse_datetime(text: str | None) -> datetime | None:
    """Parse one date as Korean pages and metadata write it; KST when no zone is given.

    >>> parse_datetime("2026-11-23T09:12:00+09:00").isoformat()
    '2026-11-23T09:12:00+09:00'
    >>> parse_datetime("2026-11-23T00:12:00Z").astimezone(KST).isoformat()
    '2026-11-23T09:12:00+09:00'
    >>> parse_datetime("입력 2026.11.23. 오후 3:05").isoformat()
    '2026-11-23T15:05:00+09:00'
    >>> parse_datetime("2026년 11월 23일 오전 12시 30분").isoformat()
    '2026-11-23T00:30:00+09:00'
    >>> parse_datetime("입력 2026.01.06 (17:45)").isoformat()
    '2026-01-06T17:45:00+09:00'
    >>> parse_datetime("2026-11-23 09:12:33").isoformat()
    '2026-11-23T09:12:33+09:00'
    >>> parse_datetime("20261123091200").isoformat()
    '2026-11-23T09:12:00+09:00'
    >>> parse_datetime("어제") is None
    True
    """
    if not text:
        return None
    text = text.strip()
    compact = _DATE_ONLY.match(text)
    if compact:
        year, month, day, hour, minute, second = compact.groups()
        return _build(year, month, day, hour or 0, minute or 0, second or 0)
    iso = _ISO.search(text)
    if iso:
        year, month, day, hour, minute, second, zone = iso.groups()
        return _build(year, month, day, hour, minute, second or 0, _zone(zone))
    match = _KOREAN.search(text)
    if not match:
        return None
    year, month, day, half, hour, minute, second, half_after = match.groups()
    half = (half or half_after or "").upper()
    hour_value = int(hour) if hour else 0
    if half in ("오후", "PM") and hour_value < 12:
        hour_value += 12
    elif half in ("오전", "AM") and hour_value == 12:
        hour_value = 0
    return _build(year, month, day, hour_value, minute or 0, second or 0)


def find_labeled_dates(text: str) -> tuple[datetime | None, datetime | None]:
    """(published, updated) from labels such as '입력 2026.11.23. 오전 9:12 수정 2026.11.23. 오전 10:01'.

    >>> published, updated = find_labeled_dates("입력 2026.11.23. 오전 9:12 수정 2026.11.23. 오전 10:01 기사원문")
    >>> published.isoformat(), updated.isoformat()
    ('2026-11-23T09:12:00+09:00', '2026-11-23T10:01:00+09:00')
    >>> find_labeled_dates("날짜가 없는 글")
    (None, None)
    """
    published = updated = None
    for label in _LABELED.finditer(text):
        when = parse_datetime(text[label.end() : label.end() + 40])
        if when is None:
            continue
        if label.group(1).startswith(_UPDATE_LABELS):
            updated = updated or when
        else:
            published = published or when
        if published and updated:
            break
    return published, updated
