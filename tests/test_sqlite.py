"""Many connections opening one new SQLite file at once, as crawl jobs and UI sessions do."""

from __future__ import annotations

import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from config.sqlite import connect_wal


def _open_and_write(path, start: threading.Barrier, n: int) -> str:
    start.wait()
    conn = connect_wal(path, timeout=30)
    try:
        with conn:
            conn.execute("CREATE TABLE IF NOT EXISTS t (n INTEGER)")
            conn.execute("INSERT INTO t VALUES (?)", (n,))
        return conn.execute("PRAGMA journal_mode").fetchone()[0]
    finally:
        conn.close()


@pytest.mark.parametrize("round_", range(5))
def test_connections_opening_a_new_file_together_all_get_wal(tmp_path, round_):
    path = tmp_path / "state.sqlite3"
    workers = 8
    start = threading.Barrier(workers)
    with ThreadPoolExecutor(workers) as pool:
        modes = list(pool.map(lambda n: _open_and_write(path, start, n), range(workers)))
    assert modes == ["wal"] * workers
    with sqlite3.connect(path) as check:
        assert sorted(n for (n,) in check.execute("SELECT n FROM t")) == list(range(workers))


def test_an_error_other_than_locked_is_raised_at_once(tmp_path):
    not_a_database = tmp_path / "notes.sqlite3"
    not_a_database.write_bytes(b"this is not a database file" * 100)
    with pytest.raises(sqlite3.DatabaseError):
        connect_wal(not_a_database, timeout=30)


def test_opening_waits_for_a_writer_instead_of_failing_at_once(tmp_path):
    # SQLite refuses the switch to WAL at once (no busy wait) while another connection writes.
    path = tmp_path / "state.sqlite3"
    writer = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    writer.execute("CREATE TABLE t (n INTEGER)")
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO t VALUES (1)")
    threading.Timer(0.3, writer.execute, args=("COMMIT",)).start()
    conn = connect_wal(path, timeout=30)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("SELECT n FROM t").fetchall() == [(1,)]
    finally:
        conn.close()
        writer.close()
