"""Typed fetch failures: each carries a short `reason` code for logs and tests and a one-line Korean message.

A crawl batch catches `FetchError` per page and goes on; nothing here ends a batch.
"""

from __future__ import annotations

from config import NuriError

# The portal hosts whose robots.txt refuses every crawler (checked 2026-11): say what still works.
PORTAL_HOSTS = frozenset(
    {
        "n.news.naver.com",
        "m.news.naver.com",
        "news.naver.com",
        "entertain.naver.com",
        "m.entertain.naver.com",
        "sports.news.naver.com",
        "m.sports.naver.com",
        "v.daum.net",
        "news.daum.net",
    }
)

PORTAL_HINT = (
    "포털 기사 대신 언론사 자체 기사 주소나 RSS 피드를 크롤링하거나, "
    "브라우저에서 페이지를 저장(또는 복사)한 뒤 `nuri extract 파일` 또는 `nuri extract -`로 추출하세요."
)


class FetchError(NuriError):
    """A page could not be fetched. `reason` is a stable code; `str(error)` is one Korean line."""

    reason = "fetch"

    def __init__(self, message: str, *, url: str | None = None, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.url = url


class BlockedURL(FetchError):
    """The SSRF guard refused the URL or the address it resolves to."""

    reason = "blocked"


class RobotsDisallowed(FetchError):
    """robots.txt does not allow this URL for our user agent."""

    reason = "robots"


class TooLarge(FetchError):
    """The (decompressed) body is over `max_body_bytes`."""

    reason = "too_large"


class FetchTimeout(FetchError):
    """A connect/read timeout or the total deadline of one request ran out."""

    reason = "timeout"


class HTTPStatusError(FetchError):
    """The server answered with an error status (after any retries)."""

    reason = "http_status"

    def __init__(self, status: int, *, url: str | None = None) -> None:
        super().__init__(f"서버가 오류 상태 {status}를 돌려줌", url=url)
        self.status = status


class TooManyRedirects(FetchError):
    reason = "redirects"


class NetworkError(FetchError):
    reason = "network"


def megabytes(size: int) -> str:
    """Format a byte count the way the CLI reports sizes.

    >>> megabytes(12_345_678)
    '12 MB'
    >>> megabytes(10_000_000)
    '10 MB'
    >>> megabytes(1_500)
    '0.0015 MB'
    """
    value = size / 1_000_000
    return f"{value:.0f} MB" if value >= 1 else f"{value:.2g} MB"


def robots_refusal(url: str, host: str) -> RobotsDisallowed:
    """The refusal for a robots.txt Disallow, with the ways that remain for portal pages."""
    if host in PORTAL_HOSTS:
        return RobotsDisallowed("robots.txt가 허용하지 않음 (포털 뉴스 페이지).", url=url, hint=PORTAL_HINT)
    return RobotsDisallowed("robots.txt가 허용하지 않음", url=url)
