"""`nuri calc "식"`: the agent's calculator on the command line (exit 2 with a Korean reason on refusal)."""

from __future__ import annotations

import typer

from cli.common import report_errors


def calc(
    expression: list[str] = typer.Argument(  # noqa: B008 - typer declares arguments this way
        ..., help='계산할 식 (예: "3억 5천만 원의 15%", "1,550 × 22", "1000에서 1200으로 변화율")'
    ),
) -> None:
    """한국어 숫자와 단위를 읽는 안전한 계산기: 3억 5천만, 1,550원, 15%, 2배, 할인, 변화율."""
    from tools.calculator import calculator  # lazy: keeps `nuri --help` fast

    with report_errors():
        typer.echo(calculator(" ".join(expression)))


def register(app: typer.Typer) -> None:
    """Add `nuri calc` to the root app."""
    app.command("calc")(calc)
