"""`nuri`: the command line. Each command group lives in its own module and registers itself here."""

from __future__ import annotations

import logging
import sys

import typer

from cli import ask, bench, calc, chat, crawl, doctor, extract, kb, model, models, prompts, summarize, threads
from cli.common import report_errors
from config import Settings, setup_logging

app = typer.Typer(
    name="nuri",
    help="누리: 한국어 뉴스와 문서를 위한 로컬 에이전트 챗봇",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root(
    ctx: typer.Context,
    provider: str | None = typer.Option(None, help="auto | ollama | openai | embedded"),
    llm_model: str | None = typer.Option(None, "--llm", help="Ollama/OpenAI 모델 이름"),
    home: str | None = typer.Option(None, help="데이터 폴더 (기본: NURI_HOME 또는 ~/.nuri)"),
) -> None:
    overrides: dict[str, object] = {}
    if provider:
        overrides["provider"] = provider
    if llm_model:
        overrides["model"] = llm_model
    if home:
        overrides["home"] = home
    with report_errors():
        settings = Settings(**overrides)
    setup_logging(settings)
    ctx.obj = settings


for module in (
    ask,
    doctor,
    model,
    models,
    extract,
    crawl,
    kb,
    prompts,
    chat,
    threads,
    summarize,
    bench,
    calc,
):
    module.register(app)


def main() -> None:
    logging.captureWarnings(True)
    try:
        app()
    except KeyboardInterrupt:
        sys.stderr.write("중단했습니다.\n")
        raise SystemExit(130) from None


if __name__ == "__main__":
    main()
