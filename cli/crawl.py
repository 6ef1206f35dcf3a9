"""`nuri crawl URL... [--feed URL] [--max-pages N] [--max-depth N] [--json]`: polite crawl into the data dir.

Articles are appended to `<home>/crawl/articles.jsonl` as they are stored and, when the knowledge base is
installed, indexed into it in batches. A progress bar runs on stderr; the closing summary counts what
was fetched, blocked by robots.txt, duplicated or failed, with one Korean line per failure.
"""

from __future__ import annotations

import json
import logging
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from cli.common import report_errors, settings_of
from config import NuriError, Settings
from crawlers.article import Article
from crawlers.pipeline import CrawlReport, PageOutcome, crawl
from crawlers.state import JsonlArchive
from vectorstore.sink import KnowledgeBaseSink

log = logging.getLogger("nuri.cli.crawl")

_LABELS = {
    "stored": "저장",
    "updated": "갱신",
    "unchanged": "변경 없음",
    "duplicate": "중복",
    "listing": "목록",
    "robots": "robots.txt 차단",
    "error": "오류",
    "skipped": "건너뜀",
}


def _summary_lines(report: CrawlReport, archive: JsonlArchive, kb: KnowledgeBaseSink | None) -> list[str]:
    counts = report.summary()
    lines = [
        f"크롤링 완료: 가져온 페이지 {counts['fetched']}개 · 새 기사 {counts['stored']} · 갱신 {counts['updated']} · "
        f"변경 없음 {counts['unchanged']} · 중복 {counts['duplicates']} · robots.txt 차단 {counts['blocked_by_robots']} · "
        f"오류 {counts['errors']} · 건너뜀 {counts['skipped']}",
        f"보관 파일: {archive.path} (이번에 {archive.written}줄 추가)",
    ]
    if kb is not None and kb.error:
        lines.append(
            f"지식 베이스: {kb.error} (기사는 보관 파일에 남아 있습니다. `nuri kb add {archive.path}`)"
        )
    elif kb is not None and kb.active:
        lines.append(f"지식 베이스: 기사 {kb.indexed}건, 청크 {kb.chunks}개 색인")
    failures = report.failures
    if failures:
        lines.append("가져오지 못한 페이지:")
        lines += [f"  - {o.url}: {o.reason}" for o in failures[:50]]
        if len(failures) > 50:
            lines.append(f"  ... 외 {len(failures) - 50}개 (nuri.log 참고)")
    return lines


def register(app: typer.Typer) -> None:
    """Add this module's commands to the root app."""

    @app.command("crawl")
    def crawl_command(
        ctx: typer.Context,
        urls: Annotated[
            list[str] | None, typer.Argument(help="기사·섹션·사이트맵 주소 (여러 개 가능)")
        ] = None,
        feed: Annotated[
            list[str] | None, typer.Option("--feed", help="RSS/Atom 피드 주소 (여러 번 쓸 수 있음)")
        ] = None,
        max_pages: int = typer.Option(
            50, "--max-pages", min=1, help="가져올 최대 페이지 수 (피드·목록 포함)"
        ),
        max_depth: int = typer.Option(1, "--max-depth", min=0, help="시작 주소에서 따라갈 링크 깊이"),
        as_json: bool = typer.Option(False, "--json", help="저장한 기사를 한 줄에 하나씩 JSON으로 출력"),
        index: bool = typer.Option(True, "--index/--no-index", help="지식 베이스에도 넣기 (설치된 경우)"),
    ) -> None:
        """뉴스 기사·섹션·피드를 예의 바르게 크롤링해 데이터 폴더에 저장합니다."""
        with report_errors():
            settings = settings_of(ctx)
            if not urls and not feed:
                raise NuriError(
                    "크롤링할 주소를 주세요. 예: nuri crawl https://언론사/기사 --feed https://언론사/rss"
                )
            report = _run(settings, list(urls or []), list(feed or []), max_pages, max_depth, as_json, index)
        if report.fetched == 0 and report.failures:
            raise typer.Exit(1)


def _run(
    settings: Settings,
    urls: list[str],
    feeds: list[str],
    max_pages: int,
    max_depth: int,
    as_json: bool,
    index: bool,
) -> CrawlReport:
    console = Console(stderr=True)
    archive = JsonlArchive(settings.crawl_dir / "articles.jsonl")
    kb = KnowledgeBaseSink(settings) if index else None

    def sink(article: Article) -> None:
        archive(article)  # first: whatever happens to the index, the article is kept
        if kb is not None:
            kb.add(article)

    progress = Progress(
        TextColumn("[bold]크롤링"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=as_json or not console.is_terminal,
    )
    bar = progress.add_task("", total=max_pages)

    def on_page(outcome: PageOutcome) -> None:
        if outcome.status != "skipped":
            progress.update(bar, advance=1, description=f"{_LABELS[outcome.status]}: {outcome.url[:60]}")
        if as_json and outcome.article is not None and outcome.status in ("stored", "updated"):
            typer.echo(outcome.article.to_json_line())

    with progress:
        report = crawl(
            settings, urls, feeds=feeds, max_pages=max_pages, max_depth=max_depth, sink=sink, on_page=on_page
        )
    if kb is not None:
        kb.flush()
    if as_json:
        summary = {**report.summary(), "archive": str(archive.path)}
        if kb is not None:
            summary.update(indexed_articles=kb.indexed, indexed_chunks=kb.chunks, index_error=kb.error)
        summary["failures"] = [{"url": o.url, "reason": o.reason, "code": o.code} for o in report.failures]
        typer.echo(json.dumps(summary, ensure_ascii=False), err=True)
    else:
        for line in _summary_lines(report, archive, kb):
            typer.echo(line, err=True)
    return report
