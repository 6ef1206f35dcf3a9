"""The SQLite FTS5 side on its own: ranking, filters, and leaving out terms too common to rank."""

from __future__ import annotations

from vectorstore.lexical import DocRow, LexicalIndex


def doc(doc_id: str, outlet: str) -> DocRow:
    return DocRow(
        doc_id, "v1", f"https://e.kr/{doc_id}", f"https://e.kr/{doc_id}", doc_id, outlet, None, None, None, 1
    )


def test_terms_in_more_than_half_of_the_chunks_do_not_change_the_ranking(tmp_path):
    index = LexicalIndex(tmp_path / "lex.sqlite")
    texts = {
        "a": "대책 지하철 요금 인상",
        "b": "대책 지하철 노선",
        "c": "대책 쌀값 하락",
        "d": "대책 반도체 수출",
        "e": "대책 야구 개막",
    }
    with index.transaction() as db:
        for doc_id, tokens in texts.items():
            index.replace_doc(
                db, doc(doc_id, "한빛일보" if doc_id in "ab" else "바다신문"), [(doc_id, 0, tokens)]
            )
    assert index.informative(["대책", "지하철", "요금"]) == ["지하철", "요금"]
    assert index.informative(["대책"]) == ["대책"]
    with_common = index.search(["대책", "지하철", "요금"], limit=5)
    without = index.search(["지하철", "요금"], limit=5)
    assert [c for c, _ in with_common] == [c for c, _ in without] == ["a", "b"]
    assert index.search(["지하철"], limit=5, outlets=["바다신문"]) == []
    assert [c for c, _ in index.search(["쌀값", "야구"], limit=5, chunk_ids=["c"])] == ["c"]
    index.close()
