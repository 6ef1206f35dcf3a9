"""Korean-aware chunking: sentences packed into chunks by a budget in the embedder's own tokens.

Each chunk is what the embedder sees (`title` + body piece) and stays within its token limit, since e5
silently drops everything after 512 tokens. Neighbouring chunks share about one sentence, so a fact that
straddles a boundary is still found whole in one of them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from vectorstore.korean import Sentence, split_sentences

__all__ = ["Chunk", "chunk_article_text", "embed_input"]


@dataclass(frozen=True)
class Chunk:
    """A piece of an article body with its character span in `Article.text`."""

    index: int
    text: str
    start: int
    end: int


def embed_input(title: str, text: str) -> str:
    """What the embedder reads for a chunk: the title gives every chunk its article's topic.

    >>> embed_input("요금 인상", "시가 밝혔다.")
    '요금 인상\\n시가 밝혔다.'
    >>> embed_input("", "본문")
    '본문'
    """
    return f"{title}\n{text}" if title else text


def _split_long(sentence: Sentence, count: Callable[[str], int], budget: int) -> list[Sentence]:
    """Cut a sentence that alone exceeds the budget into pieces that fit, at spaces where possible."""
    pieces: list[Sentence] = []
    start = sentence.start
    text = sentence.text
    while text:
        tokens = count(text)
        if tokens <= budget:
            pieces.append(Sentence(text, start, start + len(text)))
            break
        cut = max(1, int(len(text) * budget / tokens * 0.9))
        while cut > 1 and count(text[:cut]) > budget:
            cut = max(1, int(cut * 0.8))
        space = text.rfind(" ", cut // 2, cut)
        if space > 0:
            cut = space + 1
        pieces.append(Sentence(text[:cut], start, start + cut))
        start += cut
        text = text[cut:]
    return [p for p in pieces if p.text.strip()]


def chunk_article_text(
    title: str,
    text: str,
    count_tokens: Callable[[str], int],
    budget: int,
    sentences: list[Sentence] | None = None,
) -> list[Chunk]:
    """Chunks of `text` whose `embed_input(title, chunk)` counts at most `budget` tokens.

    >>> words = lambda s: len(s.split()) + 2
    >>> body = "하나 둘 셋. 넷 다섯 여섯. 일곱 여덟 아홉. 열 열하나 열둘."
    >>> [c.text for c in chunk_article_text("제목", body, words, budget=20)]
    ['하나 둘 셋. 넷 다섯 여섯. 일곱 여덟 아홉.', '일곱 여덟 아홉. 열 열하나 열둘.']
    >>> chunk_article_text("제목", "   ", words, budget=20)
    []
    """
    overhead = count_tokens("")
    title_cost = max(0, count_tokens(title) - overhead) + 1 if title else 0
    # A title never takes more than half the budget: the body is what must be found.
    if title_cost > budget // 2:
        title = title[: max(1, len(title) * (budget // 2) // max(title_cost, 1))]
        title_cost = max(0, count_tokens(title) - overhead) + 1
    # Headroom for the tokens a join adds (newlines, a word split differently at the edges).
    margin = max(2, budget // 32)
    body_budget = max(4, budget - overhead - title_cost - margin)

    def cost(piece: str) -> int:
        return max(1, count_tokens(piece) - overhead)

    units: list[tuple[Sentence, int]] = []
    for sentence in split_sentences(text) if sentences is None else sentences:
        tokens = cost(sentence.text)
        if tokens <= body_budget:
            units.append((sentence, tokens))
        else:
            units.extend((p, cost(p.text)) for p in _split_long(sentence, cost, body_budget))

    groups: list[list[tuple[Sentence, int]]] = []
    current: list[tuple[Sentence, int]] = []
    used = 0
    for unit in units:
        if current and used + unit[1] + 1 > body_budget:
            groups.append(current)
            last = current[-1]
            overlap = (
                len(current) > 1 and last[1] + unit[1] + 1 <= body_budget and last[1] <= body_budget // 3
            )
            current, used = ([last], last[1] + 1) if overlap else ([], 0)
        current.append(unit)
        used += unit[1] + 1
    if current:
        groups.append(current)

    chunks: list[Chunk] = []
    for group in groups:
        start, end = group[0][0].start, group[-1][0].end
        piece = text[start:end]
        # The sum of sentence costs is an estimate; the real count of the joined input decides.
        while len(group) > 1 and count_tokens(embed_input(title, piece)) > budget:
            group = group[:-1]
            end = group[-1][0].end
            piece = text[start:end]
        chunks.append(Chunk(len(chunks), piece, start, end))
    return chunks
