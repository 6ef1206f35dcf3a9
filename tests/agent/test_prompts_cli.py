"""`nuri prompts` through typer's CliRunner on a temporary data dir."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from typer.testing import CliRunner

import cli.prompts
from agent.presets import PresetStore
from cli.main import app
from config import Settings
from tools import clock
from tools.clock import KST


def nuri(*args: str, input: str | None = None):
    return CliRunner().invoke(app, ["prompts", *args], input=input)


@pytest.fixture
def store(nuri_home) -> PresetStore:
    return PresetStore(Settings(home=nuri_home))


@pytest.fixture(autouse=True)
def frozen_day(monkeypatch):
    monkeypatch.setattr(clock, "now_kst", lambda: datetime(2026, 3, 1, 9, 0, tzinfo=KST))


def test_list_shows_id_name_kind_description_and_the_active_one():
    result = nuri("list")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("* default") and "기본 비서" in lines[0] and "[기본 제공]" in lines[0]
    assert len(lines) == 5 and any("news-analyst" in line and "출처" in line for line in lines)


def test_list_json_marks_the_configured_preset(monkeypatch):
    monkeypatch.setenv("NURI_PRESET", "격식체")
    rows = json.loads(nuri("list", "--json").stdout)
    assert [r["id"] for r in rows if r["active"]] == ["formal"]


def test_list_warns_when_the_configured_preset_does_not_exist(monkeypatch):
    monkeypatch.setenv("NURI_PRESET", "pirate")
    result = nuri("list")
    assert result.exit_code == 0 and "*" not in result.stdout
    assert "NURI_PRESET='pirate'인 프리셋이 없습니다" in result.stderr


def test_show_prints_text_and_variables_and_renders_with_todays_values(monkeypatch):
    monkeypatch.setenv("NURI_USER_NAME", "민지")
    result = nuri("show", "formal", "--render")
    assert result.exit_code == 0, result.output
    raw, preview = result.stdout.split("--- 미리보기 (오늘 값) ---")
    assert "{user_name}" in raw and "변수: {today}" in raw and "종류: 기본 제공" in raw
    assert "2026년 3월 1일 일요일" in preview and "민지님" in preview and "{" not in preview


def test_show_render_computes_kb_stats_for_a_preset_that_uses_it(monkeypatch):
    monkeypatch.setattr(cli.prompts, "kb_stats_of", lambda settings: lambda: "지식 베이스: 기사 7건")
    result = nuri("show", "뉴스 분석가", "--render")
    assert result.exit_code == 0, result.output
    assert "(한국 표준시). 지식 베이스: 기사 7건" in result.stdout


def test_show_unknown_preset_is_one_korean_line_listing_the_others():
    result = nuri("show", "pirate")
    assert result.exit_code == 2
    assert result.stderr.startswith("오류: 프리셋 'pirate'을(를) 찾을 수 없습니다")
    assert "반말 (casual)" in result.stderr and result.stderr.count("\n") == 1


def test_new_with_text_then_a_fresh_process_uses_it(store):
    result = nuri("new", "helper", "--name", "도우미", "--description", "짧은 도우미",
                  "--text", "{user_name}님을 돕는 도우미. 오늘은 {today}. 예시 {{중괄호}}")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert str(store.path_for("helper")) in result.stdout and "NURI_PRESET=helper" in result.stdout
    saved = PresetStore(store.settings).get("도우미")
    assert saved.variables == ("user_name", "today") and saved.description == "짧은 도우미"
    shown = nuri("show", "helper", "--render").stdout
    assert "돕는 도우미. 오늘은 2026년 3월 1일 일요일. 예시 {중괄호}" in shown


def test_new_from_a_shipped_preset_copies_its_text(store):
    result = nuri("new", "my-news", "--name", "내 뉴스", "--from", "news-analyst")
    assert result.exit_code == 0, result.output
    mine, shipped = store.get("my-news"), store.get("news-analyst")
    assert (mine.text, mine.variables, mine.description) == (
        shipped.text,
        shipped.variables,
        shipped.description,
    )


def test_new_from_a_file(tmp_path, store):
    body = tmp_path / "body.txt"
    body.write_text("오늘은 {today}. 파일에서 온 본문\n", encoding="utf-8")
    whole = tmp_path / "whole.toml"
    whole.write_text('name = "파일 통째"\nvariables = ["topic"]\ntext = "주제 {topic}"\n[defaults]\ntopic = "경제"\n',
                     encoding="utf-8")  # fmt: skip
    assert nuri("new", "from-body", "--name", "본문 파일", "--file", str(body)).exit_code == 0
    assert store.get("from-body").text == "오늘은 {today}. 파일에서 온 본문"
    assert nuri("new", "from-toml", "--name", "통째 파일", "--file", str(whole)).exit_code == 0
    got = store.get("from-toml")
    assert (got.name, got.render({})) == ("통째 파일", "주제 경제")


@pytest.mark.parametrize(
    ("args", "complaint"),
    [
        (["new", "x1", "--name", "가", "--text", "오늘 {todya}"], "알 수 없는 변수 {todya}"),
        (["new", "x2", "--name", "가", "--text", "닫히지 않은 {"], "중괄호가 잘못되었습니다"),
        (["new", "뉴스", "--name", "가", "--text", "본문"], "프리셋 ID '뉴스'"),
        (["new", "x3", "--name", "가"], "--text, --file, --edit, --from 중 하나"),
        (
            ["new", "formal", "--name", "새 격식", "--text", "본문"],
            "기본 제공 프리셋(격식체)이라 덮어쓰지 않았습니다",
        ),
        (["new", "x4", "--name", "가", "--file", "/nonexistent/body.txt"], "/nonexistent/body.txt"),
        (["new", "x5", "--name", "가", "--edit"], "편집기를 열 수 없는 환경"),
    ],
)
def test_new_refuses_bad_input_with_one_korean_line_and_writes_nothing(args, complaint, store):
    result = nuri(*args)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("오류: ") and complaint in result.stderr
    assert not store.user_dir.exists() or not list(store.user_dir.glob("*.toml"))


def test_edit_a_shipped_preset_makes_a_user_copy_and_delete_brings_it_back(store):
    result = nuri("edit", "concise", "--text", "한 문장으로만 답하세요. 오늘은 {today}.")
    assert result.exit_code == 0, result.output
    assert "사용자 사본을 저장했습니다" in result.stdout and "기본 제공본으로 돌아갑니다" in result.stdout
    copy = store.get("concise")
    assert copy.overrides_shipped and copy.text.startswith("한 문장으로만") and copy.name == "간결한 요약가"
    assert "[사용자 사본" in nuri("list").stdout
    result = nuri("delete", "concise", "--yes")
    assert result.exit_code == 0 and "다시 쓰입니다" in result.stdout
    assert store.get("concise").source == "shipped"


def test_edit_name_and_description_only_keeps_the_text(store):
    nuri("new", "mine", "--name", "내 것", "--text", "원래 본문")
    assert nuri("edit", "내 것", "--name", "새 이름", "--description", "새 설명").exit_code == 0
    got = store.get("mine")
    assert (got.name, got.description, got.text) == ("새 이름", "새 설명", "원래 본문")


def test_edit_opens_the_editor_and_reopens_it_on_a_mistake(store, monkeypatch):
    nuri("new", "mine", "--name", "내 것", "--text", "원래 본문")
    monkeypatch.setattr(cli.prompts, "_interactive", lambda: True)
    drafts = iter(['name = "내 것"\ntext = "오늘 {today}"\n',  # undeclared variable: reopened
                   'name = "내 것"\nvariables = ["today"]\ntext = "오늘 {today}"\n'])  # fmt: skip
    seen = []

    def editor(text):
        seen.append(text)
        return next(drafts)

    monkeypatch.setattr(cli.prompts, "_open_editor", editor)
    result = nuri("edit", "mine", input="y\n")
    assert result.exit_code == 0, result.output
    assert "원래 본문" in seen[0] and "{today}" in seen[1]  # the second round starts from the broken draft
    assert "선언되지 않은 변수" in result.stderr
    assert store.get("mine").text == "오늘 {today}"


def test_edit_given_up_keeps_the_draft_and_the_old_file(store, monkeypatch):
    nuri("new", "mine", "--name", "내 것", "--text", "원래 본문")
    monkeypatch.setattr(cli.prompts, "_interactive", lambda: True)
    monkeypatch.setattr(cli.prompts, "_open_editor", lambda text: "name = ")
    result = nuri("edit", "mine", input="n\n")
    assert result.exit_code == 2
    draft = store.user_dir / "drafts" / "mine.toml"
    assert str(draft) in result.stderr and draft.read_text(encoding="utf-8") == "name = "
    assert store.get("mine").text == "원래 본문"


def test_edit_closed_without_saving_changes_nothing(store, monkeypatch):
    monkeypatch.setattr(cli.prompts, "_interactive", lambda: True)
    monkeypatch.setattr(cli.prompts, "_open_editor", lambda text: None)
    result = nuri("edit", "default")
    assert result.exit_code == 0 and "바꾸지 않았습니다" in result.stdout
    assert not store.path_for("default").exists()


def test_edit_without_options_outside_a_terminal_asks_for_text():
    result = nuri("edit", "default")
    assert result.exit_code == 2 and "--text 또는 --file" in result.stderr


def test_delete_asks_first_and_refuses_shipped_presets(store):
    nuri("new", "mine", "--name", "내 것", "--text", "본문")
    result = nuri("delete", "mine", input="n\n")
    assert result.exit_code == 0 and "지우지 않았습니다" in result.stdout and store.path_for("mine").exists()
    assert nuri("delete", "mine", input="y\n").exit_code == 0 and not store.path_for("mine").exists()
    result = nuri("delete", "default", "--yes")
    assert result.exit_code == 2 and "지울 수 없습니다" in result.stderr


def test_a_broken_user_file_is_reported_by_list_and_can_be_deleted(store):
    store.user_dir.mkdir(parents=True)
    broken = store.user_dir / "oops.toml"
    broken.write_text('name = "고장"\ntext = """\n', encoding="utf-8")
    result = nuri("list")
    assert result.exit_code == 0 and "oops" not in result.stdout
    assert "읽지 못한 프리셋 'oops'" in result.stderr and str(broken) in result.stderr
    assert nuri("show", "oops").exit_code == 2
    assert nuri("delete", "oops", "--yes").exit_code == 0 and not broken.exists()
