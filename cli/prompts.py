"""`nuri prompts list | show | new | edit | delete`: system-prompt presets from the shell."""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path

import typer

from agent.presets import STANDARD_VARIABLES, Preset, PresetStore, placeholders, render_system_text
from agent.presets.model import preset_from_toml
from agent.presets.tomlfile import preset_to_toml
from agent.presets.variables import kb_stats_of, standard_values
from cli.common import report_errors, settings_of
from config import NuriError

prompts_app = typer.Typer(
    help="시스템 프롬프트 프리셋: 목록, 보기, 만들기, 고치기, 지우기 (형식: docs/usage/prompts.md)",
    no_args_is_help=True,
)

_KIND = {"shipped": "기본 제공", "user": "사용자"}
_TEXT = typer.Option(None, "--text", help="프롬프트 본문 ({today} 같은 변수 사용 가능, 중괄호 글자는 {{ }})")
_FILE = typer.Option(None, "--file", help="본문 파일 (.toml이면 프리셋 파일 전체, '-'는 표준 입력)")
_NAME = typer.Option(None, "--name", help="표시 이름 (한국어 가능)")
_DESCRIPTION = typer.Option(None, "--description", help="한 줄 설명")


def _store(ctx: typer.Context) -> PresetStore:
    return PresetStore(settings_of(ctx))


def _kind(preset: Preset) -> str:
    return "사용자 사본 (기본 제공 대체)" if preset.overrides_shipped else _KIND[preset.source]


def _interactive() -> bool:
    return sys.stdin.isatty()


def _open_editor(text: str) -> str | None:
    """Open $EDITOR on `text`; None when the editor was closed without saving."""
    return typer.edit(text, extension=".toml", require_save=True)


def _variables_for(text: str, defaults: dict[str, str]) -> tuple[str, ...]:
    """The variables a text typed on the command line uses: each must be standard or have a default."""
    names = placeholders(text)
    unknown = [n for n in names if n not in STANDARD_VARIABLES and n not in defaults]
    if unknown:
        allowed = ", ".join("{" + n + "}" for n in STANDARD_VARIABLES)
        raise NuriError(
            "알 수 없는 변수 "
            + ", ".join("{" + n + "}" for n in unknown)
            + f". 쓸 수 있는 변수는 {allowed}입니다 "
            "(중괄호를 글자로 쓰려면 {{ }}, 자기 변수는 프리셋 파일의 [defaults]에 값을 넣어 선언하세요)."
        )
    return tuple(names)


def _read_source(file: str) -> str:
    if file == "-":
        return sys.stdin.read()
    path = Path(file)
    if not path.is_file():
        raise NuriError(f"파일 {file}이(가) 없습니다. 경로를 확인하세요.")
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise NuriError(f"파일 {file}을(를) UTF-8로 읽을 수 없습니다. UTF-8로 저장해 주세요.") from None


def _with_content(base: Preset, text: str | None, file: str | None) -> Preset:
    """`base` with the body from --text or --file (a .toml file replaces the whole preset but its id)."""
    if text is not None and file is not None:
        raise NuriError("--text와 --file 중 하나만 주세요.")
    if file is not None and file.endswith(".toml"):
        return preset_from_toml(_read_source(file), base.id, source="user", path=Path(file))
    body = text if text is not None else _read_source(file) if file is not None else None
    if body is None:
        return base
    body = body.strip()
    return replace(base, text=body, variables=_variables_for(body, dict(base.defaults)))


def _edit_in_editor(store: PresetStore, draft: Preset) -> Preset | None:
    """Let the user edit the preset's TOML until it reads back; None if they close without saving."""
    if not _interactive():
        raise NuriError("편집기를 열 수 없는 환경입니다 (터미널이 아님). --text 또는 --file로 본문을 주세요.")
    content = preset_to_toml(draft)
    while True:
        edited = _open_editor(content)
        if edited is None:
            return None
        try:
            return preset_from_toml(edited, draft.id, source="user")
        except NuriError as error:
            typer.echo(f"오류: {error}", err=True)
            content = edited
            if not typer.confirm("다시 편집할까요?", default=True):
                kept = store.user_dir / "drafts" / f"{draft.id}.toml"
                kept.parent.mkdir(parents=True, exist_ok=True)
                kept.write_text(edited, encoding="utf-8")
                raise NuriError(f"저장하지 않았습니다. 편집한 내용은 {kept}에 남겨 두었습니다.") from None


@prompts_app.command("list")
def list_presets(
    ctx: typer.Context, json_out: bool = typer.Option(False, "--json", help="JSON으로 출력")
) -> None:
    """프리셋 목록: ID, 이름, 종류(기본 제공/사용자), 설명. *는 지금 쓰는 프리셋입니다."""
    with report_errors():
        store = _store(ctx)
        presets = store.list()
        active = next((p.id for p in presets if store.default_id in (p.id, p.name)), store.default_id)
        if json_out:
            rows = [
                {"id": p.id, "name": p.name, "source": p.source, "overrides_shipped": p.overrides_shipped,
                 "description": p.description, "variables": list(p.variables), "active": p.id == active}
                for p in presets
            ]  # fmt: skip
            typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        else:
            for p in presets:
                mark = "*" if p.id == active else " "
                typer.echo(f"{mark} {p.id:<14} {p.name}  [{_kind(p)}]  {p.description}".rstrip())
        for preset_id, problem in store.problems.items():
            typer.echo(f"! 읽지 못한 프리셋 '{preset_id}': {problem}", err=True)
        if not any(p.id == active for p in presets):
            typer.echo(
                f"! NURI_PRESET='{store.default_id}'인 프리셋이 없습니다. 위 목록의 ID나 이름으로 고치세요.",
                err=True,
            )


