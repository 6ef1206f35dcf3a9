"""Pure planning for the summarizer: token budgets, chunks on sentence boundaries, the reduce tree.

Nothing here calls a model. Token counts come from a function handed in (the model's own tokenizer, e.g.
llama.cpp `/tokenize`), so every request the summarizer builds is sized in the tokens that fill the window.
Paragraphs are counted once each; only a paragraph too long for one request is split into sentences, and
only a sentence too long is cut at spaces, so counting work grows linearly with the text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

__all__ = [
    "TEMPLATE_TOKENS",
    "Budget",
    "group_for_reduce",
    "hard_cut",
    "pack_chunks",
    "paragraphs",
    "planned_calls",
    "request_budget",
    "sentences",
]

Count = Callable[[str], int]

# Chat-template tokens around a system + user message pair (`<|im_start|>system ... <|im_end|>` and the
# assistant header): /tokenize counts text only, so they are added here.
TEMPLATE_TOKENS = 32
JOIN_TOKENS = 1  # a newline or space between two packed pieces

_PARAGRAPH = re.compile(r"\n\s*\n+")
_SENTENCE_END = re.compile(r"(?<=[.!?。？！…])\s+|(?<=[.!?。？！…][\"'”’)\]])\s+")


@dataclass(frozen=True)
class Budget:
    """One request's share of the window: what the answer may use and what the source text may use."""

    window: int
    answer: int  # max tokens the model may generate (sent as max_tokens / num_predict)
    safety: int  # margin for template tokens /tokenize does not see and counts that are not additive
    fixed: int  # system prompt + instruction + data delimiters + chat template
    source: int  # tokens of source text one request can carry

    @property
    def prompt_limit(self) -> int:
        """Most prompt tokens (template included) a request may have."""
        return self.window - self.answer - self.safety


