"""Every page through AppTest: the knowledge base (fake embedder), models, prompt lab, navigation."""

from __future__ import annotations

import socket

import pytest

from agent.llm.modelfile import gotemplates
from config import Settings
from tests.crawlers.conftest import fast_settings
from tests.ollama.fake_ollama import FakeOllama
from tests.ollama.gguf_factory import family_gguf
from tests.ui.conftest import open_page
from ui.crawl_view import job_registry
from ui.generation import EXPLAIN

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


MODELS = "pages/models.py"


@pytest.fixture
def ollama():
    with FakeOllama() as server:
        server.add_model("nuri-llama3-ko", template=gotemplates.LLAMA3, context_length=8192)
        yield server


def test_models_page_shows_doctor_ollama_models_and_parameter_help(ollama, nuri_home):
    settings = Settings(home=nuri_home, ollama_host=ollama.url, model="nuri-llama3-ko", provider="ollama")
    at = open_page(MODELS, settings)
    assert not at.exception
    header = at.table[0].value
    assert list(header["항목"]) == ["백엔드", "모델", "컨텍스트 길이", "데이터 폴더"]
    assert header["값"].iloc[0].startswith("ollama")
    assert any(t.value.startswith("✓ Ollama: ") for t in at.text)
    models = at.dataframe[0].value
    assert list(models["이름"]) == ["nuri-llama3-ko:latest"] and list(models["양자화"]) == ["Q4_K_M"]
    assert list(models["컨텍스트"]) == ["8,192"]
    captions = " ".join(c.value for c in at.caption)
    for name in ("temperature", "top_k", "top_p", "num_ctx", "num_predict", "gpu_layers"):
        assert EXPLAIN[name] in captions


def test_ollama_down_is_one_korean_hint(nuri_home):
    with socket.socket() as sock:  # a loopback port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings = Settings(home=nuri_home, ollama_host=f"http://127.0.0.1:{port}")
    at = open_page(MODELS, settings)
    assert not at.exception
    assert any("Ollama" in i.value and "내장 모델" in i.value for i in at.info)


def test_create_a_model_from_a_gguf_with_an_edited_modelfile(ollama, nuri_home, tmp_path):
    settings = Settings(home=nuri_home, ollama_host=ollama.url)
    gguf = family_gguf(tmp_path, "llama3")
    at = open_page(MODELS, settings)
    at = press(fill(fill(at, "GGUF 파일 경로", str(gguf)), "만들 모델 이름", "my-ko"), "Modelfile 만들기")
    (area,) = [a for a in at.text_area if a.label.startswith("Modelfile")]
    assert f"FROM {gguf.resolve()}" in area.value and "PARAMETER num_ctx 8192" in area.value
    area.set_value(area.value.replace("PARAMETER num_ctx 8192", "PARAMETER num_ctx 4096"))
    at = press(at, "Ollama에 만들기")
    assert not at.exception and not at.error
    body = ollama.sent("/api/create")[0].json
    assert body["model"] == "my-ko" and body["parameters"]["num_ctx"] == 4096
    assert body["template"] == gotemplates.LLAMA3
    (area,) = [a for a in at.text_area if a.label.startswith("Modelfile")]
    area.set_value(area.value.replace(f"FROM {gguf.resolve()}", "FROM /etc/passwd"))
    at = press(at, "Ollama에 만들기")
    assert at.error[0].value.startswith("FROM 줄은 바꿀 수 없습니다")


def test_generation_settings_apply_to_this_session_only(nuri_home):
    at = open_page(MODELS, Settings(home=nuri_home, ollama_host="http://127.0.0.1:9"))
    next(n for n in at.number_input if n.label == "num_predict").set_value(256)
    at = press(at, "이 창에 적용")
    assert not at.error and at.session_state["settings"].num_predict == 256
    assert Settings().num_predict == 1024  # the environment's settings are untouched
    fill(at, "gpu_layers", "많이")
    at = press(at, "이 창에 적용")
    assert at.error[0].value.startswith("gpu_layers '많이'은(는) 정수여야 합니다")
