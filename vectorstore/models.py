"""The knowledge base's public records: filters, results, reports, listings and statistics."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

from pydantic import BaseModel, Field

__all__ = [
    "KST",
    "AddReport",
    "DocumentInfo",
    "KBStats",
    "Rejection",
    "SearchFilters",
    "SearchResult",
    "day_bounds",
]

KST = timezone(timedelta(hours=9), "KST")


def day_bounds(since: date | datetime | None, until: date | datetime | None) -> tuple[int | None, int | None]:
    """Epoch seconds for a date range; plain dates are whole KST days, `until` inclusive.

    >>> day_bounds(date(2026, 1, 2), date(2026, 1, 2))
    (1767279600, 1767365999)
    >>> day_bounds(None, None)
    (None, None)
    """
    low = high = None
    if since is not None:
        if not isinstance(since, datetime):
            since = datetime.combine(since, time.min, KST)
        low = int((since if since.tzinfo else since.replace(tzinfo=KST)).timestamp())
    if until is not None:
        if not isinstance(until, datetime):
            until = datetime.combine(until, time.max, KST)
        high = int((until if until.tzinfo else until.replace(tzinfo=KST)).timestamp())
    return low, high


class SearchFilters(BaseModel):
    """Restrict a search: any of these outlets, published within [since, until], or one URL."""

    outlets: list[str] = Field(default_factory=list)
    since: date | datetime | None = None
    until: date | datetime | None = None
    url: str | None = Field(None, description="Only chunks of the article with this URL or canonical URL.")

    def is_empty(self) -> bool:
        return not (self.outlets or self.since or self.until or self.url)


class SearchResult(BaseModel):
    """One hit: the chunk's text plus what a citation [n] needs."""

    url: str
    canonical_url: str
    title: str
    outlet: str | None = None
    published: datetime | None = None
    section: str | None = None
    score: float = Field(description="Fused score (higher is better); comparable within one search only.")
    dense_score: float | None = Field(None, description="Cosine similarity of query and chunk.")
    bm25_score: float | None = Field(None, description="SQLite FTS5 BM25 over Kiwi morphemes (0 = no match).")
    text: str
    chunk_index: int
    char_start: int
    char_end: int
    doc_id: str
    citation: str = Field(description="Title, outlet, date and URL in one line, ready to follow [n].")

    def cite(self, n: int) -> str:
        """The citation as a numbered source line.

        >>> SearchResult(url="u", canonical_url="u", title="t", score=1, text="x", chunk_index=0,
        ...              char_start=0, char_end=1, doc_id="d", citation="t (언론사) u").cite(2)
        '[2] t (언론사) u'
        """
        return f"[{n}] {self.citation}"


def format_citation(title: str, outlet: str | None, published: datetime | None, url: str) -> str:
    """One-line citation.

    >>> format_citation("요금 인상", "한빛일보", datetime(2026, 3, 1, 9, tzinfo=KST), "https://e.kr/1")
    '요금 인상 (한빛일보, 2026-03-01) https://e.kr/1'
    >>> format_citation("요금 인상", None, None, "https://e.kr/1")
    '요금 인상 https://e.kr/1'
    """
    details = [
        part for part in (outlet, published.astimezone(KST).date().isoformat() if published else None) if part
    ]
    return f"{title} ({', '.join(details)}) {url}" if details else f"{title} {url}"


class Rejection(BaseModel):
    url: str
    reason: str = Field(description="Why the article was not stored, in Korean.")


class AddReport(BaseModel):
    """What `KnowledgeBase.add` did with each article."""

    added: list[str] = Field(default_factory=list, description="Canonical URLs stored for the first time.")
    replaced: list[str] = Field(
        default_factory=list, description="Changed articles whose chunks were replaced."
    )
    unchanged: list[str] = Field(default_factory=list, description="Already stored with the same content.")
    rejected: list[Rejection] = Field(default_factory=list)
    chunks: int = Field(0, description="Chunks written (new and replaced articles).")

    def summary(self) -> str:
        """One Korean line for the CLI.

        >>> AddReport(added=["a"], chunks=3).summary()
        '새 기사 1건, 바뀐 기사 0건, 그대로 0건, 거부 0건 (청크 3개 저장)'
        """
        return (
            f"새 기사 {len(self.added)}건, 바뀐 기사 {len(self.replaced)}건, 그대로 {len(self.unchanged)}건, "
            f"거부 {len(self.rejected)}건 (청크 {self.chunks}개 저장)"
        )


class DocumentInfo(BaseModel):
    doc_id: str
    url: str
    canonical_url: str
    title: str
    outlet: str | None = None
    published: datetime | None = None
    section: str | None = None
    chunks: int
    version: str


class KBStats(BaseModel):
    documents: int
    chunks: int
    outlets: dict[str, int]
    oldest: datetime | None = None
    newest: datetime | None = None
    embedder: str
    collection: str
    location: str = Field(description="The data folder of the embedded store, or the Chroma server URL.")
    lexical_path: str
    generation: int
