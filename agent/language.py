"""English drift in Korean answers: find English words that have a common Korean form, and repair them.

The small default model sometimes writes "한국의 수도는 Seoul입니다." `english_drift` lists such words
(the table in `agent/data/english_korean.toml`, plus common lower-case English words) and leaves alone
what is normal in Korean text: URLs, e-mail addresses, code, units (km, kg, %), acronyms in capitals
(AI, GDP, KOSPI), names with digits (GPT4, A7), quoted or back-ticked words, glosses in parentheses
("서울(Seoul)") and the tool names. `repair_drift` replaces table words by their Korean form and fixes the
particle that follows ("Seoul을" -> "서울을", "price을" -> "가격을", "news를" -> "뉴스를").
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

__all__ = ["english_drift", "has_drift", "repair_drift"]

# Spans whose Latin letters are never drift: replaced by spaces (same length) before looking for words.
_PROTECTED = re.compile(
    r"```.*?```"  # code fences
    r"|`[^`\n]*`"  # inline code
    r"|\b(?:https?|ftp)://\S+|\bwww\.\S+"  # URLs
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # e-mail addresses
    r"|\"[^\"\n]*\"|“[^”\n]*”|‘[^’\n]*’|「[^」\n]*」|『[^』\n]*』"  # quotations
    r"|(?<=[가-힣])\s?\([A-Za-z][A-Za-z .,'-]*\)",  # a gloss after a Korean word: 서울(Seoul)
    re.DOTALL,
)
# A Latin word not glued to digits, '_', '@', '/', '.' (so no file names, units after numbers, model names).
_WORD = re.compile(r"(?<![A-Za-z0-9_@/.\\-])[A-Za-z]+(?:'[a-z]+)?(?![A-Za-z0-9_@/\\-])(?!\.[A-Za-z0-9])")
_HANGUL = re.compile(r"[가-힣]")
# (after a final consonant, after a vowel, only before a boundary); longest forms first.
_PARTICLES = (
    ("이에요", "예요", False),
    ("이라고", "라고", False),
    ("이라는", "라는", False),
    ("이었", "였", False),
    ("으로", "로", False),
    ("이랑", "랑", True),
    ("이나", "나", True),
    ("을", "를", False),
    ("은", "는", False),
    ("과", "와", False),
    ("이", "가", True),
)
_MODIFIER_ENDINGS = ("한", "는", "은", "운", "된", "인")


@dataclass(frozen=True)
class _Table:
    words: dict[str, str]  # lower-case English (one or more words) -> Korean
    common: frozenset[str]
    ignore: frozenset[str]
    phrases: re.Pattern[str] | None


@lru_cache(maxsize=1)
def _table() -> _Table:
    raw = tomllib.loads(resources.files("agent.data").joinpath("english_korean.toml").read_text("utf-8"))
    words = {key.lower(): value for key, value in raw["words"].items()}
    multi = sorted((k for k in words if " " in k), key=len, reverse=True)
    phrases = None
    if multi:
        alternatives = "|".join(r"\s+".join(map(re.escape, k.split())) for k in multi)
        phrases = re.compile(rf"(?<![A-Za-z0-9_])(?:{alternatives})(?![A-Za-z0-9_])", re.IGNORECASE)
    return _Table(
        words=words,
        common=frozenset(w.lower() for w in raw["common"]["words"]),
        ignore=frozenset(w.lower() for w in raw["ignore"]["words"]),
        phrases=phrases,
    )


def _mask(text: str) -> str:
    return _PROTECTED.sub(lambda m: " " * len(m.group()), text)


def _counts(word: str, table: _Table) -> bool:
    """Whether one Latin word (no spaces) is drift."""
    lower = word.lower()
    if len(word) < 2 or lower in table.ignore:
        return False
    if word.isupper() or any(c.isupper() for c in word[1:]):
        return False  # an acronym (GDP, KTX) or a brand written in mixed case (iPhone, LangGraph)
    if lower.split("'")[0] in table.words:
        return True
    # Common words count in lower case or at a sentence start (The, This), never in capitals.
    return len(word) >= 3 and word[1:].islower() and lower.split("'")[0] in table.common


def _matches(text: str) -> list[tuple[int, int, str]]:
    """(start, end, Korean form or '') of every drift word or phrase in `text`, in order."""
    table = _table()
    masked = _mask(text)
    found: list[tuple[int, int, str]] = []
    if table.phrases is not None:
        for m in table.phrases.finditer(masked):
            if not m.group().isupper():
                found.append((m.start(), m.end(), table.words[" ".join(m.group().lower().split())]))
        for start, end, _ in found:
            masked = masked[:start] + " " * (end - start) + masked[end:]
    for m in _WORD.finditer(masked):
        if _counts(m.group(), table):
            found.append((m.start(), m.end(), table.words.get(m.group().lower(), "")))
    return sorted(found)


def english_drift(text: str) -> list[str]:
    """English words in a Korean answer that have a common Korean form, in order of appearance.

    >>> english_drift("한국의 수도는 Seoul입니다.")
    ['Seoul']
    >>> english_drift("오늘 news에 따르면 price가 increase했습니다.")
    ['news', 'price', 'increase']
    >>> english_drift("AI와 GDP, KOSPI 2,500, 3km, 5kg, 10%, GPT4, iPhone 15, https://a.kr/news 참고")
    []
    >>> english_drift('`crawl` 도구와 search_knowledge로 "capital"을 찾았고 서울(Seoul)입니다.')
    []
    >>> english_drift("The capital of South Korea is Seoul.")
    ['The', 'capital', 'South Korea', 'Seoul']
    >>> english_drift("Python과 LangGraph로 만든 Nuri")
    []
    """
    return [text[start:end] for start, end, _ in _matches(text)]


def has_drift(text: str) -> bool:
    """Whether `text` holds at least one drift word.

    >>> has_drift("서울입니다."), has_drift("Seoul입니다.")
    (False, True)
    """
    return bool(_matches(text))


def _final_consonant(korean: str) -> int | None:
    """The final consonant index of the last syllable (0 = none), None when it is not Hangul."""
    if not korean or not "가" <= korean[-1] <= "힣":
        return None
    return (ord(korean[-1]) - 0xAC00) % 28


def _fix_particle(korean: str, rest: str) -> tuple[str, int]:
    """The particle that should follow `korean` at the start of `rest`, and how many characters it replaces."""
    final = _final_consonant(korean)
    if final is None:
        return "", 0
    if korean.endswith(_MODIFIER_ENDINGS) and rest[:1] in ("한", "은", "는") and not _HANGUL.match(rest[1:2]):
        return "", 1  # "famous한 곳" -> "유명한 곳": the modifier is already in the Korean form
    for after_consonant, after_vowel, needs_boundary in _PARTICLES:
        for form in (after_consonant, after_vowel):
            if not rest.startswith(form):
                continue
            if needs_boundary and _HANGUL.match(rest[len(form) : len(form) + 1]):
                continue
            if form in ("으로", "로"):
                right = "로" if final in (0, 8) else "으로"  # ㄹ takes 로: 서울로
            else:
                right = after_vowel if final == 0 else after_consonant
            return right, len(form)
    return "", 0


def _repair_segment(segment: str) -> str:
    masked, table = _mask(segment), _table()
    hangul, words = len(_HANGUL.findall(masked)), _WORD.findall(masked)
    grammar = [w for w in words if w.lower() in table.common and w.lower() not in table.words]
    if not hangul or (len(words) > hangul and grammar):
        return segment  # an English sentence: word-by-word replacement would only make a mixture
    out, last = [], 0
    for start, end, korean in _matches(segment):
        if not korean or start < last:
            continue
        out.append(segment[last:start])
        particle, used = _fix_particle(korean, segment[end:])
        out.append(korean + particle)
        last = end + used
    out.append(segment[last:])
    return "".join(out)


def repair_drift(text: str) -> str:
    """Replace table words by their Korean form in sentences that are mostly Korean, fixing particles.

    >>> repair_drift("한국의 수도는 Seoul입니다.")
    '한국의 수도는 서울입니다.'
    >>> repair_drift("Seoul은 capital이에요. price를 보면 news와 다릅니다.")
    '서울은 수도예요. 가격을 보면 뉴스와 다릅니다.'
    >>> repair_drift("부산에서 Seoul로 가는 train가 있고, famous한 food이 많아요.")
    '부산에서 서울로 가는 기차가 있고, 유명한 음식이 많아요.'
    >>> repair_drift("The capital is Seoul. 그리고 `Seoul` 문자열은 그대로 둡니다.")
    'The capital is Seoul. 그리고 `Seoul` 문자열은 그대로 둡니다.'
    >>> repair_drift("AI 시장의 GDP 비중은 3%입니다.")
    'AI 시장의 GDP 비중은 3%입니다.'
    """
    segments = re.split(r"(?<=[.!?。\n])", text)
    return "".join(_repair_segment(s) for s in segments)
