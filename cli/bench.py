"""`nuri bench run/compare/report/quantize`: the lightweighting lab (speed, memory, quality per model)."""

from __future__ import annotations

from pathlib import Path

import typer

from cli.common import report_errors, settings_of

bench_app = typer.Typer(help="모델 비교 실험실: 속도, 메모리, 한국어 과제 품질", no_args_is_help=True)


@bench_app.command("run")
def run(
    ctx: typer.Context,
    models: str = typer.Option(
        ..., "--models", help="쉼표로 나눈 모델: 경로.gguf, embedded, ollama:이름, openai:http://서버/v1#모델"
    ),
    tasks: str = typer.Option(
        "qa,rag,summary,calc", help="과제 종류(qa,rag,summary,calc) 또는 .jsonl 과제 파일"
    ),
    limit: int | None = typer.Option(None, min=1, help="과제 파일마다 앞에서 N개만"),
    out: str = typer.Option("bench-out", help="결과 폴더 (이어서 실행하면 끝난 칸은 건너뜀)"),
    judge: str | None = typer.Option(None, help="요약을 판정할 모델 (선택, 보고서에 이름이 남음)"),
    num_ctx: int | None = typer.Option(None, help="문맥 창 (기본: NURI_NUM_CTX)"),
    threads: int | None = typer.Option(None, min=1, help="내장 런타임 CPU 스레드 (기본: NURI_THREADS)"),
) -> None:
    """모델마다 과제를 풀게 하고 results.jsonl, report.md, CSV, PNG 차트를 씁니다."""
    from lab.report import render_report
    from lab.runner import run_bench

    settings = settings_of(ctx)
    update = {k: v for k, v in {"num_ctx": num_ctx, "threads": threads}.items() if v is not None}
    with report_errors():
        run_bench(
            models,
            Path(out),
            settings.model_copy(update=update),
            tasks=tasks,
            limit=limit,
            judge=judge,
            progress=lambda line: typer.echo(line, err=True),
        )
        report = render_report(Path(out))
    typer.echo(f"보고서: {report}")


@bench_app.command("compare")
def compare(
    out: str = typer.Argument(..., help="nuri bench run의 결과 폴더"),
    task: str | None = typer.Option(None, help="이 과제 id의 답만"),
) -> None:
    """모델별 요약 표와, 같은 질문에 대한 모델별 답을 나란히 보여 줍니다."""
    from config import NuriError
    from lab.report import answers_table, summary_table
    from lab.rescore import rescore
    from lab.results import read_rows
    from lab.summary import summarize

    with report_errors():
        rows = rescore(read_rows(Path(out)))
        if not rows:
            raise NuriError(f"{out}에 결과가 없습니다.", hint="먼저 `nuri bench run`을 실행하세요.")
        summaries = summarize(rows)
        lines = answers_table(rows, [s.model for s in summaries], task)
        if task and len(lines) <= 2:
            raise NuriError(
                f"과제 {task}의 결과가 없습니다.", hint="`nuri bench compare 폴더`로 과제 id를 확인하세요."
            )
    for line in [*summary_table(summaries), "", *lines]:
        typer.echo(line)


@bench_app.command("report")
def report(out: str = typer.Argument(..., help="nuri bench run의 결과 폴더")) -> None:
    """results.jsonl에서 report.md, CSV, 차트를 다시 만듭니다."""
    from lab.report import render_report

    with report_errors():
        path = render_report(Path(out))
    typer.echo(f"보고서: {path}")


@bench_app.command("quantize")
def quantize(
    source: str = typer.Argument(..., help="원본 GGUF"),
    to: str = typer.Option(
        "Q4_0", "--to", help="Q4_0, Q4_1, Q5_0, Q5_1, Q8_0 (이 기계에서 만들 수 있는 형식)"
    ),
    out: str | None = typer.Option(None, help="새 GGUF 경로 (기본: 원본 옆에 -requant-형식.gguf)"),
) -> None:
    """gguf 패키지로 양자화 변형을 만듭니다 (이미 양자화된 모델은 재양자화). 할 수 없는 것도 알려 줍니다."""
    from lab.quantize import capabilities, requantize

    src = Path(source).expanduser()
    dest = Path(out) if out else src.with_name(f"{src.stem}-requant-{to.lower()}.gguf")
    for line in capabilities():
        typer.echo(f"- {line}", err=True)
    with report_errors():
        from agent.llm.assets import check_gguf

        check_gguf(src)
        requantize(src, dest, to, progress=lambda line: typer.echo(line, err=True))
    typer.echo(f"만듦: {dest} ({dest.stat().st_size:,} 바이트)")


def register(app: typer.Typer) -> None:
    """Add this module's commands to the root app."""
    app.add_typer(bench_app, name="bench")
