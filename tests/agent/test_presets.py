"""Prompt presets: rendering, variables, the store (shipped + user files), atomic saves, restarts."""

from __future__ import annotations

import os
import tomllib
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from agent.presets import (
    STANDARD_VARIABLES,
    Preset,
    PresetStore,
    render_active,
    render_system_text,
    standard_values,
)
from agent.presets.model import preset_from_toml
from agent.presets.tomlfile import preset_to_toml
from agent.presets.variables import kb_stats_of
from config import NuriError, Settings
from crawlers.article import Article
from tools import clock
from tools.clock import KST

MARCH_1 = datetime(2026, 3, 1, 9, 0, tzinfo=KST)
SHIPPED = {"default": "기본 비서", "news-analyst": "뉴스 분석가", "concise": "간결한 요약가",
           "formal": "격식체", "casual": "반말"}  # fmt: skip


@pytest.fixture
def settings(nuri_home) -> Settings:
    return Settings(home=nuri_home)


@pytest.fixture
def store(settings) -> PresetStore:
    return PresetStore(settings)


def user_file(store: PresetStore, preset_id: str, content: str):
    store.user_dir.mkdir(parents=True, exist_ok=True)
    path = store.user_dir / f"{preset_id}.toml"
    path.write_text(content, encoding="utf-8")
    return path


# --- rendering -------------------------------------------------------------------------------------


def test_render_fills_variables_and_unescapes_doubled_braces():
    preset = Preset("demo", "데모", "{user_name}님, 오늘은 {today}. JSON 예: {{\"a\": 1}} {today}",
                    variables=("today", "user_name"))  # fmt: skip
    text = preset.render({"today": "3월 1일", "user_name": "민지"})
    assert text == '민지님, 오늘은 3월 1일. JSON 예: {"a": 1} 3월 1일'


def test_a_value_with_braces_is_inserted_as_is_never_rendered_again():
    preset = Preset("demo", "데모", "이름: {user_name}", variables=("user_name",))
    assert preset.render({"user_name": "{today} {{x}}"}) == "이름: {today} {{x}}"


def test_missing_variable_names_the_variable_and_the_preset():
    preset = Preset("greeter", "인사꾼", "{user_name}님 안녕하세요", variables=("user_name",))
    with pytest.raises(NuriError) as caught:
        preset.render({"today": "3월 1일"})
    assert "{user_name}" in str(caught.value) and "인사꾼 (greeter)" in str(caught.value)


def test_defaults_fill_the_presets_own_variables_and_caller_values_win():
    preset = Preset("topic", "주제", "주제는 {topic}", variables=("topic",), defaults={"topic": "경제"})
    assert preset.render({}) == "주제는 경제"
    assert preset.render({"topic": "스포츠"}) == "주제는 스포츠"


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("오늘은 {today}, 주제 {topic}", "{topic}"),  # used but not declared
        ("닫히지 않은 {today", "중괄호"),
        ("속성 {today.__class__}", "변수 이름이 아닙니다"),
        ("형식 {today:>10}", "변수 이름이 아닙니다"),
        ("변환 {today!r}", "변수 이름이 아닙니다"),
        ("색인 {today[0]}", "변수 이름이 아닙니다"),
    ],
)
def test_bad_placeholders_are_reported_when_the_file_is_loaded(text, complaint, store):
    path = user_file(store, "bad", f'name = "나쁜 예"\nvariables = ["today"]\ntext = """{text}"""\n')
    with pytest.raises(NuriError) as caught:
        preset_from_toml(path.read_text(encoding="utf-8"), "bad", source="user", path=path)
    assert complaint in str(caught.value) and str(path) in str(caught.value)


def test_unknown_keys_and_wrong_types_are_reported(store):
    with pytest.raises(NuriError, match="알 수 없는 항목 txt"):
        preset_from_toml('name = "a"\ntxt = "b"', "x", source="user")
    with pytest.raises(NuriError, match="variables는 문자열 목록"):
        preset_from_toml('name = "a"\ntext = "b"\nvariables = "today"', "x", source="user")
    with pytest.raises(NuriError, match="이름\\(name\\)이 없습니다"):
        preset_from_toml('text = "b"', "x", source="user")


