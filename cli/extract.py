"""`nuri extract FILE_OR_URL_OR_- [--url URL] [--json]`: one page in, the clean article out.

A local HTML file works offline (decoded from its bytes); `-` reads stdin: HTML, or the plain text of
a whole page selected in a browser (the article is found among menus and links); a URL is fetched
politely through `crawlers.fetch` (robots.txt, SSRF guard, size and time limits).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Annotated

import typer

from cli.common import report_errors, settings_of
from config import NuriError, Settings
from crawlers.article import Article

_LOOKS_HTML = re.compile(rb"<\s*(?:!doctype|html|head|body|meta|div|p|article|section|title|span|br)\b", re.I)


def _looks_like_html(data: bytes) -> bool:
    return bool(_LOOKS_HTML.search(data[:4096]))


def _from_bytes(data: bytes, url: str | None, fallback_url: str, content_type: str | None = None) -> Article:
    from crawlers.extract import decode_html, extract_article, extract_text_paste

    if _looks_like_html(data):
        return extract_article(data, url or fallback_url, content_type)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = decode_html(data, content_type)  # a paste saved in cp949 by an old editor
    return extract_text_paste(text.lstrip("\ufeff"), url)


def _fetch(url: str, settings: Settings) -> Article:
    try:
        from crawlers.fetch import Fetcher
    except ImportError as error:
        raise NuriError(
            "주소에서 페이지를 가져오는 기능(crawlers.fetch)이 아직 설치되지 않았습니다. "
            "브라우저에서 페이지를 저장한 뒤 파일로 실행하세요."
        ) from error
    from crawlers.extract import extract_article

    with Fetcher(settings) as fetcher:
        result = fetcher.fetch(url)
    return extract_article(result.body, result.final_url or url, result.content_type)


def load_article(source: str, url: str | None, settings: Settings) -> Article:
    """The article behind a CLI argument: '-' (stdin), an http(s) URL, or a local file."""
    if source == "-":
        data = sys.stdin.buffer.read()
        if not data.strip():
            raise NuriError("표준 입력이 비어 있습니다. 페이지의 HTML이나 복사한 글을 붙여 넣으세요.")
        return _from_bytes(data, url, "stdin:")
    if source.startswith(("http://", "https://")):
        return _fetch(source, settings)
    path = Path(source).expanduser()
    if not path.is_file():
        raise NuriError(f"파일을 찾을 수 없습니다: {source}. 경로를 확인하거나 http(s) 주소를 주세요.")
    return _from_bytes(path.read_bytes(), url, path.resolve().as_uri())


def _summary(article: Article) -> str:
    lines = [f"제목: {article.title}"]
    if article.outlet:
        lines.append(f"언론사: {article.outlet}")
    if article.published:
        lines.append(f"입력: {article.published:%Y-%m-%d %H:%M} ({article.published.tzname() or 'KST'})")
    if article.updated:
        lines.append(f"수정: {article.updated:%Y-%m-%d %H:%M}")
    if article.authors:
        lines.append(f"기자: {', '.join(article.authors)}")
    if article.section:
        lines.append(f"분류: {article.section}")
    lines.append(f"주소: {article.canonical_url}")
    if article.captions:
        lines.append(f"사진 설명: {len(article.captions)}개 (본문과 따로 보관)")
    lines.append("")
    lines.append(article.text or "(본문 없음: 사진이나 영상만 있는 페이지일 수 있습니다)")
    return "\n".join(lines)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the root app."""

    @app.command("extract")
    def extract(
        ctx: typer.Context,
        source: Annotated[str, typer.Argument(help="HTML 파일, http(s) 주소, 또는 - (표준 입력)")],
        url: Annotated[
            str | None, typer.Option("--url", help="저장된 페이지나 붙여 넣은 글의 원래 주소")
        ] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Article을 JSON 한 줄로 출력")] = False,
    ) -> None:
        """기사 한 편을 추출합니다: 저장된 HTML, 주소, 또는 브라우저에서 복사한 글."""
        with report_errors():
            article = load_article(source, url, settings_of(ctx))
            typer.echo(article.to_json_line() if as_json else _summary(article))
