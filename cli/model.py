"""`nuri model prepare`: assemble (once) and verify the embedded model; `make run` and `make test` call it."""

from __future__ import annotations

import typer

from cli.common import report_errors, settings_of

model_app = typer.Typer(help="내장 모델(GGUF) 준비", no_args_is_help=True)


@model_app.command("prepare")
def prepare(
    ctx: typer.Context,
    name: str | None = typer.Option(
        None,
        "--model",
        help="qwen-1.5b: 더 크고 정확하지만 느린 모델 (조각 패키지를 따로 설치; docs/lightweighting.md)",
    ),
) -> None:
    """기본 모델 조각을 이어 붙여 데이터 폴더에 GGUF를 만들고 sha256을 확인합니다 (이미 있으면 바로 끝)."""
    from agent.llm.assets import prepare_model  # lazy: keeps `nuri --help` fast

    settings = settings_of(ctx)
    with report_errors():
        if name:
            from agent.llm.model_assets import prepare_named

            prepared = prepare_named(settings, name)
        else:
            prepared = prepare_model(settings)
    if prepared.sha256 is None:
        verdict = "사용자 GGUF (NURI_GGUF): 헤더 확인 완료, sha256은 고정값이 없어 건너뜀"
    else:
        verdict = f"sha256 {prepared.sha256} 일치"
    state = "이미 준비됨" if prepared.reused else "새로 만듦"
    typer.echo(f"모델: {prepared.label} ({state})")
    typer.echo(f"경로: {prepared.path}")
    typer.echo(f"크기: {prepared.size:,} 바이트")
    typer.echo(f"검증: {verdict}")
    if name and name != "qwen-0.5b":
        typer.echo(f"사용: NURI_GGUF={prepared.path} 로 설정하면 내장 런타임이 이 모델을 씁니다.")


def register(app: typer.Typer) -> None:
    """Add this module's commands to the root app."""
    app.add_typer(model_app, name="model")