# --- shipped presets -----------------------------------------------------------------------------------


def test_shipped_presets_load_in_order_and_each_renders_today(store, settings):
    presets = store.list()
    assert {p.id: p.name for p in presets} == SHIPPED and [p.id for p in presets] == list(SHIPPED)
    values = standard_values(settings, now=MARCH_1, kb_stats="지식 베이스: 기사 3건")
    for preset in presets:
        assert preset.source == "shipped" and "today" in preset.variables
        assert set(preset.variables) <= set(STANDARD_VARIABLES)
        assert "2026년 3월 1일 일요일" in render_system_text(preset, values)


def test_the_default_preset_is_the_agents_measured_base_prompt(store, settings):
    from agent.prompts import system_prompt

    rendered = render_system_text(store.get("default"), standard_values(settings, now=MARCH_1))
    assert system_prompt(MARCH_1).startswith(rendered + "\n- ")


def test_shipped_personas_say_what_they_promise(store, settings):
    values = standard_values(
        settings.model_copy(update={"user_name": "민지"}), now=MARCH_1, kb_stats="KB 요약"
    )
    text = {p.id: render_system_text(p, values) for p in store.list()}
    assert (
        "[1]" in text["news-analyst"] and "사실" in text["news-analyst"] and "KB 요약" in text["news-analyst"]
    )
    assert "세 문장" in text["concise"]
    assert "합쇼체" in text["formal"] and "민지님" in text["formal"]
    assert "반말" in text["casual"] and text["casual"].startswith("너는")


# --- the store -------------------------------------------------------------------------------------------


def test_unknown_preset_names_it_and_lists_the_available_ones(store):
    with pytest.raises(NuriError) as caught:
        store.get("해적")
    message = str(caught.value)
    assert "'해적'" in message
    assert all(f"({preset_id})" in message for preset_id in SHIPPED)


def test_get_accepts_the_korean_name_with_or_without_spaces(store):
    assert store.get("뉴스 분석가").id == "news-analyst"
    assert store.get("간결한요약가").id == "concise"


def test_a_saved_user_preset_survives_a_restart(settings, store):
    preset = Preset("my-helper", "내 비서", "{user_name}님의 비서입니다. 오늘은 {today}.",
                    description="나만의 비서", variables=("user_name", "today"), defaults={"mood": "밝게"})  # fmt: skip
    path = store.save(preset)
    assert path == settings.home / "prompts" / "my-helper.toml"
    again = PresetStore(Settings(home=settings.home)).get("my-helper")  # a new process would do the same
    assert (again.name, again.description, again.text, again.variables, dict(again.defaults)) == (
        "내 비서", "나만의 비서", preset.text, ("user_name", "today"), {"mood": "밝게"}
    )  # fmt: skip
    assert again.source == "user" and [p.id for p in PresetStore(settings).list()][-1] == "my-helper"


def test_a_broken_user_file_is_skipped_with_a_warning_and_named_on_use(store, caplog):
    path = user_file(store, "broken", 'name = "깨진"\ntext = """끝나지 않음\n')
    user_file(store, "fine", 'name = "멀쩡한"\ntext = "좋아요"\n')
    presets = store.list()
    assert [p.id for p in presets][-1] == "fine" and "broken" not in [p.id for p in presets]
    assert "broken" in store.problems and any(str(path) in r.getMessage() for r in caplog.records)
    with pytest.raises(NuriError) as caught:
        store.get("broken")
    assert str(path) in str(caught.value) and "TOML" in str(caught.value)


def test_unreadable_and_badly_named_user_files_do_not_stop_the_list(store):
    user_file(store, "latin1", "x").write_bytes('name = "가"\ntext = "나"\n'.encode("cp949"))
    user_file(store, "My Preset", 'name = "가"\ntext = "나"\n')
    assert [p.id for p in store.list()] == list(SHIPPED)
    assert set(store.problems) == {"latin1", "My Preset"}


