"""`nuri models`: Ollama models from GGUF files (Modelfile, create) and what Ollama has (list)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TransferSpeedColumn
from rich.table import Table

from cli.common import report_errors, settings_of

models_app = typer.Typer(
    help="Ollama 모델 관리: GGUF에서 Modelfile 만들기, 모델 생성, 목록", no_args_is_help=True
)

_GGUF = typer.Option(..., "--gguf", help="GGUF 파일 경로", dir_okay=False)
_FAMILY = typer.Option(
    None,
    "--template-family",
    help="채팅 템플릿 계열을 직접 지정 (자동 인식이 안 될 때): llama3, qwen2, gemma, ...",
)
_SYSTEM = typer.Option(None, "--system", help="SYSTEM 프롬프트 (기본: 한국어 도우미 안내)")
_NUM_CTX = typer.Option(None, "--num-ctx", help="PARAMETER num_ctx (기본: GGUF에 기록된 학습 문맥 길이)")
_OUTPUT = typer.Option(None, "-o", "--output", help="쓸 파일 (기본: 표준 출력)")


@models_app.command("modelfile")
def modelfile(
    gguf: Path = _GGUF,
    system: str | None = _SYSTEM,
    template_family: str | None = _FAMILY,
    num_ctx: int | None = _NUM_CTX,
    output: Path | None = _OUTPUT,
) -> None:
    """GGUF의 메타데이터(채팅 템플릿, 학습 문맥 길이)로 올바른 Modelfile을 만듭니다."""
    from agent.llm.modelfile import build_spec, render_modelfile

    with report_errors():
        spec = build_spec(gguf, family=template_family, system=system, num_ctx=num_ctx)
        text = render_modelfile(spec)
        note = (
            f"템플릿 계열: {spec.family.name} ({spec.family.label}), 가중치 {spec.gguf.file_type}, "
            f"num_ctx {spec.num_ctx:,}" + ("" if spec.family.tools else ", 도구 호출 없음")
        )
        if output:
            output.write_text(text, encoding="utf-8")
            typer.echo(f"{output}에 Modelfile을 썼습니다. {note}", err=True)
            typer.echo(f"다음: ollama create 모델이름 -f {output}", err=True)
        else:
            typer.echo(text, nl=False)
            typer.echo(note, err=True)


@models_app.command("create")
def create(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="Ollama에 만들 모델 이름 (예: nuri-llama3-ko)"),
    gguf: Path = _GGUF,
    quantize: str | None = typer.Option(None, "--quantize", help="F16/F32 원본을 양자화: q4_K_M, q8_0, ..."),
    system: str | None = _SYSTEM,
    template_family: str | None = _FAMILY,
    num_ctx: int | None = _NUM_CTX,
) -> None:
    """GGUF를 Ollama 서버에 올리고(/api/blobs) 올바른 템플릿으로 모델을 만듭니다(/api/create)."""
    from agent.llm.ollama_admin import create_from_gguf

    settings = settings_of(ctx)
    console = Console(stderr=True)
    with report_errors():
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            DownloadColumn(),
            TransferSpeedColumn(),
            console=console,
        ) as bar:
            tasks: dict[str, int] = {}
            labels = {"sha256": "sha256 계산", "upload": "업로드"}

            def progress(what: str, done: int, total: int) -> None:
                if what not in tasks:
                    tasks[what] = bar.add_task(labels.get(what, what), total=total)
                bar.update(tasks[what], completed=done)

            def status(line: str) -> None:
                bar.console.print(f"[dim]ollama: {line}[/dim]")

            spec = create_from_gguf(
                settings,
                name,
                gguf,
                quantize=quantize,
                family=template_family,
                system=system,
                num_ctx=num_ctx,
                progress=progress,
                status=status,
            )
        typer.echo(
            f"모델 '{name}'을(를) 만들었습니다 (템플릿 {spec.family.name}, num_ctx {spec.num_ctx:,}"
            f"{', ' + quantize if quantize else ''}). "
            f'사용: NURI_PROVIDER=ollama NURI_MODEL={name} nuri ask "질문"'
        )


@models_app.command("list")
def list_(ctx: typer.Context) -> None:
    """Ollama에 있는 모델의 크기, 양자화, 문맥 길이를 보여 줍니다."""
    from agent.llm.ollama_admin import list_models

    settings = settings_of(ctx)
    with report_errors():
        rows = list_models(settings)
    if not rows:
        typer.echo("Ollama에 모델이 없습니다. `nuri models create 이름 --gguf 파일.gguf`로 만드세요.")
        return
    table = Table("이름", "크기", "양자화", "문맥 길이", "계열")
    for row in rows:
        table.add_row(
            row.name,
            f"{row.size / 1e9:.2f} GB",
            row.quantization,
            f"{row.context_length:,}" if row.context_length else "?",
            row.family,
        )
    Console(width=120).print(table)


def register(app: typer.Typer) -> None:
    """Add `nuri models ...` to the root app."""
    app.add_typer(models_app, name="models")
