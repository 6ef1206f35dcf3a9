"""`Fetcher`: one URL in, bytes and headers out; safe (SSRF guard), polite (robots.txt, pacing) and bounded.

Redirects are followed here, not by httpx, so every hop passes the guard, robots.txt and the pacer again.
Each redirect chain has a total deadline; 429/503 are retried with backoff, honouring Retry-After.
"""

from __future__ import annotations

import logging
import ssl
import time
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from urllib.parse import urldefrag, urljoin

import httpx

from config import Settings
from crawlers.fetch.body import ACCEPT_ENCODING, content_codings, read_capped
from crawlers.fetch.errors import (
    FetchError,
    FetchTimeout,
    HTTPStatusError,
    NetworkError,
    RobotsDisallowed,
    TooLarge,
    TooManyRedirects,
    megabytes,
    robots_refusal,
)
from crawlers.fetch.guard import Guard, Resolver, Target
from crawlers.fetch.polite import Pacer
from crawlers.fetch.robots import MAX_ROBOTS_BYTES, RobotsCache, RobotsStore
from crawlers.fetch.transport import GuardedTransport

log = logging.getLogger(__name__)

REDIRECTS = frozenset({301, 302, 303, 307, 308})
RETRY_STATUSES = frozenset({429, 503})
MAX_RETRY_WAIT = 120.0  # a longer Retry-After gives up on the page instead of stalling the batch
ACCEPT = (
    "text/html,application/xhtml+xml,application/xml;q=0.9,application/rss+xml,"
    "application/atom+xml;q=0.9,text/plain;q=0.5,*/*;q=0.1"
)


@dataclass
class FetchResult:
    """A fetched page: `status` 200 with `body`, or 304 (`not_modified`) with an empty body."""

    url: str
    final_url: str
    status: int
    headers: dict[str, str]
    body: bytes = b""
    redirects: list[str] = field(default_factory=list)

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def content_type(self) -> str | None:
        return self.headers.get("content-type")

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified")


