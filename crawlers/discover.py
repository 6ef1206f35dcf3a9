"""Discovery: article URLs from RSS/Atom feeds, sitemaps (Google News sitemaps too) and section pages.

Pure functions over bytes already fetched; URLs come back absolute, canonical (`crawlers.urls`),
de-duplicated, in page order. Following them (budgets, depth, same-site checks) is the crawl loop's job.
"""

from __future__ import annotations

import io
import logging
import re
import zlib
from urllib.parse import urljoin, urlsplit

from lxml import etree

from crawlers.extract.dom import parse_html
from crawlers.extract.rules import rule_for
from crawlers.urls import canonicalize, same_site

__all__ = ["parse_feed", "parse_sitemap", "section_links", "looks_like_article"]

log = logging.getLogger(__name__)

MAX_SITEMAP_BYTES = 50 * 1024 * 1024  # the sitemap protocol's own limit for one (uncompressed) file
_ARTICLE_PATH = re.compile(
    r"(?:/(?:article|articles|view|news|story|arti|read|post)s?/.*\d{3,})"  # /article/123, /view/AKR2026...
    r"|(?:\d{5,}(?:\.html?)?/?$)"  # .../20261123000123, .../1200001.html
    r"|(?:/\d{4}/\d{2}/\d{2}/[^/]+)",  # /2026/11/23/slug
    re.IGNORECASE,
)
_ARTICLE_QUERY = re.compile(
    r"(?:^|&)(?:idxno|aid|article_?id|news_?id|ncd|no|seq|newsid|nid)=\d+", re.IGNORECASE
)
_NOT_ARTICLE = re.compile(
    r"/(?:tag|tags|search|author|reporter|rss|login|member|event|ad|ads)/", re.IGNORECASE
)


def _keep(urls: list[str], base: str) -> list[str]:
    """Absolute http(s) URLs, canonical, first occurrence only, never the page itself."""
    seen = {canonicalize(base)}
    kept = []
    for raw in urls:
        if not raw:
            continue
        absolute = urljoin(base, raw.strip())
        if urlsplit(absolute).scheme not in ("http", "https"):
            continue
        canonical = canonicalize(absolute)
        if canonical not in seen:
            seen.add(canonical)
            kept.append(canonical)
    return kept


def parse_feed(body: bytes, url: str) -> list[str]:
    """Article URLs of an RSS or Atom feed, in feed order.

    >>> parse_feed(b'<rss><channel><item><link>/news/1?utm_source=rss</link></item></channel></rss>',
    ...            "https://example.com/rss.xml")
    ['https://example.com/news/1']
    """
    import feedparser

    # A file-like object: feedparser never treats it as a URL to fetch.
    feed = feedparser.parse(io.BytesIO(body), response_headers={"content-location": url})
    if feed.bozo and not feed.entries:
        log.info("feed %s could not be read: %s", url, feed.get("bozo_exception"))
    links = []
    for entry in feed.entries:
        link = entry.get("link")
        if not link:
            alternates = [
                item.get("href") for item in entry.get("links", []) if item.get("rel") == "alternate"
            ]
            link = alternates[0] if alternates else None
        if not link and str(entry.get("id", "")).startswith(("http://", "https://")):
            link = entry["id"]
        links.append(link)
    return _keep(links, url)


def _inflate(body: bytes) -> bytes:
    """Gunzip a .xml.gz sitemap without ever holding more than the protocol's 50 MB."""
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    data = inflater.decompress(body, MAX_SITEMAP_BYTES + 1)
    if len(data) > MAX_SITEMAP_BYTES:
        raise ValueError("sitemap larger than 50 MB once decompressed")
    return data


def _local(tag: object) -> str:
    return etree.QName(tag).localname.lower() if isinstance(tag, str) else ""


def parse_sitemap(body: bytes, url: str) -> tuple[list[str], list[str]]:
    """(article URLs, child sitemap URLs) of a sitemap, a sitemap index or a Google News sitemap.

    The XML parser resolves no entities and loads nothing from the network (no XXE). A sitemap that
    lists itself is not returned as its own child.

    >>> parse_sitemap(b'<sitemapindex><sitemap><loc>https://example.com/s1.xml</loc></sitemap></sitemapindex>',
    ...               "https://example.com/sitemap.xml")
    ([], ['https://example.com/s1.xml'])
    """
    if body[:2] == b"\x1f\x8b":
        try:
            body = _inflate(body)
        except (ValueError, zlib.error) as error:
            log.info("sitemap %s: %s", url, error)
            return [], []
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        recover=True,
        remove_comments=True,
    )
    try:
        root = etree.fromstring(body.strip(), parser)
    except etree.XMLSyntaxError:
        root = None
    if root is None:
        # Plain-text sitemaps: one URL per line.
        lines = body.decode("utf-8", errors="replace").splitlines()
        return _keep([line for line in lines if line.strip().startswith(("http://", "https://"))], url), []
    pages: list[str] = []
    children: list[str] = []
    kind = _local(root.tag)
    for entry in root:
        if _local(entry.tag) not in ("url", "sitemap"):
            continue
        loc = next((child.text for child in entry if _local(child.tag) == "loc" and child.text), None)
        (children if kind == "sitemapindex" or _local(entry.tag) == "sitemap" else pages).append(loc)
    return _keep(pages, url), _keep(children, url)


def looks_like_article(url: str) -> bool:
    """Whether a URL's path or query looks like one article rather than a list, tag or menu page.

    >>> looks_like_article("https://www.bluesea-news.example/news/articleView.html?idxno=40001")
    True
    >>> looks_like_article("https://www.example.com/2026/11/23/new-bridge-opens/")
    True
    >>> looks_like_article("https://www.example.com/politics/")
    False
    >>> looks_like_article("https://www.example.com/tag/12345")
    False
    """
    parts = urlsplit(url)
    if _NOT_ARTICLE.search(parts.path + "/"):
        return False
    return bool(_ARTICLE_PATH.search(parts.path) or _ARTICLE_QUERY.search(parts.query))


def section_links(html: str, url: str) -> list[str]:
    """Article links on a section or list page: by the site rule's article-URL pattern when the
    site has one, otherwise same-site links whose path looks like an article."""
    tree = parse_html(html)
    base = url
    bases = tree.xpath("//base/@href")
    if bases:
        base = urljoin(url, bases[0])
    links = _keep([a.get("href") for a in tree.iter("a") if a.get("href")], base)
    rule = rule_for(url)
    if rule and rule.article_url is not None:
        return [link for link in links if rule.article_url.search(link)]
    return [link for link in links if same_site(link, url) and looks_like_article(link)]
