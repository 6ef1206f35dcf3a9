"""The calculator tool: what a user (or a sloppy 0.5B model) types, attack strings, and properties."""

from __future__ import annotations

import builtins
import os
import re
import subprocess
import time
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from config import NuriError
from tools import make_tool
from tools.calc_eval import evaluate
from tools.calculator import CALCULATOR_WHEN, MAX_CHARS, calculate, calculator


@pytest.mark.parametrize(
    ("expression", "answer"),
    [
        # The failure this tool exists for: the model said "0.455억 원".
        ("3억 5천만 원의 15%는 얼마야?", "3억 5천만 원의 15% = 52,500,000 (5,250만)"),
        ("350000000 * 15%", "350000000 * 15% = 52,500,000 (5,250만)"),
        ("350000000 * 0.15 = 0.455억", "350000000 * 0.15 = 52,500,000 (5,250만)"),  # a guessed answer dropped
        ("3.5억 * 15%", "3.5억 * 15% = 52,500,000 (5,250만)"),
        ("3억5천만원의15%", "3억5천만원의15% = 52,500,000 (5,250만)"),
        ("삼억 오천만", "삼억 오천만 = 350,000,000 (3억 5,000만)"),
        ("３억 ５천만 원의 １５％", "3억 5천만 원의 15% = 52,500,000 (5,250만)"),
        ("1,550원 × 22", "1,550원 × 22 = 34,100 (3만 4,100)"),
        ("1550*22", "1550*22 = 34,100 (3만 4,100)"),
        ('"1550 x 22"', "1550 x 22 = 34,100 (3만 4,100)"),
        # What a small model wraps the math in.
        ('{"name": "calculator", "arguments": {"expression": "1550*22"}}', "1550*22 = 34,100 (3만 4,100)"),
        ("calculator(3억 5천만 * 15%)", "3억 5천만 * 15% = 52,500,000 (5,250만)"),
        ("expression: 3.5 * 10^8 * 0.15", "3.5 * 10^8 * 0.15 = 52,500,000 (5,250만)"),
        ("15% × 3억 5천만", "15% × 3억 5천만 = 52,500,000 (5,250만)"),
        ("100만 원에서 20% 할인", "100만 원에서 20% 할인 = 800,000 (80만)"),
        ("100만원에서 20% 할인하고 10% 더 할인", "100만원에서 20% 할인하고 10% 더 할인 = 720,000 (72만)"),
        ("3억의 2배", "3억의 2배 = 600,000,000 (6억)"),
        ("5천만의 반", "5천만의 반 = 25,000,000 (2,500만)"),
        ("2할 5푼", "2할 5푼 = 0.25"),
        ("1.5배", "1.5배 = 1.5"),
        ("3억의 3분의 1", "3억의 3분의 1 = 100,000,000 (1억)"),
        ("1000에서 1200으로 변화율", "1000에서 1200으로 변화율 = +20% (1,000 → 1,200, +200)"),
        ("1200에서 1000으로 증감률", "1200에서 1000으로 증감률 = -16.6666666667% (1,200 → 1,000, -200)"),
        ("12,000원 대비 15,000원 증가율", "12,000원 대비 15,000원 증가율 = +25% (12,000 → 15,000, +3,000)"),
        ("15,000원은 12,000원 대비 몇 %", "15,000원은 12,000원 대비 몇 % = +25% (12,000 → 15,000, +3,000)"),
        ("3,000은 12,000의 몇 %", "3,000은 12,000의 몇 % = 25%"),
        ("12,000 대비 15,000 몇 배", "12,000 대비 15,000 몇 배 = 1.25배"),
        ("(1200-1000)/1000", "(1200-1000)/1000 = 0.2"),
        ("2^10", "2^10 = 1,024"),
        ("2의 10제곱", "2의 10제곱 = 1,024"),
        ("3²", "3² = 9"),
        ("sqrt(16)", "sqrt(16) = 4"),
        ("√16", "√16 = 4"),
        ("16의 제곱근", "16의 제곱근 = 4"),
        ("루트 2", "루트 2 = 1.4142135624"),
        ("3 ÷ 4", "3 ÷ 4 = 0.75"),
        ("10만원 나누기 3", "10만원 나누기 3 = 33,333.3333333333 (약 3만 3,333)"),
        ("100을 4로 나누면", "100을 4로 나누면 = 25"),
        ("1억 2천만 원에서 3천만 원 빼면", "1억 2천만 원에서 3천만 원 빼면 = 90,000,000 (9,000만)"),
        ("5000원짜리 3개", "5000원짜리 3개 = 15,000 (1만 5,000)"),
        ("연봉 5천만 원의 3.3%", "5천만 원의 3.3% = 1,650,000 (165만)"),
        ("0.1+0.2", "0.1+0.2 = 0.3"),
        ("100 + 10%", "100 + 10% = 110"),
        ("100 - 10%", "100 - 10% = 90"),
        ("10 % 3", "10 % 3 = 1"),
        ("-5 + 3", "-5 + 3 = -2"),
        ("-1234567.5", "-1234567.5 = -1,234,567.5 (약 -123만 4,568)"),
        ("2(3+4)", "2(3+4) = 14"),
        ("max(1, 2, 3)", "max(1, 2, 3) = 3"),
        ("round(2.5)", "round(2.5) = 3"),
        ("sin(pi)", "sin(pi) = 0"),
        ("1/3", "1/3 = 0.3333333333"),
        ("3억 5천", "3억 5천 = 300,005,000 (3억 5,000)"),  # read literally, and the reading shows it
        # A written operator replaces the one a word implied (it once glued into 180000 ** 0.15 = 6.14).
        ("18만 원짜리 * 15%", "18만 원짜리 * 15% = 27,000 (2만 7,000)"),
        ("3 * -2", "3 * -2 = -6"),
        ("10 - -3", "10 - -3 = 13"),
    ],
)
def test_what_users_type(expression, answer):
    assert calculator(expression) == answer


