"""Crawl state kept in the data dir, so a re-crawl is conditional and polite from its first request.

One SQLite file (`<home>/crawl/state.sqlite3`, WAL) holds the pages seen with their validators (ETag,
Last-Modified), the articles stored (to merge `sources` when a near-duplicate turns up later) and the
robots.txt cache. `JsonlArchive` appends each stored article as one line (`Article.to_json_line()`);
a later line for the same `canonical_url` supersedes an earlier one.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

from config.sqlite import connect_wal
from crawlers.article import Article

_SCHEMA = """
CREATE TABLE IF NOT EXISTS pages (
    url TEXT PRIMARY KEY, canonical TEXT, etag TEXT, last_modified TEXT, fetched_at REAL
);
CREATE TABLE IF NOT EXISTS articles (canonical TEXT PRIMARY KEY, json TEXT NOT NULL, stored_at REAL);
CREATE TABLE IF NOT EXISTS robots (origin TEXT PRIMARY KEY, kind TEXT, body TEXT, fetched_at REAL);
"""


class CrawlState:
    """Thread-safe: fetcher threads read and write the robots cache, the crawl loop the rest."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.Lock()
        self._db = connect_wal(path, timeout=30)
        with self._lock, self._db:
            self._db.executescript(_SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> CrawlState:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _one(self, sql: str, *args: object) -> tuple | None:
        with self._lock:
            return self._db.execute(sql, args).fetchone()

    def _write(self, sql: str, *args: object) -> None:
        with self._lock, self._db:
            self._db.execute(sql, args)

    # --- pages ---------------------------------------------------------------------------------
    def validators(self, url: str) -> tuple[str | None, str | None]:
        """(ETag, Last-Modified) stored for `url`, for a conditional GET."""
        row = self._one("SELECT etag, last_modified FROM pages WHERE url = ?", url)
        return (row[0], row[1]) if row else (None, None)

    def record_page(self, url: str, canonical: str, etag: str | None, last_modified: str | None) -> None:
        self._write(
            "INSERT OR REPLACE INTO pages VALUES (?, ?, ?, ?, ?)",
            url,
            canonical,
            etag,
            last_modified,
            time.time(),
        )

    def seen(self, url: str) -> bool:
        return self._one("SELECT 1 FROM pages WHERE url = ?", url) is not None

    # --- articles ------------------------------------------------------------------------------
    def article(self, canonical: str) -> Article | None:
        row = self._one("SELECT json FROM articles WHERE canonical = ?", canonical)
        return Article.from_json_line(row[0]) if row else None

    def put_article(self, article: Article) -> None:
        self._write(
            "INSERT OR REPLACE INTO articles VALUES (?, ?, ?)",
            article.canonical_url,
            article.to_json_line(),
            time.time(),
        )

    # --- robots.txt (the `RobotsStore` protocol) -----------------------------------------------
    def get_robots(self, origin: str) -> tuple[str, str, float] | None:
        row = self._one("SELECT kind, body, fetched_at FROM robots WHERE origin = ?", origin)
        return (row[0], row[1], row[2]) if row else None

    def put_robots(self, origin: str, kind: str, body: str, fetched_at: float) -> None:
        self._write("INSERT OR REPLACE INTO robots VALUES (?, ?, ?, ?)", origin, kind, body, fetched_at)


class JsonlArchive:
    """Appends articles to a JSON-lines file, one flushed line each, so a crash loses nothing stored."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.written = 0

    def __call__(self, article: Article) -> None:
        with self.path.open("a", encoding="utf-8") as out:
            out.write(article.to_json_line() + "\n")
        self.written += 1

    def read(self) -> list[Article]:
        """Every article in the file, the last line per canonical URL winning."""
        latest: dict[str, Article] = {}
        if self.path.exists():
            for line in self.path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    article = Article.from_json_line(line)
                    latest.pop(article.canonical_url, None)
                    latest[article.canonical_url] = article
        return list(latest.values())
