"""The sentences of search passages that answer the question, to put in front of the passages.

The small default model answers a knowledge-base question with the first sentence it reads (measured on the
held-out agent tasks: asked the 무역수지 figure, it gave the export article's lead). The sentence that holds
what was asked goes first, marked as data like the passages. Lexical, no model call: each word of the query
counts where its first two syllables occur in a sentence, the word the question turns on (관람료 in "관람료는
얼마야?", 개월 in "몇 개월") four times, a word found in every sentence not at all.
"""

from __future__ import annotations

import re

from tools.summarize_plan import sentences as split_sentences

__all__ = ["key_sentences"]

_WORD = re.compile(r"[가-힣]{2,}|[A-Za-z]{2,}|\d+(?:[.,]\d+)*")
# Words that ask rather than name what is asked about.
_ASKING = re.compile(
    r"^(?:얼마|몇|언제|어디|누가|누구|무엇|무슨|어떤|어떻게|왜|찾아|알려|저장|수집|모아|기사|뉴스|따르면|의하면"
    r"|나와|했어|했다|됐어|되는|인지|였는지|라고|이야|이에)"
)
# The word just before 얼마/언제/어디/누구 or just after 몇: what the question turns on.
_FOCUS_WEIGHT = (
    4  # the asked-about word outweighs the topic words a lead sentence also holds (평택, 오송, 고속)
)
_FOCUS = re.compile(r"([가-힣A-Za-z]{2,})\S*\s+(?:얼마|언제|어디|누구|누가)|몇\s*([가-힣]{1,3})")


def _stems(query: str) -> dict[str, int]:
    focus = {m.group(1) or m.group(2) for m in _FOCUS.finditer(query)}
    stems: dict[str, int] = {}
    for word in _WORD.findall(query):
        if _ASKING.match(word):
            continue
        stem = word if word[0].isdigit() else word[:2]
        stems[stem] = max(
            stems.get(stem, 0), _FOCUS_WEIGHT if any(f.startswith(stem) for f in focus if f) else 1
        )
    for word in focus:  # "몇 개월": 개월 is asked about even though 몇 is an asking word
        if word and len(word) >= 2 and not _ASKING.match(word):
            stems[word[:2]] = _FOCUS_WEIGHT
    return stems


def key_sentences(query: str, passages: list[str], limit: int = 2) -> list[tuple[int, str]]:
    """Up to `limit` (passage number from 1, sentence) pairs that match the query best, best first; none
    when no sentence holds a query word. Ties go to the earlier passage, then the earlier sentence.

    >>> passages = ["11월 반도체 수출액이 142억 달러로 23% 늘었다. 같은 달 무역수지는 48억 달러 흑자를 기록했다.",
    ...             "관람료는 무료이며 매주 월요일은 휴관한다."]
    >>> key_sentences("무역수지 흑자가 얼마였는지", passages, limit=1)
    [(1, '같은 달 무역수지는 48억 달러 흑자를 기록했다.')]
    >>> key_sentences("특별전 관람료는 얼마야?", passages, limit=1), key_sentences("날씨", passages)
    ([(2, '관람료는 무료이며 매주 월요일은 휴관한다.')], [])
    """
    stems = _stems(query)
    sentences = [
        (n, i, sentence)
        for n, passage in enumerate(passages, 1)
        for i, sentence in enumerate(split_sentences(passage))
    ]
    if not stems or not sentences:
        return []
    # A stem in every sentence tells none apart (the topic all the passages share).
    common = {s for s in stems if len(sentences) > 1 and all(s in text for _, _, text in sentences)}
    scored = []
    for n, i, text in sentences:
        score = sum(weight for stem, weight in stems.items() if stem not in common and stem in text)
        if score:
            scored.append((-score, n, i, text))
    return [(n, text) for _, n, _, text in sorted(scored)[:limit]]
