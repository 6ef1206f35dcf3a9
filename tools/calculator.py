"""The calculator tool: reads Korean numbers and money talk, computes exactly, answers in one Korean line.

Pipeline: normalize (full-width forms, Hangul composition) -> tokenize (`calc_tokens`) -> plan the sentence
forms (`calc_plan`: discounts, percent changes) -> Python-syntax arithmetic (`calc_rewrite`) -> an allowlist
walk over the syntax tree with exact fractions (`calc_eval`) -> thousands separators and a 만/억/조 reading
(`korean_numbers`). Nothing is executed; every refusal is a `NuriError` with a Korean sentence.
"""

from __future__ import annotations

import contextlib
import json
import math
import re
from fractions import Fraction

from config import NuriError
from tools.calc_eval import evaluate
from tools.calc_functions import Value
from tools.calc_plan import PERCENT_CHANGE, RATIO, SHARE, Plan, plan
from tools.calc_tokens import CHATTER, NUM, UnknownWord, normalize, tokenize
from tools.korean_numbers import format_number, korean_reading, round_half_up

_N = r"\d[\d,.]*\s*[십백천만억조]*"  # a number as typed: 1,550 / 3억 / 5천만
# Questions that need the calculator: for the lead's `make_tool(calculator, when=CALCULATOR_WHEN)`. Kept narrow,
# since a match forces the call: a news question that merely mentions a percent must not match.
CALCULATOR_WHEN = (
    rf"\d\s*[+*/×÷^x]\s*[\d(]|계산|더하기|빼기|곱하기|나누기|sqrt|√|루트\s*\d|제곱근"
    rf"|{_N}\s*(?:원|달러)?\s*(?:의|에서)\s*(?:\d+(?:\.\d+)?\s*(?:%|퍼센트|프로|배)|절?반)"
    rf"|{_N}.*(?:에서|대비).*\d.*(?:(?:변화|변동|증감|증가|감소|상승|하락|인상|인하|등락)\s*[율률]|몇\s*(?:배|%|퍼센트|프로))"
    # Two numbers and an arithmetic verb asked about: "12만 원을 30% 할인하면", "5천만 원을 4명이 나누면 얼마".
    rf"|{_N}[^?]*?\d[^?]*?(?:나누면|나눠|곱하면|곱해|더하면|더해|빼면|빼고|할인하면|할인된|할인한|할인받으면)"
    r"[^?]*?(?:얼마|몇|\?|$)"
)
_WRAPPER = re.compile(
    r"(?:calculator|calc)\s*\((.*)\)|(?:expression|식|수식)\s*[:：]\s*(.*)", re.IGNORECASE | re.DOTALL
)
MAX_CHARS = 500
# Words that change the math when left out ("평균" of three numbers, "세후" pay): a question holding one is
# not read by dropping words; the model writes the expression instead.
_MEANINGFUL = re.compile(
    r"평균|합계|합은|합이|총합|차이|차는|이자|복리|단리|세후|세전|세금|부가세|수수료|환율|할부|제외|남은|남으면|거스름|잔돈"
    r"|배송비|이상|이하|초과|미만|최대|최소|매달|매월|매년|월급|연봉"
    # A price verb the tokenizer did not read is never dropped: it is the operation itself.
    r"|할인|세일|깎|인상|인하|할증"
)
_MAX_DROPPED = 4
_PER_ONE = re.compile(r"(?:1|한)\s*(?:인|명|개|사람|대|장|권)\s*당|(?<![가-힣\d])인당")
_AFTER_HOW_MUCH = re.compile(r"얼마(?=[^\d]*$)[^\d]*$")
MAX_MAGNITUDE = Fraction(10) ** 30
_EXAMPLES = "예: 3억 5천만 원의 15%, 1,550 × 22, 100만 원에서 20% 할인, 1000에서 1200으로 변화율"


