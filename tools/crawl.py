"""The crawl tools: `crawl` (article or section URLs) and `crawl_news` (an outlet's feed), both indexing.

Fetching goes through `crawlers.crawl` (robots.txt, the SSRF guard, politeness, de-duplication: all of it);
stored articles go to the JSON-lines archive (as `nuri crawl` does) and into the knowledge base. An article
the crawler reports as unchanged or a duplicate is looked up where it was stored, so it is still listed.
What the model reads of a page is an excerpt inside data delimiters (`wrap_untrusted`): a page cannot pass
itself off as instructions.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated

from pydantic import BeforeValidator

from config import NuriError
from tools.context import ToolEnv, current_env
from tools.crawl_text import nothing_found, render
from tools.news_sources import resolve_source, source_in_question
from tools.results import ToolOutput

if TYPE_CHECKING:  # the crawler is imported when a tool runs: importing `tools` stays quick
    from crawlers.article import Article
    from crawlers.pipeline import PageOutcome
    from crawlers.state import CrawlState, JsonlArchive

__all__ = ["CrawlRun", "Fetched", "articles_for_urls", "crawl", "crawl_news", "crawl_news_args", "crawl_urls"]

log = logging.getLogger("nuri.tools.crawl")

MAX_PAGES = 30  # most pages one `crawl` call fetches
MAX_NEWS = 20  # most articles one `crawl_news` call collects
_ARTICLE = ("stored", "updated", "unchanged", "duplicate")


def _as_url_list(value: object) -> object:
    """Small models send one URL as a string, or several in one string: accept both.

    >>> _as_url_list("https://a.kr/1, https://b.kr/2"), _as_url_list(["https://a.kr/1"])
    (['https://a.kr/1', 'https://b.kr/2'], ['https://a.kr/1'])
    """
    if isinstance(value, str):
        return [part for part in re.split(r"[\s,]+", value) if part]
    return value


def _with_scheme(url: str) -> str:
    """`www.yna.co.kr/view/...` (no scheme, as people paste it) means https; anything else is left alone.

    >>> _with_scheme("www.yna.co.kr/view/AKR1"), _with_scheme("ftp://x.kr/a"), _with_scheme("메모")
    ('https://www.yna.co.kr/view/AKR1', 'ftp://x.kr/a', '메모')
    """
    url = url.strip().strip("<>\"'")
    if "://" not in url and re.match(r"^[\w.-]+\.[a-z]{2,}(?::\d+)?(?:/|$)", url, re.IGNORECASE):
        return "https://" + url
    return url


@dataclass
class Fetched:
    """One article a crawl produced or found already stored, and what happened to it."""

    article: Article
    status: str  # stored | updated | unchanged | duplicate
    url: str  # the page that was asked for


@dataclass
class CrawlRun:
    """What one crawl did, in the terms the tools report."""

    fetched: list[Fetched] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)  # one Korean line per page: "URL: reason"
    links_found: int = 0  # article links found on listing pages, feeds and sitemaps
    skipped: int = 0  # links left for lack of page budget
    merged: int = 0  # pages whose story is already in the list (a reprint of a listed article)
    index_note: str | None = None  # why the knowledge base did not take (all) the articles

    def count(self, status: str) -> int:
        return sum(1 for f in self.fetched if f.status == status)


def _lookup(state: CrawlState, archive: JsonlArchive, cache: list, outcome: PageOutcome) -> Article | None:
    """The stored article behind an "unchanged" or "duplicate" outcome: crawl state first, then the archive.

    The crawler keeps no public page-URL -> article lookup, so the archive is scanned (once per crawl).
    """
    from crawlers.urls import canonicalize

    try:
        canonical = canonicalize(outcome.url)
    except Exception:  # noqa: BLE001 - an odd URL is still a key
        canonical = outcome.url
    for key in (outcome.duplicate_of, canonical):
        found = state.article(key) if key else None
        if found is not None:
            return found
    if not cache:
        cache.append(archive.read())
    for article in cache[0]:
        urls = {article.url, article.canonical_url, *(s.url for s in article.sources)}
        if outcome.url in urls or canonical in urls:
            return article
    return None


def _index(env: ToolEnv, run: CrawlRun) -> None:
    """Put every article of the run in the knowledge base (unchanged ones too: a no-op when already there)."""
    if not run.fetched:
        return
    env.progress(f"지식 베이스에 기사 {len(run.fetched)}건 색인 중…")
    try:
        report = env.kb().add([f.article for f in run.fetched])
    except NuriError as error:
        run.index_note = f"지식 베이스에 넣지 못했습니다: {error}"
        return
    except Exception as error:  # noqa: BLE001 - the archive already holds the articles
        log.exception("knowledge base add failed")
        run.index_note = f"지식 베이스에 넣지 못했습니다 ({type(error).__name__}: {error})"
        return
    if report.rejected:
        run.index_note = "지식 베이스가 받지 않은 기사: " + "; ".join(
            f"{r.url}: {r.reason}" for r in report.rejected
        )


def crawl_urls(
    env: ToolEnv, urls: list[str] = (), feeds: list[str] = (), *, max_pages: int = 1, expected: int = 1
) -> CrawlRun:
    """Crawl seeds with the crawler's own rules, archive and index what was stored; nothing raises per page."""
    from crawlers.pipeline import crawl as run_crawler
    from crawlers.state import CrawlState, JsonlArchive

    settings = env.settings
    archive = JsonlArchive(settings.crawl_dir / "articles.jsonl")
    outcomes: list[PageOutcome] = []

    def on_page(outcome: PageOutcome) -> None:
        outcomes.append(outcome)
        if outcome.status in _ARTICLE:
            done = sum(1 for o in outcomes if o.status in _ARTICLE)
            what = f"수집: {outcome.article.title[:40]}" if outcome.article else f"이미 저장됨: {outcome.url}"
            env.progress(f"기사 {done}/{max(expected, done)} {what}")
        elif outcome.status == "listing":
            env.progress(f"목록에서 기사 링크 {outcome.links}개를 찾았습니다")
        elif outcome.status in ("robots", "error"):
            env.progress(f"가져오지 못함: {outcome.url} ({outcome.reason})")

    report = run_crawler(
        settings,
        list(urls),
        feeds=list(feeds),
        max_pages=max_pages,
        max_depth=1,
        sink=archive,
        on_page=on_page,
    )
    run = CrawlRun()
    cache: list = []
    with CrawlState(settings.crawl_dir / "state.sqlite3") as state:
        for outcome in report.outcomes:
            if outcome.status in ("robots", "error"):
                run.failures.append(f"{outcome.url}: {outcome.reason}")
            elif outcome.status == "skipped":
                run.skipped += 1
            elif outcome.status == "listing":
                run.links_found += outcome.links
            elif outcome.status in _ARTICLE:
                article = outcome.article if outcome.status != "unchanged" else None
                article = article or _lookup(state, archive, cache, outcome)
                if article is None:
                    run.failures.append(f"{outcome.url}: {outcome.reason or '저장된 기사를 찾지 못함'}")
                    continue
                listed = next(
                    (f for f in run.fetched if f.article.canonical_url == article.canonical_url), None
                )
                if listed is None:
                    run.fetched.append(Fetched(article, outcome.status, outcome.url))
                else:  # a reprint of a listed story: keep the copy that names every outlet
                    listed.article, run.merged = article, run.merged + 1
    _index(env, run)
    return run


