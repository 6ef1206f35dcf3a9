"""The crawl loop: seeds and feeds in, articles out through a `sink`, one outcome per page.

Breadth-first within `max_pages` fetches (feeds, sitemaps and section pages count) and `max_depth` link
hops; links are followed only on the same site as the seed they came from (`crawlers.urls.same_site`:
exact host or registrable domain, never a string prefix). At most one request per host is in flight, so
the fetcher threads never queue behind one slow host; the `Fetcher` still enforces the delays. Every
failure becomes a `PageOutcome` with a one-line Korean reason and the batch goes on.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass

from config import NuriError, Settings
from crawlers.article import Article, Source
from crawlers.fetch import Fetcher, FetchError, FetchResult
from crawlers.pages import Kind, Parsed, parse_body
from crawlers.report import CrawlReport, PageOutcome, Status
from crawlers.state import CrawlState

log = logging.getLogger(__name__)

Sink = Callable[[Article], None]


@dataclass
class _Task:
    url: str
    kind: Kind
    depth: int
    scope: str  # the seed this task descends from: links must stay on its site


@dataclass
class _Done:
    task: _Task
    result: FetchResult | FetchError
    parsed: Parsed | None = None


def _canonical(url: str) -> str:
    from crawlers.urls import canonicalize

    try:
        return canonicalize(url)
    except Exception:  # noqa: BLE001 - an odd URL is still a key
        return url


def _same_site(a: str, b: str) -> bool:
    from crawlers.urls import same_site

    return same_site(a, b)


class Crawler:
    """One crawl: seeds, budget, state and sink. `run()` returns the report; `on_page` sees each outcome."""

    def __init__(
        self,
        settings: Settings,
        *,
        sink: Sink | None = None,
        fetcher: Fetcher | None = None,
        state: CrawlState | None = None,
        dedup: object | None = None,
        on_page: Callable[[PageOutcome], None] | None = None,
    ) -> None:
        self.settings = settings
        self.state = state or CrawlState(settings.crawl_dir / "state.sqlite3")
        self.fetcher = fetcher or Fetcher(settings, robots_store=self.state)
        self.sink = sink
        self.dedup = dedup
        self.on_page = on_page
        self.report = CrawlReport()

    def _emit(self, outcome: PageOutcome) -> None:
        self.report.outcomes.append(outcome)
        if self.on_page is not None:
            self.on_page(outcome)

    def run(
        self, urls: Iterable[str] = (), *, feeds: Iterable[str] = (), max_pages: int = 50, max_depth: int = 1
    ) -> CrawlReport:
        frontier: deque[_Task] = deque()
        visited: set[str] = set()
        for url, kind in [(u, "feed") for u in feeds] + [(u, "page") for u in urls]:
            if _canonical(url) not in visited:
                visited.add(_canonical(url))
                frontier.append(_Task(url, kind, 0, url))  # type: ignore[arg-type]
        budget = max_pages
        busy: set[str] = set()
        in_flight: dict[Future, tuple[_Task, str]] = {}
        with ThreadPoolExecutor(self.settings.crawl_concurrency, thread_name_prefix="crawl") as pool:
            while frontier or in_flight:
                while budget > 0 and len(in_flight) < self.settings.crawl_concurrency:
                    picked = self._pick(frontier, busy)
                    if picked is None:
                        break
                    task, host = picked
                    budget -= 1
                    busy.add(host)
                    in_flight[pool.submit(self._work, task, max_depth)] = (task, host)
                if not in_flight:
                    break
                finished, _ = wait(in_flight, return_when=FIRST_COMPLETED)
                for future in finished:
                    task, host = in_flight.pop(future)
                    busy.discard(host)
                    self._handle(future, task, frontier, visited, max_depth)
        for task in frontier:
            self._emit(PageOutcome(task.url, "skipped", f"최대 페이지 수({max_pages})에 도달해 건너뜀"))
        return self.report

    def _pick(self, frontier: deque[_Task], busy: set[str]) -> tuple[_Task, str] | None:
        """The first queued task whose host has nothing in flight; refused URLs are reported right away."""
        for task in list(frontier):
            try:
                host = self.fetcher.guard.check_url(task.url).host_key
            except FetchError as error:
                frontier.remove(task)
                self._emit(PageOutcome(task.url, "error", str(error), error.reason))
                continue
            if host not in busy:
                frontier.remove(task)
                return task, host
        return None

    def _work(self, task: _Task, max_depth: int) -> _Done:
        etag, last_modified = self.state.validators(task.url) if task.kind == "page" else (None, None)
        result = self.fetcher.try_fetch(task.url, etag=etag, last_modified=last_modified)
        if isinstance(result, FetchError) or result.not_modified:
            return _Done(task, result)
        parsed = parse_body(
            result.body, result.final_url, result.content_type, task.kind, task.depth < max_depth
        )
        return _Done(task, result, parsed)

    def _handle(self, future: Future, task: _Task, frontier: deque[_Task], visited: set[str], max_depth: int):
        try:
            done: _Done = future.result()
        except Exception as error:  # noqa: BLE001 - a bug on one page must not lose the batch
            log.exception("crawl task failed for %s", task.url)
            self._emit(PageOutcome(task.url, "error", f"예기치 못한 오류 ({type(error).__name__})", "bug"))
            return
        result = done.result
        if isinstance(result, FetchError):
            status: Status = "robots" if result.reason == "robots" else "error"
            self._emit(PageOutcome(task.url, status, str(result), result.reason))
            return
        if result.not_modified:
            self._emit(PageOutcome(task.url, "unchanged", "바뀌지 않음 (304)"))
            return
        parsed = done.parsed
        assert parsed is not None
        added = 0
        for link, kind, deeper in parsed.links:
            depth = task.depth + 1 if deeper else task.depth
            key = _canonical(link)
            if key in visited or depth > max_depth or not _same_site(task.scope, link):
                continue
            visited.add(key)
            frontier.append(_Task(link, kind, depth, task.scope))
            added += 1
        if parsed.article is not None:
            self._emit(self._store(task.url, parsed.article, result))
        elif parsed.listing:
            self._emit(PageOutcome(task.url, "listing", links=added))
        else:
            self._emit(PageOutcome(task.url, "error", parsed.reason or "기사 본문이 없음", "no_article"))

    def _store(self, url: str, article: Article, result: FetchResult) -> PageOutcome:
        """Store a new or changed article; fold a near-duplicate into the earlier article's sources."""
        canonical = article.canonical_url
        previous = self.state.article(canonical)
        duplicate_of = None
        if previous is not None and (previous.title, previous.text) == (article.title, article.text):
            self.state.record_page(url, canonical, result.etag, result.last_modified)
            return PageOutcome(url, "unchanged", "내용이 같음")
        if previous is not None:
            to_store, status = _with_sources(article, previous.sources), "updated"
        else:
            found = self.dedup.find(article) if self.dedup is not None else None
            if found and found != canonical:
                duplicate_of = found
                original = self.state.article(found)
                if original is None:  # indexed by an older crawl whose article we no longer hold
                    self.state.record_page(url, canonical, result.etag, result.last_modified)
                    return PageOutcome(
                        url, "duplicate", f"이미 저장한 기사와 같음 ({found})", duplicate_of=found
                    )
                to_store, status = _with_sources(original, [_source_of(article)]), "duplicate"
                merge = getattr(self.dedup, "merge_source", None)
                if merge is not None:  # keep the index's own record of sources in step
                    try:
                        merge(found, article)
                    except KeyError:
                        log.info("dedup index has no record of %s", found)
            else:
                to_store, status = _with_sources(article, []), "stored"
        try:
            if self.sink is not None:
                self.sink(to_store)
        except NuriError as error:
            return PageOutcome(url, "error", str(error), "sink")
        self.state.put_article(to_store)
        if self.dedup is not None and status == "stored":
            self.dedup.add(to_store)
        self.state.record_page(url, canonical, result.etag, result.last_modified)
        if status == "duplicate":
            reason = f"이미 저장한 기사와 같음 ({duplicate_of})"
            return PageOutcome(url, "duplicate", reason, article=to_store, duplicate_of=duplicate_of)
        return PageOutcome(url, status, article=to_store)


