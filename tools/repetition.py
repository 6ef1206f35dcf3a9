"""Small models loop: "정상적으로 정상적으로 정상적으로 ...", "1,000만 원을 받는 달에 1,000만 원을 받는 달에 ...".
An answer or summary that runs into such a loop keeps the phrase once and says it was cut."""

from __future__ import annotations

import re

__all__ = ["LOOP_NOTE", "cut_repetition"]

# A phrase of 4-80 characters said three or more times in a row (spaces between the copies allowed).
_LOOP = re.compile(r"(\S.{3,79}?)(?:\s*\1){2,}", re.DOTALL)
LOOP_NOTE = "(같은 말이 되풀이되어 뒷부분을 줄였습니다.)"


def cut_repetition(text: str, *, note: bool = True) -> str:
    """`text` with each run of a repeated phrase cut to its first copy, and a note when anything was cut
    (`note=False` for text the model reads again, such as partial summaries).

    >>> print(cut_repetition("월급은 400만 원입니다. 1,000만 원을 받는 달에 1,000만 원을 받는 달에 1,000만 원을 받는 달에"))
    월급은 400만 원입니다. 1,000만 원을 받는 달에
    (같은 말이 되풀이되어 뒷부분을 줄였습니다.)
    >>> cut_repetition("하하하 좋아요. 서울, 부산, 대구, 광주."), cut_repetition("|---|---|---|---|"), cut_repetition("ㅋ" * 12)
    ('하하하 좋아요. 서울, 부산, 대구, 광주.', '|---|---|---|---|', 'ㅋㅋㅋㅋㅋㅋㅋㅋㅋㅋㅋㅋ')
    """
    # Only phrases with words in them: table rules ("|---|---|---|") and laughter ("ㅋㅋㅋㅋ") stay.
    cut = _LOOP.sub(lambda m: m.group(1) if re.search(r"[가-힣A-Za-z0-9]", m.group(1)) else m.group(0), text)
    if cut == text or not note:
        return cut
    return f"{cut.rstrip()}\n{LOOP_NOTE}"
