"""What every command shares: turning errors into one Korean line and an exit code."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator

import typer
from pydantic import ValidationError

from config import NuriError, Settings

log = logging.getLogger("nuri.cli")


def settings_of(ctx: typer.Context) -> Settings:
    return ctx.obj if isinstance(ctx.obj, Settings) else Settings()


def _describe_validation(error: ValidationError) -> str:
    parts = []
    for item in error.errors():
        field = ".".join(str(p) for p in item.get("loc", ())) or "?"
        parts.append(f"NURI_{field.upper()}={item.get('input')!r}: {item.get('msg')}")
    return "; ".join(parts)


@contextlib.contextmanager
def report_errors() -> Iterator[None]:
    """Print a one-line Korean message for a known error (exit 2) or an unexpected one (exit 1)."""
    try:
        yield
    except NuriError as error:
        log.info("user error: %s", error, exc_info=True)
        typer.echo(f"오류: {error}", err=True)
        raise typer.Exit(2) from None
    except ValidationError as error:
        log.info("invalid settings", exc_info=True)
        typer.echo(
            f"오류: 설정 값이 잘못되었습니다 ({_describe_validation(error)}). 값을 고친 뒤 다시 실행하세요.",
            err=True,
        )
        raise typer.Exit(2) from None
    except (typer.Exit, typer.Abort, KeyboardInterrupt):
        raise
    except Exception as error:  # noqa: BLE001 - last line of defence: the traceback goes to the log
        log.exception("unexpected error")
        typer.echo(
            f"오류: 예기치 못한 문제가 생겼습니다 ({type(error).__name__}: {error}). "
            "자세한 내용은 데이터 폴더의 nuri.log를 보세요.",
            err=True,
        )
        raise typer.Exit(1) from None
