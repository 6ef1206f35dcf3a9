"""The Chroma side: an embedded PersistentClient in the data dir, or a shared server (HttpClient).

Two collections per knowledge base:
- `<name>`: one record per chunk (vector, text, citation metadata, `doc_id` and `version`); its metadata
  records the embedder that built it, so vectors of two models are never mixed.
- `<name>.docs`: the manifest, one record per article (the article JSON and its *current* version). Upserting
  one record is atomic, so flipping an article to its new version is one step; searches keep only chunks of
  the current version. Its metadata carries the generation counter other clients watch.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from typing import Any
from urllib.parse import urlparse

from config import NuriError, Settings
from vectorstore.lock import is_unwritable, unwritable

log = logging.getLogger(__name__)

__all__ = ["ChromaStore", "validate_collection_name"]

_REGISTRY: dict[tuple[str, str], ChromaStore] = {}
_REGISTRY_LOCK = threading.Lock()
_NAME = re.compile(r"^[a-zA-Z0-9][a-zA-Z0-9._-]{1,500}[a-zA-Z0-9]$")
_PAGE = 2000


def validate_collection_name(name: str) -> str:
    """Chroma accepts 3-512 characters of [a-zA-Z0-9._-]; we keep room for the `.docs` suffix.

    >>> validate_collection_name("nuri-news")
    'nuri-news'
    >>> validate_collection_name("뉴스")
    Traceback (most recent call last):
    config.errors.NuriError: 컬렉션 이름 '뉴스'은(는) 쓸 수 없습니다. 영문·숫자·.·_·-로 3~500자 이름을 NURI_COLLECTION에 주세요.
    """
    if not _NAME.match(name) or ".." in name:
        raise NuriError(
            f"컬렉션 이름 '{name}'은(는) 쓸 수 없습니다. 영문·숫자·.·_·-로 3~500자 이름을 NURI_COLLECTION에 주세요."
        )
    return name


class ChromaStore:
    """Thin, error-translating access to the chunk and manifest collections."""

    @classmethod
    def shared(cls, settings: Settings) -> ChromaStore:
        """One store per location and collection in a process, so a reload is seen by every user of it."""
        key = (settings.chroma_url or str(settings.chroma_dir.resolve()), settings.collection)
        with _REGISTRY_LOCK:
            store = _REGISTRY.get(key)
            if store is None:
                store = _REGISTRY[key] = cls(settings)
                store._key = key
            store._users += 1
            return store

    def release(self) -> None:
        """One user fewer; the last one closes the client (and, embedded, Chroma's files)."""
        with _REGISTRY_LOCK:
            self._users -= 1
            if self._users <= 0 and _REGISTRY.get(self._key) is self:
                del _REGISTRY[self._key]
                self._close_client()

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.name = validate_collection_name(settings.collection)
        self.docs_name = f"{self.name}.docs"
        self.embedded = not settings.chroma_url
        self.seen_generation: int | None = None
        self._users = 0
        self._key: tuple[str, str] = ("", "")
        self._opened_with: tuple[str, int] | None = None
        self._connect()

    def _connect(self) -> None:
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        settings = self.settings
        chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
        if settings.chroma_url:
            self.location = settings.chroma_url
            parsed = urlparse(
                settings.chroma_url if "//" in settings.chroma_url else f"http://{settings.chroma_url}"
            )
            try:
                self.client = chromadb.HttpClient(
                    host=parsed.hostname or "127.0.0.1",
                    port=parsed.port or (443 if parsed.scheme == "https" else 8000),
                    ssl=parsed.scheme == "https",
                    settings=chroma_settings,
                )
                self.client.heartbeat()
            except Exception as error:  # noqa: BLE001 - chromadb raises bare ValueError/httpx errors here
                raise NuriError(
                    f"Chroma 서버({settings.chroma_url})에 연결할 수 없습니다.",
                    hint="서버가 켜져 있는지 확인하거나, NURI_CHROMA_URL을 비워 내장 저장소를 쓰세요.",
                ) from error
        else:
            self.location = str(settings.chroma_dir)
            try:
                settings.chroma_dir.mkdir(parents=True, exist_ok=True)
                self.client = chromadb.PersistentClient(
                    path=str(settings.chroma_dir), settings=chroma_settings
                )
            except Exception as error:  # chromadb wraps OS errors in its own types
                if is_unwritable(error):
                    raise unwritable(settings.chroma_dir) from error
                raise
        self._max_batch = max(1, min(int(self.client.get_max_batch_size()), 1000))
        self.chunks: Any = None
        self.docs: Any = None

    def _close_client(self) -> None:
        try:
            self.client.close()
        except Exception:  # noqa: BLE001 - closing is best effort
            log.debug("closing the Chroma client failed", exc_info=True)

    def reload(self) -> None:
        """Embedded mode: drop Chroma's in-memory state and read the files again.

        An embedded Chroma keeps its vector index in memory and does not notice what another process
        wrote to the same files, so after a foreign write (the generation moved) we start it afresh.
        Chroma shares one `System` per path inside a process; stopping it is the only way to reload.
        """
        if not self.embedded:
            return
        from chromadb.api.shared_system_client import SharedSystemClient

        path = str(self.settings.chroma_dir)
        self._close_client()
        system = SharedSystemClient._identifier_to_system.pop(path, None)
        SharedSystemClient._identifier_to_refcount.pop(path, None)
        if system is not None:
            system.stop()
        log.info("reloading the embedded Chroma store after a write by another process")
        self._connect()
        if self._opened_with:
            self.open(*self._opened_with, adopt=True)

    def refresh(self) -> int:
        """The current generation; reloads the embedded store first when another process moved it."""
        generation = self.generation()
        if self.seen_generation is not None and generation != self.seen_generation:
            self.reload()
        self.seen_generation = generation
        return generation

    # --- collections ---------------------------------------------------------------------------
    def _get(self, name: str) -> Any | None:
        from chromadb.errors import NotFoundError

        try:
            return self.client.get_collection(name, embedding_function=None)
        except NotFoundError:
            return None
        except ValueError as error:  # older servers say "does not exist" through ValueError
            if "does not exist" in str(error):
                return None
            raise

    def open(self, embedder_name: str, dim: int, *, adopt: bool = False) -> None:
        """Open (or create) both collections; refuse a chunk collection built by another embedder.

        `adopt` (used by reindex) skips the refusal: the caller is about to rebuild the chunks.
        """
        self.docs = self._get(self.docs_name) or self.client.get_or_create_collection(
            self.docs_name, metadata={"nuri_generation": 0, "nuri_reindex": 0}, embedding_function=None
        )
        chunks = self._get(self.name)
        if chunks is not None:
            built_by = (chunks.metadata or {}).get("nuri_embedder")
            if built_by != embedder_name and not adopt:
                if chunks.count() == 0 and self.docs.count() == 0:
                    self.client.delete_collection(self.name)
                    chunks = None
                else:
                    raise NuriError(
                        f"지식 베이스는 '{built_by}' 임베딩으로 만들어졌는데 지금 설정은 '{embedder_name}'입니다.",
                        hint="`nuri kb reindex`로 다시 만들거나 NURI_EMBEDDER를 원래 값으로 되돌리세요.",
                    )
        if chunks is None:
            chunks = self.client.get_or_create_collection(
                self.name,
                metadata={"nuri_embedder": embedder_name, "nuri_dim": dim},
                configuration={"hnsw": {"space": "cosine"}},
                embedding_function=None,
            )
        self.chunks = chunks
        self._opened_with = (embedder_name, dim)

    def recreate_chunks(self, embedder_name: str, dim: int) -> None:
        if self._get(self.name) is not None:
            self.client.delete_collection(self.name)
        self.chunks = None
        self.open(embedder_name, dim)

    # --- the generation counter and flags ------------------------------------------------------
    def _docs_metadata(self) -> dict[str, Any]:
        fresh = self.client.get_collection(self.docs_name, embedding_function=None)
        return dict(fresh.metadata or {})

    def generation(self) -> int:
        return int(self._docs_metadata().get("nuri_generation", 0))

    def _set_docs_metadata(self, **changes: Any) -> dict[str, Any]:
        # `modify` replaces the whole metadata, so merge with what is there.
        metadata = self._docs_metadata()
        metadata.update(changes)
        self.docs.modify(metadata=metadata)
        return metadata

    def bump_generation(self) -> int:
        """A new value, unique across clients in practice: microseconds, never below the last plus one."""
        metadata = self._docs_metadata()
        new = max(int(metadata.get("nuri_generation", 0)) + 1, time.time_ns() // 1000)
        metadata["nuri_generation"] = new
        self.docs.modify(metadata=metadata)
        self.seen_generation = new
        return new

    def reindex_pending(self) -> bool:
        return bool(self._docs_metadata().get("nuri_reindex", 0))

    def set_reindex_pending(self, value: bool) -> None:
        self._set_docs_metadata(nuri_reindex=int(value))

    # --- manifest --------------------------------------------------------------------------------
    def manifest(self, doc_ids: list[str] | None = None, with_articles: bool = False) -> dict[str, dict]:
        """doc_id -> manifest metadata (plus `_article` JSON when asked), for the given ids or all."""
        include = ["metadatas", "documents"] if with_articles else ["metadatas"]
        found: dict[str, dict] = {}
        if doc_ids is not None:
            for start in range(0, len(doc_ids), _PAGE):
                got = self.docs.get(ids=doc_ids[start : start + _PAGE], include=include)
                self._collect(got, found, with_articles)
            return found
        offset = 0
        while True:
            got = self.docs.get(limit=_PAGE, offset=offset, include=include)
            self._collect(got, found, with_articles)
            if len(got["ids"]) < _PAGE:
                return found
            offset += _PAGE

    @staticmethod
    def _collect(got: dict, into: dict[str, dict], with_articles: bool) -> None:
        for i, doc_id in enumerate(got["ids"]):
            meta = dict(got["metadatas"][i] or {})
            if with_articles:
                meta["_article"] = got["documents"][i]
            into[doc_id] = meta

    def flip_many(self, records: list[tuple[str, str, dict[str, Any]]]) -> None:
        """Make each `(doc_id, article JSON, metadata)` record's `version` that article's current one.

        Each record is replaced on its own (one record, never half-written), so every article flips
        atomically even when a batch of records is interrupted.
        """
        for start in range(0, len(records), self._max_batch):
            part = records[start : start + self._max_batch]
            self.docs.upsert(
                ids=[r[0] for r in part],
                embeddings=[[1.0]] * len(part),
                documents=[r[1] for r in part],
                metadatas=[r[2] for r in part],
            )

    def remove_manifest(self, doc_ids: list[str]) -> None:
        if doc_ids:
            self.docs.delete(ids=doc_ids)

    # --- chunks --------------------------------------------------------------------------------
    def put_chunks(self, ids: list[str], embeddings, documents: list[str], metadatas: list[dict]) -> None:
        for start in range(0, len(ids), self._max_batch):
            end = start + self._max_batch
            self.chunks.upsert(
                ids=ids[start:end],
                embeddings=embeddings[start:end],
                documents=documents[start:end],
                metadatas=metadatas[start:end],
            )

    def delete_chunks(self, doc_id: str, keep_version: str | None = None) -> None:
        where: dict[str, Any] = {"doc_id": doc_id}
        if keep_version is not None:
            where = {"$and": [{"doc_id": doc_id}, {"version": {"$ne": keep_version}}]}
        self.chunks.delete(where=where)

    def chunks_of(self, doc_id: str, version: str) -> dict:
        return self.chunks.get(
            where={"$and": [{"doc_id": doc_id}, {"version": version}]}, include=["documents", "metadatas"]
        )

    def get_chunks(self, ids: list[str], embeddings: bool = False) -> dict:
        include = ["documents", "metadatas", "embeddings"] if embeddings else ["documents", "metadatas"]
        return self.chunks.get(ids=ids, include=include)

    def query(self, vector, n: int, where: dict | None) -> dict:
        from chromadb.errors import ChromaError

        def run() -> dict:
            return self.chunks.query(
                query_embeddings=[vector], n_results=n, where=where or None,
                include=["documents", "metadatas", "distances"],
            )  # fmt: skip

        try:
            return run()
        except ChromaError:
            # An embedded reader can race a writer in another process; read the files afresh once.
            if not self.embedded:
                raise
            log.warning("Chroma query failed; reloading the store and trying once more", exc_info=True)
            self.reload()
            return run()

    def count(self) -> int:
        return int(self.chunks.count())
