"""Crawled articles into the knowledge base in batches, for whoever runs a crawl (the CLI, the UI worker).

Moved here from `cli/crawl.py` so the CLI and the browser UI index a crawl the same way. A failing index
stops indexing, never the crawl: the caller archives every article before handing it here.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from config import NuriError, Settings
from crawlers.article import Article

if TYPE_CHECKING:
    from vectorstore.kb import KnowledgeBase

log = logging.getLogger("nuri.vectorstore.sink")

KB_BATCH = 8


class KnowledgeBaseSink:
    """Indexes articles into a `KnowledgeBase` in batches; a failure stops indexing, not the crawl.

    `kb` is the knowledge base to write to; without one, a `KnowledgeBase(settings)` is opened.
    """

    def __init__(self, settings: Settings, kb: KnowledgeBase | None = None) -> None:
        self.pending: list[Article] = []
        self.chunks = 0
        self.indexed = 0
        self.error: str | None = None
        self._kb = kb
        if kb is None:
            try:
                import vectorstore  # through the package, so a test can put a fake knowledge base there

                self._kb = vectorstore.KnowledgeBase(settings)
            except NuriError as error:
                self.error = str(error)

    @property
    def active(self) -> bool:
        return self._kb is not None and self.error is None

    def add(self, article: Article) -> None:
        if not self.active:
            return
        self.pending.append(article)
        if len(self.pending) >= KB_BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.active or not self.pending:
            return
        batch, self.pending = self.pending, []
        try:
            report = self._kb.add(batch)
        except NuriError as error:
            self.error = str(error)
            return
        except Exception as error:  # noqa: BLE001 - the archive already holds these articles
            log.exception("knowledge base add failed")
            self.error = f"지식 베이스에 넣지 못함 ({type(error).__name__}: {error})"
            return
        self.chunks += int(getattr(report, "chunks", 0) or 0)
        self.indexed += len(batch)
