"""The real embedders (e5 and USE) and the `nuri search` / `nuri kb` commands end to end."""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from cli.main import app
from config import Settings
from vectorstore import E5Embedder, KnowledgeBase, UseEmbedder
from vectorstore.chunking import chunk_article_text, embed_input

pytestmark = pytest.mark.real_embedder

# Paraphrased questions: they avoid the articles' own wording where they can.
QUESTIONS = {
    "subway": "서울에서 전철 탈 때 내는 돈이 얼마나 비싸지나요?",
    "baseball": "올해 야구 시즌은 언제 시작하고 팀마다 몇 번 경기하나?",
    "rice": "쌀 가격이 계속 내려가서 농부들이 무엇을 요구했나",
    "chip": "메모리 칩 해외 판매가 다시 늘어난 까닭은?",
    "dust": "공기가 나빠서 오래된 디젤 차량을 못 다니게 한 지역은?",
    "library": "주말에도 책을 빌릴 수 있게 된 곳은 어디인가",
}


@pytest.fixture(scope="module")
def e5() -> E5Embedder:
    return E5Embedder()


def test_e5_sides_and_token_limit(e5):
    query = e5.embed_query("지하철 요금 인상")
    passages = e5.embed_passages(["서울 지하철 기본요금이 150원 오른다.", "프로야구가 다음 주 개막한다."])
    assert query.shape == (384,) and passages.shape == (2, 384)
    assert np.allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-4)
    assert passages[0] @ query > passages[1] @ query
    body = " ".join(f"{i}번째 문장은 예산과 일정을 설명하며 숫자 {i * 13}을 담고 있다." for i in range(120))
    chunks = chunk_article_text("긴 기사 제목", body, e5.count_tokens, budget=512)
    assert len(chunks) > 2
    assert max(e5.count_tokens(embed_input("긴 기사 제목", c.text)) for c in chunks) <= 512
    # About one sentence of overlap between neighbours.
    assert all(chunks[i + 1].start < chunks[i].end for i in range(len(chunks) - 1))


def test_e5_knowledge_base_answers_paraphrased_questions(nuri_home, corpus, e5):
    kb = KnowledgeBase(Settings(home=nuri_home), embedder=e5)
    kb.add(corpus)
    for mode in ("hybrid", "dense"):
        right = sum(
            kb.search(q, k=1, mode=mode)[0].canonical_url.endswith(slug) for slug, q in QUESTIONS.items()
        )
        assert right >= 5, f"{mode}: {right}/6"
    kb.close()


def test_use_embedder_ranks_the_related_passage_first():
    use = UseEmbedder()
    query = use.embed_query("지하철 요금 인상")
    passages = use.embed_passages(["서울 지하철 기본요금이 150원 오른다.", "프로야구가 다음 주 개막한다."])
    assert passages.shape == (2, 512) and passages[0] @ query > passages[1] @ query
    assert use.count_tokens("지하철 요금") >= 3


def test_cli_kb_add_search_list_stats_delete(tmp_path, corpus):
    runner = CliRunner()
    jsonl = tmp_path / "articles.jsonl"
    jsonl.write_text("\n".join(a.to_json_line() for a in corpus) + "\n", encoding="utf-8")

    added = runner.invoke(app, ["kb", "add", str(jsonl)])
    assert added.exit_code == 0, added.output
    assert "새 기사 6건" in added.output

    found = runner.invoke(app, ["search", "메모리 반도체 수출이 늘어난 이유", "--k", "2", "--json"])
    assert found.exit_code == 0, found.output
    hits = json.loads(found.output)
    assert len(hits) == 2 and hits[0]["url"].startswith("https://news.example.kr/chip")
    assert {"url", "title", "outlet", "published", "score", "text", "citation"} <= set(hits[0])

    text = runner.invoke(app, ["search", "쌀값", "--outlet", "한빛일보", "--since", "2026-04-01"])
    assert text.exit_code == 0 and text.output.startswith("[1] 쌀값 두 달 연속 하락 (한빛일보, 2026-04-10)")

    listed = runner.invoke(app, ["kb", "list"])
    assert "기사 6건" in listed.output and "(청크 1)" in listed.output
    stats = json.loads(runner.invoke(app, ["kb", "stats", "--json"]).output)
    assert stats["documents"] == 6 and stats["embedder"] == "e5-small-q4"

    deleted = runner.invoke(app, ["kb", "delete", "--outlet", "바다신문"])
    assert deleted.exit_code == 0 and "2건을 지웠습니다" in deleted.output

    again = runner.invoke(app, ["kb", "add", str(jsonl)])
    assert "새 기사 2건" in again.output and "그대로 4건" in again.output


def test_cli_errors_are_one_korean_line(tmp_path):
    runner = CliRunner()
    broken = tmp_path / "broken.jsonl"
    broken.write_text(
        '{"url": "u", "canonical_url": "u", "title": "t", "text": "본문"}\n{not json\n', encoding="utf-8"
    )
    result = runner.invoke(app, ["kb", "add", str(broken)])
    assert result.exit_code == 2 and "2번째 줄이 기사 JSON이 아닙니다" in result.output
    # Nothing from the good first line was written either.
    assert "기사 0건" in runner.invoke(app, ["kb", "list"]).output
    emoji = runner.invoke(app, ["search", "😀😀"])
    assert emoji.exit_code == 2 and "글자가 없습니다" in emoji.output
    bad_date = runner.invoke(app, ["search", "지하철", "--since", "어제"])
    assert bad_date.exit_code == 2 and "날짜로 읽을 수 없습니다" in bad_date.output
    missing = runner.invoke(app, ["kb", "add", str(tmp_path / "nope.jsonl")])
    assert missing.exit_code == 2 and "없습니다" in missing.output
