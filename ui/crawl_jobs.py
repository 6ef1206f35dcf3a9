"""Crawls started from the browser: one process-wide registry, one background thread per crawl.

A crawl outlives the script run that started it (Streamlit reruns the page on every click), so the work
runs in a `threading.Thread` and its progress lives in a lock-protected `CrawlJob`; the page only reads
snapshots. The same request (same URLs, feeds and page budget) is refused while it runs. Articles are
archived and indexed as they arrive, so a crawl that fails half-way keeps what it stored.
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Literal

from config import NuriError, Settings
from crawlers.article import Article
from crawlers.pipeline import PageOutcome, crawl
from crawlers.state import JsonlArchive
from vectorstore.sink import KnowledgeBaseSink

if TYPE_CHECKING:
    from vectorstore import KnowledgeBase

log = logging.getLogger("nuri.ui.crawl")

State = Literal["running", "done", "failed"]
ALREADY_RUNNING = "이미 같은 수집이 진행 중입니다. 진행 상황을 아래에서 확인하세요."
MAX_PAGES_LIMIT = 500


def _lines(text: str) -> tuple[str, ...]:
    """Non-empty stripped lines, each once, in order.

    >>> _lines(" https://a.kr/1\\n\\nhttps://a.kr/1\\nhttps://b.kr ")
    ('https://a.kr/1', 'https://b.kr')
    """
    return tuple(dict.fromkeys(line.strip() for line in text.splitlines() if line.strip()))


@dataclass(frozen=True)
class CrawlRequest:
    """What to crawl: page URLs (articles, sections, sitemaps), feeds, the page budget and link depth."""

    urls: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()
    max_pages: int = 20
    max_depth: int = 1

    @classmethod
    def from_form(cls, urls: str, feed: str = "", section: str = "", max_pages: int = 20) -> CrawlRequest:
        """The crawl form's fields; a Korean error when there is nothing usable to crawl.

        >>> CrawlRequest.from_form("https://a.kr/1", section="https://a.kr/economy").urls
        ('https://a.kr/1', 'https://a.kr/economy')
        """
        pages = _lines(urls) + _lines(section)
        feeds = _lines(feed)
        if not pages and not feeds:
            raise NuriError(
                "수집할 주소가 없습니다. 기사·섹션 주소나 RSS 피드 주소를 한 줄에 하나씩 넣어 주세요.",
                hint="예: https://언론사/rss/economy.xml",
            )
        bad = [u for u in pages + feeds if not u.lower().startswith(("http://", "https://"))]
        if bad:
            raise NuriError(
                f"주소가 http:// 또는 https://로 시작하지 않습니다: {bad[0][:80]}",
                hint="브라우저 주소창의 주소를 그대로 붙여 넣으세요.",
            )
        if not 1 <= max_pages <= MAX_PAGES_LIMIT:
            raise NuriError(f"최대 페이지 수는 1에서 {MAX_PAGES_LIMIT} 사이로 정해 주세요.")
        return cls(urls=tuple(dict.fromkeys(pages)), feeds=feeds, max_pages=max_pages)

    def key(self) -> tuple:
        """Two requests with the same key are the same crawl (order and repeats do not matter)."""
        return (tuple(sorted(self.urls)), tuple(sorted(self.feeds)), self.max_pages, self.max_depth)


@dataclass
class CrawlJob:
    """One crawl's progress. The worker writes under `lock`; readers take `snapshot()`."""

    id: int
    request: CrawlRequest
    state: State = "running"
    pages: int = 0  # outcomes seen, skipped ones excluded
    last: str = ""  # the latest page line, for the progress bar's caption
    stored: int = 0  # new or updated articles archived
    failures: list[tuple[str, str]] = field(default_factory=list)  # (url, Korean reason)
    indexed: int = 0
    chunks: int = 0
    index_error: str | None = None
    error: str | None = None  # why the crawl stopped early, in Korean
    started: float = field(default_factory=time.time)
    finished: float | None = None
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def snapshot(self) -> CrawlJob:
        with self.lock:
            return replace(self, failures=list(self.failures), lock=threading.Lock())

    @property
    def fraction(self) -> float:
        """How far along the page budget the crawl is (1.0 when it ended)."""
        if self.state != "running":
            return 1.0
        return min(self.pages / max(self.request.max_pages, 1), 0.99)


