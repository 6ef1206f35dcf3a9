"""Opening the SQLite files every layer keeps (crawl state, lexical index, chat threads) in WAL mode.

Switching a file to WAL takes a short exclusive lock, and SQLite answers "database is locked" at once
(without waiting out the busy timeout) when another connection opens the same new file at that moment:
two crawl jobs starting together in the UI hit it. Opening is serialised inside the process and retried
across processes until the timeout.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

_opening = threading.Lock()
_RETRY_PAUSE_S = 0.05


def connect_wal(path: Path, *, timeout: float, **connect_args: object) -> sqlite3.Connection:
    """A connection to `path` (shared across threads) with the journal in WAL mode."""
    deadline = time.monotonic() + timeout
    with _opening:
        conn = sqlite3.connect(path, timeout=timeout, check_same_thread=False, **connect_args)
        while True:
            try:
                conn.execute("PRAGMA journal_mode=WAL")
                return conn
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) or time.monotonic() >= deadline:
                    conn.close()
                    raise
                time.sleep(_RETRY_PAUSE_S)
