"""The calculator's numbers and functions: exact fractions, sized before every costly step.

`power`, `factorial`, `comb`/`perm` check how big their result would be before computing it; float functions
turn domain and overflow errors into Korean sentences. `_pct` and `_change` carry the percent semantics
(see `calc_eval`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from fractions import Fraction

from config import NuriError
from tools.korean_numbers import round_half_up

Value = Fraction | float

MAX_BITS = 4_000  # bits of a numerator or denominator along the way (about 1,200 digits)
MAX_FACTORIAL = 300
MAX_COMBINATORIAL = 1_000
MAX_ARGS = 50


def refuse(message: str) -> NuriError:
    return NuriError(message)


TOO_BIG = "결과가 너무 큽니다. 더 작은 수로 나눠서 계산해 주세요."
TOO_SMALL = "결과가 너무 작아 정확히 계산할 수 없습니다. 지수를 줄여 주세요."
DIVIDE_BY_ZERO = "0으로 나눌 수 없습니다. 나누는 수를 확인해 주세요."


def checked(value: Value) -> Value:
    """Refuse a value too large to carry on with; turn floats that hold an integer back into fractions."""
    if isinstance(value, float):
        if not math.isfinite(value) or abs(value) > 1e300:
            raise refuse(TOO_BIG)
        return value
    if value.numerator.bit_length() > MAX_BITS or value.denominator.bit_length() > MAX_BITS:
        raise refuse(TOO_BIG)
    return value


def _as_float(value: Value) -> float:
    try:
        return float(value)
    except OverflowError:
        raise refuse(TOO_BIG) from None


def _as_int(value: Value, what: str) -> int:
    if isinstance(value, float):
        if not value.is_integer():
            raise refuse(f"{what}에는 정수를 넣어 주세요.")
        value = Fraction(value)
    if value.denominator != 1:
        raise refuse(f"{what}에는 정수를 넣어 주세요.")
    return value.numerator


def power(base: Value, exponent: Value) -> Value:
    """`base ** exponent`, sized before it is computed.

    >>> power(Fraction(2), Fraction(10)), power(Fraction(4), Fraction(1, 2)), power(Fraction(1, 2), Fraction(-2))
    (Fraction(1024, 1), Fraction(2, 1), Fraction(4, 1))
    >>> power(Fraction(9), Fraction(9**9))
    Traceback (most recent call last):
    config.errors.NuriError: 결과가 너무 큽니다. 더 작은 수로 나눠서 계산해 주세요.
    """
    if isinstance(exponent, float) and exponent.is_integer() and abs(exponent) < 2**53:
        exponent = Fraction(int(exponent))
    if base == 0 and exponent < 0:
        raise refuse(DIVIDE_BY_ZERO)
    if isinstance(base, Fraction) and isinstance(exponent, Fraction) and exponent.denominator == 1:
        n = exponent.numerator
        if base in (0, 1) or n == 0:
            return Fraction(1) if n == 0 else base
        if base == -1:
            return Fraction(1 if n % 2 == 0 else -1)
        bits = max(base.numerator.bit_length(), base.denominator.bit_length())
        if bits * abs(n) > MAX_BITS:
            raise refuse(TOO_SMALL if (abs(base) < 1) == (n > 0) else TOO_BIG)
        return base**n
    if isinstance(base, Fraction) and isinstance(exponent, Fraction) and base > 0:
        exact = _exact_root(base, exponent.denominator)
        if exact is not None:
            return power(exact, Fraction(exponent.numerator))
    if base < 0:
        raise refuse("음수의 소수 거듭제곱은 실수가 아닙니다. 식을 확인해 주세요.")
    try:
        return checked(math.pow(_as_float(base), _as_float(exponent)))
    except OverflowError:
        raise refuse(TOO_BIG) from None


def _exact_root(value: Fraction, degree: int) -> Fraction | None:
    """The exact `degree`-th root of a positive fraction, when there is one (4 -> 2 for degree 2)."""
    if degree > 64:
        return None
    roots = []
    for part in (value.numerator, value.denominator):
        if degree == 2:
            guess = math.isqrt(part)
        elif part.bit_length() < 1000:
            guess = round(part ** (1 / degree))
        else:
            return None
        if guess**degree != part:
            return None
        roots.append(guess)
    return Fraction(roots[0], roots[1])


def _sqrt(x: Value) -> Value:
    if x < 0:
        raise refuse("음수의 제곱근은 실수가 아닙니다. 식을 확인해 주세요.")
    return power(x, Fraction(1, 2)) if isinstance(x, Fraction) else math.sqrt(x)


def _log(x: Value, base: Value | None = None) -> Value:
    if x <= 0 or (base is not None and (base <= 0 or base == 1)):
        raise refuse("로그는 0보다 큰 수에만 쓸 수 있습니다 (밑은 1이 아닌 양수).")
    return math.log(_as_float(x)) if base is None else math.log(_as_float(x), _as_float(base))


def _factorial(n: Value) -> Value:
    k = _as_int(n, "factorial")
    if k < 0 or k > MAX_FACTORIAL:
        raise refuse(f"factorial은 0부터 {MAX_FACTORIAL}까지만 계산합니다.")
    return Fraction(math.factorial(k))


def _combinatorial(function: Callable[[int, int], int]) -> Callable[[Value, Value], Value]:
    def checked(n: Value, k: Value) -> Value:
        a, b = _as_int(n, function.__name__), _as_int(k, function.__name__)
        if not (0 <= a <= MAX_COMBINATORIAL and 0 <= b <= MAX_COMBINATORIAL):
            raise refuse(f"{function.__name__}은 0부터 {MAX_COMBINATORIAL}까지의 정수만 받습니다.")
        return Fraction(function(a, b))

    return checked


def _round(x: Value, places: Value = Fraction(0)) -> Value:
    digits = _as_int(places, "round의 자릿수")
    if abs(digits) > 30:
        raise refuse("round의 자릿수는 -30부터 30까지입니다.")
    exact = x if isinstance(x, Fraction) else Fraction(x)
    return round_half_up(exact, digits)


def _int_function(function: Callable[..., int]) -> Callable[..., Value]:
    def checked(*args: Value) -> Value:
        return Fraction(function(*(_as_int(a, function.__name__) for a in args)))

    return checked


def _float_function(function: Callable[..., float]) -> Callable[..., Value]:
    def checked(*args: Value) -> Value:
        try:
            return function(*(_as_float(a) for a in args))
        except ValueError:
            raise refuse(f"{function.__name__}에 넣을 수 없는 값입니다 (정의역 밖).") from None
        except OverflowError:
            raise refuse(TOO_BIG) from None

    return checked


def _percent_change(old: Value, new: Value) -> Value:
    if old == 0:
        raise refuse("기준값이 0이라 변화율을 계산할 수 없습니다.")
    return (new - old) / abs(old) * 100


def _floor(x: Value) -> Value:
    return Fraction(math.floor(x))


def _ceil(x: Value) -> Value:
    return Fraction(math.ceil(x))


def _min(*args: Value) -> Value:
    return min(args)


def _max(*args: Value) -> Value:
    return max(args)


def _abs(x: Value) -> Value:
    return abs(x)


# name -> (function, fewest arguments, most arguments)
FUNCTIONS: dict[str, tuple[Callable[..., Value], int, int]] = {
    "sqrt": (_sqrt, 1, 1),
    "abs": (_abs, 1, 1),
    "round": (_round, 1, 2),
    "floor": (_floor, 1, 1),
    "ceil": (_ceil, 1, 1),
    "min": (_min, 1, MAX_ARGS),
    "max": (_max, 1, MAX_ARGS),
    "pow": (power, 2, 2),
    "log": (_log, 1, 2),
    "ln": (_log, 1, 1),
    "log10": (lambda x: _log(x, Fraction(10)), 1, 1),
    "log2": (lambda x: _log(x, Fraction(2)), 1, 1),
    "exp": (_float_function(math.exp), 1, 1),
    "sin": (_float_function(math.sin), 1, 1),
    "cos": (_float_function(math.cos), 1, 1),
    "tan": (_float_function(math.tan), 1, 1),
    "asin": (_float_function(math.asin), 1, 1),
    "acos": (_float_function(math.acos), 1, 1),
    "atan": (_float_function(math.atan), 1, 1),
    "hypot": (_float_function(math.hypot), 2, 2),
    "degrees": (_float_function(math.degrees), 1, 1),
    "radians": (_float_function(math.radians), 1, 1),
    "factorial": (_factorial, 1, 1),
    "comb": (_combinatorial(math.comb), 2, 2),
    "perm": (_combinatorial(math.perm), 2, 2),
    "gcd": (_int_function(math.gcd), 2, 2),
    "lcm": (_int_function(math.lcm), 2, 2),
    "_pct": (lambda x: x / 100, 1, 1),
    "_change": (_percent_change, 2, 2),
}
CONSTANTS: dict[str, Value] = {"pi": math.pi, "e": math.e, "tau": math.tau}
