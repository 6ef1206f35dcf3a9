"""Server mode against a real `chroma run`: two clients with their own data dirs share one knowledge base."""

from __future__ import annotations

import pytest

from config import NuriError, Settings
from vectorstore import HashingEmbedder, KnowledgeBase

pytestmark = pytest.mark.chroma_server


def client(tmp_path, name: str, url: str) -> KnowledgeBase:
    settings = Settings(home=tmp_path / name, chroma_url=url, kb_lock_timeout=2)
    return KnowledgeBase(settings, embedder=HashingEmbedder())


def test_two_clients_share_the_collection_and_bm25_follows_the_generation(tmp_path, chroma_server, corpus):
    alice = client(tmp_path, "alice", chroma_server)
    bob = client(tmp_path, "bob", chroma_server)
    alice.add(corpus[:3])
    # Bob's local BM25 copy is built from the server on first use.
    assert bob.search("쌀값 하락 농민", k=1, mode="bm25")[0].canonical_url.endswith("/rice")
    assert len(bob.documents()) == 3

    alice.add(corpus[3:])
    changed = corpus[0].model_copy(
        update={"text": "서울시는 지하철 요금 인상 계획을 철회했다. 여론 악화가 이유다."}
    )
    alice.add([changed])
    # Bob sees Alice's later writes through the generation counter, in every mode.
    assert bob.search("반도체 수출 반등", k=1, mode="bm25")[0].canonical_url.endswith("/chip")
    assert bob.search("반도체 수출 반등", k=1, mode="hybrid")[0].canonical_url.endswith("/chip")
    subway = bob.search("지하철 요금 계획 철회", k=1, mode="bm25")[0]
    assert "철회" in subway.text
    assert len(bob.documents()) == len(corpus)

    assert bob.delete(outlet="바다신문") == 2
    assert {d.outlet for d in alice.documents()} == {"한빛일보", "누리경제"}
    assert alice.stats().location == chroma_server
    # Each client keeps its own BM25 copy under its own data dir.
    assert alice.lexical_path.parent.parent == tmp_path / "alice"
    alice.close()
    bob.close()


def test_server_mode_refuses_a_different_embedder(tmp_path, chroma_server, corpus):
    alice = client(tmp_path, "alice", chroma_server)
    alice.add(corpus[:1])
    other = KnowledgeBase(
        Settings(home=tmp_path / "carol", chroma_url=chroma_server), embedder=HashingEmbedder(dim=32)
    )
    with pytest.raises(NuriError, match="nuri kb reindex"):
        other.search("지하철")
    alice.close()