def test_shipped_presets_cannot_be_deleted(store):
    with pytest.raises(NuriError, match="기본 제공 프리셋이라 지울 수 없습니다"):
        store.delete("formal")
    assert store.get("formal").source == "shipped"


def test_saving_over_a_shipped_id_needs_an_explicit_user_copy(store):
    copy = Preset("formal", "격식체", "아주 격식 있게. 오늘은 {today}.", variables=("today",))
    with pytest.raises(NuriError, match="기본 제공 프리셋\\(격식체\\)이라 덮어쓰지 않았습니다"):
        store.save(copy)
    assert not store.path_for("formal").exists()
    store.save(copy, override_shipped=True)
    got = store.get("formal")
    assert got.text == copy.text and got.overrides_shipped and got.source == "user"
    store.save(copy)  # the user copy exists now: saving it again is fine
    assert store.delete("formal").overrides_shipped
    assert store.get("formal").source == "shipped"


def test_new_does_not_overwrite_and_names_are_unique(store):
    store.save(Preset("mine", "내 것", "하나"))
    with pytest.raises(NuriError, match="이미 있습니다"):
        store.save(Preset("mine", "내 것", "둘"), overwrite=False)
    with pytest.raises(NuriError, match="반말 \\(casual\\)"):
        store.save(Preset("other", "반 말", "셋"))
    assert store.get("mine").text == "하나"


def test_a_broken_user_file_can_be_deleted_by_its_id(store):
    path = user_file(store, "default", "name = ")
    assert store.get("default").source == "shipped"  # the app goes on with the shipped one
    assert store.delete("default") is None and not path.exists()


@pytest.mark.parametrize("failure", ["fsync", "replace"])
def test_a_failed_save_leaves_the_old_file_whole(store, monkeypatch, failure):
    store.save(Preset("mine", "내 것", "원래 본문"))
    before = store.path_for("mine").read_bytes()

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, failure, broken)
    with pytest.raises(NuriError, match="기존 파일은 그대로입니다"):
        store.save(Preset("mine", "내 것", "새 본문" * 1000))
    monkeypatch.undo()
    assert store.path_for("mine").read_bytes() == before
    assert sorted(p.name for p in store.user_dir.iterdir()) == ["mine.toml"]  # no temp file left


def test_an_interrupted_save_leaves_the_old_file_and_no_temp(store, monkeypatch):
    store.save(Preset("mine", "내 것", "원래 본문"))

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        store.save(Preset("mine", "내 것", "새 본문"))
    monkeypatch.undo()
    assert store.get("mine").text == "원래 본문"
    assert [p.name for p in store.user_dir.iterdir()] == ["mine.toml"]


_TEXTS = st.text(min_size=1, max_size=200).map(lambda t: t.replace("{", "{{").replace("}", "}}"))


@hsettings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.text(min_size=1, max_size=30), description=st.text(max_size=60), text=_TEXTS)
def test_any_text_round_trips_through_the_file(store, name, description, text):
    if not name.strip() or not text.strip():
        return
    preset = Preset("round-trip", name, text, description=description)
    back = tomllib.loads(preset_to_toml(preset))
    assert back["text"].strip() == text.strip() and back["name"] == name
    store.save(preset)
    loaded = PresetStore(store.settings).get("round-trip")
    assert (loaded.name, loaded.description, loaded.text) == (name.strip(), description.strip(), text.strip())


# --- standard values -------------------------------------------------------------------------------


def test_standard_values_today_follows_the_clock_and_user_name_the_settings(monkeypatch, nuri_home):
    monkeypatch.setattr(clock, "now_kst", lambda: datetime(2026, 11, 24, 23, 30, tzinfo=KST))
    values = standard_values(Settings(home=nuri_home, user_name="지훈"))
    assert values["today"] == "2026년 11월 24일 화요일" and values["user_name"] == "지훈"
    assert Settings(home=nuri_home).user_name == "사용자"


