"""Sentence-level forms of a calculation, on top of `calc_rewrite.emit` for the arithmetic itself.

- `A에서 B% 할인`, `A의 B% 할인`, `A B% 인상` -> `A - B%` / `A + B%` (a discount or a markup on A);
  `A에서 B를 빼면`, `A를 B로 나누면`, `100에서 20 빼기` -> `A - B`, `A / B`.
- `A에서 B로 변화율`, `A 대비 B 증가율`, `B는 A 대비 몇 %` -> the percent change from A to B.
- `B는 A의 몇 %` -> B as a share of A; `A 대비 B 몇 배`, `B는 A의 몇 배` -> B / A.
"""

from __future__ import annotations

from dataclasses import dataclass

from config import NuriError
from tools import calc_tokens as T
from tools.calc_functions import CONSTANTS
from tools.calc_rewrite import emit

NUMBER, PERCENT_CHANGE, SHARE, RATIO = "number", "percent_change", "share", "ratio"
_CONNECTORS = (T.OF, T.FROM, T.TO, T.VS)


@dataclass(frozen=True)
class Plan:
    """What to evaluate, how to show its value, and for comparisons the two sides (base, other)."""

    source: str
    kind: str = NUMBER
    sides: tuple[str, str] | None = None


def _is_op(token: T.Token, *texts: str) -> bool:
    return token.kind == T.OP and token.text in texts


def _ends_operand(token: T.Token) -> bool:
    return (
        token.kind in (T.NUM, T.PCT, T.EXP, T.SQRT_OF)
        or _is_op(token, ")")
        or (token.kind == T.NAME and token.text in CONSTANTS)
    )


def _operand_start(tokens: list[T.Token], last: int) -> int:
    """Index of the first token of the operand that ends at `last` (`20%`, `(1+2)`, `sqrt(4)`, `2의 10제곱`)."""
    i = last
    while i > 0 and tokens[i].kind in (T.PCT, T.EXP, T.SQRT_OF):
        i -= 2 if tokens[i - 1].kind == T.OF else 1
    if _is_op(tokens[i], ")"):
        depth = 0
        for j in range(i, -1, -1):
            depth += _is_op(tokens[j], ")") - _is_op(tokens[j], "(")
            if depth == 0:
                i = j
                break
        if i > 0 and tokens[i - 1].kind == T.NAME:
            i -= 1
    while i > 0 and tokens[i - 1].kind == T.ROOT:
        i -= 1
    if i > 0 and _is_op(tokens[i - 1], "-", "+") and (i == 1 or not _ends_operand(tokens[i - 2])):
        i -= 1  # a sign: `-5`
    return max(i, 0)


def _apply_post_operators(tokens: list[T.Token]) -> list[T.Token]:
    """`A에서 B% 할인` -> `A - B%`: the word after B decides the operator that joins A and B."""
    if tokens and _is_op(tokens[-1], "+", "-", "*", "/") and len(tokens) > 2:
        last = tokens[-1]  # `100에서 20 빼기`: a trailing operator word acts like `빼면`
        if any(t.kind in _CONNECTORS for t in tokens):
            tokens = [*tokens[:-1], T.Token(T.POSTOP, last.start, last.end, text=last.text)]
    out: list[T.Token] = []
    for token in tokens:
        if token.kind != T.POSTOP:
            out.append(token)
            continue
        if out and out[-1].kind == T.OP and not _is_op(out[-1], ")"):
            continue  # `100만 - 20% 할인`: the operator is already there
        if len(out) > 1 and out[-1].kind in _CONNECTORS and _ends_operand(out[-2]):
            out.pop()  # `100을 4로 나누면`: the 로 after the second value
        start = _operand_start(out, len(out) - 1) if out and _ends_operand(out[-1]) else 0
        if start == 0:
            raise NuriError("할인·인상·빼기 등을 할 기준 값을 앞에 적어 주세요 (예: 100만 원에서 20% 할인).")
        joint = out[start - 1]
        operator = T.Token(T.OP, joint.start, joint.end, text=token.text)
        if joint.kind in _CONNECTORS:
            out[start - 1] = operator
        elif _ends_operand(joint):
            out.insert(start, operator)
    return out


