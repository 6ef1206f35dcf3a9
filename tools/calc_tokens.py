"""The calculator's tokenizer: sloppy Korean arithmetic text -> tokens with their spans.

It reads digits with thousands commas, Korean numbers (`3억 5천만`, `삼억 오천만`), ratios (`2배`, `반`,
`2할 5푼`, `3분의 1`), operator symbols and words (`×`, `÷`, `^`, `√`, `나누기`), percent (`%`, `퍼센트`),
connectors (`의`, `에서`, `대비`, `으로`), what to do with them (`할인`, `인상`, `변화율`, `몇 배`) and the
chatter around a question (`원`, `는 얼마야?`), which is kept only for echoing the expression back.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from fractions import Fraction

from config import NuriError
from tools.korean_numbers import NumberFormatError, scan_hal_pun, scan_number

# Token kinds.
NUM, OP, PCT, NAME, ROOT, EXP, SQRT_OF = "NUM", "OP", "PCT", "NAME", "ROOT", "EXP", "SQRT_OF"
OF, FROM, VS, TO, POSTOP, CHANGE, TIMES_Q = "OF", "FROM", "VS", "TO", "POSTOP", "CHANGE", "TIMES_Q"
PERCENT_Q, UNIT, CHATTER = "PERCENT_Q", "UNIT", "CHATTER"

_KEEP = set("²³√×÷·π")  # compatibility normalization would turn ² into a plain 2
_HANGUL = re.compile(r"[가-힣]")
_PARTICLE = "(?:은|는|이|가|을|를|도|요|이요)?"


def _words(words: str) -> str:
    """A regex alternative of space-separated words, longest first."""
    return "(?:" + "|".join(re.escape(w) for w in sorted(words.split(), key=len, reverse=True)) + ")"


_DOWN = "할인 할인가 할인하면 할인된 할인한 세일 세일하면 세일한 세일된 깎으면 깎아 인하 인하하면 감소 감소하면 하락 하락하면 내리면 떨어지면 줄면 빼면 뺀 빼고 싸게"
_UP = (
    "인상 인상하면 할증 증가 증가하면 상승 상승하면 올리면 오르면 늘면 추가 추가하면 더하면 더한 붙이면 올라"
)
_UNITS = (
    "원 달러 불 엔 위안 유로 파운드 개 명 건 마리 권 장 잔 병 대 회 번 살 세 점 개월 달 년 주 일 시간 분 초 "
    "킬로 키로 그램 미터"
)
_CHATTER = (
    "얼마 얼마야 얼마지 얼마죠 얼마인가요 얼마예요 얼마에요 얼마일까 얼마일까요 얼마입니까 얼마나 계산 계산하면 "
    "계산해주세요 주세요 좀 값 결과 정답 답 이야 인가 인가요 입니까 이면 이라면 라면 면 하면 은 는 이 가 을 를 "
    "은요 는요 요 총 모두 전부 이에요 예요 일까 일까요 돼 되나요 될까 될까요 야 지 죠 가격 금액 더 하고 해서 "
    "그리고 대략 약"
)
_RATES = "변화 변동 증감 증가 감소 상승 하락 인상 인하 등락 성장 수익"

# (pattern, kind, operator text). Longest match wins; Korean numbers are tried before these.
_KEYWORDS: list[tuple[re.Pattern[str], str, str]] = [
    (re.compile(p), kind, op)
    for p, kind, op in [
        (_words(_RATES) + r"[율률]|변화량의\s*비율", CHANGE, ""),
        (r"몇\s*(?:%|퍼센트|프로)", PERCENT_Q, ""),
        (r"몇\s*배", TIMES_Q, ""),
        (_words(_DOWN) + _PARTICLE, POSTOP, "-"),
        (_words(_UP) + _PARTICLE, POSTOP, "+"),
        # Any form of the price verbs (할인받으면, 세일해서, 깎아주면): one left out once fell to the dropped words.
        (r"(?:할인|세일|깎|인하)[가-힣]*", POSTOP, "-"),
        (r"(?:인상|할증)[가-힣]*", POSTOP, "+"),
        (_words("곱하면 곱한 곱해") + _PARTICLE, POSTOP, "*"),
        (_words("나누면 나눈 나눠") + _PARTICLE, POSTOP, "/"),
        (r"더하기|플러스", OP, "+"),
        (r"빼기|마이너스", OP, "-"),
        (r"곱하기", OP, "*"),
        (r"나누기", OP, "/"),
        (r"나머지", OP, "%"),
        (r"퍼센트|프로|퍼", PCT, ""),
        (r"의\s*제곱근|제곱근", SQRT_OF, ""),
        (r"루트", ROOT, ""),
        (r"세제곱", EXP, "3"),
        (r"제곱", EXP, "2"),
        (r"짜리|씩|의", OF, ""),
        (r"에서|부터|에", FROM, ""),
        (r"대비|比", VS, ""),
        (r"으로|로|까지", TO, ""),
        (_words(_UNITS) + _PARTICLE, UNIT, ""),
        (_words(_CHATTER) + r"|(?:계산해|구해|알려|해)\s*줘", CHATTER, ""),
    ]
]
_SYMBOLS: list[tuple[str, str, str]] = [
    ("**", OP, "**"),
    ("//", OP, "//"),
    ("->", TO, ""),
    ("→", TO, ""),
    ("×", OP, "*"),
    ("·", OP, "*"),
    ("*", OP, "*"),
    ("÷", OP, "/"),
    ("/", OP, "/"),
    ("+", OP, "+"),
    ("-", OP, "-"),
    ("^", OP, "**"),
    ("(", OP, "("),
    (")", OP, ")"),
    (",", OP, ","),
    ("%", PCT, ""),
    ("√", ROOT, ""),
    ("²", EXP, "2"),
    ("³", EXP, "3"),
    ("~", TO, ""),
    ("?", CHATTER, ""),
    ("!", CHATTER, ""),
    (".", CHATTER, ""),
    (":", CHATTER, ""),
    ("π", NAME, "pi"),
    ("₩", UNIT, ""),
    ("$", UNIT, ""),
    ("€", UNIT, ""),
    ("¥", UNIT, ""),
]
_OF_PARTS = re.compile(r"\s*분의\s*")
_TIMES = re.compile(r"\s*배")
_POWER = re.compile(r"제곱(?!근)|승")
_HALF = re.compile(r"절반|반")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_SPACE = re.compile(r"\s+")
_NAME_ALIASES = {
    "mod": ("%", OP),
    "x": ("*", OP),
    "won": ("", UNIT),
    "krw": ("", UNIT),
    "usd": ("", UNIT),
    "of": ("", OF),
}


@dataclass(frozen=True)
class Token:
    """One piece of the expression: its kind, value or operator text, and where it was in the text."""

    kind: str
    start: int
    end: int
    text: str = ""
    value: Fraction | None = None
    ratio: bool = False  # 배, 반, 할푼리, 분의: a number that multiplies what comes before it


def normalize(text: str) -> str:
    """Compose Hangul, fold full-width forms to ASCII, keep the symbols that folding would destroy.

    >>> normalize("３억 ５천만 원의 １５％"), normalize("2²")
    ('3억 5천만 원의 15%', '2²')
    """
    composed = unicodedata.normalize("NFC", text)
    return "".join(c if c in _KEEP else unicodedata.normalize("NFKC", c) for c in composed)


_EXAMPLES = "(예: 3억 5천만 원의 15%, 1,550 × 22, 1000에서 1200으로 변화율)"


class UnknownWord(NuriError):
    """A word that is neither math nor chatter, at `text[start:end]` of the normalized text."""

    def __init__(self, message: str, start: int, end: int) -> None:
        super().__init__(message)
        self.start, self.end = start, end


def _unknown(start: int, end: int, text: str, before: list[Token]) -> UnknownWord:
    if not any(t.kind in (NUM, OP, NAME) for t in before) and not re.search(r"\d", text):
        return UnknownWord(
            f"계산식이 아닙니다: '{text.strip()[:40]}'. 숫자와 연산자로 된 식을 주세요 {_EXAMPLES}.",
            start,
            end,
        )
    return UnknownWord(
        f"계산식으로 읽을 수 없는 말이 있습니다: '{text[start:end]}'. 숫자와 연산자로 된 식을 주세요 {_EXAMPLES}.",
        start,
        end,
    )


def _keyword(text: str, pos: int) -> tuple[int, str, str] | None:
    best: tuple[int, str, str] | None = None
    for pattern, kind, op in _KEYWORDS:
        match = pattern.match(text, pos)
        if match and (best is None or match.end() > best[0]):
            best = (match.end(), kind, op)
    return best


def _scan(text: str, pos: int) -> tuple[Fraction, int] | None:
    try:
        return scan_number(text, pos)
    except NumberFormatError as error:
        raise NuriError(
            f"숫자 '{error}'를 읽을 수 없습니다. 큰 단위부터 적어 주세요 (예: 3억 5천만)."
        ) from None


def _number(text: str, pos: int) -> Token | None:
    """A number, a ratio or an exponent (`10제곱`) at `pos`."""
    hal = scan_hal_pun(text, pos)
    if hal:
        return Token(NUM, pos, hal[1], value=hal[0], ratio=True)
    scanned = _scan(text, pos)
    if scanned is None:
        return None
    value, end = scanned
    if _HANGUL.match(text, pos) and not _hangul_number_ok(text, pos, end):
        return None
    fraction = _OF_PARTS.match(text, end)
    if fraction:
        numerator = _scan(text, fraction.end())
        if numerator and value:
            return Token(NUM, pos, numerator[1], value=numerator[0] / value, ratio=True)
    times = _TIMES.match(text, end)
    if times and not text.startswith("배율", times.end() - 1):
        return Token(NUM, pos, times.end(), value=value, ratio=True)
    power = _POWER.match(text, end)
    if power:
        return Token(EXP, pos, power.end(), text=str(value), value=value)
    return Token(NUM, pos, end, value=value)


def _hangul_number_ok(text: str, start: int, end: int) -> bool:
    """A number written in Hangul must contain a unit and not run into an unknown word (`만약`, `조금`)."""
    if not any(c in "십백천만억조경" for c in text[start:end]):
        return False
    return not _HANGUL.match(text, end) or _keyword(text, end) is not None


def tokenize(text: str) -> list[Token]:
    """Split normalized text into tokens; a word that is neither math nor chatter is refused in Korean.

    >>> [t.kind for t in tokenize("3억 5천만 원의 15%는?")]
    ['NUM', 'UNIT', 'OF', 'NUM', 'PCT', 'CHATTER', 'CHATTER']
    """
    tokens: list[Token] = []
    pos = 0
    while pos < len(text):
        space = _SPACE.match(text, pos)
        if space:
            pos = space.end()
            continue
        token = _next_token(text, pos, tokens)
        tokens.append(token)
        pos = token.end
    return tokens


def _next_token(text: str, pos: int, before: list[Token]) -> Token:
    char = text[pos]
    if char.isdigit() or char == "." and text[pos + 1 : pos + 2].isdigit() or _HANGUL.match(char):
        number = _number(text, pos)
        if number:
            return number
    half = _HALF.match(text, pos)
    if half and (not _HANGUL.match(text, half.end()) or _keyword(text, half.end())):
        return Token(NUM, pos, half.end(), value=Fraction(1, 2), ratio=True)
    if _HANGUL.match(char):
        found = _keyword(text, pos)
        if found:
            assert found[0] > pos, "a keyword pattern matched nothing"
            return Token(found[1], pos, found[0], text=found[2])
        word = re.compile(r"[가-힣]+").match(text, pos).group()  # type: ignore[union-attr]
        if not any(t.kind in (NUM, OP, NAME) for t in before) and re.match(r"\s", text[pos + len(word) :]):
            # A leading noun before the numbers (`연봉 5천만 원의 3.3%`): part of the question, not the math.
            return Token(CHATTER, pos, pos + len(word))
        start = pos
        while start > 0 and _HANGUL.match(text, start - 1):
            start -= 1  # name the whole word (`세후`), not just what is left after a known prefix
        raise _unknown(start, pos + len(word), text, before)
    name = _NAME.match(text, pos)
    if name:
        word = name.group()
        alias = _NAME_ALIASES.get(word.lower())
        if alias:
            return Token(alias[1], pos, name.end(), text=alias[0])
        if word[0] in "xX" and word[1:].isdigit():  # `3x4` reads as 3 × 4
            return Token(OP, pos, pos + 1, text="*")
        return Token(NAME, pos, name.end(), text=word.lower())
    for symbol, kind, op in _SYMBOLS:
        if text.startswith(symbol, pos):
            return Token(kind, pos, pos + len(symbol), text=op)
    raise NuriError(
        f"'{char}' 기호는 계산기에서 쓸 수 없습니다. 숫자와 + - × ÷ ^ % ( ) 그리고 sqrt 같은 함수만 쓰세요."
    )
