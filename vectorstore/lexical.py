"""The lexical side: SQLite FTS5 with bm25 ranking over Kiwi content morphemes.

It is a local cache of what Chroma holds: the `docs` table mirrors each article's current version, so
search only ever sees the current chunks. Each article's rows change in one SQLite transaction. If the
file is missing or corrupt it is rebuilt from Chroma (see `store.py`); nothing here is the only copy.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from config.sqlite import connect_wal
from vectorstore.lock import is_unwritable, unwritable

__all__ = ["DocRow", "LexicalCorrupt", "LexicalIndex", "fts_query"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS docs (
    doc_id TEXT PRIMARY KEY, version TEXT NOT NULL, url TEXT NOT NULL, canonical_url TEXT NOT NULL,
    title TEXT NOT NULL, outlet TEXT, published TEXT, published_ts INTEGER, section TEXT,
    chunks INTEGER NOT NULL, added_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS docs_outlet ON docs(outlet);
CREATE INDEX IF NOT EXISTS docs_published ON docs(published_ts);
CREATE TABLE IF NOT EXISTS chunks (
    rowid INTEGER PRIMARY KEY, chunk_id TEXT UNIQUE NOT NULL, doc_id TEXT NOT NULL, chunk_index INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks(doc_id);
CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(tokens, tokenize = 'unicode61 remove_diacritics 0');
CREATE VIRTUAL TABLE IF NOT EXISTS fts_vocab USING fts5vocab(fts, 'row');
CREATE TABLE IF NOT EXISTS pending (doc_id TEXT PRIMARY KEY, version TEXT NOT NULL, started REAL NOT NULL);
"""


class LexicalCorrupt(Exception):
    """The SQLite file cannot be read; the caller moves it aside and rebuilds it from Chroma."""


@dataclass(frozen=True)
class DocRow:
    doc_id: str
    version: str
    url: str
    canonical_url: str
    title: str
    outlet: str | None
    published: str | None
    published_ts: int | None
    section: str | None
    chunks: int


def fts_query(terms: Iterable[str]) -> str:
    """An FTS5 MATCH expression: any of the terms, each quoted so no term is read as syntax.

    >>> fts_query(["요금", "인상", "요금", 'a"b'])
    '"요금" OR "인상" OR "a""b"'
    """
    unique = dict.fromkeys(t for t in terms if t)
    return " OR ".join('"' + t.replace('"', '""') + '"' for t in unique)


def _filter_sql(
    outlets: list[str], since_ts: int | None, until_ts: int | None, url: str | None
) -> tuple[str, list[object]]:
    clauses: list[str] = []
    params: list[object] = []
    if outlets:
        clauses.append(f"d.outlet IN ({','.join('?' * len(outlets))})")
        params.extend(outlets)
    if since_ts is not None:
        clauses.append("d.published_ts >= ?")
        params.append(since_ts)
    if until_ts is not None:
        clauses.append("d.published_ts <= ?")
        params.append(until_ts)
    if url:
        clauses.append("(d.url = ? OR d.canonical_url = ?)")
        params.extend([url, url])
    return (" AND " + " AND ".join(clauses) if clauses else ""), params