def _split_two(tokens: list[T.Token]) -> tuple[list[T.Token], list[T.Token]]:
    """Two operands side by side (`15000 12000`, the particles gone) -> (first, second)."""
    if tokens and _ends_operand(tokens[-1]):
        start = _operand_start(tokens, len(tokens) - 1)
        if start > 0 and _ends_operand(tokens[start - 1]):
            return tokens[:start], tokens[start:]
    raise NuriError("비교할 두 값을 적어 주세요 (예: 1000에서 1200으로 변화율, 12,000 대비 15,000 증가율).")


def _comparison(tokens: list[T.Token], index: int) -> Plan:
    question = tokens[index]
    rest = tokens[index + 1 :]
    if question.kind == T.CHANGE and [t.kind for t in rest] == [T.PERCENT_Q]:
        rest = []  # `증가율은 몇 %야`: the rate asked about in its own words
    if rest:
        raise NuriError("변화율·몇 배 뒤에는 식을 더 적지 말아 주세요 (예: 1000에서 1200으로 변화율).")
    before = list(tokens[:index])
    trailing: set[str] = set()
    while before and before[-1].kind in (*_CONNECTORS, T.POSTOP):
        trailing.add(before.pop().kind)
    depth, middle = 0, None
    for position, token in enumerate(before):
        depth += _is_op(token, "(") - _is_op(token, ")")
        if depth == 0 and token.kind in _CONNECTORS:
            middle = position
            break
    if middle is not None:
        connector = before[middle].kind
        base, other = before[:middle], [t for t in before[middle + 1 :] if t.kind != T.TO]
    else:
        first, second = _split_two(before)
        connector = T.OF if T.OF in trailing else T.VS
        # `15,000은 12,000 대비 몇 %`, `3,000은 12,000의 몇 %`: the base comes second.
        base, other = (second, first) if trailing & {T.OF, T.VS} else (first, second)
    if not base or not other:
        _split_two([])
    sides = (emit(base), emit(other))
    if question.kind == T.TIMES_Q:
        return Plan(f"({sides[1]})/({sides[0]})", RATIO, sides)
    if question.kind == T.PERCENT_Q and connector == T.OF:
        return Plan(f"({sides[1]})/({sides[0]})*100", SHARE, sides)
    return Plan(f"_change(({sides[0]}),({sides[1]}))", PERCENT_CHANGE, sides)


def plan(tokens: list[T.Token]) -> Plan:
    """Decide what to compute from the tokens of one question.

    >>> from tools.calc_tokens import tokenize
    >>> plan(tokenize("100만 원에서 20% 할인")).source
    '1000000-_pct(20)'
    >>> p = plan(tokenize("12,000원 대비 15,000원 증가율")); p.source, p.kind
    ('_change((12000),(15000))', 'percent_change')
    >>> plan(tokenize("3,000은 12,000의 몇 %")).source
    '(3000)/(12000)*100'
    >>> plan(tokenize("1,200에서 1,380으로. 증가율은 몇 %야?")).source
    '_change((1200),(1380))'
    """
    meaningful = [t for t in tokens if t.kind not in (T.UNIT, T.CHATTER)]
    if not any(t.kind in (T.NUM, T.NAME, T.EXP) for t in meaningful):
        raise NuriError(
            "계산할 숫자가 없습니다. 숫자와 연산자로 된 식을 주세요 (예: 3억 5천만 원의 15%, 1,550 × 22)."
        )
    for index, token in enumerate(meaningful):
        if token.kind in (T.CHANGE, T.PERCENT_Q, T.TIMES_Q):
            return _comparison(meaningful, index)
    return Plan(emit(_apply_post_operators(meaningful)))