Runner = Callable[..., object]


class CrawlJobs:
    """All crawls of this server process. Thread-safe; kept in `st.cache_resource` by the page."""

    def __init__(self, crawl_function: Runner = crawl) -> None:
        self._crawl = crawl_function
        self._lock = threading.Lock()
        self._jobs: dict[int, CrawlJob] = {}
        self._ids = itertools.count(1)
        self._threads: dict[int, threading.Thread] = {}

    def start(self, settings: Settings, request: CrawlRequest, kb: KnowledgeBase | None) -> CrawlJob:
        """Start `request` in a background thread; `ALREADY_RUNNING` (NuriError) if the same one runs."""
        with self._lock:
            if any(j.state == "running" and j.request.key() == request.key() for j in self._jobs.values()):
                raise NuriError(ALREADY_RUNNING)
            job = CrawlJob(id=next(self._ids), request=request)
            self._jobs[job.id] = job
            thread = threading.Thread(
                target=self._work, args=(job, settings, kb), name=f"nuri-crawl-{job.id}", daemon=True
            )
            self._threads[job.id] = thread
        thread.start()
        return job

    def get(self, job_id: int) -> CrawlJob | None:
        job = self._jobs.get(job_id)
        return job.snapshot() if job else None

    def running(self) -> list[CrawlJob]:
        with self._lock:
            jobs = list(self._jobs.values())
        return [j.snapshot() for j in jobs if j.state == "running"]

    def wait(self, job_id: int, timeout: float | None = None) -> CrawlJob | None:
        """Block until the job's thread ends (tests, the benchmark); the job's final snapshot."""
        thread = self._threads.get(job_id)
        if thread is not None:
            thread.join(timeout)
        return self.get(job_id)

    def _work(self, job: CrawlJob, settings: Settings, kb: KnowledgeBase | None) -> None:
        archive = JsonlArchive(settings.crawl_dir / "articles.jsonl")
        index = KnowledgeBaseSink(settings, kb) if kb is not None else None

        def sink(article: Article) -> None:
            archive(article)  # first: whatever happens to the index, the article is kept
            if index is not None:
                index.add(article)

        def on_page(outcome: PageOutcome) -> None:
            with job.lock:
                if outcome.status != "skipped":
                    job.pages += 1
                    job.last = outcome.url
                if outcome.status in ("stored", "updated"):
                    job.stored += 1
                if outcome.status in ("error", "robots"):
                    job.failures.append((outcome.url, outcome.reason or outcome.status))

        error: str | None = None
        try:
            self._crawl(
                settings, job.request.urls, feeds=job.request.feeds, max_pages=job.request.max_pages,
                max_depth=job.request.max_depth, sink=sink, on_page=on_page,
            )  # fmt: skip
        except NuriError as problem:
            error = str(problem)
        except Exception as problem:  # noqa: BLE001 - the worker must record, not die silently
            log.exception("crawl job %d failed", job.id)
            error = f"수집이 중간에 멈췄습니다 ({type(problem).__name__}: {problem})."
        finally:
            if index is not None:
                index.flush()  # what was fetched before a failure is still indexed
        with job.lock:
            if index is not None:
                job.indexed, job.chunks, job.index_error = index.indexed, index.chunks, index.error
            job.error = error
            job.state = "failed" if error else "done"
            job.finished = time.time()
        log.info("crawl job %d %s: %d pages, %d stored", job.id, job.state, job.pages, job.stored)
