"""The default hybrid ranks the right article first at least as often as the best single mode, with real e5.

A small, fixed subset of both retrieval sets (benchmarks/data/retrieval): the first 20 articles of the main
set (subway fares, base-rate decisions, typhoons, chip makers: same-topic clusters) with the questions
about them, and every fourth near-duplicate pair (8 pairs, from both the tune and the held-out split).
The whole sets run in `benchmarks/retrieval_quality.py`.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from config import Settings
from crawlers.article import Article
from vectorstore import E5Embedder, KnowledgeBase

pytestmark = pytest.mark.real_embedder

DATA = Path(__file__).resolve().parents[2] / "benchmarks" / "data" / "retrieval"
MODES = ("dense", "bm25", "hybrid")


def _lines(name: str) -> list[str]:
    return [line for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def main_subset() -> tuple[list[Article], list[dict]]:
    articles = [Article.from_json_line(line) for line in _lines("articles.jsonl")[:20]]
    urls = {a.canonical_url for a in articles}
    questions = [q for q in map(json.loads, _lines("questions.jsonl")) if set(q["relevant"]) <= urls]
    return articles, questions


def neardup_subset() -> tuple[list[Article], list[dict]]:
    questions = [q for q in map(json.loads, _lines("neardup_questions.jsonl")) if int(q["pair"][1:]) % 4 == 1]
    urls = {u for q in questions for u in q["relevant"]}
    articles = [
        a for a in map(Article.from_json_line, _lines("neardup_articles.jsonl")) if a.canonical_url in urls
    ]
    return articles, questions


@pytest.fixture(scope="module")
def e5() -> E5Embedder:
    return E5Embedder()


@pytest.mark.parametrize("subset", [main_subset, neardup_subset], ids=["main", "neardup"])
def test_hybrid_recall_at_1_is_at_least_the_best_single_mode(tmp_path, e5, subset):
    articles, questions = subset()
    assert len(articles) >= 16 and len(questions) >= 30
    kb = KnowledgeBase(Settings(home=tmp_path / "home"), embedder=e5)
    assert not kb.add(articles).rejected
    first = {
        mode: sum(
            kb.search(q["question"], k=5, mode=mode)[0].canonical_url in q["relevant"] for q in questions
        )
        for mode in MODES
    }
    kb.close()
    assert first["hybrid"] >= max(first["dense"], first["bm25"]), first
