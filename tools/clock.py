"""The date-and-time tool: what time it is in Seoul, in the Korean way of writing it."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

# Korea has kept UTC+9 without daylight saving since 1988, so a fixed offset is exact and needs no tzdata.
KST = timezone(timedelta(hours=9), "KST")
_WEEKDAYS = ("월요일", "화요일", "수요일", "목요일", "금요일", "토요일", "일요일")


def now_kst() -> datetime:
    """The current moment in Korea. Tests replace this function to freeze time."""
    return datetime.now(KST)


def format_korean_date(moment: datetime) -> str:
    """The date with its weekday, as Koreans write it.

    >>> format_korean_date(datetime(2026, 11, 24, 23, 30, tzinfo=KST))
    '2026년 11월 24일 화요일'
    >>> format_korean_date(datetime(2026, 11, 24, 15, 30, tzinfo=timezone.utc))  # already the 25th in Seoul
    '2026년 11월 25일 수요일'
    """
    local = moment.astimezone(KST)
    return f"{local.year}년 {local.month}월 {local.day}일 {_WEEKDAYS[local.weekday()]}"


def format_korean_time(moment: datetime) -> str:
    """The time of day with 오전/오후, on a 12-hour clock.

    >>> format_korean_time(datetime(2026, 11, 24, 0, 5, tzinfo=KST))
    '오전 12시 5분'
    >>> format_korean_time(datetime(2026, 11, 24, 14, 0, tzinfo=KST))
    '오후 2시 정각'
    """
    local = moment.astimezone(KST)
    half = "오전" if local.hour < 12 else "오후"
    hour = local.hour % 12 or 12
    minutes = f"{local.minute}분" if local.minute else "정각"
    return f"{half} {hour}시 {minutes}"


def format_korean_datetime(moment: datetime) -> str:
    """Date, weekday, time and the 24-hour form, so both people and models read it right.

    >>> format_korean_datetime(datetime(2026, 11, 24, 14, 5, tzinfo=KST))
    '2026년 11월 24일 화요일 오후 2시 5분 (14:05, 한국 표준시 UTC+9)'
    """
    local = moment.astimezone(KST)
    return f"{format_korean_date(local)} {format_korean_time(local)} ({local:%H:%M}, 한국 표준시 UTC+9)"


def current_time() -> str:
    """Return the current date, weekday and time in Seoul, Korea (KST, UTC+9).

    Use it whenever the user asks what time it is, today's date or weekday (지금 몇 시, 오늘 날짜, 무슨 요일).
    """
    # Looked up through the module at call time, so a test that replaces `now_kst` freezes the tool too.
    return f"현재 서울 시각: {format_korean_datetime(now_kst())}"