def articles_for_urls(urls: list[str], env: ToolEnv, max_pages: int = 1) -> tuple[list[Article], list[str]]:
    """The articles at `urls` (crawled now, or as already stored) and one Korean line per URL that failed.

    For tools that work on articles (summaries): robots.txt, the SSRF guard and politeness all apply, and
    the articles are archived and indexed like any crawl.
    """
    seeds = [_with_scheme(u) for u in _as_url_list(urls) or []]  # type: ignore[union-attr]
    if not seeds:
        return [], ["가져올 기사 주소가 없습니다. https://로 시작하는 주소를 주세요."]
    budget = min(max(max_pages, len(seeds)), MAX_PAGES)
    run = crawl_urls(env, seeds, max_pages=budget, expected=len(seeds))
    failures = list(run.failures)
    if run.index_note:
        failures.append(run.index_note)
    if not run.fetched and not failures:
        failures.append(nothing_found(run))
    return [f.article for f in run.fetched], failures


def crawl(urls: Annotated[list[str], BeforeValidator(_as_url_list)], max_pages: int = 1) -> ToolOutput:
    """Fetch news article pages from the web, store them in the knowledge base, and show their text.

    Use it when the user gives article URLs to read, collect, save or summarize
    ("이 기사 수집해서 요약해 줘 https://...", "이 링크 저장해 줘").
    urls: the article URLs, e.g. ["https://www.yna.co.kr/view/AKR20261123045100004"] (one string works too).
    max_pages: pages to fetch in all (default 1 per URL); raise it (up to 30) for a section page whose
    listed articles should be collected too.
    Returns each article as a numbered source [n] with the start of its text.
    """
    env = current_env()
    seeds = [_with_scheme(u) for u in _as_url_list(urls) or []]  # type: ignore[union-attr]
    if not seeds:
        return ToolOutput("가져올 기사 주소가 없습니다. https://로 시작하는 기사 주소를 주세요.")
    budget = min(max(max_pages, len(seeds)), MAX_PAGES)
    run = crawl_urls(env, seeds, max_pages=budget, expected=len(seeds) if budget == len(seeds) else budget)
    return render(run, env, "수집 결과", cap=1500)