@prompts_app.command("show")
def show(
    ctx: typer.Context,
    key: str = typer.Argument(..., help="프리셋 ID 또는 이름"),
    render: bool = typer.Option(False, "--render", help="오늘 값으로 변수를 채운 미리보기도 보이기"),
) -> None:
    """프리셋의 본문과 변수를 보여 줍니다."""
    with report_errors():
        settings = settings_of(ctx)
        preset = _store(ctx).get(key)
        typer.echo(f"ID: {preset.id}\n이름: {preset.name}\n종류: {_kind(preset)}")
        if preset.description:
            typer.echo(f"설명: {preset.description}")
        for name in preset.variables:
            meaning = STANDARD_VARIABLES.get(name) or f"기본값 {preset.defaults.get(name, '(없음)')!r}"
            typer.echo(f"변수: {{{name}}} - {meaning}")
        typer.echo(f"파일: {preset.path}\n--- 본문 ---\n{preset.text}")
        if render:
            values = standard_values(settings, kb_stats=kb_stats_of(settings))
            typer.echo(f"--- 미리보기 (오늘 값) ---\n{render_system_text(preset, values)}")


@prompts_app.command("new")
def new(
    ctx: typer.Context,
    preset_id: str = typer.Argument(..., metavar="ID", help="새 프리셋 ID (영문 소문자, 숫자, 하이픈)"),
    name: str = typer.Option(..., "--name", help="표시 이름 (한국어 가능)"),
    description: str = typer.Option("", "--description", help="한 줄 설명"),
    from_key: str | None = typer.Option(None, "--from", help="이 프리셋을 복사해서 시작"),
    text: str | None = _TEXT,
    file: str | None = _FILE,
    edit: bool = typer.Option(False, "--edit", help="편집기($EDITOR)에서 쓰기"),
) -> None:
    """새 사용자 프리셋을 만듭니다 (데이터 폴더의 prompts/ID.toml)."""
    with report_errors():
        store = _store(ctx)
        if from_key is None and text is None and file is None and not edit:
            raise NuriError("본문을 --text, --file, --edit, --from 중 하나로 주세요.")
        if from_key is not None:
            source = store.get(from_key)
            base = Preset(preset_id, name, source.text, description or source.description,
                          source.variables, dict(source.defaults))  # fmt: skip
        else:
            base = Preset(preset_id, name, "오늘은 {today}입니다.", description, ("today",))
        draft = _with_content(base, text, file)
        draft = replace(draft, name=name, description=description or draft.description)
        if edit:
            draft = _edit_in_editor(store, draft)
            if draft is None:
                typer.echo("편집기를 저장하지 않고 닫아서 만들지 않았습니다.")
                return
        path = store.save(draft, overwrite=False)
        typer.echo(f"프리셋 {draft.label}을(를) 만들었습니다: {path}")
        typer.echo(f'쓰려면: NURI_PRESET={draft.id} nuri ask "질문"')


@prompts_app.command("edit")
def edit(
    ctx: typer.Context,
    key: str = typer.Argument(..., help="고칠 프리셋 ID 또는 이름"),
    name: str | None = _NAME,
    description: str | None = _DESCRIPTION,
    text: str | None = _TEXT,
    file: str | None = _FILE,
) -> None:
    """프리셋을 고칩니다: 옵션이 없으면 편집기($EDITOR)를 엽니다. 기본 제공 프리셋은 사용자 사본이 됩니다."""
    with report_errors():
        store = _store(ctx)
        current = store.get(key)
        draft = _with_content(current, text, file)
        draft = replace(
            draft,
            name=name or draft.name,
            description=draft.description if description is None else description,
        )
        if (name, description, text, file) == (None, None, None, None):
            draft = _edit_in_editor(store, current)
            if draft is None:
                typer.echo("편집기를 저장하지 않고 닫아서 바꾸지 않았습니다.")
                return
        path = store.save(draft, override_shipped=True)
        if current.source == "shipped" or current.overrides_shipped:
            typer.echo(
                f"기본 제공 프리셋 '{draft.id}'의 사용자 사본을 저장했습니다: {path}\n"
                f"사본이 기본 제공본보다 우선합니다. `nuri prompts delete {draft.id}`로 지우면 기본 제공본으로 돌아갑니다."
            )
        else:
            typer.echo(f"프리셋 {draft.label}을(를) 저장했습니다: {path}")


@prompts_app.command("delete")
def delete(
    ctx: typer.Context,
    key: str = typer.Argument(..., help="지울 사용자 프리셋 ID 또는 이름"),
    yes: bool = typer.Option(False, "--yes", "-y", help="묻지 않고 지우기"),
) -> None:
    """사용자 프리셋을 지웁니다 (기본 제공 프리셋은 지울 수 없습니다)."""
    with report_errors():
        store = _store(ctx)
        store.list()
        label = key if key in store.problems else store.get(key).label
        if not yes and not typer.confirm(f"프리셋 {label}을(를) 지울까요?", default=False):
            typer.echo("지우지 않았습니다.")
            return
        deleted = store.delete(key)
        typer.echo(f"프리셋 {label}을(를) 지웠습니다.")
        if deleted is not None and deleted.overrides_shipped:
            typer.echo(f"이제 기본 제공 프리셋 '{deleted.id}'이(가) 다시 쓰입니다.")
        if (
            deleted is not None
            and store.default_id in (deleted.id, deleted.name)
            and not deleted.overrides_shipped
        ):
            typer.echo(
                f"주의: NURI_PRESET이 '{store.default_id}'입니다. 다른 프리셋으로 바꿔 주세요.", err=True
            )


def register(app: typer.Typer) -> None:
    """Add `nuri prompts ...` to the root app."""
    app.add_typer(prompts_app, name="prompts")
