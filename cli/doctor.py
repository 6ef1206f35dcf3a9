"""`nuri doctor`: which backend would answer, with which model and window, and a verdict per component.

Exit code 1 when a component that the chosen setup needs fails; warnings alone keep it 0. The checks live
in `agent/doctor.py` (shared with the UI's models page).
"""

from __future__ import annotations

import typer

from agent.doctor import MARK, diagnose
from cli.common import report_errors, settings_of


def doctor(ctx: typer.Context) -> None:
    """백엔드, 모델, 컨텍스트 길이, 데이터 폴더와 구성 요소별 상태를 보여 줍니다."""
    settings = settings_of(ctx)
    with report_errors():
        header, checks = diagnose(settings)
    for label, value in header:
        typer.echo(f"{label}: {value}")
    typer.echo("")
    for check in checks:
        need = "" if check.needed or check.status == "ok" else " (지금 설정에는 필요 없음)"
        typer.echo(f"{MARK[check.status]} {check.name}: {check.detail}{need}")
    failed = [c.name for c in checks if c.status == "fail" and c.needed]
    if failed:
        typer.echo(
            f"\n문제: {', '.join(failed)}. 위의 안내대로 고친 뒤 `nuri doctor`를 다시 실행하세요.", err=True
        )
        raise typer.Exit(1)
    typer.echo("\n모든 필수 구성 요소가 준비되었습니다.")


def register(app: typer.Typer) -> None:
    """Add this module's commands to the root app."""
    app.command("doctor")(doctor)
