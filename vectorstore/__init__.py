"""The knowledge base: Chroma vectors + SQLite FTS5 BM25 over Kiwi morphemes, fused, with citations.

No LLM code here: this package knows nothing of the agent or the UI.
"""

from vectorstore.embedders import (
    E5Embedder,
    Embedder,
    HashingEmbedder,
    OllamaEmbedder,
    UseEmbedder,
    make_embedder,
)
from vectorstore.kb import KnowledgeBase
from vectorstore.models import AddReport, DocumentInfo, KBStats, Rejection, SearchFilters, SearchResult

__all__ = [
    "AddReport",
    "DocumentInfo",
    "E5Embedder",
    "Embedder",
    "HashingEmbedder",
    "KBStats",
    "KnowledgeBase",
    "OllamaEmbedder",
    "Rejection",
    "SearchFilters",
    "SearchResult",
    "UseEmbedder",
    "make_embedder",
]
