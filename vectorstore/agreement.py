"""Number agreement between a question and a passage: years, months, quarters, model numbers, figures.

Korean news repeats itself: the same survey a year apart, the previous model of a product, another case of
the same kind. Such siblings share nearly every word, so BM25 (and often the embedder) cannot tell them
apart, while the question usually carries the one thing that can: "2025년", "4월", "2분기", "EV6",
"라온북 4", "네 번째 세대". Here both sides become sets of number keys and the hybrid score gets a bonus
for the share of the question's keys a passage carries.

A key is the number plus what makes it that number: `("Y", "2025")` for a year (`2025년`, `2025학년도`,
`25년`), `("4", "월")` for a number with a counter glued to it (`4월`, `2분기` -> `("2", "분")`), the
letters for a model number (`EV6` -> `("ev6", "")`) and `("4", "")` for a bare number (`라온북 4`).
A passage's own date counts too: its month always, its year when the passage names no year itself
(an article about last year's results names that year; one about this year often just says 올해).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["PassageKeys", "agreement", "passage_keys", "query_cues"]

Key = tuple[str, str]

# A run of digits, commas and points, split in Python: one simple pattern scans a chunk in about 10 µs, a
# pattern with look-behind and optional letters took 20 times longer (a hybrid query checks ~100 chunks).
_NUMBER = re.compile(r"\d[\d,.]*")
_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_LETTERS_BEFORE = re.compile(r"[A-Za-z]+$")
# A syllable right after a number that is a particle, not a counter: `EV6는` is the model, not "6는".
_PARTICLES = frozenset("은는이가을를의에와과로으도")
_NATIVE = {
    "첫": 1,
    "두": 2,
    "세": 3,
    "네": 4,
    "다섯": 5,
    "여섯": 6,
    "일곱": 7,
    "여덟": 8,
    "아홉": 9,
    "열": 10,
}
_SINO = {"일": 1, "이": 2, "삼": 3, "사": 4, "오": 5, "육": 6, "칠": 7, "팔": 8, "구": 9}
_ORDINAL = re.compile(r"(?<![가-힣])(첫|두|세|네|다섯|여섯|일곱|여덟|아홉|열)\s*번째")
_SINO_COUNTER = re.compile(r"(?<![가-힣])(일|이|삼|사|오|육|칠|팔|구)(분기|세대|차전|호기)")
# "25년" in a question is a year; "25년 만에", "25년간" are durations.
_SHORT_YEAR = re.compile(r"(?<![\d.,])['’]?(\d{2})년(?!\s*(?:간|째|만|동안|새|전|후|뒤|이|가|을|를|의))")
# An ordinal ("네 번째 모델") may be written in the article as "4세대", "4번째", "4차", "4호" or a bare 4.
_ORDINAL_COUNTERS = ("", "세", "번", "차", "호", "기")
YEAR_WEIGHT = 2.0  # a year names which of two yearly stories is meant more surely than any other figure


def _is_year(number: str) -> bool:
    return len(number) == 4 and number[:2] in ("19", "20")


def number_keys(text: str) -> list[Key]:
    """The number keys of a text, in order.

    >>> number_keys("라온북4 엣지, EV6는 2025학년도 4세대 2분기에 1,210명 3.3㎡")
    [('4', ''), ('ev6', ''), ('Y', '2025'), ('4', '세'), ('2', '분'), ('1210', '명'), ('3.3', '')]
    """
    keys: list[Key] = []
    for match in _NUMBER.finditer(text):
        raw = match.group().rstrip(",.")
        end = match.start() + len(raw)
        after = text[end] if end < len(text) and "가" <= text[end] <= "힣" else ""
        letters = _LETTERS_BEFORE.search(text, max(0, match.start() - 8), match.start())
        pieces = [raw] if "," not in raw or _THOUSANDS.fullmatch(raw) else raw.split(",")
        for i, piece in enumerate(p for p in pieces if p):
            whole, _, fraction = piece.replace(",", "").partition(".")
            number = whole + (f".{fraction.split('.')[0]}" if fraction else "")
            if letters and i == 0:
                keys.append((letters.group().lower() + number, ""))
            elif not fraction and _is_year(number):
                keys.append(("Y", number))
            else:
                last = i == len(pieces) - 1
                keys.append((number, "" if not last or after in _PARTICLES else after))
    return keys


def query_cues(query: str) -> list[frozenset[Key]]:
    """What a question pins down: one set of acceptable keys per number it names.

    Digits as written, two-digit years (`25년`), ordinals in Hangul (`네 번째`) and Sino-Korean numerals
    before a counter (`삼분기`).

    >>> [sorted(c) for c in query_cues("25년 삼분기 실적")]
    [[('Y', '2025')], [('3', '분')]]
    >>> sorted(query_cues("한울워치 여덟 번째 모델")[0])[:3]
    [('8', ''), ('8', '기'), ('8', '번')]
    >>> query_cues("10년 만에 오른 요금")
    [frozenset({('10', '년')})]
    """
    cues = [frozenset({key}) for key in number_keys(query)]
    for match in _SHORT_YEAR.finditer(query):
        cues = [c for c in cues if (match.group(1), "년") not in c]
        cues.append(frozenset({("Y", "20" + match.group(1))}))
    for match in _ORDINAL.finditer(query):
        number = str(_NATIVE[match.group(1)])
        cues.append(frozenset((number, counter) for counter in _ORDINAL_COUNTERS))
    for match in _SINO_COUNTER.finditer(query):
        cues.append(frozenset({(str(_SINO[match.group(1)]), match.group(2)[0])}))
    return list(dict.fromkeys(cues))


@dataclass(frozen=True)
class PassageKeys:
    """Keys a passage states in its title (or date), and all its keys (title, date and body)."""

    headline: frozenset[Key]
    every: frozenset[Key]


def passage_keys(text: str, title: str, published: str | None) -> PassageKeys:
    """The keys of one chunk: its title's and its body's, plus its article's month and (if unnamed) year.

    >>> k = passage_keys("올여름 폭염일수는 28일이었다.", "폭염 역대 2위", "2025-09-03T17:00:00+09:00")
    >>> sorted(k.headline), ("28", "일") in k.every
    ([('2', '위'), ('9', '월'), ('Y', '2025')], True)
    >>> ("Y", "2025") in passage_keys("2024년 수익률", "", "2025-02-28T16:00:00+09:00").every
    False
    """
    headline = set(number_keys(title))
    body = set(number_keys(text))
    if published and len(published) >= 7:
        if not any(kind == "Y" for kind, _ in headline | body):
            headline.add(("Y", published[:4]))
        headline.add((str(int(published[5:7])), "월"))
    return PassageKeys(frozenset(headline), frozenset(headline | body))


def agreement(cues: Iterable[frozenset[Key]], keys: PassageKeys, body_weight: float = 0.5) -> float:
    """Weighted share of the question's cues the passage carries, in [0, 1].

    A cue in the title or date counts fully, one only in the body counts `body_weight` (a sibling often
    mentions the other year or quarter in passing: "전년", "2분기 전망"). Years weigh double.

    >>> keys = passage_keys("1분기보다 늘었다.", "세진반도체 2분기 최대", "2025-07-30T08:30:00+09:00")
    >>> agreement(query_cues("2분기 세진반도체 실적"), keys), agreement(query_cues("1분기 실적"), keys)
    (1.0, 0.5)
    >>> agreement(query_cues("2024년 2분기"), keys)
    0.3333333333333333
    >>> agreement([], keys)
    0.0
    """
    total = got = 0.0
    for cue in cues:
        weight = YEAR_WEIGHT if any(kind == "Y" for kind, _ in cue) else 1.0
        total += weight
        if cue & keys.headline:
            got += weight
        elif cue & keys.every:
            got += weight * body_weight
    return got / total if total else 0.0
