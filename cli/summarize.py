"""`nuri summarize URL|FILE|-`: a summary in 한 줄 / 3줄 / 요점 / 브리핑 style, with its sources.

A URL is crawled first (robots.txt, the SSRF guard and politeness apply); a FILE may be plain text, a saved
HTML page, or `nuri extract --json` lines (several articles make a briefing); `-` reads standard input.
The summary goes to stdout, progress and the model badge to stderr, so `> summary.txt` keeps only the
summary.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import typer
from rich.console import Console

from cli.common import report_errors, settings_of
from config import NuriError, Settings

_LOOKS_HTML = re.compile(r"<\s*(?:!doctype|html|head|body|article)\b", re.IGNORECASE)


def open_handle(settings: Settings):
    """The chat model the settings ask for (a seam: tests replace this with a fake server's model)."""
    from agent.llm import open_chat_model  # lazy: starting a backend is heavy

    return open_chat_model(settings)


def _articles(text: str) -> list | None:
    """The articles when `text` is `nuri extract --json` output (one Article JSON per line), else None."""
    from crawlers.article import Article

    lines = [line for line in text.splitlines() if line.strip()]
    if not lines or not lines[0].lstrip().startswith("{"):
        return None
    try:
        return [Article.from_json_line(line) for line in lines]
    except ValueError:
        return None


def sources_from_text(text: str, origin: str) -> list:
    """What a file or standard input holds (as `Source`s): article JSON lines, a saved HTML page, or text."""
    from tools.summarize_sources import Source, check_size

    text = text.lstrip("\ufeff")
    check_size(text)
    if not text.strip():
        raise NuriError(f"{origin}에 요약할 글이 없습니다. 요약할 글이나 기사 파일을 주세요.")
    articles = _articles(text)
    if articles:
        return [Source.from_article(a) for a in articles]
    if _LOOKS_HTML.search(text[:4096]):
        from crawlers.extract import extract_article

        return [Source.from_article(extract_article(text.encode("utf-8"), origin))]
    return [Source(text.strip())]


def _read_file(path: Path) -> str:
    from tools.summarize_sources import MAX_PASTE_BYTES

    size = path.stat().st_size
    if size > MAX_PASTE_BYTES:
        raise NuriError(
            f"파일이 너무 큽니다 ({size / 1e6:.1f} MB > 한도 {MAX_PASTE_BYTES / 1e6:.1f} MB). "
            "글을 몇 부분으로 나누어 따로 요약하세요."
        )
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp949", errors="replace")  # a text saved by an old Korean editor


def _local_sources(target: str) -> list | None:
    """Sources from `-` or an existing file; None when `target` is a URL, a title or text for the tool."""
    if target == "-":
        return sources_from_text(sys.stdin.read(), "표준 입력")
    path = Path(target).expanduser()
    if len(target) < 1024 and "\n" not in target and path.is_file():
        return sources_from_text(_read_file(path), path.resolve().as_uri())
    if re.fullmatch(r"[\w./~-]+\.(?:txt|md|html?|jsonl?)", target):
        raise NuriError(f"파일을 찾을 수 없습니다: {target}. 경로를 확인하거나 기사 URL을 주세요.")
    return None


def summarize(ctx: typer.Context, target: str, style: str, length: str | None, as_json: bool) -> None:
    from tools.context import ToolEnv, using_env
    from tools.summarize import summarize_sources
    from tools.summarize_prompts import LABELS, normalize_style
    from tools.summarize_sources import citations_for, resolve

    settings = settings_of(ctx)
    side = Console(stderr=True, highlight=False, soft_wrap=True)
    with report_errors():
        style_key = normalize_style(style)
        local = _local_sources(target)
        handle = open_handle(settings)
        env = ToolEnv(
            settings,
            model=handle.model,
            count_tokens=handle.tokens,
            context_length=handle.context_length,
            progress=lambda text: side.print(f"· {text}", style="dim", markup=False),
        )
        with using_env(env):
            sources, notes = (local, []) if local is not None else resolve(target, env)
            text, calls = summarize_sources(sources, style_key, length, env=env)
        citations = citations_for(sources)
        if as_json:
            payload = {
                "summary": text,
                "style": LABELS[style_key],
                "citations": [c.to_dict() for c in citations],
                "notes": notes,
                "model_calls": calls,
                "backend": handle.badge(),
            }
            typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        typer.echo(text)
        if citations:
            typer.echo("\n출처:")
            for citation in citations:
                typer.echo(citation.line())
        for note in notes:
            side.print(f"! 가져오지 못함: {note}", style="dim yellow", markup=False)
        side.print(f"[{handle.badge()} · 모델 호출 {calls}번]", style="dim", markup=False)


def register(app: typer.Typer) -> None:
    """Add `nuri summarize` to the root app."""

    @app.command("summarize")
    def summarize_command(
        ctx: typer.Context,
        target: str = typer.Argument(
            ..., help="기사 URL(여러 개는 쉼표로), 파일, 저장된 기사 제목, 또는 - (표준 입력)"
        ),
        style: str = typer.Option("3줄", "--style", "-s", help="한 줄 | 3줄 | 요점 | 브리핑"),
        length: str | None = typer.Option(None, "--length", help='분량, 예: "짧게", "200자"'),
        as_json: bool = typer.Option(False, "--json", help="요약과 출처를 JSON으로 출력합니다"),
    ) -> None:
        """기사·파일·붙여 넣은 글을 요약합니다: 긴 글도 모델의 문맥 창을 넘지 않게 나누어 요약합니다."""
        summarize(ctx, target, style, length, as_json)