class _RetryLater(Exception):
    def __init__(self, status: int, wait: float | None, host_key: str) -> None:
        self.status = status
        self.wait = wait
        self.host_key = host_key  # the host that asked us to wait (perhaps a redirect target)


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date).

    >>> retry_after_seconds("3"), retry_after_seconds(None), retry_after_seconds("soon")
    (3.0, None, None)
    >>> retry_after_seconds("Wed, 21 Oct 2015 07:28:10 GMT", now=1445412480.0)
    10.0
    """
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, when - (time.time() if now is None else now))


class Fetcher:
    """Fetches pages for the crawler. Thread-safe: share one per crawl."""

    def __init__(
        self,
        settings: Settings,
        *,
        resolver: Resolver | None = None,
        robots_store: RobotsStore | None = None,
        pacer: Pacer | None = None,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        """`resolver` answers DNS (tests, split horizons); `ssl_context` adds trusted CAs (an intranet CA)."""
        self.settings = settings
        self.guard = Guard(
            settings.allow_private, resolver=resolver, extra_forbidden_ports=_ollama_port(settings)
        )
        self.pacer = pacer or Pacer(settings.crawl_concurrency)
        self.robots = RobotsCache(
            self._fetch_robots,
            user_agent=settings.user_agent,
            ttl=settings.robots_cache_ttl,
            store=robots_store,
        )
        self._client = httpx.Client(
            transport=GuardedTransport(
                self.guard, max_connections=max(8, settings.crawl_concurrency * 2), verify=ssl_context
            ),
            headers={
                "User-Agent": settings.user_agent,
                "Accept": ACCEPT,
                "Accept-Language": "ko-KR,ko;q=0.9,en;q=0.5",
                "Accept-Encoding": ACCEPT_ENCODING,
            },
            follow_redirects=False,
            trust_env=False,  # an HTTP(S)_PROXY from the environment would bypass the guard
        )

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    # --- public API ------------------------------------------------------------------------------
    def fetch(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> FetchResult:
        """Fetch `url` (conditional when validators are given); raises a `FetchError` subclass on failure."""
        attempt = 0
        while True:
            try:
                return self._fetch_chain(url, etag=etag, last_modified=last_modified)
            except _RetryLater as retry:
                attempt += 1
                if attempt > self.settings.max_retries:
                    raise HTTPStatusError(retry.status, url=url) from None
                wait = retry.wait if retry.wait is not None else min(2.0 ** (attempt - 1), 60.0)
                if wait > MAX_RETRY_WAIT:
                    raise FetchError(
                        f"서버가 {wait:.0f}초 뒤에 다시 오라고 함 (상태 {retry.status})", url=url
                    ) from None
                log.info("%s answered %s; retry %d in %.1f s", url, retry.status, attempt, wait)
                self.pacer.defer(retry.host_key, wait)

    def try_fetch(self, url: str, **validators: str | None) -> FetchResult | FetchError:
        """Like `fetch`, but a failure comes back as the `FetchError` value (for batches)."""
        try:
            return self.fetch(url, **validators)
        except FetchError as error:
            error.url = error.url or url
            return error

    # --- internals -------------------------------------------------------------------------------
    def _delay(self, target: Target) -> float:
        rules = self.robots.rules(target)
        robots_delay = rules.crawl_delay(self.robots.agent) or 0.0
        return max(self.settings.crawl_delay, robots_delay)

    def _fetch_chain(self, url: str, *, etag: str | None, last_modified: str | None) -> FetchResult:
        current = urldefrag(url.strip())[0]
        redirects: list[str] = []
        deadline: float | None = None
        for hop in range(self.settings.max_redirects + 1):
            target = self.guard.check_url(current)
            rules = self.robots.rules(target)
            if not rules.allows(current, self.robots.agent):
                if rules.kind == "disallow_all":
                    raise RobotsDisallowed(
                        f"robots.txt를 가져올 수 없어 수집하지 않음 ({rules.body or '응답 없음'})",
                        url=current,
                    )
                raise robots_refusal(current, target.host)
            headers = {}
            if hop == 0 and etag:
                headers["If-None-Match"] = etag
            if hop == 0 and last_modified:
                headers["If-Modified-Since"] = last_modified
            with self.pacer.slot(target.host_key, self._delay(target)):
                deadline = deadline or time.monotonic() + self.settings.total_timeout
                status, response_headers, body = self._request(
                    target, headers, deadline, self.settings.max_body_bytes, truncate=False
                )
            if status in REDIRECTS and "location" in response_headers:
                current = urldefrag(urljoin(current, response_headers["location"]))[0]
                redirects.append(current)
                continue
            if status in RETRY_STATUSES:
                wait = retry_after_seconds(response_headers.get("retry-after"))
                raise _RetryLater(status, wait, target.host_key)
            if status == 304 or 200 <= status < 300:
                return FetchResult(url, current, status, response_headers, body, redirects)
            raise HTTPStatusError(status, url=current)
        raise TooManyRedirects(f"리디렉션이 너무 많음 ({self.settings.max_redirects}번 초과)", url=url)

    def _fetch_robots(self, url: str) -> tuple[int, bytes]:
        """GET a robots.txt: redirects (up to 5, each guarded), no robots check, first 500 KiB."""
        current = url
        deadline: float | None = None
        for _ in range(6):
            target = self.guard.check_url(current)
            with self.pacer.slot(target.host_key, self.settings.crawl_delay):
                deadline = deadline or time.monotonic() + self.settings.total_timeout
                status, headers, body = self._request(target, {}, deadline, MAX_ROBOTS_BYTES, truncate=True)
            if status in REDIRECTS and "location" in headers:
                current = urldefrag(urljoin(current, headers["location"]))[0]
                continue
            return status, body
        return 310, b""  # redirects ran out: the caller treats 3xx as "unavailable"

    def _request(
        self, target: Target, headers: dict[str, str], deadline: float, max_bytes: int, *, truncate: bool
    ) -> tuple[int, dict[str, str], bytes]:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise FetchTimeout("응답이 너무 느림 (요청 시간 제한 초과)", url=target.url)
        s = self.settings
        timeout = httpx.Timeout(
            connect=min(s.connect_timeout, remaining),
            read=min(s.read_timeout, remaining),
            write=min(s.read_timeout, remaining),
            pool=remaining,
        )
        try:
            request = self._client.build_request("GET", target.url, headers=headers, timeout=timeout)
            response = self._client.send(request, stream=True)
            try:
                response_headers = {k.lower(): v for k, v in response.headers.items()}
                body = b""
                if 200 <= response.status_code < 300:
                    _precheck_length(response_headers, max_bytes, truncate, target.url)
                    body = read_capped(
                        response.iter_raw(),
                        content_encoding=response_headers.get("content-encoding"),
                        max_bytes=max_bytes,
                        deadline=deadline,
                        truncate=truncate,
                    )
            finally:
                response.close()
        except FetchError as error:
            error.url = error.url or target.url
            raise
        except httpx.TimeoutException:
            raise FetchTimeout("응답이 너무 느림 (시간 제한 초과)", url=target.url) from None
        except httpx.InvalidURL:
            raise FetchError("주소 형식이 잘못됨", url=target.url) from None
        except (httpx.TransportError, OSError) as error:
            log.info("network error for %s: %r", target.url, error)
            if "CERTIFICATE_VERIFY_FAILED" in str(error) or isinstance(error, ssl.SSLError):
                raise NetworkError("보안 인증서를 확인할 수 없음 (HTTPS)", url=target.url) from None
            raise NetworkError("서버에 연결할 수 없음", url=target.url) from None
        return response.status_code, response_headers, body


def _precheck_length(headers: dict[str, str], max_bytes: int, truncate: bool, url: str) -> None:
    """Refuse a plain body whose Content-Length is already over the cap, before reading any of it."""
    length = headers.get("content-length", "")
    if truncate or not length.isdigit() or content_codings(headers.get("content-encoding")):
        return
    if int(length) > max_bytes:
        raise TooLarge(f"페이지가 너무 큼 ({megabytes(int(length))} > {megabytes(max_bytes)})", url=url)


def _ollama_port(settings: Settings) -> list[int]:
    """The configured Ollama port is never crawled, whatever `allow_private` says."""
    try:
        port = httpx.URL(settings.ollama_host).port
    except httpx.InvalidURL:
        return []
    return [port] if port else []