def test_kb_stats_is_computed_only_when_a_preset_uses_it_and_only_once(store, settings):
    calls = []

    def stats():
        calls.append(1)
        return SimpleNamespace(documents=2, outlets={"가": 1, "나": 1}, newest=MARCH_1)

    values = standard_values(settings, now=MARCH_1, kb_stats=stats)
    render_system_text(store.get("formal"), values)
    assert calls == []
    text = render_system_text(store.get("news-analyst"), values)
    render_system_text(store.get("news-analyst"), values)
    assert calls == [1] and "지식 베이스: 기사 2건, 언론사 2곳, 최신 기사 2026년 3월 1일 일요일" in text


def test_kb_stats_of_summarizes_a_real_knowledge_base(settings, monkeypatch):
    import tools.context
    from vectorstore import HashingEmbedder, KnowledgeBase

    kb = KnowledgeBase(settings, embedder=HashingEmbedder())
    try:
        kb.add([
            Article(url=f"https://news.example.kr/{n}", canonical_url=f"https://news.example.kr/{n}",
                    title=f"제목 {n}", text=f"{n}번 기사의 본문 문장입니다. " * 5,
                    outlet=outlet, published=datetime(2026, 4, day, 9, tzinfo=KST))
            for n, (outlet, day) in enumerate([("한빛일보", 2), ("바다신문", 10), ("한빛일보", 5)])
        ])  # fmt: skip
        monkeypatch.setattr(tools.context, "knowledge_base", lambda s: kb)
        assert (
            kb_stats_of(settings)() == "지식 베이스: 기사 3건, 언론사 2곳, 최신 기사 2026년 4월 10일 금요일"
        )
    finally:
        kb.close()


def test_kb_stats_of_an_unreadable_knowledge_base_is_a_korean_line(settings, monkeypatch):
    import tools.context

    def broken(s):
        raise NuriError("지식 베이스가 잠겨 있습니다.")

    monkeypatch.setattr(tools.context, "knowledge_base", broken)
    assert kb_stats_of(settings)() == "지식 베이스 정보를 읽지 못했습니다."


def test_a_failing_kb_stats_source_never_stops_the_prompt(store, settings):
    def broken():
        raise RuntimeError("chroma is gone")

    values = standard_values(settings, now=MARCH_1, kb_stats=broken)
    text = render_system_text(store.get("news-analyst"), values)
    assert "(한국 표준시). 지식 베이스 정보를 읽지 못했습니다." in text


# --- the active preset -----------------------------------------------------------------------------


def test_render_active_uses_the_configured_preset_by_id_or_name(nuri_home):
    rendered = render_active(Settings(home=nuri_home, preset="반말"), now=MARCH_1)
    assert (rendered.preset_id, rendered.preset_name) == ("casual", "반말")
    assert rendered.text.startswith("너는 '누리'야.") and "2026년 3월 1일 일요일" in rendered.text


def test_render_active_with_an_unknown_configured_preset_names_the_setting(nuri_home):
    with pytest.raises(NuriError) as caught:
        render_active(Settings(home=nuri_home, preset="pirate"), now=MARCH_1)
    assert "'pirate'" in str(caught.value) and "NURI_PRESET" in str(caught.value)


# --- the docs stay true ----------------------------------------------------------------------------


@pytest.mark.parametrize("doc", ["docs/usage/prompts.md", "README.md"])
def test_the_documented_example_preset_loads_and_renders(doc, store, settings):
    root = Path(__file__).resolve().parents[2]
    text = (root / doc).read_text(encoding="utf-8")
    example = text.split("```toml\n", 1)[1].split("```", 1)[0]
    path = user_file(store, "economy-desk", example)
    preset = PresetStore(settings).get("경제부 데스크")
    assert preset.path == path
    rendered = render_system_text(preset, standard_values(settings, now=MARCH_1, kb_stats="KB 한 줄"))
    assert "2026년 3월 1일 일요일" in rendered and "사용자님" in rendered
    assert "{today}" not in rendered and "{user_name}" not in rendered and "{{" not in rendered