def wants_calculator(question: str) -> bool:
    """Whether `CALCULATOR_WHEN` matches a question (the agent then calls the calculator first).

    >>> [wants_calculator(q) for q in ("3억 5천만 원의 15%는 얼마야?", "1550*22는?", "100만 원에서 20% 할인하면?",
    ...  "1000에서 1200으로 변화율은?", "12,000원 대비 15,000원 증가율", "3억의 2배는?", "10만원 나누기 3",
    ...  "12만 원짜리 코트를 30% 할인하면 얼마야?", "5천만 원을 4명이 똑같이 나누면 한 명당 얼마야?")]
    [True, True, True, True, True, True, True, True, True]
    >>> [wants_calculator(q) for q in ("지금 몇 시야?", "금리 3.5% 인상 기사 요약해 줘", "코스피의 3% 하락 원인은?",
    ...  "2026-11-24 뉴스", "서울 인구는 몇 명이야?", "작년 대비 매출 증가율 기사 찾아 줘",
    ...  "2명이 나눠 먹기 좋은 음식 추천해 줘")]
    [False, False, False, False, False, False, False]
    """
    return re.search(CALCULATOR_WHEN, question, re.IGNORECASE) is not None


def _exact(value: Value) -> Fraction:
    """A float result as a fraction of its 15 significant digits and 10 decimals, so float noise never shows
    (sin(pi) is 0, not 1.2e-16); exact results are kept as they are."""
    if isinstance(value, Fraction):
        return value
    if not math.isfinite(value):
        raise NuriError("결과가 너무 큽니다. 더 작은 수로 나눠서 계산해 주세요.")
    return round_half_up(Fraction(format(value, ".15g")), 10)


def _unwrap(text: str) -> str:
    """Undo what a small model wraps the math in, and drop a guessed answer after `=`.

    >>> _unwrap('{"name": "calculator", "arguments": {"expression": "1550 * 22"}}'), _unwrap("calculator(2^10)")
    ('1550 * 22', '2^10')
    >>> _unwrap("expression: 1+1"), _unwrap("350000000 * 0.15 = 0.455억"), _unwrap("`2^10`")
    ('1+1', '350000000 * 0.15', '2^10')
    """
    text = text.strip()
    if text.startswith("{"):
        with contextlib.suppress(ValueError):
            found = json.loads(text)
            while isinstance(found, dict) and not isinstance(found.get("expression"), str):
                found = found.get("arguments") or found.get("args")
            if isinstance(found, dict):
                text = found["expression"].strip()
    wrapped = _WRAPPER.fullmatch(text)
    if wrapped:
        text = next(g for g in wrapped.groups() if g is not None).strip()
    left, _, right = text.partition("=")
    kept = left if left.strip() else right
    return kept.strip().strip("`'\"").strip()


def _echo(text: str, tokens: list) -> str:
    """The expression as written, without the chatter before and after it."""
    kept = [t for t in tokens if t.kind != CHATTER]
    if not kept:
        return text.strip()
    return re.sub(r"\s+", " ", text[kept[0].start : kept[-1].end]).strip()


def _signed(value: Fraction) -> str:
    return ("+" if value > 0 else "") + format_number(value)


def _show(value: Fraction, what: Plan) -> str:
    if what.kind == PERCENT_CHANGE and what.sides:
        base, other = (format_number(_exact(evaluate(side))) for side in what.sides)
        return f"{_signed(value)}% ({base} → {other}, {_signed(_exact(evaluate(what.sides[1])) - _exact(evaluate(what.sides[0])))})"
    if what.kind == SHARE:
        return f"{format_number(value)}%"
    if what.kind == RATIO:
        return f"{format_number(value)}배"
    reading = korean_reading(value)
    return f"{format_number(value)} ({reading})" if reading else format_number(value)


def calculate(expression: str) -> tuple[str, Fraction]:
    """The answer line and the exact value; refusals raise `NuriError` with a Korean reason."""
    if not isinstance(expression, str) or not expression.strip():
        raise NuriError(f"계산할 식이 비어 있습니다. {_EXAMPLES}.")
    if len(expression) > MAX_CHARS:
        raise NuriError(f"식이 너무 깁니다 ({len(expression):,}자 > {MAX_CHARS}자). 나눠서 계산해 주세요.")
    text = _unwrap(normalize(expression)).strip()
    tokens = tokenize(text)
    what = plan(tokens)
    value = _exact(evaluate(what.source))
    if abs(value) > MAX_MAGNITUDE:
        raise NuriError(
            "결과가 10^30을 넘어 계산하지 않습니다. 단위를 줄여(예: 억 단위로) 다시 계산해 주세요."
        )
    return f"{_echo(text, tokens)} = {_show(value, what)}", value