def request_budget(window: int, num_predict: int, fixed: int, margin: float = 0.05) -> Budget:
    """Split the window into answer reserve, safety margin, fixed prompt overhead and source text.

    The answer gets `num_predict` capped at a quarter of the window, so a long source never meets a
    window mostly reserved for the answer; the margin is 5% (at least 16 tokens).

    >>> request_budget(2048, 1024, fixed=150)
    Budget(window=2048, answer=512, safety=102, fixed=182, source=1252)
    >>> request_budget(8192, 256, fixed=150).source
    7345
    >>> request_budget(256, 1024, fixed=150).source
    0
    """
    answer = max(16, min(num_predict, window // 4))
    safety = max(16, int(window * margin))
    fixed_all = fixed + TEMPLATE_TOKENS
    return Budget(window, answer, safety, fixed_all, max(0, window - answer - safety - fixed_all))


def paragraphs(text: str) -> list[str]:
    """Blank-line separated paragraphs, stripped, empty ones dropped.

    >>> paragraphs("첫 문단.\\n\\n\\n 둘째 문단.\\n이어진 줄.\\n\\n")
    ['첫 문단.', '둘째 문단.\\n이어진 줄.']
    """
    return [p.strip() for p in _PARAGRAPH.split(text) if p.strip()]


def sentences(paragraph: str) -> list[str]:
    """Sentences of one paragraph, split after . ! ? (and closing quotes) followed by white space.

    >>> sentences('시가 밝혔다. "요금을 올린다." 반대도 있다! 끝')
    ['시가 밝혔다.', '"요금을 올린다."', '반대도 있다!', '끝']
    >>> sentences("3.5% 올랐다. 다음")
    ['3.5% 올랐다.', '다음']
    """
    return [s.strip() for s in _SENTENCE_END.split(paragraph) if s.strip()]


def hard_cut(text: str, count: Count, budget: int) -> list[tuple[str, int]]:
    """Cut a piece with no usable sentence boundary into (piece, tokens) that each fit `budget`.

    Cuts fall on a space where one is near; a few counts per piece find the length.

    >>> [p for p, _ in hard_cut("가나다라마바사아자차", len, 4)]
    ['가나다라', '마바사아', '자차']
    >>> [p for p, _ in hard_cut("하나 둘 셋 넷 다섯", len, 6)]
    ['하나 둘 셋', '넷 다섯']
    """
    if budget < 1:
        raise ValueError("budget must be positive")
    pieces: list[tuple[str, int]] = []
    rest = text.strip()
    per_token = 8.0  # characters per token: a high first guess, then learned from each count
    while rest:
        # Only the candidate piece is counted, so cutting costs counts proportional to the text's length.
        cut = min(len(rest), max(1, int(budget * per_token)))
        tokens: int | None = count(rest[:cut])
        shrink = 1.0  # the proportional cut first, then a little shorter each time it still overflows
        while tokens > budget and cut > 1:
            cut = max(1, min(cut - 1, int(cut * budget / tokens * shrink)))
            tokens = count(rest[:cut])
            shrink *= 0.95
        per_token = max(0.5, cut / max(1, tokens))
        if cut < len(rest):
            space = rest.rfind(" ", cut // 2, cut + 1)
            if space > 0:
                cut, tokens = space, None
        piece = rest[:cut].strip()
        if piece:
            pieces.append((piece, tokens if tokens is not None and piece == rest[:cut] else count(piece)))
        rest = rest[cut:].strip()
    return pieces


def _pieces(text: str, count: Count, budget: int) -> list[tuple[str, int, str]]:
    """(piece, tokens, separator before it): whole paragraphs where they fit, else sentences, else cuts."""
    out: list[tuple[str, int, str]] = []
    for paragraph in paragraphs(text):
        tokens = count(paragraph)
        if tokens <= budget:
            out.append((paragraph, tokens, "\n\n"))
            continue
        parts = sentences(paragraph)
        for i, sentence in enumerate(parts):
            sep = "\n\n" if i == 0 else " "
            tokens = count(sentence) if len(parts) > 1 else tokens
            if tokens <= budget:
                out.append((sentence, tokens, sep))
            else:
                for i, (piece, n) in enumerate(hard_cut(sentence, count, budget)):
                    out.append((piece, n, sep if i == 0 else " "))
    return out


def pack_chunks(text: str, count: Count, budget: int) -> list[str]:
    """Consecutive pieces of `text` packed into chunks of at most about `budget` tokens, in order.

    Chunks break between paragraphs where possible, else between sentences; nothing is dropped.

    >>> pack_chunks("가나. 다라.\\n\\n마바사. 아자.\\n\\n차", len, 10)
    ['가나. 다라.', '마바사. 아자.\\n\\n차']
    >>> pack_chunks("하나. 둘. 셋. 넷.", len, 7)
    ['하나. 둘.', '셋. 넷.']
    >>> pack_chunks("", len, 10)
    []
    """
    if budget < 1:
        raise ValueError("budget must be positive")
    chunks: list[str] = []
    current: list[str] = []
    used = 0
    for piece, tokens, sep in _pieces(text, count, budget):
        if current and used + JOIN_TOKENS + tokens > budget:
            chunks.append("".join(current).strip())
            current, used = [], 0
        current.append((sep if current else "") + piece)
        used += tokens + (JOIN_TOKENS if len(current) > 1 else 0)
    if current:
        chunks.append("".join(current).strip())
    return chunks


def group_for_reduce(sizes: list[int], budget: int) -> list[list[int]]:
    """Indices of consecutive partial summaries grouped so each group's tokens fit `budget`.

    >>> group_for_reduce([40, 40, 40, 40, 40], 100)
    [[0, 1], [2, 3], [4]]
    >>> group_for_reduce([10, 10, 10], 100)
    [[0, 1, 2]]
    """
    groups: list[list[int]] = []
    current: list[int] = []
    used = 0
    for i, size in enumerate(sizes):
        cost = size + (JOIN_TOKENS if current else 0)
        if current and used + cost > budget:
            groups.append(current)
            current, used, cost = [], 0, size
        current.append(i)
        used += cost
    if current:
        groups.append(current)
    return groups


def planned_calls(chunks: int, partial_tokens: int, budget: int) -> int:
    """Model calls a map-reduce over `chunks` needs when each partial summary is `partial_tokens` long.

    One call per chunk, one per reduce group on each level, one final call: about
    chunks * (1 + 1/k + 1/k^2 ...) for k summaries per group, i.e. linear in the text length.

    >>> planned_calls(1, 200, 1000), planned_calls(4, 200, 1000), planned_calls(12, 200, 1000)
    (1, 5, 16)
    """
    if chunks <= 1:
        return 1
    calls, level = chunks, chunks
    while level * (partial_tokens + JOIN_TOKENS) > budget:
        level = len(group_for_reduce([partial_tokens] * level, budget))
        calls += level
    return calls + 1
