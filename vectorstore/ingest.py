"""Turning an `Article` into what the stores hold: identity, validation, chunks, vectors and tokens."""

from __future__ import annotations

import hashlib
import json
from bisect import bisect_left
from dataclasses import dataclass
from typing import Any

import numpy as np

from crawlers.article import Article
from vectorstore.chunking import Chunk, chunk_article_text, embed_input
from vectorstore.embedders import Embedder
from vectorstore.korean import analyze, content_morphemes, has_letters
from vectorstore.lexical import DocRow

__all__ = ["PreparedArticle", "chunk_id", "doc_id_of", "prepare", "rejection_reason", "version_of"]


def doc_id_of(article: Article) -> str:
    """A stable id per article: the canonical URL decides what counts as the same article.

    >>> a = Article(url="https://e.kr/a?utm=x", canonical_url="https://e.kr/a", title="t", text="b")
    >>> b = Article(url="https://m.e.kr/a", canonical_url="https://e.kr/a", title="t2", text="c")
    >>> doc_id_of(a) == doc_id_of(b), len(doc_id_of(a))
    (True, 24)
    """
    key = article.canonical_url or article.url
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:24]


def version_of(article: Article, embedder_name: str, budget: int) -> str:
    """Content hash of what the stores keep of an article, plus how it was chunked and embedded.

    A different embedder or chunk size is a new version too, so `reindex` and a changed chunk size rebuild.
    """
    content = {
        "title": article.title,
        "text": article.text,
        "outlet": article.outlet,
        "published": article.published.isoformat() if article.published else None,
        "section": article.section,
        "embedder": embedder_name,
        "budget": budget,
    }
    blob = json.dumps(content, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]


def chunk_id(canonical_url: str, index: int, version: str) -> str:
    """Chunk id from canonical URL, chunk index and content hash: re-adding the same content is a no-op.

    >>> chunk_id("https://e.kr/a", 0, "abc") == chunk_id("https://e.kr/a", 0, "abc")
    True
    >>> len({chunk_id("https://e.kr/a", 0, "abc"), chunk_id("https://e.kr/a", 1, "abc"),
    ...      chunk_id("https://e.kr/a", 0, "abd")})
    3
    """
    return hashlib.sha1(f"{canonical_url}\x00{index}\x00{version}".encode()).hexdigest()[:32]


def rejection_reason(article: Article, max_chars: int) -> str | None:
    """Why an article cannot be stored (Korean, says what to do), or None when it is fine.

    >>> rejection_reason(Article(url="u", canonical_url="u", title=" ", text="  \\n "), 1000)
    '본문이 비어 있습니다. 기사 본문을 추출한 뒤 다시 넣으세요.'
    >>> rejection_reason(Article(url="u", canonical_url="u", title="제목", text="😀 !!"), 1000)
    '본문에 글자가 없습니다(기호나 이모지뿐). 기사 본문을 확인하세요.'
    >>> rejection_reason(Article(url="u", canonical_url="u", title="제목", text="가" * 1001), 1000)
    '본문이 너무 깁니다(1,001자, 최대 1,000자). 기사를 나누어 넣거나 NURI_KB_MAX_ARTICLE_CHARS를 늘리세요.'
    """
    if not (article.canonical_url or article.url).strip():
        return "URL이 없습니다. 기사마다 url과 canonical_url을 넣으세요."
    if not article.text.strip():
        return "본문이 비어 있습니다. 기사 본문을 추출한 뒤 다시 넣으세요."
    if not has_letters(article.text):
        return "본문에 글자가 없습니다(기호나 이모지뿐). 기사 본문을 확인하세요."
    if len(article.text) > max_chars:
        return (
            f"본문이 너무 깁니다({len(article.text):,}자, 최대 {max_chars:,}자). "
            "기사를 나누어 넣거나 NURI_KB_MAX_ARTICLE_CHARS를 늘리세요."
        )
    return None


@dataclass
class PreparedArticle:
    """Everything one article writes, computed before any store is touched."""

    article: Article
    doc_id: str
    version: str
    chunks: list[Chunk]
    ids: list[str]
    embeddings: np.ndarray
    metadatas: list[dict[str, Any]]
    tokens: list[str]

    @property
    def manifest(self) -> dict[str, Any]:
        meta = {
            k: v for k, v in self.metadatas[0].items() if k not in ("chunk_index", "char_start", "char_end")
        }
        meta["chunks"] = len(self.chunks)
        return meta

    @property
    def row(self) -> DocRow:
        return doc_row(self.doc_id, self.manifest)

    def lexical_rows(self) -> list[tuple[str, int, str]]:
        return [(cid, c.index, tok) for cid, c, tok in zip(self.ids, self.chunks, self.tokens, strict=True)]


def chunk_terms(title_terms: list[str], terms: list[tuple[int, str]], chunks: list[Chunk]) -> list[str]:
    """BM25 text per chunk: the title's terms plus the article's terms that fall inside the chunk.

    >>> chunk_terms(["요금"], [(0, "지하철"), (5, "인상"), (9, "반대")], [Chunk(0, "x", 0, 8), Chunk(1, "y", 5, 12)])
    ['요금 지하철 인상', '요금 인상 반대']
    """
    offsets = [offset for offset, _ in terms]
    rows = []
    for chunk in chunks:
        inside = terms[bisect_left(offsets, chunk.start) : bisect_left(offsets, chunk.end)]
        rows.append(" ".join(title_terms + [form for _, form in inside]))
    return rows


def doc_row(doc_id: str, meta: dict[str, Any]) -> DocRow:
    """The lexical index's row for an article, from its manifest (or chunk) metadata."""
    return DocRow(
        doc_id=doc_id,
        version=meta["version"],
        url=meta["url"],
        canonical_url=meta["canonical_url"],
        title=meta["title"],
        outlet=meta.get("outlet"),
        published=meta.get("published"),
        published_ts=meta.get("published_ts"),
        section=meta.get("section"),
        chunks=int(meta.get("chunks", 0)),
    )


def base_metadata(article: Article, doc_id: str, version: str) -> dict[str, Any]:
    # Chroma metadata cannot hold None: absent fields are left out.
    meta: dict[str, Any] = {
        "doc_id": doc_id,
        "version": version,
        "url": article.url or article.canonical_url,
        "canonical_url": article.canonical_url or article.url,
        "title": article.title,
    }
    if article.outlet:
        meta["outlet"] = article.outlet
    if article.section:
        meta["section"] = article.section
    if article.published:
        meta["published"] = article.published.isoformat()
        meta["published_ts"] = int(article.published.timestamp())
    return meta


def prepare(article: Article, embedder: Embedder, budget: int) -> PreparedArticle:
    """Chunk, embed and tokenise one valid article (the slow part, done outside the writer lock)."""
    doc_id = doc_id_of(article)
    version = version_of(article, embedder.name, budget)
    analysis = analyze(article.text)
    chunks = chunk_article_text(
        article.title, article.text, embedder.count_tokens, budget, analysis.sentences
    )
    inputs = [embed_input(article.title, c.text) for c in chunks]
    embeddings = embedder.embed_passages(inputs)
    base = base_metadata(article, doc_id, version)
    canonical = base["canonical_url"]
    ids = [chunk_id(canonical, c.index, version) for c in chunks]
    metadatas = [{**base, "chunk_index": c.index, "char_start": c.start, "char_end": c.end} for c in chunks]
    tokens = chunk_terms(content_morphemes(article.title), analysis.terms, chunks)
    return PreparedArticle(article, doc_id, version, chunks, ids, embeddings, metadatas, tokens)
