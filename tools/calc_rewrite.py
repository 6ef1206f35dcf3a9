"""Tokens of one operand chain -> Python-syntax arithmetic for `calc_eval.evaluate` (see `calc_plan` for the
sentence-level forms: discounts, percent changes, ratios).

- `A의 B%` -> `A*_pct(B)` (B percent of A); `A + B%` -> `A+_pct(B)` (A plus B percent of A); `10 % 3` stays
  the remainder (a number follows the `%`).
- `3억의 2배` -> `3억*2`; `5천만의 반` -> `5천만*(1/2)`; `2의 10제곱` -> `2**10`; `3²` -> `3**2`.
- `√16`, `루트 16`, `sqrt 16`, `16의 제곱근` -> `sqrt(16)`; `2(3+4)` and `2pi` multiply.

>>> from tools.calc_tokens import tokenize
>>> emit(tokenize("3억 5천만의 15%")), emit(tokenize("2의 10제곱")), emit(tokenize("√16 + 2(1+1)"))
('350000000*_pct(15)', '2**10', 'sqrt(16)+2*(1+1)')
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from config import NuriError
from tools import calc_tokens as T
from tools.calc_functions import CONSTANTS, FUNCTIONS

_BIG = 10**60  # a literal beyond this is refused before it is written out


@dataclass
class _Piece:
    text: str
    kind: str  # "operand", "op", "open", "func", "root"; "implied": the `*` a word (의, 짜리) stands for


def _number_text(value: Fraction) -> str:
    if abs(value.numerator) > _BIG or value.denominator > _BIG:
        raise NuriError("숫자가 너무 큽니다. 10^30보다 작은 수로 계산해 주세요.")
    if value.denominator == 1:
        return str(value.numerator)
    return f"({value.numerator}/{value.denominator})"


class _Emitter:
    """Left-to-right: each finished operand is one piece, so `%`, `제곱근` and `√` can wrap the last one."""

    def __init__(self) -> None:
        self.pieces: list[_Piece] = []

    def last_is_operand(self) -> bool:
        return bool(self.pieces) and self.pieces[-1].kind == "operand"

    def operand(self, text: str, *, ratio: bool = False, implicit_ok: bool = False) -> None:
        if self.last_is_operand():
            if not (ratio or implicit_ok):
                raise NuriError(
                    f"숫자 사이에 연산자가 없습니다 ('{self.pieces[-1].text}' 다음 '{text}'). "
                    "+ - × ÷ 중 하나를 넣어 주세요."
                )
            self.pieces.append(_Piece("*", "op"))
        while self.pieces and self.pieces[-1].kind in ("root", "func"):
            before = self.pieces.pop()
            text = f"{before.text}({text})" if before.kind == "root" else f"{before.text}{text}"
        self.pieces.append(_Piece(text, "operand"))

    def wrap_last(self, function: str, what: str) -> None:
        if not self.last_is_operand():
            raise NuriError(f"{what} 앞에 숫자를 적어 주세요 (예: 3억의 15%, 16의 제곱근).")
        self.pieces[-1] = _Piece(f"{function}({self.pieces[-1].text})", "operand")

    def close(self) -> None:
        inner: list[str] = []
        while self.pieces and self.pieces[-1].kind != "open":
            inner.append(self.pieces.pop().text)
        if not self.pieces:
            raise NuriError("닫는 괄호 ')'가 여는 괄호보다 많습니다. 괄호 짝을 맞춰 주세요.")
        self.pieces.pop()
        body = "".join(reversed(inner))
        if not body:
            raise NuriError("빈 괄호 '()'가 있습니다. 괄호 안에 식을 넣어 주세요.")
        called = bool(self.pieces) and self.pieces[-1].kind == "func"
        if "," in _top_level(body) and not called:
            raise NuriError("쉼표는 천 단위(1,550)나 함수 인자(max(1, 2))에만 씁니다. 식을 확인해 주세요.")
        self.operand(f"({body})", implicit_ok=True)

    def text(self) -> str:
        if any(p.kind == "open" for p in self.pieces):
            raise NuriError("괄호가 닫히지 않았습니다. ')'를 넣어 주세요.")
        if not self.pieces or self.pieces[-1].kind != "operand":
            raise NuriError("식이 연산자로 끝납니다. 마지막 숫자를 적어 주세요.")
        body = "".join(p.text for p in self.pieces)
        if "," in _top_level(body):
            raise NuriError("쉼표는 천 단위(1,550)나 함수 인자(max(1, 2))에만 씁니다. 식을 확인해 주세요.")
        return body


def _top_level(text: str) -> str:
    """The characters of `text` outside any parentheses."""
    depth, kept = 0, []
    for char in text:
        depth += char == "("
        if depth == 0:
            kept.append(char)
        depth -= char == ")"
    return "".join(kept)


def emit(tokens: list[T.Token]) -> str:
    """The Python-syntax expression for one chain of operands (units and chatter are skipped)."""
    tokens = [t for t in tokens if t.kind not in (T.UNIT, T.CHATTER)]
    out = _Emitter()
    for index, token in enumerate(tokens):
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        if token.kind == T.NUM:
            assert token.value is not None
            out.operand(_number_text(token.value), ratio=token.ratio)
        elif token.kind == T.NAME:
            _name(out, token, following)
        elif token.kind == T.ROOT:
            if out.last_is_operand():
                out.pieces.append(_Piece("*", "op"))
            out.pieces.append(_Piece("sqrt", "root"))
        elif token.kind == T.OP and token.text == "(":
            if out.last_is_operand():
                out.pieces.append(_Piece("*", "op"))
            out.pieces.append(_Piece("(", "open"))
        elif token.kind == T.OP and token.text == ")":
            out.close()
        elif token.kind == T.OP:
            _operator(out, token.text)
        elif token.kind == T.PCT:
            if (
                following is not None
                and following.kind in (T.NUM, T.NAME, T.ROOT)
                or (following is not None and following.kind == T.OP and following.text == "(")
            ):
                out.pieces.append(_Piece("%", "op"))  # `10 % 3`: the remainder
            else:
                out.wrap_last("_pct", "%")
        elif token.kind == T.EXP:
            _power(out, token)
        elif token.kind == T.SQRT_OF:
            if out.last_is_operand():
                out.wrap_last("sqrt", "제곱근")
            else:
                out.pieces.append(_Piece("sqrt", "root"))
        elif token.kind == T.OF:
            if following is None or following.kind not in (T.EXP, T.SQRT_OF):
                out.pieces.append(_Piece("*", "implied"))
        else:
            raise NuriError(f"'{_WORDS.get(token.kind, token.kind)}'를 어떻게 계산할지 모르겠습니다. {_HOW}")
    return out.text()


_WORDS = {
    T.FROM: "에서",
    T.VS: "대비",
    T.TO: "으로",
    T.CHANGE: "변화율",
    T.TIMES_Q: "몇 배",
    T.POSTOP: "할인/인상",
}
_HOW = "예: 100만 원에서 20% 할인, 1000에서 1200으로 변화율, 12,000 대비 15,000 증가율."


def _operator(out: _Emitter, op: str) -> None:
    """A written operator. It replaces the `*` a word implied (`1만 원짜리 * 3`); after another operator only a
    sign may follow (`3 * -2`): `2 * * 3` is refused, never glued into `2 ** 3`."""
    last = out.pieces[-1] if out.pieces else None
    if last is not None and last.kind == "implied":
        out.pieces[-1] = _Piece(op, "op")
    elif last is not None and last.kind == "op" and op not in ("+", "-"):
        raise NuriError(
            f"연산자 '{_SHOWN.get(last.text, last.text)}' 다음에 '{_SHOWN.get(op, op)}'가 바로 이어집니다. "
            "두 연산자 사이에 숫자를 넣어 주세요."
        )
    else:
        out.pieces.append(_Piece(op, "op"))


_SHOWN = {"*": "×", "/": "÷", "**": "^", "//": "//", "%": "%"}


def _name(out: _Emitter, token: T.Token, following: T.Token | None) -> None:
    name = token.text
    if name in CONSTANTS:
        out.operand(name, implicit_ok=True)
    elif name in FUNCTIONS and not name.startswith("_"):
        if following is None or following.kind != T.OP or following.text != "(":
            out.pieces.append(_Piece(name, "root"))  # `sqrt 16` reads as sqrt(16)
        else:
            if out.last_is_operand():
                out.pieces.append(_Piece("*", "op"))
            out.pieces.append(_Piece(name, "func"))
    else:
        raise NuriError(
            f"'{name}'은(는) 알 수 없는 이름입니다. 쓸 수 있는 함수: "
            f"{', '.join(n for n in FUNCTIONS if not n.startswith('_'))}; 상수: pi, e."
        )


def _power(out: _Emitter, token: T.Token) -> None:
    exponent = _number_text(token.value) if token.value is not None else token.text
    if out.last_is_operand():
        out.pieces.append(_Piece("**", "op"))
        out.operand(exponent)
    else:  # `10제곱` on its own: ten squared
        out.operand(exponent)
        out.pieces.append(_Piece("**", "op"))
        out.operand("2")
