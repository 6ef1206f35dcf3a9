"""`nuri search` and `nuri kb add | list | delete | stats | reindex`: the knowledge base from the shell."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import typer

from cli.common import report_errors, settings_of
from config import NuriError

kb_app = typer.Typer(help="지식 베이스 관리: 기사 넣기, 목록, 지우기, 통계, 재색인", no_args_is_help=True)

_OUTLET = typer.Option(None, "--outlet", help="이 언론사의 기사만 (여러 번 줄 수 있음)")
_SINCE = typer.Option(None, "--since", help="이 날짜(YYYY-MM-DD, 한국 시각) 이후 기사만")
_UNTIL = typer.Option(None, "--until", help="이 날짜(YYYY-MM-DD, 한국 시각)까지의 기사만")
_JSON = typer.Option(False, "--json", help="JSON으로 출력")


def _date(value: str | None, option: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise NuriError(
            f"{option} 값 '{value}'을(를) 날짜로 읽을 수 없습니다. 2026-03-01처럼 적어 주세요."
        ) from None


def _open(ctx: typer.Context):
    from vectorstore import KnowledgeBase

    return KnowledgeBase(settings_of(ctx))


def search(
    ctx: typer.Context,
    query: str = typer.Argument(..., help="찾을 내용 (한국어 질문)"),
    k: int | None = typer.Option(None, "--k", "-k", min=1, max=50, help="결과 수 (기본: NURI_SEARCH_K)"),
    json_out: bool = _JSON,
    outlet: list[str] | None = _OUTLET,
    since: str | None = _SINCE,
    until: str | None = _UNTIL,
    mode: str = typer.Option("hybrid", "--mode", help="hybrid | dense | bm25"),
) -> None:
    """지식 베이스에서 질문과 가장 가까운 기사를 찾습니다 (기사마다 가장 맞는 부분 하나)."""
    from vectorstore import SearchFilters

    with report_errors():
        filters = SearchFilters(
            outlets=outlet or [], since=_date(since, "--since"), until=_date(until, "--until")
        )
        kb = _open(ctx)
        hits = kb.search(query, k=k or kb.settings.search_k, filters=filters, mode=mode)  # type: ignore[arg-type]
        if json_out:
            typer.echo(json.dumps([h.model_dump(mode="json") for h in hits], ensure_ascii=False, indent=2))
            return
        if not hits:
            typer.echo("찾은 기사가 없습니다. `nuri kb stats`로 지식 베이스에 기사가 있는지 확인하세요.")
            return
        for n, hit in enumerate(hits, 1):
            snippet = " ".join(hit.text.split())
            typer.echo(hit.cite(n))
            typer.echo(f"    점수 {hit.score:.3f} | {snippet[:200]}{'…' if len(snippet) > 200 else ''}")


@kb_app.command("add")
def add(
    ctx: typer.Context,
    file: str = typer.Argument(
        ..., help="한 줄에 기사 하나인 JSONL (`nuri extract --json` 출력), '-'는 표준 입력"
    ),
) -> None:
    """JSONL 파일의 기사들을 지식 베이스에 넣습니다 (바뀐 기사는 통째로 교체, 같은 기사는 그대로)."""
    from crawlers.article import Article

    with report_errors():
        if file == "-":
            lines = sys.stdin.read().splitlines()
        else:
            path = Path(file)
            if not path.is_file():
                raise NuriError(f"파일 {file}이(가) 없습니다. 경로를 확인하세요.")
            lines = path.read_text(encoding="utf-8").splitlines()
        articles = []
        # Read every line before writing anything: one bad line stops the import, not half of it.
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                articles.append(Article.from_json_line(line))
            except ValueError as error:
                first = str(error).splitlines()[0]
                raise NuriError(
                    f"{number}번째 줄이 기사 JSON이 아닙니다 ({first}). "
                    "`nuri extract --json`이 출력한 형식(한 줄에 기사 하나)으로 고쳐 주세요."
                ) from None
        if not articles:
            raise NuriError(f"{file}에 기사가 없습니다. 한 줄에 기사 JSON 하나씩 넣어 주세요.")
        report = _open(ctx).add(articles)
        typer.echo(report.summary())
        for rejection in report.rejected:
            typer.echo(f"  거부: {rejection.url}: {rejection.reason}", err=True)


@kb_app.command("list")
def list_documents(ctx: typer.Context, json_out: bool = _JSON) -> None:
    """저장된 기사 목록 (최신순, 청크 수 포함)."""
    with report_errors():
        docs = _open(ctx).documents()
        if json_out:
            typer.echo(json.dumps([d.model_dump(mode="json") for d in docs], ensure_ascii=False, indent=2))
            return
        for doc in docs:
            day = doc.published.date().isoformat() if doc.published else "날짜 없음"
            typer.echo(f"{day}  {doc.outlet or '-'}  {doc.title}  (청크 {doc.chunks})  {doc.url}")
        typer.echo(f"기사 {len(docs)}건")


@kb_app.command("delete")
def delete(
    ctx: typer.Context,
    url: str | None = typer.Option(None, "--url", help="이 URL(또는 정규 URL)의 기사"),
    outlet: str | None = typer.Option(None, "--outlet", help="이 언론사의 기사"),
    since: str | None = _SINCE,
    until: str | None = _UNTIL,
) -> None:
    """조건에 모두 맞는 기사를 지웁니다 (조건 하나 이상 필요)."""
    with report_errors():
        count = _open(ctx).delete(
            url=url, outlet=outlet, since=_date(since, "--since"), until=_date(until, "--until")
        )
        typer.echo(f"기사 {count}건을 지웠습니다.")


@kb_app.command("stats")
def stats(ctx: typer.Context, json_out: bool = _JSON) -> None:
    """기사 수, 청크 수, 언론사별 수, 기간, 임베딩 모델, 저장 위치."""
    with report_errors():
        info = _open(ctx).stats()
        if json_out:
            typer.echo(json.dumps(info.model_dump(mode="json"), ensure_ascii=False, indent=2))
            return
        span = f"{info.oldest.date()} ~ {info.newest.date()}" if info.oldest and info.newest else "-"
        typer.echo(f"기사 {info.documents}건, 청크 {info.chunks}개, 기간 {span}")
        typer.echo("언론사: " + (", ".join(f"{k} {v}" for k, v in sorted(info.outlets.items())) or "-"))
        typer.echo(f"임베딩: {info.embedder} | 컬렉션: {info.collection} | 저장소: {info.location}")


@kb_app.command("reindex")
def reindex(ctx: typer.Context) -> None:
    """저장된 기사 전체를 지금 설정의 임베딩 모델로 다시 나누고 다시 임베딩합니다."""
    with report_errors():
        report = _open(ctx).reindex()
        typer.echo(f"재색인을 마쳤습니다: {report.summary()}")


def register(app: typer.Typer) -> None:
    """Add `nuri search` and the `nuri kb` group to the root app."""
    app.command("search")(search)
    app.add_typer(kb_app, name="kb")
