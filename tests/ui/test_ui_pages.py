"""Every page through AppTest: the knowledge base (fake embedder), models, prompt lab, navigation."""

from __future__ import annotations

import socket

import pytest
from streamlit.testing.v1 import AppTest

from agent.llm.modelfile import gotemplates
from agent.presets import PresetStore
from config import Settings
from tests.crawlers.conftest import fast_settings
from tests.fakes import ai, fake_handle
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


LAB = "pages/prompt_lab.py"


def test_prompt_lab_saves_a_preset_and_refuses_an_invalid_one(nuri_home):
    settings = Settings(home=nuri_home)
    at = open_page(LAB, settings, chat_handle=fake_handle(ai("x")))
    assert not at.exception
    fill(at, "ID (영문 소문자·숫자·하이픈)", "short-helper")
    fill(at, "이름", "짧은 도우미")
    fill(at, "시스템 프롬프트", "{user_name}님께 한 문장으로 답하세요. 오늘은 {today}입니다.")
    at = press(at, "저장")
    assert not at.error and any("짧은 도우미 (short-helper)" in s.value for s in at.success)
    assert PresetStore(settings).get("short-helper").variables == ("user_name", "today")
    fill(at, "ID (영문 소문자·숫자·하이픈)", "잘못된 ID")
    at = press(at, "저장")
    assert at.error[0].value.startswith("프리셋 ID '잘못된 ID'은(는) 쓸 수 없습니다")


def test_prompt_lab_runs_one_question_with_two_presets_side_by_side(nuri_home):
    handle = fake_handle(ai("공손한 답입니다."), ai("짧은 답."))
    at = open_page(LAB, Settings(home=nuri_home), chat_handle=handle)
    picker = at.multiselect[0]
    at = picker.set_value(["default", "concise"]).run()
    fill(at, "질문", "누리는 뭐야?")
    at = press(at, "실행")
    assert not at.exception and not at.error
    shown = [m.value for m in at.markdown]
    assert "공손한 답입니다." in shown and "짧은 답." in shown
    stats = [c.value for c in at.caption if "토큰/초" in c.value]
    assert len(stats) == 2 and all("입력 " in s and "초" in s for s in stats)
    first_system = handle.model.calls[0]["messages"][0].content
    second_system = handle.model.calls[1]["messages"][0].content
    assert first_system != second_system  # each preset answered with its own system prompt


def test_broken_preset_file_is_named_not_fatal(nuri_home):
    (nuri_home / "prompts").mkdir(parents=True)
    (nuri_home / "prompts" / "broken.toml").write_text(
        'name = "깨짐"\ntext = """{없는변수}"""\n', encoding="utf-8"
    )
    at = open_page(LAB, Settings(home=nuri_home), chat_handle=fake_handle(ai("x")))
    assert not at.exception
    assert any("broken" in w.value and "건너뜁니다" in w.value for w in at.warning)


def test_navigation_lists_every_page_and_a_broken_compare_page_is_a_notice(nuri_home):
    from ui.page import PAGE_SPECS, PAGES

    assert [spec[1] for spec in PAGE_SPECS] == ["채팅", "프롬프트 실험실", "모델 비교", "지식 베이스", "모델"]
    assert all((PAGES / target).is_file() for target, *_ in PAGE_SPECS if isinstance(target, str))
    lab = AppTest.from_function(_compare_app, default_timeout=30)
    lab.session_state["settings"] = Settings(home=nuri_home)
    lab.run()
    assert not lab.exception and lab.title[0].value == "모델 비교"
    assert lab.info[0].value.startswith("모델 비교 페이지를 지금은 불러올 수 없습니다")


def _compare_app():
    import importlib

    real = importlib.import_module

    def broken(name, *args):
        if name == "ui.pages.compare":
            raise SyntaxError("half-written")
        return real(name, *args)

    importlib.import_module = broken
    try:
        from ui.page import compare_page

        compare_page()
    finally:
        importlib.import_module = real


def test_the_shared_knowledge_base_is_opened_once_for_the_data_dir(ui_settings, monkeypatch):
    import vectorstore
    from vectorstore import HashingEmbedder, KnowledgeBase

    opened = []

    def open_kb(settings):
        opened.append(settings.home)
        return KnowledgeBase(settings, embedder=HashingEmbedder())

    monkeypatch.setattr(vectorstore, "KnowledgeBase", open_kb)
    at = open_page(KNOWLEDGE, ui_settings)
    at = at.run()
    assert not at.exception and at.metric[0].value == "0건"
    assert opened == [ui_settings.home]  # one instance, kept by st.cache_resource across reruns
