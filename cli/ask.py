"""`nuri ask "질문"`: one question, the answer streamed token by token, tool use shown on the side.

The answer goes to stdout; tool calls, notices and the closing badge go to stderr as dim lines, so
`nuri ask "..." > answer.txt` keeps only the answer.
"""

from __future__ import annotations

import typer
from rich.console import Console

from cli.common import report_errors, settings_of
from config import NuriError, Settings


def open_handle(settings: Settings):
    """The chat model the settings ask for (a seam: tests replace this with a scripted fake)."""
    from agent.llm import open_chat_model  # lazy: starting a backend is heavy and not every command needs it

    return open_chat_model(settings)


def _short(text: str, limit: int = 200) -> str:
    """One line, cut to `limit` characters.

    >>> _short("첫 줄\\n둘째 줄", 6)
    '첫 줄 둘…'
    """
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def ask(ctx: typer.Context, question: str, verbose: bool = False) -> None:
    from agent.events import Done, Notice, Token, ToolCall, ToolResult
    from agent.runner import stream_turn

    settings = settings_of(ctx)
    side = Console(stderr=True, highlight=False, soft_wrap=True)
    with report_errors():
        if not question.strip():
            raise NuriError('질문이 비어 있습니다. 예: nuri ask "지금 서울은 몇 시야?"')
        handle = open_handle(settings)
        for note in handle.notes if verbose else []:
            side.print(f"· {note}", style="dim", markup=False)
        mid_line = False  # whether the answer's last line is still open on stdout
        for event in stream_turn(handle, [], question, settings):
            if isinstance(event, Token):
                typer.echo(event.text, nl=False)
                mid_line = not event.text.endswith("\n")
                continue
            if mid_line:
                typer.echo("")
                mid_line = False
            if isinstance(event, ToolCall):
                args = ", ".join(f"{k}={v!r}" for k, v in event.args.items())
                side.print(f"→ 도구 호출: {event.name}({args})", style="dim", markup=False)
            elif isinstance(event, ToolResult):
                label = "도구 오류" if event.is_error else "도구 결과"
                side.print(f"← {label}: {_short(event.content)}", style="dim", markup=False)
            elif isinstance(event, Notice):
                side.print(f"! {event.text}", style="dim yellow", markup=False)
            elif isinstance(event, Done):
                if not event.answer:
                    side.print(
                        "(모델이 빈 답을 냈습니다. 질문을 바꿔 다시 물어보세요.)", style="dim", markup=False
                    )
                first = f", 첫 토큰 {event.first_token:.2f}초" if event.first_token is not None else ""
                side.print(f"[{handle.badge()} · {event.elapsed:.1f}초{first}]", style="dim", markup=False)


def register(app: typer.Typer) -> None:
    """Add `nuri ask` to the root app."""

    @app.command("ask")
    def ask_command(
        ctx: typer.Context,
        question: str = typer.Argument(..., help="물어볼 질문 (따옴표로 감싸세요)"),
        verbose: bool = typer.Option(False, "--verbose", "-v", help="백엔드를 고른 이유도 보여 줍니다"),
    ) -> None:
        """질문 하나에 답합니다: 답은 토큰 단위로 흘러나오고, 도구 사용과 답한 모델을 함께 보여 줍니다."""
        ask(ctx, question, verbose)
