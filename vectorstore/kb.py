"""`KnowledgeBase`: add, search, delete, list and rebuild, with all-or-nothing article updates.

Writing a batch of articles (under the writer lock), each step for every article of the batch:
1. journal `(doc_id, new version)` in SQLite;
2. upsert the new chunks into Chroma (new ids: the version is part of each chunk id);
3. flip the manifest record to the new version (one atomic upsert): from here on it is current;
4. one SQLite transaction: the article's BM25 rows and docs-mirror row become the new version;
5. delete the article's chunks of other versions from Chroma; 6. drop the journal entry.
Searches keep only chunks whose version matches the mirror, so they see the old or the new version,
never a mix. After `kill -9`, the next writer replays the journal (`_recover`), which converges.
"""

from __future__ import annotations

import hashlib
import logging
import shutil
from datetime import date, datetime
from pathlib import Path

import numpy as np

from config import NuriError, Settings
from crawlers.article import Article
from vectorstore.embedders import Embedder, make_embedder
from vectorstore.ingest import doc_id_of, prepare, rejection_reason, version_of
from vectorstore.lexical import LexicalCorrupt, LexicalIndex
from vectorstore.lock import WriterLock, is_unwritable, unwritable
from vectorstore.models import (
    AddReport,
    DocumentInfo,
    KBStats,
    Rejection,
    SearchFilters,
    SearchResult,
    day_bounds,
)
from vectorstore.search import Mode, run_search
from vectorstore.store import ChromaStore
from vectorstore.sync import recover, sync_lexical

log = logging.getLogger(__name__)

__all__ = ["KnowledgeBase"]

# Articles per write: fewer, larger writes amortise Chroma's per-call cost; the lock is held only for
# the store updates, not while embedding.
_BATCH = 32


