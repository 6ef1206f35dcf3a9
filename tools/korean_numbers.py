"""Korean numbers: read `3억 5천만`, `삼억 오천만`, `1,550`, `2할 5푼`; write `52,500,000` and `5,250만`.

Pure functions, no I/O. The calculator's tokenizer calls `scan_number` and `scan_hal_pun` at a position in
its text; the formatter turns an exact `Fraction` into the line the user reads.
"""

from __future__ import annotations

import decimal
import re
from fractions import Fraction

HANGUL_DIGITS = {"일": 1, "이": 2, "삼": 3, "사": 4, "오": 5, "육": 6, "륙": 6, "칠": 7, "팔": 8, "구": 9}
SMALL_UNITS = {"십": 10, "백": 100, "천": 1000}
BIG_UNITS = {"만": 10**4, "억": 10**8, "조": 10**12, "경": 10**16}
# Names of the 10^4 groups used when writing a reading (up to 10^28, past the calculator's 10^30 limit).
_GROUP_NAMES = ("", "만", "억", "조", "경", "해", "자", "양")

_DIGITS = re.compile(
    r"(?:\d{1,3}(?:,\d{3})+(?![\d,])(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d{1,3}(?!\d))?"
)
_SPACE = re.compile(r"[ \t]+")
_HAL_PUN_RI = (("할", Fraction(1, 10)), ("푼", Fraction(1, 100)), ("리", Fraction(1, 1000)))


class NumberFormatError(ValueError):
    """A number that looks Korean but does not read as one (e.g. `3만 5억`)."""


def _atom(text: str, pos: int) -> tuple[Fraction, int, bool] | None:
    """A digit run (commas as thousands separators) or one Hangul digit at `pos`: (value, end, is_hangul)."""
    match = _DIGITS.match(text, pos)
    if match:
        return Fraction(match.group().replace(",", "")), match.end(), False
    if pos < len(text) and text[pos] in HANGUL_DIGITS:
        return Fraction(HANGUL_DIGITS[text[pos]]), pos + 1, True
    return None


def _is_unit(text: str, pos: int) -> bool:
    return pos < len(text) and (text[pos] in SMALL_UNITS or text[pos] in BIG_UNITS)


def scan_number(text: str, pos: int = 0, *, loose_tail: bool = False) -> tuple[Fraction, int] | None:
    """Read a number with Korean units at `pos`; return (value, end) or None when none starts there.

    Groups after a 만/억/조 may be separated by spaces (`3억 5천만`); a Hangul digit only counts before a unit,
    so `이면` is not a number, but `이천` and `이십오` are. `loose_tail` also reads a last group without a
    unit after a space (`1만 1`), for text known to hold one number.

    >>> scan_number("3억 5천만 원")
    (Fraction(350000000, 1), 6)
    >>> scan_number("삼억 오천만")[0], scan_number("1,550원")[0], scan_number("2.5억")[0]
    (Fraction(350000000, 1), Fraction(1550, 1), Fraction(250000000, 1))
    >>> scan_number("만원")[0], scan_number("천만")[0], scan_number("3천5백")[0], scan_number("3억5000")[0]
    (Fraction(10000, 1), Fraction(10000000, 1), Fraction(3500, 1), Fraction(300005000, 1))
    >>> scan_number("3억 5")  # the 5 has no unit: a separate number
    (Fraction(300000000, 1), 2)
    >>> scan_number("이면") is None, scan_number("삼") is None
    (True, True)
    """
    total = Fraction(0)  # finished 만/억/조 groups
    section = Fraction(0)  # the group below the next big unit, e.g. 5천 in 5천만
    last_big: int | None = None
    last_small: int | None = None
    after_big = False  # the previous element was a 만/억/조: a space may follow
    end = pos
    while True:
        start = end
        space = _SPACE.match(text, end) if after_big else None
        if space:
            start = space.end()
        atom = _atom(text, start)
        cursor = atom[1] if atom else start
        if not _is_unit(text, cursor):
            # A bare digit run ends the number: `12`, `3천5`, `3억5000`, `이십오`; after a space only when the
            # caller knows the whole text is one number (`1만 1`), and a Hangul digit never on its own.
            if atom and (loose_tail or not space) and (not atom[2] or end > pos):
                return total + section + atom[0], cursor
            break
        count = atom[0] if atom else Fraction(1)
        unit_char = text[cursor]
        if unit_char in SMALL_UNITS:
            unit = SMALL_UNITS[unit_char]
            if last_small is not None and unit >= last_small:
                raise NumberFormatError(text[pos : cursor + 1])
            section += count * unit
            last_small, after_big = unit, False
        else:
            unit = BIG_UNITS[unit_char]
            if last_big is not None and unit >= last_big:
                raise NumberFormatError(text[pos : cursor + 1])
            group = section + (atom[0] if atom else 0)
            total += (group or 1) * unit
            section, last_big, last_small, after_big = Fraction(0), unit, None, True
        end = cursor + 1
    if end == pos:
        return None
    return total + section, end