def expression_in_question(question: str) -> str | None:
    """The calculation a question asks for, as an expression the calculator reads: the question itself when
    it reads as one, else the question without the few words that only describe the numbers (물건, 코트를,
    늘었어). None when other words are in the way, or a dropped word could change the math (평균, 세후).

    >>> expression_in_question("144의 제곱근은 얼마야?")
    '144의 제곱근은 얼마야?'
    >>> expression_in_question("1,550원짜리 물건 22개를 사면 모두 얼마야?")
    '1,550원짜리 22개를 모두 얼마야?'
    >>> expression_in_question("주가가 52,000원에서 46,800원으로 떨어졌어. 하락률은 몇 %야?")
    '주가가 52,000원에서 46,800원으로. 하락률은 몇 %야?'
    >>> [expression_in_question(q) for q in ("80점, 90점, 100점의 평균은?", "한국의 수도는?", "300만 원에서 세금 10%를 떼면?")]
    [None, None, None]
    """
    text = _unwrap(normalize(question)).strip()
    # What follows the question word is chatter about it: "얼마에 살 수 있어?", "얼마씩 받는 거야?".
    text = _AFTER_HOW_MUCH.sub("얼마야?", text)
    text = re.sub(r"\s+", " ", _PER_ONE.sub(" ", text)).strip()  # "1인당 얼마": the 1 is no operand
    for _ in range(_MAX_DROPPED + 1):
        try:
            calculate(text)
        except UnknownWord as unknown:
            word = text[unknown.start : unknown.end]
            if _MEANINGFUL.search(word) or not re.search(r"\d", text):
                return None
            text = f"{text[: unknown.start]} {text[unknown.end :]}"
            text = re.sub(r"\s+([.,?!])", r"\1", re.sub(r"\s+", " ", text)).strip()
            continue
        except NuriError:
            return None
        return text
    return None


def reads_as_calculation(question: str) -> bool:
    """Whether the whole question reads as a calculation of two or more numbers (the agent then calls the
    calculator first, as for `CALCULATOR_WHEN`); questions with a URL or more than a line are not read.

    >>> [reads_as_calculation(q) for q in ("6만 원짜리 티셔츠 3장 사면 얼마야?", "2억 원짜리 아파트가 10% 오르면 얼마가 돼?")]
    [True, True]
    >>> [reads_as_calculation(q) for q in ("2024년 1분기 GDP는 얼마야?", "3억 5천만 원", "10시에 만나자", "안녕?")]
    [False, False, False, False]
    """
    if "\n" in question.strip() or "://" in question or len(re.findall(r"\d+(?:[.,]\d+)*", question)) < 2:
        return False
    expression = expression_in_question(question)
    return expression is not None and sum(t.kind == NUM for t in tokenize(expression)) >= 2


def calculator_args(question: str, args: dict) -> dict:
    """A forced call's arguments: the calculation as the question states it, when the calculator reads it
    (a small model copies numbers wrong: 8만 -> 8000, 144의 제곱근 -> 144 * 144); else the model's own."""
    expression = expression_in_question(question)
    return {**args, "expression": expression} if expression else args


def calculator(expression: str) -> str:
    """Calculate arithmetic exactly, reading Korean numbers and units; never guess numbers yourself.

    Use it for any sum, price, percent, discount, ratio or percent change (계산, 얼마, 몇 %, 할인, 변화율).
    `expression` is the math as the user said it: digits or Korean numbers (3억 5천만, 1,550원), + - × ÷ ^ %,
    sqrt(), 의 (of), 배, 반, 할인, 변화율. Examples: "3억 5천만 원의 15%" or "1000에서 1200으로 변화율".
    Returns one line such as "3억 5천만 원의 15% = 52,500,000 (5,250만)"; quote its numbers as they are.
    """
    return calculate(expression)[0]