class LexicalIndex:
    """One SQLite file: docs mirror, chunk rows, the FTS5 table, a write journal and sync metadata."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._db = connect_wal(path, timeout=60, isolation_level=None)
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(_SCHEMA)
            self._db.execute("SELECT count(*) FROM docs").fetchone()
        except sqlite3.DatabaseError as error:
            if isinstance(error, sqlite3.OperationalError) and "locked" in str(error):
                raise
            if is_unwritable(error) or "unable to open" in str(error):
                raise unwritable(path.parent) from error
            raise LexicalCorrupt(str(error)) from error

    def close(self) -> None:
        self._db.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """All-or-nothing: BEGIN IMMEDIATE takes SQLite's write lock at once, so two writers never interleave."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    # --- metadata and journal ----------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str, db: sqlite3.Connection | None = None) -> None:
        (db or self._db).execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))

    def add_pending(self, doc_id: str, version: str) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO pending(doc_id, version, started) VALUES (?, ?, ?)",
            (doc_id, version, time.time()),
        )

    def remove_pending(self, doc_id: str) -> None:
        self._db.execute("DELETE FROM pending WHERE doc_id = ?", (doc_id,))

    def pending(self) -> list[tuple[str, str]]:
        return list(self._db.execute("SELECT doc_id, version FROM pending"))

    # --- writing -------------------------------------------------------------------------------
    def replace_doc(self, db: sqlite3.Connection, doc: DocRow, rows: list[tuple[str, int, str]]) -> None:
        """Inside a transaction: make `doc` current with these (chunk_id, chunk_index, tokens) rows."""
        self.delete_doc(db, doc.doc_id)
        for chunk_id, index, tokens in rows:
            cursor = db.execute(
                "INSERT INTO chunks(chunk_id, doc_id, chunk_index) VALUES (?, ?, ?)",
                (chunk_id, doc.doc_id, index),
            )
            db.execute("INSERT INTO fts(rowid, tokens) VALUES (?, ?)", (cursor.lastrowid, tokens))
        db.execute(
            "INSERT INTO docs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                doc.doc_id, doc.version, doc.url, doc.canonical_url, doc.title, doc.outlet,
                doc.published, doc.published_ts, doc.section, doc.chunks, time.time(),
            ),
        )  # fmt: skip

    def delete_doc(self, db: sqlite3.Connection, doc_id: str) -> None:
        db.execute("DELETE FROM fts WHERE rowid IN (SELECT rowid FROM chunks WHERE doc_id = ?)", (doc_id,))
        db.execute("DELETE FROM chunks WHERE doc_id = ?", (doc_id,))
        db.execute("DELETE FROM docs WHERE doc_id = ?", (doc_id,))

    def clear(self) -> None:
        with self.transaction() as db:
            for table in ("fts", "chunks", "docs", "pending", "meta"):
                db.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names

    # --- reading -------------------------------------------------------------------------------
    def versions(self, doc_ids: Iterable[str] | None = None) -> dict[str, str]:
        """Current version of each stored article (all of them when `doc_ids` is None)."""
        if doc_ids is None:
            return dict(self._db.execute("SELECT doc_id, version FROM docs"))
        ids = list(dict.fromkeys(doc_ids))
        found: dict[str, str] = {}
        for start in range(0, len(ids), 500):
            batch = ids[start : start + 500]
            found.update(
                self._db.execute(
                    f"SELECT doc_id, version FROM docs WHERE doc_id IN ({','.join('?' * len(batch))})", batch
                )
            )
        return found

    def search(
        self,
        terms: list[str],
        limit: int,
        outlets: list[str] | None = None,
        since_ts: int | None = None,
        until_ts: int | None = None,
        url: str | None = None,
        chunk_ids: list[str] | None = None,
    ) -> list[tuple[str, float]]:
        """(chunk_id, score) best first; score = -bm25, so higher is better and 0 means no match."""
        match = fts_query(self.informative(terms))
        if not match:
            return []
        where, params = _filter_sql(outlets or [], since_ts, until_ts, url)
        if chunk_ids is not None:
            if not chunk_ids:
                return []
            where += f" AND c.chunk_id IN ({','.join('?' * len(chunk_ids))})"
            params.extend(chunk_ids)
        sql = (
            "SELECT c.chunk_id, -bm25(fts) AS score FROM fts JOIN chunks c ON c.rowid = fts.rowid "
            "JOIN docs d ON d.doc_id = c.doc_id WHERE fts MATCH ?" + where + " ORDER BY bm25(fts) LIMIT ?"
        )
        return [(cid, float(score)) for cid, score in self._db.execute(sql, [match, *params, limit])]

    def informative(self, terms: list[str]) -> list[str]:
        """The query terms worth matching: those in at most half of the chunks (all, if none is).

        FTS5's BM25 gives a term in more than half of the rows an IDF of about 1e-6, so dropping it leaves
        the ranking as it was, but spares scoring every row that contains it: at 100k chunks a query
        with one such term took 86 ms at the median instead of 14 ms, with the same top 10 (30 queries).
        """
        unique = list(dict.fromkeys(t for t in terms if t))
        if len(unique) < 2:
            return unique
        total = self._db.execute("SELECT count(*) FROM chunks").fetchone()[0]
        df = dict(
            self._db.execute(
                f"SELECT term, doc FROM fts_vocab WHERE term IN ({','.join('?' * len(unique))})", unique
            )
        )
        kept = [t for t in unique if df.get(t, 0) * 2 <= total]
        return kept or unique

    def doc_rows(
        self,
        outlets: list[str] | None = None,
        since_ts: int | None = None,
        until_ts: int | None = None,
        url: str | None = None,
    ) -> list[DocRow]:
        where, params = _filter_sql(outlets or [], since_ts, until_ts, url)
        sql = (
            "SELECT doc_id, version, url, canonical_url, title, outlet, published, published_ts, section, chunks "
            "FROM docs d WHERE 1=1" + where + " ORDER BY published_ts DESC, title"
        )
        return [DocRow(*row) for row in self._db.execute(sql, params)]

    def counts(self) -> tuple[int, int]:
        docs = self._db.execute("SELECT count(*) FROM docs").fetchone()[0]
        chunks = self._db.execute("SELECT count(*) FROM chunks").fetchone()[0]
        return int(docs), int(chunks)
