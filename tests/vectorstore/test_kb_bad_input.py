"""Bad input: each case gets one clear Korean message and leaves nothing half-written."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from config import NuriError, Settings
from crawlers.article import Article
from vectorstore import HashingEmbedder, KnowledgeBase

ROOT = Path(__file__).resolve().parents[2]


def test_empty_whitespace_and_symbol_only_articles_are_rejected(kb, corpus):
    bad = [
        Article(url="https://e.kr/empty", canonical_url="https://e.kr/empty", title="", text=""),
        Article(url="https://e.kr/blank", canonical_url="https://e.kr/blank", title="제목", text=" \n\n \t "),
        Article(
            url="https://e.kr/emoji", canonical_url="https://e.kr/emoji", title="제목", text="😀🎉 !!! ..."
        ),
    ]
    report = kb.add(bad + corpus[:1])
    reasons = {r.url: r.reason for r in report.rejected}
    assert (
        "비어 있습니다" in reasons["https://e.kr/empty"] and "비어 있습니다" in reasons["https://e.kr/blank"]
    )
    assert "글자가 없습니다" in reasons["https://e.kr/emoji"]
    assert report.added == [corpus[0].canonical_url]
    assert [d.canonical_url for d in kb.documents()] == [corpus[0].canonical_url]


def test_a_5_mb_article_is_rejected_whole(kb, corpus):
    huge_text = "가나다라마바사 아자차카타파하. " * 125_000
    huge = corpus[0].model_copy(
        update={"text": huge_text, "canonical_url": "https://e.kr/huge", "url": "https://e.kr/huge"}
    )
    assert len(huge.text.encode("utf-8")) >= 5 * 1024 * 1024
    report = kb.add([huge])
    assert report.rejected[0].url == "https://e.kr/huge"
    assert (
        "너무 깁니다" in report.rejected[0].reason
        and "NURI_KB_MAX_ARTICLE_CHARS" in report.rejected[0].reason
    )
    assert kb.documents() == [] and kb.stats().chunks == 0


def test_long_article_under_the_limit_is_chunked_within_the_token_budget(settings, corpus):
    embedder = HashingEmbedder()
    kb = KnowledgeBase(settings.model_copy(update={"chunk_tokens": 64}), embedder=embedder)
    body = " ".join(
        f"{i}번째 문장은 긴 기사 안에서 예산과 일정과 장소를 차례로 설명한다." for i in range(400)
    )
    long = corpus[1].model_copy(update={"text": body})
    report = kb.add([long])
    assert report.chunks > 20
    hits = kb.search("예산 일정 장소", k=1000, group_by_article=False, mode="bm25")
    assert len(hits) == report.chunks
    for hit in hits:
        assert embedder.count_tokens(f"{long.title}\n{hit.text}") <= 64
        assert body[hit.char_start : hit.char_end] == hit.text
    kb.close()


def test_non_korean_text_is_stored_and_found(kb, corpus):
    english = Article(
        url="https://e.kr/en",
        canonical_url="https://e.kr/en",
        title="Port of Busan sets a container record",
        text="The port of Busan handled a record number of containers last year, officials said.",
        outlet="Harbor Times",
    )
    report = kb.add(corpus + [english])
    assert english.canonical_url in report.added
    for mode in ("hybrid", "bm25", "dense"):
        assert kb.search("Busan container record", k=1, mode=mode)[0].canonical_url == "https://e.kr/en"


@pytest.mark.parametrize("query", ["", "   ", "😀🎉", "!!! ???"])
def test_a_query_without_letters_is_refused(kb, corpus, query):
    kb.add(corpus[:2])
    with pytest.raises(NuriError, match="글자가 없습니다"):
        kb.search(query)


@pytest.mark.parametrize("query", ["그리고 그런데 또한", "이 그 저 것", "the of and"])
def test_a_query_of_only_stopwords_is_refused(kb, corpus, query):
    kb.add(corpus[:2])
    with pytest.raises(NuriError, match="찾을 만한 낱말이 없습니다"):
        kb.search(query, mode="hybrid")


def test_unknown_mode_and_bad_collection_name(kb, corpus, settings):
    kb.add(corpus[:1])
    with pytest.raises(NuriError, match="검색 방식"):
        kb.search("지하철", mode="fuzzy")
    bad = KnowledgeBase(settings.model_copy(update={"collection": "뉴스"}), embedder=HashingEmbedder())
    with pytest.raises(NuriError, match="NURI_COLLECTION"):
        bad.add(corpus[:1])


def test_unreachable_chroma_server(settings, corpus):
    kb = KnowledgeBase(
        settings.model_copy(update={"chroma_url": "http://127.0.0.1:9"}), embedder=HashingEmbedder()
    )
    with pytest.raises(NuriError, match="Chroma 서버\\(http://127.0.0.1:9\\)에 연결할 수 없습니다"):
        kb.add(corpus[:1])
    with pytest.raises(NuriError, match="NURI_CHROMA_URL"):
        kb.search("지하철")
    assert not (settings.home / "kb").exists() or not any((settings.home / "kb").glob("*.sqlite"))


def test_mixing_embedders_is_refused_and_reindex_rebuilds(kb, corpus, settings):
    kb.add(corpus)
    kb.close()
    other = KnowledgeBase(settings, embedder=HashingEmbedder(dim=64))
    with pytest.raises(NuriError, match="'hashing-128' 임베딩으로 만들어졌는데 지금 설정은 'hashing-64'"):
        other.search("지하철 요금")
    report = other.reindex()
    assert len(report.replaced) == len(corpus) and not report.rejected
    assert other.search("지하철 기본요금 인상", k=1)[0].canonical_url.endswith("/subway")
    assert other.stats().embedder == "hashing-64" and len(other.documents()) == len(corpus)
    other.close()


def _unshare_works() -> bool:
    if not shutil.which("unshare") or os.geteuid() != 0:
        return False
    probe = subprocess.run(["unshare", "-m", "true"], capture_output=True)
    return probe.returncode == 0


@pytest.mark.skipif(not _unshare_works(), reason="needs root and unshare for a read-only bind mount")
def test_read_only_data_dir_gives_a_clear_message_and_writes_nothing():
    # Root ignores file permissions, so the data dir is made read-only with a bind mount in a private
    # mount namespace: the same EROFS a read-only disk gives.
    base = Path(tempfile.mkdtemp(prefix="nuri-ro-"))
    home = base / "home"
    home.mkdir()
    script = ROOT / "tests" / "vectorstore" / "kb_worker.py"
    env = {**os.environ, "NURI_HOME": str(home), "PYTHONPATH": str(ROOT)}
    command = f'mount --bind -o ro "{home}" "{home}" && exec "{sys.executable}" "{script}" add-one 1 1.0'
    try:
        result = subprocess.run(
            ["unshare", "-m", "sh", "-c", command], env=env, capture_output=True, text=True, timeout=120
        )
        assert result.returncode == 2, result.stderr
        assert "쓸 수 없습니다" in result.stderr and "NURI_HOME" in result.stderr
        assert "Traceback" not in result.stderr
        assert list(home.iterdir()) == []
    finally:
        shutil.rmtree(base, ignore_errors=True)


def test_reindex_with_the_same_embedder_keeps_everything(kb, corpus):
    kb.add(corpus)
    before = {d.canonical_url: d.chunks for d in kb.documents()}
    kb.reindex()
    assert {d.canonical_url: d.chunks for d in kb.documents()} == before
    assert kb.stats().chunks == sum(before.values())


def test_interrupted_reindex_is_reported_until_run_again(kb, corpus, settings):
    kb.add(corpus[:2])
    kb._store.set_reindex_pending(True)
    fresh = KnowledgeBase(settings, embedder=HashingEmbedder())
    with pytest.raises(NuriError, match="nuri kb reindex"):
        fresh.search("지하철")
    fresh.reindex()
    assert len(fresh.search("지하철 요금", k=5)) == 2
    fresh.close()


def test_settings_reject_bad_values():
    with pytest.raises(ValueError):
        Settings(kb_dense_weight=1.5)
