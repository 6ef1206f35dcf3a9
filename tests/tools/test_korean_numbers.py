"""Korean numbers: reading `3억 5천만` / `삼억 오천만` / `2할 5푼`, writing `52,500,000` and `3억 5,250만`."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tools.korean_numbers import (
    NumberFormatError,
    format_number,
    korean_reading,
    parse_korean_number,
    round_half_up,
    scan_hal_pun,
    scan_number,
)

_DIGIT_NAMES = "일이삼사오육칠팔구"


def hangul(n: int) -> str:
    """Write n in Sino-Korean numerals the way people do (`일억 이천삼백만 사천`), for the round-trip test."""
    groups = []
    for big in ("경", "조", "억", "만", ""):
        scale = {"경": 10**16, "조": 10**12, "억": 10**8, "만": 10**4, "": 1}[big]
        group, n = divmod(n, scale)
        if not group:
            continue
        words = ""
        for small, size in (("천", 1000), ("백", 100), ("십", 10), ("", 1)):
            digit, group = divmod(group, size)
            if digit:
                words += ("" if digit == 1 and small else _DIGIT_NAMES[digit - 1]) + small
        groups.append(words + big)
    return " ".join(groups)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("3억 5천만", 350_000_000),
        ("3억5천만", 350_000_000),
        ("삼억 오천만", 350_000_000),
        ("1,550", 1550),
        ("100만", 1_000_000),
        ("2.5억", 250_000_000),
        ("0.455억", 45_500_000),
        ("만", 10_000),
        ("천만", 10_000_000),
        ("일억 이천삼백만 사천", 123_004_000),
        ("1조 5억", 1_000_500_000_000),
        ("3억 5,250만", 352_500_000),
        ("3천5백", 3500),
        ("3억5000", 300_005_000),
        ("12,345,678", 12_345_678),
        ("이십오", 25),
        ("1만 1", 10_001),  # one number known to be whole: the last group may lack a unit
    ],
)
def test_parse_korean_number(text, value):
    assert parse_korean_number(text) == value


@pytest.mark.parametrize("text", ["3만 5억", "5백3천", "이면", "삼", "1,2", "", "3억 원"])
def test_not_one_korean_number(text):
    with pytest.raises(NumberFormatError):
        parse_korean_number(text)


def test_scan_stops_at_the_end_of_the_number():
    assert scan_number("3억 5천만 원의 15%") == (350_000_000, 6)
    assert scan_number("3억 원") == (300_000_000, 2)  # a space then a non-number: not part of it
    assert scan_number("3억 5") == (
        300_000_000,
        2,
    )  # in an expression a bare 5 after a space is its own number
    assert scan_number("이면") is None and scan_number("원") is None
    assert scan_number("만약")[1] == 1  # the tokenizer refuses `만약` as a word; the scanner only sees 만


def test_hal_pun_ri():
    assert scan_hal_pun("2할 5푼") == (Fraction(1, 4), 5)
    assert scan_hal_pun("3할2푼5리")[0] == Fraction(325, 1000)
    assert scan_hal_pun("5푼")[0] == Fraction(5, 100)
    assert scan_hal_pun("2할인") is None and scan_hal_pun("할") is None


@pytest.mark.parametrize(
    ("value", "text", "reading"),
    [
        (Fraction(52_500_000), "52,500,000", "5,250만"),
        (Fraction(352_500_000), "352,500,000", "3억 5,250만"),
        (Fraction(350_000_000), "350,000,000", "3억 5,000만"),
        (Fraction(10_000), "10,000", "1만"),
        (Fraction(9_999), "9,999", None),
        (Fraction(-123_456_789), "-123,456,789", "-1억 2,345만 6,789"),
        (Fraction(3, 10), "0.3", None),
        (Fraction(100_000, 3), "33,333.3333333333", "약 3만 3,333"),
        (Fraction(10**12 + 10), "1,000,000,000,010", "1조 10"),
        (Fraction(10**28), "10,000,000,000,000,000,000,000,000,000", "1양"),
    ],
)
def test_format_and_reading(value, text, reading):
    assert format_number(value) == text
    assert korean_reading(value) == reading


def test_rounding_is_half_up_and_exact():
    assert round_half_up(Fraction(5, 2), 0) == 3 and round_half_up(Fraction(-5, 2), 0) == -3
    assert round_half_up(Fraction(1, 3), 2) == Fraction(33, 100)
    assert format_number(Fraction(2, 3)) == "0.6666666667"
    assert format_number(Fraction(1, 10**12)) == "1e-12"


@given(st.integers(min_value=10_000, max_value=10**20 - 1))
def test_the_reading_reads_back(n):
    # Up to 경: 해/자/양 are written in readings but not read (해 would swallow `해줘`).
    reading = korean_reading(Fraction(n))
    assert reading is not None and parse_korean_number(reading) == n


@given(st.integers(min_value=10, max_value=10**20 - 1))
def test_hangul_numerals_read_back(n):
    assert parse_korean_number(hangul(n)) == n


@given(st.integers(min_value=-(10**30), max_value=10**30))
def test_thousands_separators_keep_the_integer(n):
    text = format_number(Fraction(n))
    assert int(text.replace(",", "")) == n
    assert all(len(group) == 3 for group in text.lstrip("-").split(",")[1:])


@given(st.integers(min_value=-(10**15), max_value=10**15), st.integers(min_value=0, max_value=10))
def test_decimals_that_fit_are_shown_exactly(units, places):
    value = Fraction(units, 10**places)
    assert Fraction(format_number(value).replace(",", "")) == value