def scan_hal_pun(text: str, pos: int = 0) -> tuple[Fraction, int] | None:
    """Read the traditional ratio `N할 N푼 N리` (tenths, hundredths, thousandths) at `pos`.

    >>> scan_hal_pun("2할 5푼")
    (Fraction(1, 4), 5)
    >>> scan_hal_pun("3할2푼5리")[0], scan_hal_pun("5푼")[0], scan_hal_pun("2할인") is None
    (Fraction(13, 40), Fraction(1, 20), True)
    """
    value, end, level = Fraction(0), pos, 0
    while True:
        cursor = end
        if level:
            space = _SPACE.match(text, cursor)
            cursor = space.end() if space else cursor
        atom = _atom(text, cursor)
        if not atom:
            break
        number, cursor, _ = atom
        for index, (name, weight) in enumerate(_HAL_PUN_RI[level:], start=level):
            if text.startswith(name, cursor) and not text.startswith("할인", cursor):
                value += number * weight
                end, level = cursor + len(name), index + 1
                break
        else:
            break
        if level == len(_HAL_PUN_RI):
            break
    return (value, end) if level else None


def parse_korean_number(text: str) -> Fraction:
    """The whole text as one number.

    >>> parse_korean_number("3억 5,250만"), parse_korean_number("일억 이천삼백만 사천")
    (Fraction(352500000, 1), Fraction(123004000, 1))
    >>> parse_korean_number("1조 5억")
    Fraction(1000500000000, 1)
    """
    stripped = text.strip()
    scanned = scan_number(stripped, loose_tail=True)
    if scanned is None or scanned[1] != len(stripped):
        raise NumberFormatError(text)
    return scanned[0]


def round_half_up(value: Fraction, places: int) -> Fraction:
    """Round to `places` decimals, halves away from zero (반올림), exactly.

    >>> round_half_up(Fraction(5, 2), 0), round_half_up(Fraction(-5, 2), 0), round_half_up(Fraction(1, 3), 2)
    (Fraction(3, 1), Fraction(-3, 1), Fraction(33, 100))
    """
    scale = Fraction(10) ** places
    magnitude = (abs(value) * scale + Fraction(1, 2)).__floor__()
    return Fraction(magnitude if value >= 0 else -magnitude) / scale


def format_number(value: Fraction, places: int = 10) -> str:
    """Thousands separators and at most `places` decimals, with no trailing zeros.

    >>> format_number(Fraction(52500000)), format_number(Fraction(3, 10)), format_number(Fraction(-1, 3))
    ('52,500,000', '0.3', '-0.3333333333')
    >>> format_number(Fraction(1, 10**12)), format_number(Fraction(1, 2**2000))  # too small: scientific notation
    ('1e-12', '8.709809816e-603')
    """
    rounded = round_half_up(value, places)
    if rounded == 0 and value != 0:
        with decimal.localcontext() as context:
            context.prec = 10
            return f"{decimal.Decimal(value.numerator) / decimal.Decimal(value.denominator):.10g}"
    sign = "-" if rounded < 0 else ""
    whole, fraction = divmod(abs(rounded), 1)
    text = f"{sign}{int(whole):,}"
    if fraction:
        digits = str(int(fraction * 10**places)).rjust(places, "0").rstrip("0")
        text += f".{digits}"
    return text


def korean_reading(value: Fraction) -> str | None:
    """How Koreans read a number of 10,000 or more (만/억/조 groups); None for smaller ones.

    Non-integers are read rounded, with 약 (about) in front.

    >>> korean_reading(Fraction(352500000)), korean_reading(Fraction(52500000)), korean_reading(Fraction(9999))
    ('3억 5,250만', '5,250만', None)
    >>> korean_reading(Fraction(-1000000000010)), korean_reading(Fraction(100000, 3))
    ('-1조 10', '약 3만 3,333')
    """
    if abs(value) < 10_000:
        return None
    whole = int(round_half_up(value, 0))
    prefix = "" if whole == value else "약 "
    sign = "-" if whole < 0 else ""
    rest, parts, index = abs(whole), [], 0
    while rest:
        rest, group = divmod(rest, 10_000)
        if group:
            name = _GROUP_NAMES[index] if index < len(_GROUP_NAMES) else f"×10^{4 * index}"
            parts.append(f"{group:,}{name}")
        index += 1
    return f"{prefix}{sign}{' '.join(reversed(parts))}"
