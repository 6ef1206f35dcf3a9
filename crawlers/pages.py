"""What the crawl loop does with a fetched body: a feed, a sitemap, an article, or a list of links.

Runs in the fetcher threads (pure CPU, no shared state). Discovery itself lives in `crawlers.discover`
and extraction in `crawlers.extract`; this module only decides which one a body goes to.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Literal

from config import NuriError
from crawlers.article import Article

log = logging.getLogger(__name__)

Kind = Literal["page", "feed", "sitemap"]


@dataclass
class Parsed:
    """A body's meaning: an article, and/or links to follow as (url, kind, deeper)."""

    article: Article | None = None
    links: list[tuple[str, Kind, bool]] = field(default_factory=list)
    listing: bool = False
    reason: str | None = None


def sniff_kind(body: bytes, content_type: str | None) -> Kind:
    """Tell feeds and sitemaps from HTML by their root element (servers often say text/xml or text/html).

    >>> sniff_kind(b'<?xml version="1.0"?><urlset xmlns="..."><url>', "text/xml")
    'sitemap'
    >>> sniff_kind(b"\\xef\\xbb\\xbf<rss version='2.0'><channel>", None)
    'feed'
    >>> sniff_kind(b"<!doctype html><html><body>", "text/html")
    'page'
    """
    head = body[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if b"<urlset" in head or b"<sitemapindex" in head:
        return "sitemap"
    if b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head:
        return "feed"
    ctype = (content_type or "").lower()
    if "rss" in ctype or "atom" in ctype:
        return "feed"
    return "page"


def parse_body(body: bytes, url: str, content_type: str | None, kind: Kind, follow: bool) -> Parsed:
    """Turn one fetched body into an article and/or links; `follow` says whether links may be followed."""
    sniffed = sniff_kind(body, content_type)
    kind = sniffed if sniffed != "page" else kind
    try:
        if kind in ("sitemap", "feed"):
            from crawlers import discover
        if kind == "sitemap":
            articles, children = discover.parse_sitemap(body, url)
            links = [(u, "sitemap", False) for u in children] + [(u, "page", True) for u in articles]
            return Parsed(links=links, listing=True)
        if kind == "feed":
            return Parsed(links=[(u, "page", True) for u in discover.parse_feed(body, url)], listing=True)
    except NuriError as error:
        return Parsed(reason=str(error))
    except Exception as error:  # noqa: BLE001 - a broken feed is one page's problem, not the batch's
        log.info("could not read %s as a %s: %r", url, kind, error)
        return Parsed(reason=f"피드나 사이트맵을 읽을 수 없음 ({type(error).__name__})")
    return _parse_html(body, url, content_type, follow)


def _parse_html(body: bytes, url: str, content_type: str | None, follow: bool) -> Parsed:
    from crawlers.extract import decode_html, extract_article

    ctype = (content_type or "text/html").lower()
    if not any(t in ctype for t in ("html", "xml", "text/plain")):
        return Parsed(reason=f"HTML 페이지가 아님 ({ctype.split(';')[0]})")
    html = ""
    try:
        html = decode_html(body, content_type)
        article = extract_article(html, url, content_type)
    except NuriError as error:
        article, reason = None, str(error)
    except Exception as error:  # noqa: BLE001 - one odd page must not end the batch
        log.warning("extraction failed for %s", url, exc_info=True)
        article, reason = None, f"기사를 추출하지 못함 ({type(error).__name__})"
    else:
        reason = None
    if article is not None and article.text.strip():
        return Parsed(article=article)
    # No article body: a section or list page, whose article links are what we came for.
    if follow and html:
        try:
            from crawlers.discover import section_links

            links: list[tuple[str, Kind, bool]] = [(u, "page", True) for u in section_links(html, url)]
        except Exception:  # noqa: BLE001
            log.warning("link discovery failed for %s", url, exc_info=True)
            links = []
        if links:
            return Parsed(links=links, listing=True)
        return Parsed(reason="기사 본문도 기사 링크도 찾지 못함")
    return Parsed(reason=reason or "기사 본문이 없음")
