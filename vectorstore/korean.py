"""Korean text helpers over one shared Kiwi analyser: sentences and content morphemes."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import cache

__all__ = [
    "Analysis",
    "Sentence",
    "analyze",
    "content_morphemes",
    "content_morphemes_many",
    "has_letters",
    "kiwi",
    "split_sentences",
]

# Content-bearing tags: nouns, verb/adjective stems, roots, foreign words, hanja, numbers.
# Particles, endings, suffixes, pronouns, adverbs and punctuation carry no topic, so BM25 ignores them.
_CONTENT_TAGS = frozenset({"NNG", "NNP", "NNB", "NR", "VV", "VA", "XR", "SL", "SH", "SN"})
# Frequent function-like words that survive tagging (or are particles typed on their own) and say
# nothing about a topic.
_STOP_FORMS = frozenset(
    "것 수 등 때 중 데 바 그 이 저 하 있 되 않 없 은 는 을 를 가 의 에 도 만 느 "
    "the a an of and or to in on at for is are was were be by with".split()
)

_kiwi_lock = threading.Lock()


@cache
def kiwi():
    """The process-wide Kiwi analyser (loading it takes about 2 s)."""
    from kiwipiepy import Kiwi

    return Kiwi()


@dataclass(frozen=True)
class Sentence:
    """A sentence and its character span in the original text."""

    text: str
    start: int
    end: int


def has_letters(text: str) -> bool:
    """True when the text holds at least one letter or digit (not only spaces, symbols or emoji).

    >>> has_letters("지하철 😀"), has_letters("😀 !!"), has_letters("   ")
    (True, False, False)
    """
    return any(ch.isalnum() for ch in text)


@dataclass(frozen=True)
class Analysis:
    """One Kiwi pass over a text: its sentences and its content morphemes with their offsets."""

    sentences: list[Sentence]
    terms: list[tuple[int, str]]


def analyze(text: str) -> Analysis:
    """Sentences (with character spans) and content morphemes of a text, from a single Kiwi analysis.

    >>> a = analyze("요금이 오른다. 시가 밝혔다.\\n\\n다음 문단이다")
    >>> [s.text for s in a.sentences]
    ['요금이 오른다.', '시가 밝혔다.', '다음 문단이다']
    >>> a.terms[:3]
    [(0, '요금'), (4, '오르'), (9, '시')]
    """
    if not text.strip():
        return Analysis([], [])
    with _kiwi_lock:
        sentences = kiwi().tokenize(text, split_sents=True)
    spans: list[Sentence] = []
    terms: list[tuple[int, str]] = []
    for tokens in sentences:
        if not tokens:
            continue
        start, end = tokens[0].start, tokens[-1].start + tokens[-1].len
        if text[start:end].strip():
            spans.append(Sentence(text[start:end], start, end))
        terms.extend((token.start, form) for token, form in _content(tokens))
    return Analysis(spans, terms)


def split_sentences(text: str) -> list[Sentence]:
    """Sentences with character offsets; paragraphs (blank-line separated) never share a sentence.

    >>> [s.text for s in split_sentences("요금이 오른다. 시가 밝혔다.\\n\\n다음 문단이다")]
    ['요금이 오른다.', '시가 밝혔다.', '다음 문단이다']
    >>> split_sentences("가나다. 라마")[1].start
    5
    """
    return analyze(text).sentences


def _content(tokens):
    for token in tokens:
        if token.tag not in _CONTENT_TAGS:
            continue
        form = token.form.lower()
        if form in _STOP_FORMS or not has_letters(form):
            continue
        yield token, form


def _forms(tokens) -> list[str]:
    return [form for _, form in _content(tokens)]


def content_morphemes(text: str) -> list[str]:
    """Content morphemes of a text, lower-cased, in order: the terms BM25 indexes and matches.

    >>> content_morphemes("서울시는 지하철 요금을 올렸다")
    ['서울시', '지하철', '요금', '올리']
    >>> content_morphemes("그리고 은 는 😀")
    []
    """
    if not text.strip():
        return []
    with _kiwi_lock:
        tokens = kiwi().tokenize(text)
    return _forms(tokens)


def content_morphemes_many(texts: list[str]) -> list[list[str]]:
    """`content_morphemes` for many texts at once (Kiwi analyses a list faster than one by one)."""
    if not texts:
        return []
    with _kiwi_lock:
        results = list(kiwi().tokenize(texts))
    return [_forms(tokens) if text.strip() else [] for text, tokens in zip(texts, results, strict=True)]
