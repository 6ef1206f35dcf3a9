"""A separate process for the durability tests: ingest, hold the writer lock, or search.

Run as `python kb_worker.py COMMAND ...` with NURI_HOME set; it prints progress lines the test waits for.
"""

from __future__ import annotations

import json
import sys
import time

from config import NuriError, Settings
from crawlers.article import Article
from vectorstore import HashingEmbedder, KnowledgeBase, SearchFilters
from vectorstore.store import ChromaStore


def synthetic(i: int, variant: str) -> Article:
    """Article i in variant A or B; every sentence names its variant, so a mix would show."""
    sentences = [
        f"합성 기사 {i}번 {variant}판의 {j}번째 문장은 도시 교통과 예산 {j * 7}억 원을 다룬다."
        for j in range(12)
    ]
    return Article(
        url=f"https://synthetic.example.kr/{i}",
        canonical_url=f"https://synthetic.example.kr/{i}",
        title=f"합성 기사 {i}",
        text=" ".join(sentences),
        outlet="합성일보",
    )


def slow_down(delay: float) -> None:
    """Widen the gaps between the steps of a write, so a kill lands inside one."""
    for name in ("put_chunks", "flip_many", "delete_chunks"):
        original = getattr(ChromaStore, name)

        def slowed(self, *args, _original=original, **kwargs):
            time.sleep(delay)
            return _original(self, *args, **kwargs)

        setattr(ChromaStore, name, slowed)


def main(argv: list[str]) -> int:
    command = argv[0]
    settings = Settings(chunk_tokens=40, kb_lock_timeout=float(argv[-1]) if command == "add-one" else 30)
    kb = KnowledgeBase(settings, embedder=HashingEmbedder())
    try:
        if command == "ingest":
            count, variant, delay = int(argv[1]), argv[2], float(argv[3])
            slow_down(delay)
            for i in range(count):
                kb.add([synthetic(i, variant)])
                print(f"done {i}", flush=True)
        elif command == "hold-lock":
            with kb.lock.hold():
                print("locked", flush=True)
                time.sleep(float(argv[1]))
        elif command == "commit-then-hold":
            kb.add([synthetic(i, "A") for i in range(int(argv[1]))])
            with kb.lock.hold():
                print("committed", flush=True)
                time.sleep(float(argv[2]))
        elif command == "add-one":
            print(kb.add([synthetic(int(argv[1]), "A")]).summary(), flush=True)
        elif command == "search":
            hits = kb.search(argv[1], k=int(argv[2]), filters=SearchFilters(outlets=["합성일보"]))
            print(json.dumps([h.url for h in hits]), flush=True)
        else:
            raise SystemExit(f"unknown command {command}")
    except NuriError as error:
        print(f"오류: {error}", file=sys.stderr, flush=True)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
