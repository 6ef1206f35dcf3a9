"""`nuri ask "질문"`: one question, the answer streamed token by token, tool use shown on the side.

The answer goes to stdout; tool calls, notices, sources and the closing badge go to stderr as dim lines, so
`nuri ask "..." > answer.txt` keeps only the answer. `--json` prints exactly one JSON object instead.
A URL the user did not type is fetched only with `--yes`; otherwise it is refused and the answer says so.
"""

from __future__ import annotations

import json

import typer

from cli.common import report_errors, settings_of
from cli.turns import TurnPrinter
from config import NuriError, Settings


def open_handle(settings: Settings):
    """The chat model the settings ask for (a seam: tests replace this with a scripted fake)."""
    from agent.llm import open_chat_model  # lazy: starting a backend is heavy and not every command needs it

    return open_chat_model(settings)


def open_conversation(
    handle, settings: Settings, thread: str | None, preset: str | None, persist: bool = False
):
    """A persistent thread when `thread` is given (created if new) or `persist`, else a one-off one."""
    from agent.conversation import Conversation
    from agent.threads import ThreadStore

    store = ThreadStore(settings) if thread or persist else None
    return Conversation(handle, settings, thread_id=thread, store=store, preset=preset)


def run_turn(conversation, question: str, printer: TurnPrinter, *, approve: bool | None):
    """Ask, then settle confirmations: `approve` True/False answers them, None asks on the terminal."""
    printer.show(conversation.ask(question))
    while printer.log.pending is not None:
        request, printer.log.pending = printer.log.pending, None
        if approve is None:
            allowed = typer.confirm(request.question(), default=False, err=True)
        else:
            allowed = approve
        if not allowed:
            printer.on_notice(
                f"질문에 없던 주소를 가져오지 않았습니다: {', '.join(request.urls)}"
                + (" (허용하려면 --yes)" if approve is False else "")
            )
        printer.show(conversation.resume(allowed))
    return printer.log


def ask(
    ctx: typer.Context,
    question: str,
    *,
    verbose: bool = False,
    as_json: bool = False,
    thread: str | None = None,
    yes: bool = False,
    show_budget: bool = False,
    preset: str | None = None,
) -> None:
    settings = settings_of(ctx)
    with report_errors():
        if not question.strip():
            raise NuriError('질문이 비어 있습니다. 예: nuri ask "지금 서울은 몇 시야?"')
        handle = open_handle(settings)
        printer = TurnPrinter(quiet=as_json, show_budget=show_budget, badge=handle.badge)
        for note in handle.notes if verbose and not as_json else []:
            printer.side.print(f"· {note}", style="dim", markup=False)
        conversation = open_conversation(handle, settings, thread, preset)
        log = run_turn(conversation, question, printer, approve=yes)
        if as_json:
            badge = {"backend": handle.backend, "model": handle.model_name}
            typer.echo(json.dumps(log.as_json(badge), ensure_ascii=False))


def register(app: typer.Typer) -> None:
    """Add `nuri ask` to the root app."""

    @app.command("ask")
    def ask_command(
        ctx: typer.Context,
        question: str = typer.Argument(..., help="물어볼 질문 (따옴표로 감싸세요)"),
        verbose: bool = typer.Option(False, "--verbose", "-v", help="백엔드를 고른 이유도 보여 줍니다"),
        as_json: bool = typer.Option(False, "--json", help="답·도구 호출·출처를 JSON 객체 하나로 출력합니다"),
        thread: str | None = typer.Option(
            None, "--thread", "-t", help="이 대화(ID)에 이어서 묻습니다 (없으면 새로 만듦)"
        ),
        yes: bool = typer.Option(
            False, "--yes", "-y", help="질문에 없던 URL도 묻지 않고 가져오도록 허용합니다"
        ),
        show_budget: bool = typer.Option(
            False, "--show-budget", help="문맥 창 예산(부분별 토큰)을 보여 줍니다"
        ),
        preset: str | None = typer.Option(
            None, "--preset", "-p", help="시스템 프롬프트 프리셋 (ID 또는 이름)"
        ),
    ) -> None:
        """질문 하나에 답합니다: 답은 토큰 단위로 흘러나오고, 도구 사용과 출처, 답한 모델을 함께 보여 줍니다."""
        ask(
            ctx,
            question,
            verbose=verbose,
            as_json=as_json,
            thread=thread,
            yes=yes,
            show_budget=show_budget,
            preset=preset,
        )