_COUNT = re.compile(r"(\d{1,2})\s*(?:건|개|편|꼭지)")


def crawl_news_args(question: str, args: dict) -> dict:
    """A forced `crawl_news` call with the outlet, section and count the question itself names.

    Small models copy the docstring's example ("연합뉴스 경제") instead of the outlet asked for, and drop
    the count; the question is read by the same resolver the tool uses. A question that names no known
    outlet keeps the model's source.

    >>> crawl_news_args("한겨레 경제 기사 3건 모아 줘", {"source": "연합뉴스 경제", "limit": 5})
    {'source': '한겨레 경제', 'limit': 3}
    >>> crawl_news_args("최신 뉴스 모아 줘", {"source": "https://news.example.kr/rss.xml"})
    {'source': 'https://news.example.kr/rss.xml'}
    """
    fixed = dict(args)
    source = source_in_question(question)
    if source is not None:
        fixed["source"] = source
    count = _COUNT.search(question)
    if count and 1 <= int(count.group(1)) <= MAX_NEWS:
        fixed["limit"] = int(count.group(1))
    return fixed


def crawl_news(source: str, limit: int = 5) -> ToolOutput:
    """Collect the latest articles of a Korean news outlet (or section) and store them in the knowledge base.

    Use it for "오늘 연합뉴스 경제 기사 5건 모아 줘", "한겨레 최신 기사", "SBS 정치 뉴스 모아서 브리핑해 줘".
    source: an outlet and optional section, e.g. "연합뉴스 경제", "한겨레", "yna politics", or an RSS feed,
    sitemap or section page URL.
    limit: how many articles (default 5, at most 20).
    Returns the articles as numbered sources [n] (title, outlet, date, URL) with a short excerpt each.
    """
    env = current_env()
    try:
        plan = resolve_source(source)
    except NuriError as error:
        return ToolOutput(str(error))
    limit = max(1, min(int(limit), MAX_NEWS))
    env.progress(f"{plan.label}에서 기사 찾는 중…")
    seeds = len(plan.feeds) + len(plan.pages)
    run = crawl_urls(env, list(plan.pages), list(plan.feeds), max_pages=limit + seeds, expected=limit)
    notes = [plan.note] if plan.note else []
    return render(run, env, f"{plan.label} 수집 결과", cap=400, notes=notes)
