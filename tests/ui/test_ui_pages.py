"""Every page through AppTest: the knowledge base (fake embedder), models, prompt lab, navigation."""

from __future__ import annotations

from tests.crawlers.conftest import fast_settings
from tests.ui.conftest import open_page
from ui.crawl_view import job_registry

KNOWLEDGE = "pages/knowledge.py"


def fill(at, label: str, value):
    next(w for w in [*at.text_input, *at.text_area] if w.label == label).set_value(value)
    return at


def press(at, label: str):
    return next(b for b in at.button if b.label == label).click().run()


def test_empty_knowledge_base_shows_a_korean_hint(ui_settings, empty_kb):
    at = open_page(KNOWLEDGE, ui_settings, knowledge_base=empty_kb)
    assert not at.exception
    assert at.title[0].value == "지식 베이스"
    assert any("지식 베이스가 비어 있습니다" in i.value and "예:" in i.value for i in at.info)
    assert at.metric[0].value == "0건"


def test_documents_table_and_hybrid_search_with_citations(ui_settings, filled_kb):
    at = open_page(KNOWLEDGE, ui_settings, knowledge_base=filled_kb)
    assert not at.exception
    assert at.metric[0].value == "6건"
    table = at.dataframe[0].value
    assert list(table.columns) == ["제목", "언론사", "날짜", "청크", "주소"] and len(table) == 6
    assert "서울 지하철 기본요금 150원 인상" in set(table["제목"])
    at = fill(at, "찾을 내용", "지하철 요금 인상")
    at = press(at, "검색")
    assert not at.exception
    links = [m.value for m in at.markdown if m.value.startswith("\\[1\\]")]
    assert links and "[서울 지하철 기본요금 150원 인상](https://news.example.kr/subway" in links[0]
    assert "한빛일보 · 2026-03-02" in links[0]
    assert any(c.value.startswith("점수 ") and "BM25" in c.value for c in at.caption)


def test_delete_asks_first_then_deletes(ui_settings, filled_kb):
    at = open_page(KNOWLEDGE, ui_settings, knowledge_base=filled_kb)
    first = at.selectbox[0].value
    at = press(at, "삭제")
    assert any("지울까요" in w.value for w in at.warning)
    assert len(filled_kb.documents()) == 6  # nothing deleted before the confirmation
    at = press(at, "취소")
    assert not any("지울까요" in w.value for w in at.warning) and len(filled_kb.documents()) == 6
    at = press(press(at, "삭제"), "정말 삭제")
    assert not at.exception
    assert len(filled_kb.documents()) == 5 and first not in {d.doc_id for d in filled_kb.documents()}
    assert any("1건을 지웠습니다" in s.value for s in at.success)


def test_the_crawl_form_does_not_start_the_same_crawl_twice(site, gate, nuri_home, empty_kb):
    settings = fast_settings(site, home=nuri_home, read_timeout=30.0, total_timeout=60.0)
    at = open_page(KNOWLEDGE, settings, knowledge_base=empty_kb)
    at = press(fill(at, "기사 주소 (한 줄에 하나)", site.url("/slow")), "수집 시작")
    assert not at.exception and not at.error
    (job_id,) = at.session_state["crawl_jobs"]
    assert "수집 중: 페이지 0/20" in at.get("progress")[0].proto.text
    at = press(at, "수집 시작")  # the same form again while the crawl runs
    assert at.error[0].value.startswith("이미 같은 수집이 진행 중입니다")
    assert at.session_state["crawl_jobs"] == [job_id]
    gate.set()
    assert job_registry().wait(job_id, 30).state == "done"
    at = at.run()  # the progress survives reruns and shows the end
    assert "수집 완료: 페이지 1/20 · 새 기사 1건" in at.get("progress")[0].proto.text
    assert at.metric[0].value == "1건" and len(at.dataframe[0].value) == 1


def test_a_crawl_that_fails_on_a_page_lists_it(site, nuri_home, empty_kb):
    at = open_page(KNOWLEDGE, fast_settings(site, home=nuri_home), knowledge_base=empty_kb)
    at = press(
        fill(at, "기사 주소 (한 줄에 하나)", f"{site.url('/a/2')}\n{site.url('/broken')}"), "수집 시작"
    )
    job_registry().wait(at.session_state["crawl_jobs"][-1], 30)
    at = at.run()
    assert not at.exception
    (failed,) = [e for e in at.expander if e.label.startswith("가져오지 못한 페이지")]
    assert failed.label == "가져오지 못한 페이지 1개" and site.url("/broken") in failed.text[0].value
    assert at.metric[0].value == "1건"
