"""Hybrid scoring: a weighted sum of normalised dense and BM25 scores, over exact scores for every candidate.

Plain reciprocal-rank fusion ranked below e5 alone on our Korean check, because it gives the weaker method
an equal say and throws away how far apart scores are. Here each candidate (the union of both top lists)
gets *both* its exact cosine similarity and its exact BM25 score, each is scaled to [0, 1] within the
candidate set, and the dense side carries the weight tuned for the embedder (`KnowledgeBase.dense_weight`).
BM25 then decides among chunks the embedder finds about equally close: names, numbers, rare words.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from datetime import datetime

from config import NuriError

__all__ = ["chroma_where", "fuse", "group_best", "recency_factor"]


def _min_max(scores: Mapping[str, float]) -> dict[str, float]:
    if not scores:
        return {}
    low, high = min(scores.values()), max(scores.values())
    span = high - low
    return {key: (value - low) / span if span > 0 else 1.0 for key, value in scores.items()}


def fuse(dense: Mapping[str, float], bm25: Mapping[str, float], dense_weight: float) -> dict[str, float]:
    """Fused score per candidate id: `w * minmax(dense) + (1 - w) * bm25 / max(bm25)`.

    A candidate without a BM25 match counts 0 on that side. The dense side uses min-max because cosine
    similarities of one model sit in a narrow band (e5: 0.75-0.91); BM25 scales by its maximum so that
    "no match" stays 0.

    >>> fused = fuse({"a": 0.90, "b": 0.88, "c": 0.80}, {"b": 12.0, "c": 3.0}, dense_weight=0.7)
    >>> [k for k, _ in sorted(fused.items(), key=lambda kv: -kv[1])]
    ['b', 'a', 'c']
    >>> round(fused["b"], 3)
    0.86
    >>> fuse({"a": 0.5}, {}, 1.0)
    {'a': 1.0}
    """
    ids = set(dense) | set(bm25)
    dense_n = _min_max({i: dense.get(i, min(dense.values(), default=0.0)) for i in ids})
    top = max(bm25.values(), default=0.0)
    return {
        i: dense_weight * dense_n.get(i, 0.0)
        + (1 - dense_weight) * (bm25.get(i, 0.0) / top if top > 0 else 0.0)
        for i in ids
    }


def recency_factor(published: datetime | None, now: datetime, half_life_days: float | None) -> float:
    """Multiplier in [0.8, 1]: newer articles keep more of their score; undated ones get the middle.

    >>> from datetime import timezone
    >>> now = datetime(2026, 3, 11, tzinfo=timezone.utc)
    >>> recency_factor(datetime(2026, 3, 1, tzinfo=timezone.utc), now, 10.0)
    0.9
    >>> recency_factor(None, now, 10.0), recency_factor(None, now, None)
    (0.9, 1.0)
    """
    if half_life_days is None:
        return 1.0
    if published is None:
        return 0.9
    age_days = max(0.0, (now - published).total_seconds() / 86_400)
    return 0.8 + 0.2 * math.pow(0.5, age_days / half_life_days)


def group_best(ranked: Iterable[tuple[str, str]], k: int) -> list[str]:
    """From (chunk_id, doc_id) pairs best first, the best chunk of each of the first k articles.

    >>> group_best([("c1", "A"), ("c2", "A"), ("c3", "B"), ("c4", "C")], 2)
    ['c1', 'c3']
    """
    seen: set[str] = set()
    chosen: list[str] = []
    for chunk, doc in ranked:
        if doc in seen:
            continue
        seen.add(doc)
        chosen.append(chunk)
        if len(chosen) == k:
            break
    return chosen


def chroma_where(
    outlets: list[str], since_ts: int | None, until_ts: int | None, url: str | None
) -> dict | None:
    """The Chroma `where` clause for the search filters (the same ones the BM25 side applies in SQL).

    >>> chroma_where(["한빛일보"], 100, None, None)
    {'$and': [{'outlet': {'$in': ['한빛일보']}}, {'published_ts': {'$gte': 100}}]}
    >>> chroma_where([], None, None, None) is None
    True
    """
    clauses: list[dict] = []
    if outlets:
        clauses.append({"outlet": {"$in": list(outlets)}})
    if since_ts is not None:
        clauses.append({"published_ts": {"$gte": since_ts}})
    if until_ts is not None:
        clauses.append({"published_ts": {"$lte": until_ts}})
    if url:
        clauses.append({"$or": [{"url": url}, {"canonical_url": url}]})
    if since_ts is not None and until_ts is not None and since_ts > until_ts:
        raise NuriError("검색 기간의 시작이 끝보다 늦습니다. --since와 --until을 바꾸어 주세요.")
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}