def _source_of(article: Article) -> Source:
    return Source(outlet=article.outlet, url=article.url)


def _with_sources(article: Article, extra: Iterable[Source]) -> Article:
    """`article` with `extra` sources appended, each URL once, its own URL first."""
    sources = [_source_of(article), *article.sources, *extra]
    unique = list({s.url: s for s in reversed(sources)}.values())[::-1]
    return article.model_copy(update={"sources": unique})


def crawl(
    settings: Settings,
    urls: Iterable[str] = (),
    *,
    feeds: Iterable[str] = (),
    max_pages: int = 50,
    max_depth: int = 1,
    sink: Sink | None = None,
    on_page: Callable[[PageOutcome], None] | None = None,
    fetcher: Fetcher | None = None,
) -> CrawlReport:
    """Crawl `urls` and `feeds` with the state and de-duplication index in the data dir."""
    state = CrawlState(settings.crawl_dir / "state.sqlite3")
    own_fetcher = fetcher is None
    fetcher = fetcher or Fetcher(settings, robots_store=state)
    dedup = open_dedup(settings)
    try:
        crawler = Crawler(settings, sink=sink, fetcher=fetcher, state=state, dedup=dedup, on_page=on_page)
        return crawler.run(urls, feeds=feeds, max_pages=max_pages, max_depth=max_depth)
    finally:
        if own_fetcher:
            fetcher.close()
        if dedup is not None and hasattr(dedup, "close"):
            dedup.close()
        state.close()


def open_dedup(settings: Settings) -> object | None:
    """The near-duplicate index in the data dir, when `crawlers.dedup` is available."""
    try:
        from crawlers.dedup import DuplicateIndex
    except ImportError:
        log.info("crawlers.dedup not available: de-duplicating by canonical URL only")
        return None
    return DuplicateIndex(settings.crawl_dir / "simhash.sqlite3")