@pytest.mark.parametrize(
    ("expression", "reason"),
    [
        ("1/0", "0으로 나눌 수 없습니다"),
        ("10 % 0", "0으로 나눌 수 없습니다"),
        ("오늘 날씨 어때?", "계산식이 아닙니다"),
        ("3억 5천만 원 세후 얼마", "계산식으로 읽을 수 없는 말이 있습니다: '세후'"),
        ("", "비어 있습니다"),
        ("3 4", "숫자 사이에 연산자가 없습니다"),
        ("3만 5억", "큰 단위부터"),
        ("(3 + 4", "괄호가 닫히지 않았습니다"),
        ("3 +", "연산자로 끝납니다"),
        ("2 * * 3", "연산자 '×' 다음에 '×'가 바로 이어집니다"),
        ("5 / * 2", "연산자 '÷' 다음에 '×'가 바로 이어집니다"),
        ("1,2", "쉼표는"),
        ("sqrt(-4)", "음수의 제곱근"),
        ("log(0)", "로그는"),
        ("10**31", "10^30을 넘어"),
        ("20% 할인", "기준 값을"),
        ("foo(3)", "알 수 없는 이름"),
        ("x", "계산할 숫자가 없습니다"),
        ("1" * (MAX_CHARS + 1), "너무 깁니다"),
    ],
)
def test_refusals_are_korean_sentences(expression, reason):
    with pytest.raises(NuriError, match=re.escape(reason)):
        calculator(expression)


ATTACKS = [
    "__import__('os').system('id')",
    "().__class__.__bases__[0].__subclasses__()",
    "9**9**9",
    "10**10**6",
    "factorial(10**6)",
    "'a'*10**9",
    "2**2**2**2**2**2",
    "1e999999999",
    "(1/3)**-100000",
    "comb(10**9, 10**5)",
    "round(1, 10**9)",
    "(" * 240 + "1" + ")" * 240,  # deeper than Python's parser allows
    "-" * 400 + "1",
    "1" + "*9**99" * 40,
]


@pytest.mark.parametrize("attack", ATTACKS)
def test_attack_strings_are_refused_within_a_second(attack, monkeypatch):
    ran = []
    monkeypatch.setattr(os, "system", lambda *a: ran.append(a))
    monkeypatch.setattr(subprocess, "Popen", lambda *a, **k: ran.append(a))
    started = time.perf_counter()
    with pytest.raises(NuriError):
        calculator(attack)
    assert time.perf_counter() - started < 1.0
    assert not ran


@pytest.mark.parametrize(
    "source",
    [
        "__import__('os').system('id')",
        "().__class__.__bases__[0].__subclasses__()",
        "'a'*10**9",
        "[x for x in (1, 2)]",
        "(lambda: 1)()",
        "sqrt.__doc__",
        "abs(x=1)",
        "open('/etc/passwd')",
        "1 if 1 else 2",
        "1j",
        "True + 1",
        "9**9**9",
        "factorial(10**6)",
        "_pct",
    ],
)
def test_the_evaluator_alone_refuses_what_the_tokenizer_would(source, monkeypatch):
    """Defence in depth: Python syntax that reaches the evaluator directly is still walked by the allowlist."""
    imported = []
    real_import = builtins.__import__
    monkeypatch.setattr(builtins, "__import__", lambda *a, **k: imported.append(a[0]) or real_import(*a, **k))
    with pytest.raises(NuriError):
        evaluate(source)
    assert "os" not in imported


def test_the_registered_tool_answers_and_refuses_as_text():
    built = make_tool(calculator)
    assert built.name == "calculator"
    assert built.invoke({"expression": "3억 5천만 원의 15%"}) == "3억 5천만 원의 15% = 52,500,000 (5,250만)"
    reply = built.invoke(
        {"type": "tool_call", "name": "calculator", "id": "c1", "args": {"expression": "1/0"}}
    )
    assert reply.status == "error" and "0으로 나눌 수 없습니다" in reply.content
    assert built.description.count('"') >= 4  # the manual shows two example arguments