class KnowledgeBase:
    """The Korean news knowledge base: Chroma vectors + SQLite FTS5 BM25, kept in step."""

    def __init__(self, settings: Settings, embedder: Embedder | None = None) -> None:
        self.settings = settings
        self._embedder = embedder
        self.kb_dir = settings.home / "kb"
        self.lock = WriterLock(self.kb_dir / "writer.lock", settings.kb_lock_timeout)
        self._store: ChromaStore | None = None
        self._lexical: LexicalIndex | None = None

    # --- opening and keeping the lexical cache in step ----------------------------------------
    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = make_embedder(self.settings)
        return self._embedder

    @property
    def budget(self) -> int:
        return min(self.settings.chunk_tokens, self.embedder.max_tokens)

    @property
    def dense_weight(self) -> float:
        """The hybrid weight: set explicitly, or the one tuned for this embedder (see docs/benchmarks)."""
        if "kb_dense_weight" in self.settings.model_fields_set:
            return self.settings.kb_dense_weight
        return float(getattr(self.embedder, "dense_weight", self.settings.kb_dense_weight))

    @property
    def lexical_path(self) -> Path:
        if self.settings.chroma_url:
            # One local BM25 copy per server and collection.
            tag = hashlib.sha1(self.settings.chroma_url.encode()).hexdigest()[:10]
            return self.kb_dir / f"lexical-{tag}-{self.settings.collection}.sqlite"
        return self.kb_dir / f"lexical-{self.settings.collection}.sqlite"

    def _open_lexical(self) -> LexicalIndex:
        try:
            self.kb_dir.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            if is_unwritable(error):
                raise unwritable(self.kb_dir) from error
            raise
        try:
            return LexicalIndex(self.lexical_path)
        except LexicalCorrupt as error:
            log.warning(
                "BM25 index %s is unreadable (%s): rebuilding it from Chroma", self.lexical_path, error
            )
            for suffix in ("", "-wal", "-shm"):
                side = Path(f"{self.lexical_path}{suffix}")
                if side.exists():
                    shutil.move(side, f"{side}.corrupt")
            return LexicalIndex(self.lexical_path)
        except OSError as error:
            if is_unwritable(error):
                raise unwritable(self.kb_dir) from error
            raise

    def _open(self, adopt: bool = False) -> tuple[ChromaStore, LexicalIndex]:
        if self._store is None:
            store = ChromaStore.shared(self.settings)
            try:
                store.open(self.embedder.name, self.embedder.dim, adopt=adopt)
            except BaseException:
                store.release()
                raise
            self._store = store
        if self._lexical is None:
            self._lexical = self._open_lexical()
        if adopt:
            return self._store, self._lexical
        if self._store.reindex_pending():
            raise NuriError(
                "지식 베이스 재색인이 중간에 멈췄습니다.", hint="`nuri kb reindex`를 다시 실행하세요."
            )
        self._sync()
        return self._store, self._lexical

    def _sync(self) -> None:
        sync_lexical(self._store, self._lexical, self.lock)

    def _begin_write(self) -> None:
        """Under the lock, before touching the stores: see the latest files, recover, announce the write.

        The early generation bump tells readers in other processes that the files are about to change,
        even if this writer is killed before it finishes.
        """
        self._store.refresh()
        self._recover()
        self._store.bump_generation()

    def _recover(self) -> None:
        recover(self._store, self._lexical)

    def _committed(self) -> None:
        """Tell other clients (and our own mirror) that the store moved on."""
        generation = self._store.bump_generation()
        self._lexical.set_meta("generation", str(generation))

    # --- writing -------------------------------------------------------------------------------
    def add(self, articles: list[Article]) -> AddReport:
        """Store articles: new ones added, changed ones replaced as a unit, unchanged ones left alone."""
        self._open()
        return self._write(articles, force=False)

    def _write(self, articles: list[Article], force: bool) -> AddReport:
        report = AddReport()
        store = self._store
        for start in range(0, len(articles), _BATCH):
            batch: dict[str, Article] = {}
            for article in articles[start : start + _BATCH]:
                reason = rejection_reason(article, self.settings.kb_max_article_chars)
                if reason:
                    report.rejected.append(Rejection(url=article.canonical_url or article.url, reason=reason))
                else:
                    batch[doc_id_of(article)] = article  # the last copy of a URL wins
            if not batch:
                continue
            known = {} if force else store.manifest(list(batch))
            todo: list[Article] = []
            for doc_id, article in batch.items():
                if known.get(doc_id, {}).get("version") == version_of(
                    article, self.embedder.name, self.budget
                ):
                    report.unchanged.append(article.canonical_url)
                else:
                    todo.append(article)
            # The slow part (chunking, embedding) runs before taking the lock, so readers and other
            # writers wait only for the quick store updates.
            prepared = [prepare(article, self.embedder, self.budget) for article in todo]
            with self.lock.hold():
                self._begin_write()
                current = store.manifest([p.doc_id for p in prepared])
                writes = []
                for item in prepared:
                    old = current.get(item.doc_id)
                    if old and old["version"] == item.version and not force:
                        report.unchanged.append(item.article.canonical_url)
                    else:
                        writes.append((item, old))
                self._write_batch(writes)
                for item, old in writes:
                    (report.replaced if old else report.added).append(item.article.canonical_url)
                    report.chunks += len(item.chunks)
                self._committed()
        return report

    def _write_batch(self, writes: list) -> None:
        """Steps 1-6 of the module docstring for a batch; each article still flips on its own record."""
        store, lexical = self._store, self._lexical
        if not writes:
            return
        items = [item for item, _ in writes]
        with lexical.transaction():
            for item in items:
                lexical.add_pending(item.doc_id, item.version)
        store.put_chunks(
            [cid for i in items for cid in i.ids],
            np.concatenate([i.embeddings for i in items]),
            [c.text for i in items for c in i.chunks],
            [m for i in items for m in i.metadatas],
        )
        store.flip_many([(i.doc_id, i.article.to_json_line(), i.manifest) for i in items])
        with lexical.transaction() as db:
            for item in items:
                lexical.replace_doc(db, item.row, item.lexical_rows())
        for item, old in writes:
            # A new article has no other version to remove (a killed write's leftovers are journalled).
            if old is not None:
                store.delete_chunks(item.doc_id, keep_version=item.version)
        with lexical.transaction():
            for item in items:
                lexical.remove_pending(item.doc_id)

    def delete(
        self,
        url: str | None = None,
        outlet: str | None = None,
        since: date | datetime | None = None,
        until: date | datetime | None = None,
    ) -> int:
        """Delete the articles matching every given condition; returns how many were deleted."""
        if not (url or outlet or since or until):
            raise NuriError(
                "지울 기사를 고르는 조건이 없습니다. --url, --outlet, --since, --until 중 하나 이상을 주세요."
            )
        store, lexical = self._open()
        since_ts, until_ts = day_bounds(since, until)
        with self.lock.hold():
            self._begin_write()
            rows = lexical.doc_rows([outlet] if outlet else None, since_ts, until_ts, url)
            for row in rows:
                lexical.add_pending(row.doc_id, row.version)
                store.remove_manifest([row.doc_id])
                with lexical.transaction() as db:
                    lexical.delete_doc(db, row.doc_id)
                store.delete_chunks(row.doc_id)
                lexical.remove_pending(row.doc_id)
            if rows:
                self._committed()
        return len(rows)

    def reindex(self) -> AddReport:
        """Rebuild every chunk, vector and BM25 row from the stored articles with the current embedder."""
        store, lexical = self._open(adopt=True)
        with self.lock.hold():
            self._begin_write()
            # The manifest keeps every article, so a reindex killed half-way is simply run again.
            articles = [
                Article.from_json_line(m["_article"]) for m in store.manifest(with_articles=True).values()
            ]
            store.set_reindex_pending(True)
            store.recreate_chunks(self.embedder.name, self.embedder.dim)
            lexical.clear()
            report = self._write(articles, force=True)
            store.set_reindex_pending(False)
            self._committed()
        log.info("reindexed %d articles with %s", len(articles), self.embedder.name)
        return report

    # --- reading -------------------------------------------------------------------------------
    def search(
        self,
        query: str,
        k: int = 5,
        filters: SearchFilters | None = None,
        mode: Mode = "hybrid",
        group_by_article: bool = True,
    ) -> list[SearchResult]:
        """Best chunks for a Korean question; by default one per article, best chunk first."""
        store, lexical = self._open()
        return run_search(
            store, lexical, self.embedder, query, k, filters, mode, group_by_article,
            self.dense_weight, self.settings.kb_recency_half_life_days, self.settings.kb_agreement_weight,
        )  # fmt: skip

    def documents(self) -> list[DocumentInfo]:
        """Stored articles, newest first, with their chunk counts."""
        _, lexical = self._open()
        return [
            DocumentInfo(
                doc_id=r.doc_id, url=r.url, canonical_url=r.canonical_url, title=r.title, outlet=r.outlet,
                published=datetime.fromisoformat(r.published) if r.published else None, section=r.section,
                chunks=r.chunks, version=r.version,
            )
            for r in lexical.doc_rows()
        ]  # fmt: skip

    def stats(self) -> KBStats:
        store, lexical = self._open()
        docs = self.documents()
        outlets: dict[str, int] = {}
        for doc in docs:
            outlets[doc.outlet or "(언론사 없음)"] = outlets.get(doc.outlet or "(언론사 없음)", 0) + 1
        dates = [d.published for d in docs if d.published]
        return KBStats(
            documents=len(docs), chunks=store.count(), outlets=outlets,
            oldest=min(dates, default=None), newest=max(dates, default=None),
            embedder=self.embedder.name, collection=store.name, location=store.location,
            lexical_path=str(self.lexical_path), generation=store.generation(),
        )  # fmt: skip

    def close(self) -> None:
        """Release the SQLite file and this instance's share of the Chroma client."""
        if self._lexical is not None:
            self._lexical.close()
        if self._store is not None:
            self._store.release()
        self._lexical = None
        self._store = None
