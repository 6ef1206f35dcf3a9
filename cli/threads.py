"""`nuri threads list|show|export|rename|delete`: the saved conversations in the data dir."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from cli.common import report_errors, settings_of
from config import NuriError

threads_app = typer.Typer(
    help="저장된 대화(스레드)를 봅니다: 목록, 내용, 내보내기, 이름 바꾸기, 지우기", no_args_is_help=True
)


def _store(ctx: typer.Context):
    from agent.threads import ThreadStore

    return ThreadStore(settings_of(ctx))


@threads_app.command("list")
def list_threads(ctx: typer.Context) -> None:
    """저장된 대화 목록 (최근 순)."""
    with report_errors():
        rows = _store(ctx).list()
        if not rows:
            typer.echo(
                '저장된 대화가 없습니다. `nuri chat` 또는 `nuri ask --thread 이름 "질문"`으로 시작하세요.'
            )
            return
        table = Table("ID", "제목", "차례", "프리셋", "마지막 대화")
        for row in rows:
            table.add_row(row.id, row.title, str(row.turns), row.preset, row.updated)
        Console(highlight=False).print(table)


@threads_app.command("show")
def show_thread(ctx: typer.Context, thread_id: str = typer.Argument(..., help="대화 ID")) -> None:
    """대화 내용을 Markdown으로 보여 줍니다."""
    with report_errors():
        typer.echo(_store(ctx).export(thread_id, "md"), nl=False)


@threads_app.command("export")
def export_thread(
    ctx: typer.Context,
    thread_id: str = typer.Argument(..., help="대화 ID"),
    fmt: str = typer.Option("md", "--format", "-f", help="md 또는 json"),
    output: str | None = typer.Option(None, "--output", "-o", help="저장할 파일 (없으면 화면에)"),
) -> None:
    """대화를 Markdown이나 JSON으로 내보냅니다 (질문, 답, 프리셋, 출처)."""
    with report_errors():
        text = _store(ctx).export(thread_id, fmt)
        if output is None:
            typer.echo(text, nl=False)
            return
        try:
            Path(output).write_text(text, encoding="utf-8")
        except OSError as error:
            raise NuriError(f"{output}에 쓸 수 없습니다: {error}") from error
        typer.echo(f"{output}에 저장했습니다.", err=True)


@threads_app.command("rename")
def rename_thread(
    ctx: typer.Context,
    thread_id: str = typer.Argument(..., help="대화 ID"),
    title: str = typer.Argument(..., help="새 제목"),
) -> None:
    """대화 제목을 바꿉니다."""
    with report_errors():
        _store(ctx).rename(thread_id, title)
        typer.echo("제목을 바꿨습니다.", err=True)


@threads_app.command("delete")
def delete_thread(
    ctx: typer.Context,
    thread_id: str = typer.Argument(..., help="대화 ID"),
    yes: bool = typer.Option(False, "--yes", "-y", help="묻지 않고 지웁니다"),
) -> None:
    """대화를 지웁니다 (되돌릴 수 없습니다)."""
    with report_errors():
        store = _store(ctx)
        info = store.require(thread_id)
        if not yes and not typer.confirm(
            f"대화 '{info.title}'({info.id})를 지울까요?", default=False, err=True
        ):
            raise typer.Exit(1)
        store.delete(thread_id)
        typer.echo("지웠습니다.", err=True)


def register(app: typer.Typer) -> None:
    """Add `nuri threads ...` to the root app."""
    app.add_typer(threads_app, name="threads")