# --- properties --------------------------------------------------------------------------------------------

_small = st.integers(min_value=-10_000, max_value=10_000)


@st.composite
def arithmetic(draw, depth=3):
    """(expression text, exact value) for random + - * / trees over small integers."""
    if depth == 0 or draw(st.booleans()):
        n = draw(_small)
        return (f"({n})" if n < 0 else str(n)), Fraction(n)
    left_text, left = draw(arithmetic(depth=depth - 1))
    right_text, right = draw(arithmetic(depth=depth - 1))
    op = draw(st.sampled_from("+-*/"))
    if op == "/" and right == 0:
        op = "+"
    value = {"+": left + right, "-": left - right, "*": left * right, "/": left / right if right else 0}[op]
    return f"({left_text} {op} {right_text})", value


@given(arithmetic())
def test_random_arithmetic_is_exact(case):
    text, value = case
    if abs(value) > 10**30:
        with pytest.raises(NuriError):
            calculate(text)
    else:
        assert calculate(text)[1] == value


@given(st.integers(min_value=0, max_value=10**12), st.integers(min_value=0, max_value=100))
def test_percent_semantics(a, b):
    assert calculate(f"{a:,}의 {b}%")[1] == Fraction(a * b, 100)
    assert calculate(f"{a} + {b}%")[1] == Fraction(a) * (1 + Fraction(b, 100))
    assert calculate(f"{a:,}원에서 {b}% 할인")[1] == Fraction(a) * (1 - Fraction(b, 100))


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_answer_shows_the_value_with_separators(n):
    line, value = calculate(str(n))
    assert value == n
    shown = line.split(" = ", 1)[1].split(" (")[0]
    assert int(shown.replace(",", "")) == n


_FRAGMENTS = [
    "3억",
    " 5천만",
    "원",
    "의",
    " ",
    "15",
    "%",
    "+",
    "-",
    "*",
    "/",
    "(",
    ")",
    "에서",
    "할인",
    "대비",
    "증가율",
    "몇 배",
    "1,550",
    "×",
    "÷",
    "^",
    "sqrt",
    "√",
    "반",
    "2배",
    "2할",
    "5푼",
    "는 얼마야?",
    "=",
    "0",
    ".",
    ",",
    "e",
    "9",
    "**",
    "제곱",
    "제곱근",
    "으로",
    "변화율",
    "x",
    "삼",
    "천",
    "만",
    "이",
    "조",
]


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.lists(st.sampled_from(_FRAGMENTS), max_size=25).map("".join), st.text(max_size=60)))
def test_any_text_gets_an_answer_or_a_korean_refusal_quickly(text):
    started = time.perf_counter()
    try:
        line = calculator(text)
        assert " = " in line
    except NuriError as error:
        assert any("가" <= c <= "힣" for c in str(error))
    assert time.perf_counter() - started < 1.0


def test_the_agent_routes_the_failed_question_to_the_calculator():
    """The question the agent once answered "0.455억 원": routed to the tool, whose line reaches the model."""
    from agent.events import ToolResult
    from agent.runner import stream_turn
    from config import Settings
    from tests.fakes import ai, fake_handle

    tool = make_tool(calculator, when=CALCULATOR_WHEN)
    call = ("calculator", {"expression": "3억 5천만 원의 15%"})
    handle = fake_handle(ai("", call), ai("52,500,000원(5,250만 원)입니다."))
    events = list(stream_turn(handle, [], "3억 5천만 원의 15%는 얼마야?", Settings(), tools=[tool]))
    (result,) = [e for e in events if isinstance(e, ToolResult)]
    assert result.name == "calculator" and not result.is_error
    assert result.content == "3억 5천만 원의 15% = 52,500,000 (5,250만)"
    assert handle.model.calls[0]["tool_choice"] == "calculator"
    assert "52,500,000 (5,250만)" in handle.model.calls[1]["messages"][-1].content


@pytest.mark.parametrize(
    ("question", "value"),
    [
        ("18만 원짜리 운동화를 15% 깎아 주면 얼마에 살 수 있어?", 153_000),  # chatter after 얼마
        ("40만 원짜리 노트북 가방을 25% 세일하면 얼마에 살 수 있어?", 300_000),  # 세일 is no 세 + 일
        ("6천만 원을 3명이 나누면 1인당 얼마야?", 20_000_000),  # the 1 of 1인당 is no operand
        ("25만 원짜리 패딩을 20% 할인받으면 얼마야?", 200_000),  # any form of a price verb is the operation
        ("5천만 원을 4명이 똑같이 나누면 한 명당 얼마야?", 12_500_000),
        ("6만 원짜리 티셔츠 3장 사면 얼마야?", 180_000),
    ],
)
def test_questions_are_read_as_the_calculation_they_ask_for(question, value):
    # Held-out agent tasks (benchmarks/data/agent_tasks/heldout*.jsonl) where the reading went wrong once.
    from tools.calculator import calculate, expression_in_question

    expression = expression_in_question(question)
    assert expression is not None and calculate(expression)[1] == value
