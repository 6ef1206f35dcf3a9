"""A safe arithmetic evaluator: Python's parser, then an allowlist walk over the tree with exact fractions.

Nothing is executed: the tree is walked node by node and only numbers, + - * / // % **, unary signs, the
functions in `FUNCTIONS` and the constants in `CONSTANTS` are accepted (no attributes, subscripts, strings,
comprehensions, keywords or any other call). Every operation is sized before it runs (exponents, factorial,
digits of a fraction), so a hostile input is refused in microseconds instead of eating the CPU.

Two internal functions carry the calculator's percent semantics: `_pct(x)` is x/100, except as the right
side of + or -, where `a + _pct(x)` is a * (1 + x/100); `_change(a, b)` is the percent change from a to b.
"""

from __future__ import annotations

import ast
import re
from fractions import Fraction

from tools.calc_functions import (
    CONSTANTS,
    DIVIDE_BY_ZERO,
    FUNCTIONS,
    MAX_BITS,
    TOO_BIG,
    Value,
    checked,
    power,
    refuse,
)

MAX_NODES = 300  # syntax-tree nodes in one expression
MAX_LITERAL_EXPONENT = 400  # `1e400` at most in a literal
_LITERAL = re.compile(r"(\d*\.?\d*)(?:[eE]([+-]?\d+))?")


def _literal(node: ast.Constant, source: str) -> Value:
    value = node.value
    if isinstance(value, bool) or not isinstance(value, int | float):
        kind = "문자열은" if isinstance(value, str | bytes) else f"{type(value).__name__} 값은"
        raise refuse(f"{kind} 계산할 수 없습니다. 숫자와 연산자만 쓰세요.")
    if isinstance(value, int):
        if value.bit_length() > MAX_BITS:
            raise refuse(TOO_BIG)
        return Fraction(value)
    # A float literal: read its text exactly (0.1 stays 1/10), refusing `1e999999` before expanding it.
    text = (ast.get_source_segment(source, node) or repr(value)).replace("_", "")
    match = _LITERAL.fullmatch(text)
    if not match or abs(int(match.group(2) or 0)) > MAX_LITERAL_EXPONENT:
        raise refuse(TOO_BIG)
    return checked(Fraction(text))


def _binary(op: ast.operator, left: Value, right: Value, right_node: ast.expr) -> Value:
    if isinstance(op, ast.Add | ast.Sub) and _is_call(right_node, "_pct"):
        # `a + 10%` adds ten percent of a (a * 1.1); `a - 10%` takes it off (a * 0.9).
        return left * (1 + right) if isinstance(op, ast.Add) else left * (1 - right)
    if isinstance(op, ast.Add):
        return left + right
    if isinstance(op, ast.Sub):
        return left - right
    if isinstance(op, ast.Mult):
        return left * right
    if isinstance(op, ast.Pow):
        return power(left, right)
    if right == 0:
        raise refuse(DIVIDE_BY_ZERO)
    if isinstance(op, ast.Div):
        return left / right
    if isinstance(op, ast.FloorDiv):
        return Fraction(left // right)
    if isinstance(op, ast.Mod):
        return left % right
    raise refuse(f"연산자 '{type(op).__name__}'는 쓸 수 없습니다. + - * / // % ** 를 쓰세요.")


def _is_call(node: ast.expr, name: str) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == name


class _Walker:
    def __init__(self, source: str) -> None:
        self.source = source

    def value(self, node: ast.AST) -> Value:
        if isinstance(node, ast.Expression):
            return self.value(node.body)
        if isinstance(node, ast.Constant):
            return _literal(node, self.source)
        if isinstance(node, ast.BinOp):
            left, right = self.value(node.left), self.value(node.right)
            return checked(_binary(node.op, left, right, node.right))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.UAdd | ast.USub):
            operand = self.value(node.operand)
            return -operand if isinstance(node.op, ast.USub) else operand
        if isinstance(node, ast.Name):
            if node.id in CONSTANTS:
                return CONSTANTS[node.id]
            if node.id in FUNCTIONS:
                raise refuse(f"'{node.id}'는 함수입니다. {node.id}(16)처럼 괄호 안에 값을 넣어 주세요.")
            raise refuse(
                f"'{node.id}'는 알 수 없는 이름입니다. 숫자, 연산자, sqrt 같은 함수만 쓸 수 있습니다."
            )
        if isinstance(node, ast.Call):
            return self.call(node)
        raise refuse(f"'{type(node).__name__}' 구문은 계산기에서 쓸 수 없습니다. 숫자와 연산자만 쓰세요.")

    def call(self, node: ast.Call) -> Value:
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
            raise refuse("허용된 함수(sqrt, abs, round, log, sin 등)만 부를 수 있습니다.")
        if node.keywords or any(isinstance(a, ast.Starred) for a in node.args):
            raise refuse("함수에는 값만 차례로 넣어 주세요 (이름 붙인 인자는 쓸 수 없습니다).")
        function, fewest, most = FUNCTIONS[node.func.id]
        if not fewest <= len(node.args) <= most:
            raise refuse(f"{node.func.id}에 넣는 값의 개수가 맞지 않습니다.")
        return checked(function(*(self.value(a) for a in node.args)))


def evaluate(source: str) -> Value:
    """Evaluate a Python-syntax arithmetic expression exactly where possible.

    >>> evaluate("0.1 + 0.2"), evaluate("2 ** 10"), evaluate("350000000 * _pct(15)"), evaluate("100 + _pct(10)")
    (Fraction(3, 10), Fraction(1024, 1), Fraction(52500000, 1), Fraction(110, 1))
    >>> evaluate("__import__('os').system('id')")
    Traceback (most recent call last):
    config.errors.NuriError: 허용된 함수(sqrt, abs, round, log, sin 등)만 부를 수 있습니다.
    """
    try:
        tree = ast.parse(source.strip(), mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        raise refuse(
            "식의 문법이 맞지 않습니다. 괄호와 연산자를 확인해 주세요 (예: (1200-1000)/1000)."
        ) from None
    if sum(1 for _ in ast.walk(tree)) > MAX_NODES:
        raise refuse(f"식이 너무 복잡합니다 (항목 {MAX_NODES}개 초과). 나눠서 계산해 주세요.")
    try:
        return _Walker(source.strip()).value(tree)
    except ZeroDivisionError:
        raise refuse(DIVIDE_BY_ZERO) from None
    except OverflowError:
        raise refuse(TOO_BIG) from None
    except RecursionError:
        raise refuse("식이 너무 깊게 중첩되어 있습니다. 나눠서 계산해 주세요.") from None
