"""Pure scoring helpers: Korean text normalisation, number forms, and one scorer per task kind.

Matching is on normalised text: NFKC, lower case, every number rewritten as plain digits (so
"52,500,000", "5250만" and "5,250만 원" all read 52500000), then spaces and punctuation dropped.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

_UNITS = {
    "천억": 10**11, "백억": 10**10, "십억": 10**9, "천만": 10**7, "백만": 10**6, "십만": 10**5,
    "조": 10**12, "억": 10**8, "만": 10**4, "천": 10**3, "백": 10**2,
}  # fmt: skip
# A number with an optional Korean unit: "1억", "2천만", "2,500만", "3.5", "52,500,000".
_PART = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*(" + "|".join(_UNITS) + ")?")
_HAN_KANA = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


@dataclass(frozen=True)
class Score:
    """How one answer did: `value` in 0..1, `passed` by the task's rule, `detail` for the report."""

    value: float
    passed: bool
    detail: str = ""


def _canonical(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def canonical_numbers(text: str) -> str:
    """Rewrite numbers, with Korean units, as plain digits; a run like "1억 2,500만" becomes one number.

    >>> canonical_numbers("예산은 5,250만 원, 작년은 52,500,000원")
    '예산은 52500000 원, 작년은 52500000원'
    >>> canonical_numbers("1억 2500만 명과 3.50%")
    '125000000 명과 3.5%'
    >>> canonical_numbers("2026년 3천 명")
    '2026년 3000 명'
    >>> canonical_numbers("3만 4,100원, 5만 명 중 300명")
    '34100원, 50000 명 중 300명'
    """
    out: list[str] = []
    pos = 0
    matches = list(_PART.finditer(text))
    i = 0
    while i < len(matches):
        match = matches[i]
        total = _part_value(match)
        end = match.end()
        last_unit = _UNITS.get(match.group(2) or "", 1)
        # Join following parts with smaller units ("1억 2500만"), or a plain number below the last unit
        # ("3만 4,100" = 34100), separated only by spaces.
        while (
            last_unit > 1
            and i + 1 < len(matches)
            and text[end : matches[i + 1].start()].strip() == ""
            and _joins(matches[i + 1], last_unit)
        ):
            i += 1
            total += _part_value(matches[i])
            last_unit = _UNITS.get(matches[i].group(2) or "", 1)
            end = matches[i].end()
        out.append(text[pos : match.start()])
        out.append(_canonical(total))
        if text[match.end(1) : end].endswith(" ") and not match.group(2):
            out.append(" ")
        pos = end
        i += 1
    out.append(text[pos:])
    return "".join(out)


def _joins(match: re.Match[str], last_unit: int) -> bool:
    unit = match.group(2)
    return _UNITS[unit] < last_unit if unit else _part_value(match) < last_unit


def _part_value(match: re.Match[str]) -> float:
    number = float(match.group(1).replace(",", ""))
    return number * _UNITS.get(match.group(2) or "", 1)


def normalize(text: str) -> str:
    """Text reduced for matching: NFKC, lower case, plain-digit numbers, no spaces or punctuation.

    >>> normalize("서울특별시 청사는 1,234명!")
    '서울특별시청사는1234명'
    >>> normalize("GDP 성장률 2.5%")
    'gdp성장률2.5'
    """
    text = canonical_numbers(unicodedata.normalize("NFKC", text).lower())
    text = re.sub(r"(?<=\d)\.(?=\d)", "\x00", text)  # keep decimal points
    text = "".join(ch for ch in text if ch.isalnum() or ch == "\x00")
    return text.replace("\x00", ".")


def contains_any(answer: str, alternatives: Sequence[str]) -> bool:
    """Whether the normalised answer holds any of the normalised alternatives.

    >>> contains_any("정답은 5250만 원입니다", ["52,500,000원"])
    True
    >>> contains_any("부산입니다", ["서울"])
    False
    """
    text = normalize(answer)
    return any(normalize(alt) and normalize(alt) in text for alt in alternatives)


def numbers_in(text: str) -> list[float]:
    """Every number in `text`, Korean units applied.

    >>> numbers_in("합계는 1억 2500만 원이고 평균은 3.5입니다")
    [125000000.0, 3.5]
    """
    return [float(n) for n in re.findall(r"\d+(?:\.\d+)?", canonical_numbers(text).replace(",", ""))]


def korean_only(text: str) -> bool:
    """An answer in Korean: no Chinese characters or kana, and Hangul for at least half of the letters.

    Answers with no letters at all (a bare number) count as Korean.

    >>> korean_only("서울입니다."), korean_only("The capital is Seoul."), korean_only("首尔입니다")
    (True, False, False)
    >>> korean_only("52500000")
    True
    """
    if _HAN_KANA.search(text):
        return False
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return True
    hangul = sum(1 for ch in letters if "\uac00" <= ch <= "\ud7a3" or "\u3131" <= ch <= "\u318e")
    return hangul * 2 >= len(letters)


def score_qa(answer: str, answers: Sequence[str]) -> Score:
    """Short QA: passed when any reference form appears in the answer.

    >>> score_qa("대한민국의 수도는 서울입니다.", ["서울"]).passed
    True
    """
    hit = contains_any(answer, answers)
    return Score(1.0 if hit else 0.0, hit, "정답 포함" if hit else f"정답({answers[0]}) 없음")


def score_summary(answer: str, key_facts: Sequence[Sequence[str]], *, min_coverage: float = 0.6) -> Score:
    """3-line summary: the share of key facts (each a list of accepted forms) found in the answer.

    >>> s = score_summary("요금이 1550원으로 오른다.\\n시행은 6월.", [["1550원"], ["6월"], ["서울시"]])
    >>> round(s.value, 2), s.passed, s.detail
    (0.67, True, '핵심 사실 2/3, 2줄')
    """
    found = sum(1 for forms in key_facts if contains_any(answer, forms))
    coverage = found / len(key_facts) if key_facts else 0.0
    lines = len([line for line in answer.splitlines() if line.strip()])
    return Score(coverage, coverage >= min_coverage, f"핵심 사실 {found}/{len(key_facts)}, {lines}줄")


def score_rag(answer: str, facts: Sequence[str], source_cited: bool) -> Score:
    """RAG QA: half for the fact, half for citing the right article; passed needs both.

    >>> score_rag("요금은 1550원입니다 [1]", ["1550원"], True)
    Score(value=1.0, passed=True, detail='사실 O, 출처 O')
    """
    fact = contains_any(answer, facts)
    value = (int(fact) + int(source_cited)) / 2
    return Score(
        value, fact and source_cited, f"사실 {'O' if fact else 'X'}, 출처 {'O' if source_cited else 'X'}"
    )


def score_calc(answer: str, expected: float, tool_called: bool) -> Score:
    """Calculator use: half for calling the tool, half for the exact result in the answer.

    >>> score_calc("34,100원입니다", 34100, True)
    Score(value=1.0, passed=True, detail='도구 O, 결과 O')
    >>> score_calc("약 34000원", 34100, False).value
    0.0
    """
    exact = any(abs(number - expected) < 1e-9 for number in numbers_in(answer))
    value = (int(tool_called) + int(exact)) / 2
    detail = f"도구 {'O' if tool_called else 'X'}, 결과 {'O' if exact else 'X'}"
    return Score(value, tool_called and exact, detail)
