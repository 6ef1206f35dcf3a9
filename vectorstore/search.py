"""One knowledge search: dense candidates from Chroma, BM25 candidates from SQLite, exact scores, fusion."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

import numpy as np

from config import NuriError
from vectorstore.agreement import agreement, passage_keys, query_cues
from vectorstore.embedders import Embedder
from vectorstore.fusion import chroma_where, fuse, group_best, recency_factor
from vectorstore.korean import content_morphemes, has_letters
from vectorstore.lexical import LexicalIndex
from vectorstore.models import SearchFilters, SearchResult, day_bounds, format_citation
from vectorstore.store import ChromaStore

__all__ = ["Mode", "run_search"]

Mode = Literal["hybrid", "dense", "bm25"]


def _query_terms(query: str) -> list[str]:
    if not query.strip() or not has_letters(query):
        raise NuriError("검색어에 글자가 없습니다(빈칸·기호·이모지뿐). 찾을 내용을 낱말로 적어 주세요.")
    terms = content_morphemes(query)
    if not terms:
        raise NuriError(
            "검색어에 찾을 만한 낱말이 없습니다(조사·대명사 같은 말뿐). 주제를 나타내는 낱말을 넣어 다시 물어보세요."
        )
    return terms


def _result(chunk_id: str, doc: str, meta: dict, score: float, dense, bm25) -> SearchResult:
    published = datetime.fromisoformat(meta["published"]) if meta.get("published") else None
    return SearchResult(
        url=meta["url"],
        canonical_url=meta["canonical_url"],
        title=meta["title"],
        outlet=meta.get("outlet"),
        published=published,
        section=meta.get("section"),
        score=round(float(score), 6),
        dense_score=None if dense is None else round(float(dense), 6),
        bm25_score=None if bm25 is None else round(float(bm25), 6),
        text=doc,
        chunk_index=int(meta["chunk_index"]),
        char_start=int(meta["char_start"]),
        char_end=int(meta["char_end"]),
        doc_id=meta["doc_id"],
        citation=format_citation(meta["title"], meta.get("outlet"), published, meta["canonical_url"]),
    )


def run_search(
    store: ChromaStore,
    lexical: LexicalIndex,
    embedder: Embedder,
    query: str,
    k: int,
    filters: SearchFilters | None,
    mode: Mode,
    group_by_article: bool,
    dense_weight: float,
    half_life_days: float | None,
    agreement_weight: float = 0.0,
) -> list[SearchResult]:
    if mode not in ("hybrid", "dense", "bm25"):
        raise NuriError(f"검색 방식 '{mode}'은(는) 없습니다. hybrid, dense, bm25 중 하나를 고르세요.")
    if k < 1:
        return []
    terms = _query_terms(query)
    filters = filters or SearchFilters()
    since_ts, until_ts = day_bounds(filters.since, filters.until)
    where = chroma_where(filters.outlets, since_ts, until_ts, filters.url)
    # Enough candidates that grouping by article still leaves k articles.
    n = max(40, k * (8 if group_by_article else 3))
    total = store.count()
    if total == 0:
        return []

    info: dict[str, tuple[str, dict]] = {}
    dense: dict[str, float] = {}
    bm25: dict[str, float] = {}
    vector = None
    if mode != "bm25":
        vector = embedder.embed_query(query)
        got = store.query(vector.tolist(), min(n + 20, total), where)
        ids = got["ids"][0]
        current = lexical.versions(m["doc_id"] for m in got["metadatas"][0])
        for cid, doc, meta, dist in zip(
            ids, got["documents"][0], got["metadatas"][0], got["distances"][0], strict=True
        ):
            # Chunks of an older or unfinished version of an article are never shown.
            if current.get(meta["doc_id"]) == meta["version"]:
                dense[cid] = 1.0 - float(dist)
                info[cid] = (doc, meta)
    if mode != "dense":
        bm25 = dict(lexical.search(terms, n, filters.outlets, since_ts, until_ts, filters.url))
    if mode == "hybrid":
        # Exact scores for every candidate: BM25 for dense-only hits, cosine for BM25-only hits.
        missing_bm25 = [cid for cid in dense if cid not in bm25]
        scored = (
            dict(lexical.search(terms, len(missing_bm25), chunk_ids=missing_bm25)) if missing_bm25 else {}
        )
        bm25.update({cid: scored.get(cid, 0.0) for cid in missing_bm25})
    need = [cid for cid in bm25 if cid not in info]
    if need:
        got = store.get_chunks(need, embeddings=mode == "hybrid")
        for i, cid in enumerate(got["ids"]):
            info[cid] = (got["documents"][i], got["metadatas"][i])
            if mode == "hybrid" and vector is not None:
                dense[cid] = float(np.asarray(got["embeddings"][i], dtype=np.float32) @ vector)
    bm25 = {cid: s for cid, s in bm25.items() if cid in info}

    if mode == "dense":
        scores = dict(dense)
    elif mode == "bm25":
        scores = dict(bm25)
    else:
        scores = fuse(dense, bm25, dense_weight)
        cues = query_cues(query) if agreement_weight > 0 else []
        if cues:
            # Near-duplicate stories (same survey a year apart, the previous model) differ in the numbers
            # the question names: reward the candidates that carry them (see vectorstore/agreement.py).
            for cid in scores:
                doc, meta = info[cid]
                keys = passage_keys(doc, meta.get("title", ""), meta.get("published"))
                scores[cid] += agreement_weight * agreement(cues, keys)
    if half_life_days is not None:
        now = datetime.now(UTC)
        for cid in scores:
            meta = info[cid][1]
            published = datetime.fromisoformat(meta["published"]) if meta.get("published") else None
            scores[cid] *= recency_factor(published, now, half_life_days)

    ranked = sorted(scores, key=lambda cid: (-scores[cid], cid))
    if group_by_article:
        chosen = group_best(((cid, info[cid][1]["doc_id"]) for cid in ranked), k)
    else:
        chosen = ranked[:k]
    return [
        _result(
            cid,
            info[cid][0],
            info[cid][1],
            scores[cid],
            dense.get(cid),
            bm25.get(cid, 0.0 if mode != "dense" else None),
        )
        for cid in chosen
    ]
