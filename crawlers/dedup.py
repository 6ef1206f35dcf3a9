"""Near-duplicate detection: one wire story reprinted by five outlets is stored once, with five sources.

The fingerprint is a MinHash (128 hash functions) over 5-character shingles of the article text with
spaces and punctuation removed, so Korean word spacing and differing bylines, headers and footers
barely move it. The share of equal MinHash values estimates the Jaccard similarity of the shingle
sets: reprints of one story sit near 0.6-1.0, different stories on the same topic below 0.2 (see
tests/crawlers/test_dedup.py). Fingerprints and the list of sources per kept article persist in
SQLite at `path`; lookups scan all fingerprints with numpy (about 10 ms per 100,000 articles).
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
import zlib
from pathlib import Path

import numpy as np

from crawlers.article import Article, Source
from crawlers.urls import canonicalize

__all__ = ["DuplicateIndex", "fingerprint", "similarity", "DEFAULT_THRESHOLD"]

NUM_HASHES = 128
SHINGLE = 5
DEFAULT_THRESHOLD = 0.5
MIN_CHARS = 80  # below this a text is too short to fingerprint reliably: URL de-duplication only

_rng = np.random.default_rng(20261123)  # fixed: fingerprints must stay comparable across runs
_A = (_rng.integers(1, 2**63, NUM_HASHES, dtype=np.uint64) * np.uint64(2) + np.uint64(1)).astype(np.uint64)
_B = _rng.integers(0, 2**63, NUM_HASHES, dtype=np.uint64)
_NOISE = re.compile(r"[^0-9a-z\uac00-\ud7a3\u4e00-\u9fff]+")


def _normalise(text: str) -> str:
    return _NOISE.sub("", text.lower())


def fingerprint(text: str) -> np.ndarray | None:
    """MinHash signature (128 uint32 values) of a text, or None when it is too short.

    >>> a = fingerprint("정부가 내년부터 청년 월세 지원 사업의 소득 기준을 완화해 지원 대상을 넓히기로 했다. " * 3)
    >>> a.shape, a.dtype
    ((128,), dtype('uint32'))
    >>> fingerprint("짧은 글") is None
    True
    """
    normal = _normalise(text)
    if len(normal) < MIN_CHARS * 0.7:
        return None
    shingles = {normal[i : i + SHINGLE] for i in range(len(normal) - SHINGLE + 1)}
    hashes = np.fromiter(
        (zlib.crc32(s.encode("utf-8")) for s in shingles), dtype=np.uint64, count=len(shingles)
    )
    # Multiply-shift hashing: 64-bit wrap-around products, top 32 bits kept.
    mixed = (hashes[:, None] * _A[None, :] + _B[None, :]) >> np.uint64(32)
    return mixed.min(axis=0).astype(np.uint32)


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of two fingerprints."""
    return float(np.mean(a == b))


def _sources_of(article: Article) -> list[Source]:
    return list(article.sources) or [Source(outlet=article.outlet, url=article.canonical_url or article.url)]


class DuplicateIndex:
    """Fingerprints of stored articles, persisted in SQLite at `path`.

    Typical use in a crawl loop::

        kept = index.find(article)
        if kept:
            index.merge_source(kept, article)   # the stored article gains this outlet and URL
        else:
            index.add(article)                  # new story: store it
    """

    def __init__(self, path: Path, threshold: float = DEFAULT_THRESHOLD) -> None:
        self.path = Path(path)
        self.threshold = threshold
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()  # re-entrant: remember() holds it across find and add
        self._db = sqlite3.connect(self.path, check_same_thread=False)
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS articles (url TEXT PRIMARY KEY, signature BLOB, sources TEXT NOT NULL)"
        )
        self._db.commit()
        self._urls: list[str] = []
        self._matrix = np.empty((0, NUM_HASHES), dtype=np.uint32)
        self._load()

    def _load(self) -> None:
        rows = self._db.execute("SELECT url, signature FROM articles WHERE signature IS NOT NULL").fetchall()
        self._urls = [url for url, _ in rows]
        if rows:
            self._matrix = np.vstack([np.frombuffer(blob, dtype=np.uint32) for _, blob in rows])

    def __len__(self) -> int:
        with self._lock:
            return self._db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]

    def __enter__(self) -> DuplicateIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @staticmethod
    def _key(article: Article) -> str:
        return canonicalize(article.canonical_url or article.url)

    def find(self, article: Article) -> str | None:
        """Canonical URL of a stored copy of this article (same URL or near-duplicate text), or None."""
        key = self._key(article)
        with self._lock:
            if self._db.execute("SELECT 1 FROM articles WHERE url = ?", (key,)).fetchone():
                return key
            signature = fingerprint(article.text)
            if signature is None or not self._urls:
                return None
            scores = np.mean(self._matrix == signature[None, :], axis=1)
            best = int(np.argmax(scores))
            return self._urls[best] if scores[best] >= self.threshold else None

    def add(self, article: Article) -> None:
        """Store an article's fingerprint and sources (a second add of the same URL merges sources)."""
        key = self._key(article)
        signature = fingerprint(article.text)
        with self._lock:
            row = self._db.execute("SELECT sources FROM articles WHERE url = ?", (key,)).fetchone()
            if row:
                self._write_sources(key, self._merged(json.loads(row[0]), _sources_of(article)))
                return
            blob = signature.tobytes() if signature is not None else None
            sources = [s.model_dump() for s in _sources_of(article)]
            self._db.execute(
                "INSERT INTO articles VALUES (?, ?, ?)", (key, blob, json.dumps(sources, ensure_ascii=False))
            )
            self._db.commit()
            if signature is not None:
                self._urls.append(key)
                self._matrix = np.vstack([self._matrix, signature[None, :]])

    @staticmethod
    def _merged(stored: list[dict], new: list[Source]) -> list[dict]:
        merged = list(stored)
        known = {canonicalize(item["url"]) for item in stored}
        for source in new:
            if canonicalize(source.url) not in known:
                merged.append(source.model_dump())
                known.add(canonicalize(source.url))
        return merged

    def _write_sources(self, url: str, sources: list[dict]) -> None:
        self._db.execute(
            "UPDATE articles SET sources = ? WHERE url = ?", (json.dumps(sources, ensure_ascii=False), url)
        )
        self._db.commit()

    def merge_source(self, kept_url: str, article: Article) -> list[Source]:
        """Add `article`'s outlet and URL to the sources of the stored article `kept_url`; return them all."""
        with self._lock:
            row = self._db.execute("SELECT sources FROM articles WHERE url = ?", (kept_url,)).fetchone()
            if row is None:
                raise KeyError(kept_url)
            merged = self._merged(json.loads(row[0]), _sources_of(article))
            self._write_sources(kept_url, merged)
        return [Source(**item) for item in merged]

    def sources(self, url: str) -> list[Source]:
        """Every outlet and URL recorded for a stored article."""
        with self._lock:
            row = self._db.execute(
                "SELECT sources FROM articles WHERE url = ?", (canonicalize(url),)
            ).fetchone()
        return [Source(**item) for item in json.loads(row[0])] if row else []

    def remember(self, article: Article) -> str | None:
        """find + merge_source or add in one call: the kept URL if this was a duplicate, else None."""
        with self._lock:  # atomic, so two threads holding copies of one story cannot both store it
            kept = self.find(article)
            if kept:
                self.merge_source(kept, article)
                return kept
            self.add(article)
            return None
