"""The Korean retrieval set is well formed: counts, ids, answers that exist, questions that paraphrase."""

from __future__ import annotations

import json
import re
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from crawlers.article import Article

DATA = Path(__file__).resolve().parents[2] / "benchmarks" / "data" / "retrieval"
TYPES = {"number", "name", "date", "cause", "topic"}
# A question may share a name, a number or a set term with its article ("동해머티리얼즈가 ",
# "2027년 최저임금"), but never a run this long: that would be copying, not paraphrasing.
MAX_SHARED_RUN = 10


@cache
def articles() -> list[Article]:
    lines = (DATA / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    return [Article.from_json_line(line) for line in lines if line.strip()]


@cache
def questions() -> list[dict]:
    lines = (DATA / "questions.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def longest_shared_run(a: str, b: str) -> str:
    """Longest common substring, whitespace collapsed and trimmed at both ends.

    >>> longest_shared_run("서울 지하철 요금은?", "서울 지하철 기본요금이 오른다")
    '서울 지하철'
    """
    a, b = re.sub(r"\s+", " ", a), re.sub(r"\s+", " ", b)
    best_len, best_end = 0, 0
    prev = [0] * (len(b) + 1)
    for i in range(1, len(a) + 1):
        cur = [0] * (len(b) + 1)
        ai = a[i - 1]
        for j in range(1, len(b) + 1):
            if ai == b[j - 1]:
                cur[j] = prev[j - 1] + 1
                if cur[j] > best_len:
                    best_len, best_end = cur[j], i
        prev = cur
    return a[best_end - best_len : best_end].strip()


def test_counts_and_unique_urls():
    arts = articles()
    assert len(arts) >= 100
    assert len(questions()) >= 200
    urls = [a.canonical_url for a in arts]
    assert len(urls) == len(set(urls)), "canonical URLs must be unique"
    assert len({a.url for a in arts}) == len(arts)


def test_articles_look_like_extracted_korean_news():
    for a in articles():
        paragraphs = a.text.split("\n\n")
        assert 3 <= len(paragraphs) <= 8, a.canonical_url
        assert 600 <= len(a.text) <= 2000, a.canonical_url
        assert all(p.strip() == p and p for p in paragraphs), a.canonical_url
        assert a.language == "ko" and a.title and a.outlet and a.section and a.authors
        assert a.published is not None and a.published.utcoffset().total_seconds() == 9 * 3600
        assert [s.url for s in a.sources] == [a.canonical_url]
        # The KB must see exactly what `nuri extract --json` would print.
        assert Article.from_json_line(a.to_json_line()) == a


def test_questions_are_well_formed_and_answerable():
    known = {a.canonical_url for a in articles()}
    ids = [q["id"] for q in questions()]
    assert len(ids) == len(set(ids))
    texts = [q["question"] for q in questions()]
    assert len(texts) == len(set(texts)), "duplicate question text"
    for q in questions():
        assert set(q) == {"id", "question", "relevant", "type"}, q["id"]
        assert re.fullmatch(r"q\d{3}", q["id"])
        assert q["type"] in TYPES, q["id"]
        assert q["relevant"] and len(set(q["relevant"])) == len(q["relevant"]), q["id"]
        assert set(q["relevant"]) <= known, q["id"]


def test_every_article_is_asked_about_and_types_are_mixed():
    asked = Counter(url for q in questions() for url in q["relevant"])
    assert {a.canonical_url for a in articles()} <= set(asked)
    types = Counter(q["type"] for q in questions())
    assert set(types) == TYPES
    assert types["number"] < 0.6 * len(questions())


def test_near_duplicates_are_both_relevant():
    """A story told by two outlets: every question about it accepts either copy."""
    multi = [q for q in questions() if len(q["relevant"]) > 1]
    assert len({tuple(sorted(q["relevant"])) for q in multi}) >= 3


@pytest.mark.parametrize("chunk", range(4))
def test_questions_paraphrase_rather_than_copy(chunk):
    by_url = {a.canonical_url: a for a in articles()}
    copied = []
    for q in questions()[chunk::4]:
        article = by_url[q["relevant"][0]]
        run = longest_shared_run(q["question"], f"{article.title}\n{article.text}")
        if len(run) >= MAX_SHARED_RUN:
            copied.append((q["id"], run))
    assert not copied, f"questions copy their article: {copied}"


def test_benchmark_metrics(monkeypatch):
    """The benchmark's metric helpers (benchmarks/ is outside the doctest run, so check them here)."""
    import doctest
    import importlib.util
    import sys

    path = DATA.parents[1] / "retrieval_quality.py"
    spec = importlib.util.spec_from_file_location("retrieval_quality", path)
    module = importlib.util.module_from_spec(spec)
    # dataclasses look their module up while the class is built
    monkeypatch.setitem(sys.modules, spec.name, module)
    spec.loader.exec_module(module)
    assert doctest.testmod(module).failed == 0
    qs = [{"id": "q1", "type": "number"}, {"id": "q2", "type": "name"}, {"id": "q3", "type": "name"}]
    recall, mrr, top1, by_type = module.summarise({"q1": 1, "q2": 7, "q3": None}, qs)
    assert (round(recall, 3), round(mrr, 3), round(top1, 3)) == (0.333, round((1 + 1 / 7) / 3, 3), 0.333)
    assert by_type == {"name": 0.0, "number": 1.0}


# --- the near-duplicate set (issue 9): pairs of same-topic stories, each question answered by one side ----


@cache
def neardup_articles() -> list[Article]:
    lines = (DATA / "neardup_articles.jsonl").read_text(encoding="utf-8").splitlines()
    return [Article.from_json_line(line) for line in lines if line.strip()]


@cache
def neardup_questions() -> list[dict]:
    lines = (DATA / "neardup_questions.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def test_neardup_set_is_pairs_with_one_right_side_per_question():
    arts = neardup_articles()
    urls = {a.canonical_url for a in arts}
    assert len(urls) == len(arts) and len({a.url for a in arts}) == len(arts)
    assert not urls & {a.canonical_url for a in articles()}, "the two sets share no article"
    pairs: dict[str, set[str]] = {}
    for q in neardup_questions():
        assert set(q) == {"id", "question", "relevant", "type", "pair", "split"}, q["id"]
        assert re.fullmatch(r"n\d{3}", q["id"]) and re.fullmatch(r"p\d{2}", q["pair"])
        assert q["type"] in TYPES and q["split"] in {"tune", "heldout"}, q["id"]
        assert len(q["relevant"]) == 1 and q["relevant"][0] in urls, q["id"]
        pairs.setdefault(q["pair"], set()).update(q["relevant"])
    assert len(pairs) >= 30
    # Both sides of every pair are asked about, and every article belongs to exactly one pair.
    assert all(len(sides) == 2 for sides in pairs.values())
    assert sorted(u for sides in pairs.values() for u in sides) == sorted(urls)
    ids = [q["id"] for q in neardup_questions()]
    assert len(ids) == len(set(ids)) and not set(ids) & {q["id"] for q in questions()}
    assert len({q["question"] for q in neardup_questions()}) == len(ids)


def test_neardup_split_is_by_pair():
    split_of: dict[str, set[str]] = {}
    for q in neardup_questions():
        split_of.setdefault(q["pair"], set()).add(q["split"])
    assert all(len(s) == 1 for s in split_of.values()), "a pair never straddles the split"
    counts = Counter(next(iter(s)) for s in split_of.values())
    assert counts["tune"] >= 15 and counts["heldout"] >= 15


def test_neardup_articles_look_like_extracted_korean_news():
    for a in neardup_articles():
        paragraphs = a.text.split("\n\n")
        assert 3 <= len(paragraphs) <= 8 and 150 <= len(a.text) <= 2000, a.canonical_url
        assert all(p.strip() == p and p for p in paragraphs), a.canonical_url
        assert a.language == "ko" and a.title and a.outlet and a.section and a.authors
        assert a.published is not None and a.published.utcoffset().total_seconds() == 9 * 3600
        assert [s.url for s in a.sources] == [a.canonical_url]
        assert Article.from_json_line(a.to_json_line()) == a


def test_neardup_questions_paraphrase_rather_than_copy():
    by_url = {a.canonical_url: a for a in neardup_articles()}
    copied = []
    for q in neardup_questions():
        article = by_url[q["relevant"][0]]
        run = longest_shared_run(q["question"], f"{article.title}\n{article.text}")
        if len(run) >= MAX_SHARED_RUN:
            copied.append((q["id"], run))
    assert not copied, f"questions copy their article: {copied}"
