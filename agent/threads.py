"""Persistent threads: LangGraph's SQLite checkpointer in the data dir, plus a small table of thread titles.

`$NURI_HOME/threads.sqlite3` holds both: the checkpointer's tables (every thread's state, including a
confirmation the agent is waiting for) and `nuri_threads` (title, preset, turns, times) for listing.
A thread resumes after a restart with its history, summary, preset and last budget.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from langgraph.checkpoint.sqlite import SqliteSaver

from config import NuriError, Settings
from config.sqlite import connect_wal

log = logging.getLogger("nuri.threads")

__all__ = ["ThreadInfo", "ThreadStore", "new_thread_id", "open_checkpointer"]

_LOCK = threading.Lock()
_SAVERS: dict[Path, SqliteSaver] = {}
_SCHEMA = """
CREATE TABLE IF NOT EXISTS nuri_threads (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    preset TEXT NOT NULL DEFAULT 'default',
    turns INTEGER NOT NULL DEFAULT 0,
    created TEXT NOT NULL,
    updated TEXT NOT NULL
)
"""


def threads_path(settings: Settings) -> Path:
    return settings.home / "threads.sqlite3"


def _connect(path: Path) -> sqlite3.Connection:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = connect_wal(path, timeout=30)
    except (OSError, sqlite3.Error) as error:
        raise NuriError(
            f"대화 저장소({path})를 열 수 없습니다: {error}",
            hint="데이터 폴더의 권한과 남은 공간을 확인하세요.",
        ) from error
    return conn


def open_checkpointer(settings: Settings) -> SqliteSaver:
    """One SQLite checkpointer per data dir and process (it serialises its own writes)."""
    path = threads_path(settings)
    with _LOCK:
        if path not in _SAVERS:
            saver = SqliteSaver(_connect(path))
            saver.setup()
            _SAVERS[path] = saver
        return _SAVERS[path]


def new_thread_id() -> str:
    """A short, URL-safe thread id.

    >>> len(new_thread_id()), new_thread_id() != new_thread_id()
    (12, True)
    """
    return uuid.uuid4().hex[:12]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class ThreadInfo:
    id: str
    title: str
    preset: str
    turns: int
    created: str
    updated: str


class ThreadStore:
    """List, rename, delete and export threads; the checkpointer keeps their content."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.saver = open_checkpointer(settings)
        self._conn = _connect(threads_path(settings))
        with self._conn:
            self._conn.execute(_SCHEMA)

    def list(self) -> list[ThreadInfo]:
        rows = self._conn.execute(
            "SELECT id, title, preset, turns, created, updated FROM nuri_threads ORDER BY updated DESC"
        ).fetchall()
        return [ThreadInfo(*row) for row in rows]

    def get(self, thread_id: str) -> ThreadInfo | None:
        row = self._conn.execute(
            "SELECT id, title, preset, turns, created, updated FROM nuri_threads WHERE id = ?", (thread_id,)
        ).fetchone()
        return ThreadInfo(*row) if row else None

    def require(self, thread_id: str) -> ThreadInfo:
        info = self.get(thread_id)
        if info is None:
            raise NuriError(
                f"대화 '{thread_id}'가 없습니다.", hint="`nuri threads list`로 대화 목록을 확인하세요."
            )
        return info

    def touch(self, thread_id: str, *, title: str, preset: str, turns: int) -> None:
        """Create or update a thread's row after a turn (the title is kept once set)."""
        now = _now()
        with self._conn:
            self._conn.execute(
                "INSERT INTO nuri_threads (id, title, preset, turns, created, updated) VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(id) DO UPDATE SET preset = excluded.preset, turns = excluded.turns, "
                "updated = excluded.updated",
                (thread_id, _title(title), preset, turns, now, now),
            )

    def rename(self, thread_id: str, title: str) -> None:
        self.require(thread_id)
        if not title.strip():
            raise NuriError("새 제목이 비어 있습니다.")
        with self._conn:
            self._conn.execute("UPDATE nuri_threads SET title = ? WHERE id = ?", (_title(title), thread_id))

    def delete(self, thread_id: str) -> None:
        self.require(thread_id)
        self.saver.delete_thread(thread_id)
        with self._conn:
            self._conn.execute("DELETE FROM nuri_threads WHERE id = ?", (thread_id,))

    def state(self, thread_id: str) -> dict[str, Any]:
        """The thread's saved state values (messages, summary, records, budget); empty when new."""
        checkpoint = self.saver.get({"configurable": {"thread_id": thread_id}})
        return dict(checkpoint["channel_values"]) if checkpoint else {}

    def export(self, thread_id: str, fmt: str = "md") -> str:
        """The thread as Markdown (to read) or JSON (to keep): each question, answer, preset and sources."""
        info = self.require(thread_id)
        records = self.state(thread_id).get("records", [])
        if fmt == "json":
            body = {"id": info.id, "title": info.title, "created": info.created, "updated": info.updated}
            return json.dumps({**body, "turns": records}, ensure_ascii=False, indent=2)
        if fmt != "md":
            raise NuriError(f"내보내기 형식 '{fmt}'은 없습니다. md 또는 json을 고르세요.")
        lines = [f"# {info.title}", "", f"- 대화 ID: {info.id}", f"- 마지막 대화: {info.updated}", ""]
        for n, record in enumerate(records, 1):
            lines += [f"## {n}. {record.get('question', '')}", "", record.get("answer", ""), ""]
            for citation in record.get("citations", []):
                meta = ", ".join(p for p in (citation.get("outlet"), citation.get("published")) if p)
                lines.append(
                    f"- [{citation['n']}] [{citation['title']}]({citation['url']})"
                    + (f" ({meta})" if meta else "")
                )
            lines += [f"_프리셋: {record.get('preset', 'default')}_", ""]
        return "\n".join(lines).rstrip() + "\n"


def _title(text: str) -> str:
    """A one-line title from the first question.

    >>> _title("  서울 지하철 요금이\\n얼마나 오르나요? 자세히 알려 줘요 그리고 버스 요금도 알려 줘요  ")
    '서울 지하철 요금이 얼마나 오르나요? 자세히 알려 줘요 …'
    """
    flat = " ".join(text.split())
    return flat if len(flat) <= 32 else flat[:31] + "…"
