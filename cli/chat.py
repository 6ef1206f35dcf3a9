"""`nuri chat`: an interactive terminal chat in a persistent thread, with streaming and confirmations.

Slash commands: `/새대화` (`/new`), `/예산` (`/budget`), `/대화` (`/thread`), `/끝` (`/exit`). An empty line or
end of input (Ctrl-D) ends the chat; the thread stays, `nuri chat --thread ID` continues it.
"""

from __future__ import annotations

import typer

from cli import ask as ask_command  # its open_handle is the seam tests replace
from cli.ask import open_conversation, run_turn
from cli.common import report_errors, settings_of
from cli.turns import TurnPrinter, budget_line
from config import NuriError

_HELP = "명령: /new 새 대화 · /budget 마지막 문맥 예산 · /thread 대화 ID · /exit 끝내기"
_NEW, _BUDGET, _THREAD, _EXIT = (
    {"/new", "/새대화"},
    {"/budget", "/예산"},
    {"/thread", "/대화"},
    {"/exit", "/끝", "/quit"},
)


def chat(ctx: typer.Context, thread: str | None, yes: bool, show_budget: bool, preset: str | None) -> None:
    settings = settings_of(ctx)
    with report_errors():
        handle = ask_command.open_handle(settings)
        conversation = open_conversation(handle, settings, thread, preset, persist=True)
        typer.echo(f"누리와 대화합니다 (대화 ID {conversation.thread_id}). {_HELP}", err=True)
        last_budget: dict = {}
        while True:
            try:
                line = typer.prompt("나", prompt_suffix="> ", default="", show_default=False, err=True)
            except (EOFError, typer.Abort):
                break
            question = line.strip()
            if not question or question in _EXIT:
                break
            if question in _NEW:
                conversation = open_conversation(handle, settings, None, preset, persist=True)
                typer.echo(f"새 대화를 시작합니다 (대화 ID {conversation.thread_id}).", err=True)
                continue
            if question in _BUDGET:
                typer.echo(
                    budget_line(last_budget) if last_budget else "아직 답한 차례가 없습니다.", err=True
                )
                continue
            if question in _THREAD:
                typer.echo(f"대화 ID: {conversation.thread_id}", err=True)
                continue
            printer = TurnPrinter(show_budget=show_budget, badge=handle.badge)
            try:
                log = run_turn(conversation, question, printer, approve=True if yes else None)
            except NuriError as error:  # one failed turn does not end the chat
                typer.echo(f"오류: {error}", err=True)
                continue
            if log.done is not None:
                last_budget = log.done.budget
        typer.echo(f"대화를 마칩니다. 이어서 하려면: nuri chat --thread {conversation.thread_id}", err=True)


def register(app: typer.Typer) -> None:
    """Add `nuri chat` to the root app."""

    @app.command("chat")
    def chat_command(
        ctx: typer.Context,
        thread: str | None = typer.Option(None, "--thread", "-t", help="이어서 할 대화 ID"),
        yes: bool = typer.Option(False, "--yes", "-y", help="질문에 없던 URL도 묻지 않고 가져옵니다"),
        show_budget: bool = typer.Option(False, "--show-budget", help="답마다 문맥 창 예산을 보여 줍니다"),
        preset: str | None = typer.Option(
            None, "--preset", "-p", help="시스템 프롬프트 프리셋 (ID 또는 이름)"
        ),
    ) -> None:
        """터미널에서 누리와 대화합니다: 답이 흘러나오고, 대화는 저장되어 나중에 이어집니다."""
        chat(ctx, thread, yes, show_budget, preset)
