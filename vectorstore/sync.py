"""Keeping the local BM25 mirror in step with Chroma, and finishing writes a killed writer left behind."""

from __future__ import annotations

import logging

from vectorstore.ingest import doc_row
from vectorstore.korean import content_morphemes, content_morphemes_many
from vectorstore.lexical import LexicalIndex
from vectorstore.lock import WriterLock
from vectorstore.store import ChromaStore

log = logging.getLogger(__name__)

__all__ = ["load_doc", "recover", "sync_lexical"]


def sync_lexical(store: ChromaStore, lexical: LexicalIndex, lock: WriterLock) -> None:
    """Refresh the BM25 copy when Chroma's generation moved (another client wrote, or the copy is new).

    Readers never wait for this: if a writer holds the lock, that writer keeps the copy up to date.
    """
    generation = store.refresh()
    if lexical.get_meta("generation") == str(generation) and not lexical.pending():
        return
    with lock.try_hold() as held:
        if not held:
            return
        recover(store, lexical)
        generation = store.generation()
        if lexical.get_meta("generation") == str(generation):
            return
        manifest = store.manifest()
        local = lexical.versions()
        stale = [d for d, meta in manifest.items() if local.get(d) != meta["version"]]
        gone = [d for d in local if d not in manifest]
        log.info("syncing BM25 index: %d changed, %d removed articles", len(stale), len(gone))
        for doc_id in stale:
            load_doc(store, lexical, doc_id, manifest[doc_id])
        with lexical.transaction() as db:
            for doc_id in gone:
                lexical.delete_doc(db, doc_id)
            lexical.set_meta("generation", str(generation), db)


def load_doc(store: ChromaStore, lexical: LexicalIndex, doc_id: str, meta: dict) -> None:
    """Copy one article's current chunks from Chroma into the BM25 index."""
    got = store.chunks_of(doc_id, meta["version"])
    parts = sorted(
        zip(got["ids"], got["documents"], got["metadatas"], strict=True), key=lambda p: p[2]["chunk_index"]
    )
    title_terms = content_morphemes(meta.get("title") or "")
    tokens = content_morphemes_many([d for _, d, _ in parts])
    rows = [
        (cid, int(m["chunk_index"]), " ".join(title_terms + t))
        for (cid, _, m), t in zip(parts, tokens, strict=True)
    ]
    with lexical.transaction() as db:
        lexical.replace_doc(db, doc_row(doc_id, meta), rows)


def recover(store: ChromaStore, lexical: LexicalIndex) -> None:
    """Finish or undo the writes a killed writer left in the journal (the caller holds the lock).

    The manifest decides: if it names the journalled version, the write got past its atomic step and is
    finished (BM25 rows, old chunks removed); otherwise its new chunks are removed and the old version stays.
    """
    pending = lexical.pending()
    if not pending:
        return
    manifest = store.manifest([d for d, _ in pending])
    for doc_id, version in pending:
        meta = manifest.get(doc_id)
        log.warning("recovering interrupted write of %s (journal %s, manifest %s)", doc_id, version, meta)
        if meta is None:
            store.delete_chunks(doc_id)
            with lexical.transaction() as db:
                lexical.delete_doc(db, doc_id)
        else:
            if lexical.versions([doc_id]).get(doc_id) != meta["version"]:
                load_doc(store, lexical, doc_id, meta)
            store.delete_chunks(doc_id, keep_version=meta["version"])
        lexical.remove_pending(doc_id)
