"""KnowledgeBase on the deterministic fake embedder: ingestion, search, filters, delete, listing."""

from __future__ import annotations

from datetime import date

import pytest

from config import NuriError
from vectorstore import SearchFilters


def test_add_then_unchanged_then_replaced(kb, corpus):
    report = kb.add(corpus)
    assert sorted(report.added) == sorted(a.canonical_url for a in corpus)
    assert report.chunks >= len(corpus) and not report.rejected
    chunks_before = kb.stats().chunks

    again = kb.add(corpus)
    assert again.added == [] and again.chunks == 0
    assert sorted(again.unchanged) == sorted(a.canonical_url for a in corpus)
    assert kb.stats().chunks == chunks_before

    changed = corpus[0].model_copy(
        update={"text": corpus[0].text + "\n\n정정: 인상 시기는 두 달 뒤로 미뤄졌다."}
    )
    replaced = kb.add([changed])
    assert replaced.replaced == [changed.canonical_url]
    hits = kb.search(
        "인상 시기 연기", k=1, filters=SearchFilters(url=changed.canonical_url), group_by_article=False
    )
    assert "미뤄졌다" in kb_text(kb, changed.canonical_url)
    assert hits and hits[0].canonical_url == changed.canonical_url
    # The old version's chunks are gone, not merely hidden.
    assert kb.stats().chunks == sum(d.chunks for d in kb.documents())


def kb_text(kb, url):
    return " ".join(
        h.text
        for h in kb.search("요금", k=20, filters=SearchFilters(url=url), group_by_article=False, mode="dense")
    )


def test_search_finds_the_right_article_in_every_mode(kb, corpus):
    kb.add(corpus)
    for mode in ("hybrid", "dense", "bm25"):
        hits = kb.search("지하철 기본요금 인상", k=3, mode=mode)
        assert hits[0].canonical_url == "https://news.example.kr/subway", mode
    top = kb.search("반도체 수출 반등", k=2)[0]
    assert top.title == "반도체 수출 석 달 만에 반등"
    assert top.outlet == "누리경제" and top.published.date() == date(2026, 4, 15)
    assert top.citation == "반도체 수출 석 달 만에 반등 (누리경제, 2026-04-15) https://news.example.kr/chip"
    assert top.cite(1).startswith("[1] 반도체 수출")
    assert top.dense_score is not None and top.bm25_score > 0
    assert top.text in next(a.text for a in corpus if a.canonical_url.endswith("chip"))


def test_results_are_grouped_per_article_unless_asked(kb, corpus):
    long_body = "\n\n".join(
        f"미세먼지 저감 대책 {i}번째 문단은 경유차 운행 제한과 공장 가동 조정을 다룬다." for i in range(40)
    )
    kb.add([corpus[4].model_copy(update={"text": long_body})] + corpus[:4])
    grouped = kb.search("미세먼지 경유차 운행 제한", k=3)
    assert len({h.doc_id for h in grouped}) == len(grouped) == 3
    flat = kb.search("미세먼지 경유차 운행 제한", k=3, group_by_article=False)
    assert len({h.doc_id for h in flat}) == 1 and len(flat) == 3
    assert [h.score for h in flat] == sorted((h.score for h in flat), reverse=True)


def test_filters_by_outlet_date_and_url(kb, corpus):
    kb.add(corpus)
    outlet_hits = kb.search("요금 인상", k=10, filters=SearchFilters(outlets=["바다신문"]))
    assert outlet_hits and {h.outlet for h in outlet_hits} == {"바다신문"}
    dated = kb.search("수출", k=10, filters=SearchFilters(since=date(2026, 4, 1), until=date(2026, 4, 30)))
    assert {h.canonical_url.rsplit("/", 1)[1] for h in dated} == {"rice", "chip"}
    for mode in ("dense", "bm25"):
        only = kb.search(
            "야구", k=10, mode=mode, filters=SearchFilters(url="https://news.example.kr/library")
        )
        assert {h.canonical_url for h in only} <= {"https://news.example.kr/library"}
    with pytest.raises(NuriError, match="시작이 끝보다"):
        kb.search("야구", filters=SearchFilters(since=date(2026, 5, 1), until=date(2026, 4, 1)))


def test_delete_by_url_outlet_and_dates(kb, corpus):
    kb.add(corpus)
    assert kb.delete(url="https://news.example.kr/subway?utm_source=test") == 1
    assert kb.delete(outlet="바다신문") == 2
    assert kb.delete(since=date(2026, 5, 1)) == 1
    left = {d.canonical_url.rsplit("/", 1)[1] for d in kb.documents()}
    assert left == {"rice", "chip"}
    assert kb.stats().chunks == sum(d.chunks for d in kb.documents())
    assert all(h.canonical_url.rsplit("/", 1)[1] in left for h in kb.search("지하철 야구 미세먼지", k=10))
    with pytest.raises(NuriError, match="조건이 없습니다"):
        kb.delete()


def test_documents_and_stats(kb, corpus):
    kb.add(corpus)
    docs = kb.documents()
    assert len(docs) == 6 and all(d.chunks >= 1 for d in docs)
    assert [d.published for d in docs] == sorted((d.published for d in docs), reverse=True)
    stats = kb.stats()
    assert stats.documents == 6 and stats.outlets == {"한빛일보": 2, "바다신문": 2, "누리경제": 2}
    assert stats.oldest.date() == date(2026, 2, 11) and stats.newest.date() == date(2026, 5, 5)
    assert stats.embedder == "hashing-128" and stats.chunks == sum(d.chunks for d in docs)


def test_recency_weighting_prefers_newer_articles(settings, corpus, make_article):
    from vectorstore import HashingEmbedder, KnowledgeBase

    twins = [
        make_article("old", "한빛일보", "2020-01-01", "시내버스 노선 개편", "시내버스 노선이 전면 개편된다."),
        make_article("new", "한빛일보", "2026-01-01", "시내버스 노선 개편", "시내버스 노선이 전면 개편된다."),
    ]
    plain = KnowledgeBase(settings, embedder=HashingEmbedder())
    plain.add(twins)
    plain.close()
    recent = KnowledgeBase(
        settings.model_copy(update={"kb_recency_half_life_days": 30.0}), embedder=HashingEmbedder()
    )
    hits = recent.search("시내버스 노선 개편", k=2)
    assert [h.canonical_url.rsplit("/", 1)[1] for h in hits] == ["new", "old"]
    assert hits[0].score > hits[1].score


def test_hybrid_weight_is_the_embedders_unless_set(settings):
    from config import Settings
    from vectorstore import HashingEmbedder, KnowledgeBase

    class Tuned(HashingEmbedder):
        dense_weight = 0.4

    assert KnowledgeBase(settings, embedder=Tuned()).dense_weight == 0.4
    assert KnowledgeBase(settings, embedder=HashingEmbedder()).dense_weight == 0.7
    explicit = Settings(home=settings.home, kb_dense_weight=0.9)
    assert KnowledgeBase(explicit, embedder=Tuned()).dense_weight == 0.9
