"""Durability: kill -9 mid-ingest, one writer at a time, readers in other processes, a lost BM25 index."""

from __future__ import annotations

import json
import random
import signal
import time

import pytest

from config import NuriError, Settings
from vectorstore import HashingEmbedder, KnowledgeBase, SearchFilters

N = 12


def open_kb(home) -> KnowledgeBase:
    return KnowledgeBase(Settings(home=home, chunk_tokens=40), embedder=HashingEmbedder())


def variants_per_article(kb: KnowledgeBase) -> dict[str, set[str]]:
    """For each stored article, which variants ('A'/'B') its visible chunks come from."""
    seen: dict[str, set[str]] = {}
    docs = kb.documents()
    store = kb._store
    for doc in docs:
        got = store.chunks_of(doc.doc_id, doc.version)
        assert len(got["ids"]) == doc.chunks, (
            f"{doc.url}: {len(got['ids'])} chunks in Chroma, {doc.chunks} listed"
        )
        seen[doc.url] = {v for text in got["documents"] for v in "AB" if f"{v}판" in text}
        hits = kb.search("도시 교통 예산", k=50, filters=SearchFilters(url=doc.url), group_by_article=False)
        seen[doc.url] |= {v for h in hits for v in "AB" if f"{v}판" in h.text}
    return seen


def wait_for_line(process, prefix: str, count: int = 1, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    seen = 0
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            raise AssertionError(f"worker ended early: {process.stderr.read()}")
        if line.startswith(prefix):
            seen += 1
            if seen >= count:
                return
    raise AssertionError(f"no {prefix!r} line in time")


def test_kill_9_mid_ingest_leaves_every_article_whole_and_a_rerun_converges(nuri_home, workers):
    done = workers.run("ingest", str(N), "A", "0", home=nuri_home)
    assert done.returncode == 0, done.stderr
    rng = random.Random(7)
    for round_ in range(2):
        process = workers.start("ingest", str(N), "B", "0.03", home=nuri_home)
        wait_for_line(process, "done", count=1 + round_ * 4)
        time.sleep(rng.uniform(0.0, 0.25))
        process.send_signal(signal.SIGKILL)
        process.wait()
        kb = open_kb(nuri_home)
        mixed = {url: v for url, v in variants_per_article(kb).items() if len(v) != 1}
        assert not mixed, f"articles mixing versions after kill -9: {mixed}"
        assert len(kb.documents()) == N
        kb.close()

    rerun = workers.run("ingest", str(N), "B", "0", home=nuri_home)
    assert rerun.returncode == 0, rerun.stderr
    kb = open_kb(nuri_home)
    assert set().union(*variants_per_article(kb).values()) == {"B"}
    # No orphans of interrupted writes are left in Chroma.
    assert kb.stats().chunks == sum(d.chunks for d in kb.documents())
    assert kb._lexical.pending() == []


def test_second_writer_waits_then_gets_a_clear_error(nuri_home, workers):
    holder = workers.start("hold-lock", "120", home=nuri_home)
    wait_for_line(holder, "locked")
    started = time.monotonic()
    second = workers.run("add-one", "1", "1.0", home=nuri_home)
    waited = time.monotonic() - started
    assert second.returncode == 2
    assert "다른 nuri 프로세스가 지식 베이스에 쓰고 있어" in second.stderr
    assert waited >= 1.0
    holder.kill()
    holder.wait()
    # Once the lock is free the same write goes through; nothing was half-written before.
    kb = open_kb(nuri_home)
    assert kb.documents() == []
    kb.close()
    third = workers.run("add-one", "1", "5", home=nuri_home)
    assert third.returncode == 0 and "새 기사 1건" in third.stdout


def test_a_reader_process_sees_what_a_writer_committed(nuri_home, workers):
    reader_before = open_kb(nuri_home)  # a long-lived reader opened before the write
    assert reader_before.documents() == []
    writer = workers.start("commit-then-hold", "4", "20", home=nuri_home)
    try:
        wait_for_line(writer, "committed")
        # A fresh reader process while the writer still holds the lock.
        found = workers.run("search", "합성 기사 2번 도시 교통", "4", home=nuri_home)
        assert found.returncode == 0, found.stderr
        urls = json.loads(found.stdout)
        assert "https://synthetic.example.kr/2" in urls and len(urls) == 4
        # The reader in this process sees the committed articles too.
        assert len(reader_before.documents()) == 4
        assert reader_before.search("합성 기사 3번", k=1)[0].url == "https://synthetic.example.kr/3"
    finally:
        writer.kill()
        writer.wait()
        reader_before.close()


@pytest.mark.parametrize("damage", ["missing", "corrupt"])
def test_lost_or_corrupt_bm25_index_rebuilds_from_chroma(kb, corpus, damage):
    kb.add(corpus)
    path = kb.lexical_path
    before = [h.canonical_url for h in kb.search("쌀값 하락 농민", k=3, mode="bm25")]
    kb.close()
    for suffix in ("", "-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            side.unlink()
    if damage == "corrupt":
        path.write_bytes(b"this is not a database" * 100)
    again = KnowledgeBase(kb.settings, embedder=HashingEmbedder())
    assert [h.canonical_url for h in again.search("쌀값 하락 농민", k=3, mode="bm25")] == before
    assert len(again.documents()) == len(corpus)
    if damage == "corrupt":
        assert path.with_name(path.name + ".corrupt").exists()
    again.close()


def test_writer_lock_error_is_korean_and_nothing_is_written(kb, corpus):
    with kb.lock.hold():
        other = KnowledgeBase(
            kb.settings.model_copy(update={"kb_lock_timeout": 0.2}), embedder=HashingEmbedder()
        )
        other.lock._lock = type(other.lock._lock)(str(other.lock.path), timeout=0.2, is_singleton=False)
        with pytest.raises(NuriError, match="기다렸습니다"):
            other.add(corpus[:1])
    assert kb.documents() == []
