"""`extract_article`: HTML (bytes or text) and its URL in, a clean `Article` out. Pure: no network.

A site rule (crawlers/extract/sites.toml) runs first when the URL's host, or the page's own canonical
URL, has one; when it finds no body or one too short to be an article, the generic path runs.

An image-only page (or a video page) comes back with an empty `text`: callers treat `not article.text`
as 'no text to store'. A page with neither a title nor any text raises `NuriError`.
"""

from __future__ import annotations

import copy
import logging
import re
from urllib.parse import urljoin, urlsplit

from config import NuriError
from crawlers.article import Article, Source
from crawlers.extract.boilerplate import byline_names, clean_paragraphs, is_sentence
from crawlers.extract.charset import decode_html, hangul_ratio
from crawlers.extract.dates import find_labeled_dates, parse_datetime
from crawlers.extract.dom import drop, paragraphs_of, parse_html, select_all, select_first, select_values
from crawlers.extract.generic import generic_paragraphs
from crawlers.extract.metadata import PageMeta, clean_title, read_metadata
from crawlers.extract.rules import SiteRule, rule_for
from crawlers.urls import canonicalize

__all__ = ["extract_article"]

log = logging.getLogger(__name__)

# Removed from a rule's body element before it is read, on every site.
_BODY_JUNK = (
    "script",
    "style",
    "iframe",
    "button",
    "form",
    "figcaption",
    '[class*="comment"]',
    '[class*="related"]',
    '[class*="copyright"]',
    '[class*="subscribe"]',
    '[class*="banner"]',
)
_MIN_PROSE_CHARS = 50
_GENERIC_CAPTIONS = ("figcaption", ".caption", ".img_desc", ".photo_caption")


def _date(tree, specs: tuple[str, ...], want: str):
    """A date from a rule's selectors; labelled text ('입력 ... 수정 ...') picks the right one."""
    for value in select_values(tree, specs):
        published, updated = find_labeled_dates(value)
        if want == "updated":
            when = updated if (published or updated) else parse_datetime(value)
        else:
            when = published or (None if updated else parse_datetime(value))
        if when:
            return when
    return None


def _captions(tree, specs: tuple[str, ...]) -> list[str]:
    captions: list[str] = []
    for text in select_values(tree, specs):
        if text not in captions:
            captions.append(text)
    return captions


def _rule_paragraphs(tree, rule: SiteRule, captions: list[str]) -> list[str]:
    body = select_first(tree, rule.body)
    if body is None:
        log.info("site rule %s found no body element", rule.id)
        return []
    body = copy.deepcopy(body)
    for element in select_all(body, rule.captions):
        if element.getparent() is not None:
            element.drop_tree()
    drop(body, rule.remove + _BODY_JUNK)
    return [p for p in paragraphs_of(body) if p not in captions]


def _prose_chars(paragraphs: list[str]) -> int:
    return sum(len(p) for p in paragraphs if is_sentence(p))


def _clean_authors(names: list[str]) -> list[str]:
    cleaned: list[str] = []
    for raw in names:
        for name in byline_names(raw) or [re.sub(r"\s*(기자|특파원|\S+@\S+)\s*", " ", raw).strip()]:
            if name and len(name) <= 30 and name not in cleaned:
                cleaned.append(name)
    return cleaned


def _pick_rule(url: str, meta: PageMeta) -> SiteRule | None:
    rule = rule_for(url)
    if rule is None and meta.canonical:
        # A saved page (file:// or no URL) still names its own site through its canonical link.
        rule = rule_for(urljoin(url, meta.canonical))
    return rule


def _canonical_url(url: str, meta: PageMeta) -> str:
    if meta.canonical:
        candidate = urljoin(url, meta.canonical.strip())
        if urlsplit(candidate).scheme in ("http", "https"):
            return canonicalize(candidate)
    return canonicalize(url)


def _outlet(tree, meta: PageMeta, rule: SiteRule | None) -> str | None:
    outlet = None
    if rule:
        outlet = rule.outlet or next(iter(select_values(tree, rule.outlet_from)), None)
    outlet = outlet or meta.publisher or meta.site_name
    if outlet:
        outlet = re.sub(r"^(?:기사\s*제공|제공|출처)\s*[:：]?\s*", "", outlet).strip() or None
    return outlet


def _dates(tree, meta: PageMeta, rule: SiteRule | None):
    published = _date(tree, rule.published, "published") if rule else None
    updated = _date(tree, rule.updated, "updated") if rule else None
    published = published or parse_datetime(meta.published)
    updated = updated or parse_datetime(meta.updated)
    body = tree.find("body")
    if published is None and body is not None:
        # Last resort: a labelled date ('입력 2026.11.23. 오전 9:12') anywhere near the top of the page.
        labeled_published, labeled_updated = find_labeled_dates(" ".join(paragraphs_of(body))[:5000])
        published, updated = labeled_published, updated or labeled_updated
    return published, (updated if updated != published else None)


def _body(
    tree, rule: SiteRule | None, captions: list[str], meta: PageMeta, page_url: str
) -> tuple[list[str], list[str]]:
    """(paragraphs, names from bylines): the rule's body, else the generic path. May change `tree`."""
    extra = rule.boilerplate if rule else ()
    paragraphs = _rule_paragraphs(tree, rule, captions) if rule else []
    cleaned, byline = clean_paragraphs(paragraphs, extra)
    if not cleaned and rule and rule.article_url is not None and not rule.article_url.search(page_url):
        # A section or list page of a known site: its lead snippets are not an article.
        log.info("%s is not an article URL of %s: no body", page_url, rule.id)
        return [], byline
    if sum(map(len, cleaned)) < (rule.min_body_chars if rule else 200):
        if rule:
            log.info("site rule %s gave %d chars; trying the generic path", rule.id, sum(map(len, cleaned)))
        from_rule = bool(cleaned)
        generic = [p for p in generic_paragraphs(tree) if p not in captions]
        generic_clean, generic_byline = clean_paragraphs(generic, extra)
        if _prose_chars(generic_clean) > _prose_chars(cleaned):
            cleaned, byline, from_rule = generic_clean, generic_byline, False
        if from_rule:
            # A short body in the rule's own container is still the article (a personnel list, a brief).
            return cleaned, byline
    if _prose_chars(cleaned) < _MIN_PROSE_CHARS:
        # Menus and link lists are all that is left on image-only or video pages: no text then.
        if meta.article_body:
            # Script-rendered pages often ship the whole text in JSON-LD only.
            from_ld, ld_byline = clean_paragraphs(meta.article_body.splitlines(), extra)
            if _prose_chars(from_ld) >= _MIN_PROSE_CHARS:
                return from_ld, ld_byline
        return [], byline
    return cleaned, byline


def extract_article(body: bytes | str, url: str, content_type: str | None = None) -> Article:
    """Extract the article in an HTML page. Raises `NuriError` (Korean) when the page holds none."""
    html = decode_html(body, content_type) if isinstance(body, bytes) else body
    tree = parse_html(html)
    meta = read_metadata(tree)
    rule = _pick_rule(url, meta)

    # Everything read from the page outside the body comes first: the generic path edits the tree.
    captions = _captions(tree, rule.captions if rule and rule.captions else _GENERIC_CAPTIONS)
    outlet = _outlet(tree, meta, rule)
    names = [n for n in (outlet, meta.site_name, meta.publisher, rule.name if rule else None) if n]
    raw_title = next(iter(select_values(tree, rule.title)), None) if rule else None
    title = clean_title(raw_title or meta.title or meta.html_title or "", names)
    published, updated = _dates(tree, meta, rule)
    authors = _clean_authors(select_values(tree, rule.authors)) if rule else []
    section = (next(iter(select_values(tree, rule.section)), None) if rule else None) or meta.section

    canonical = _canonical_url(url, meta)
    paragraphs, byline = _body(
        tree, rule, captions, meta, canonical if rule_for(url) is None else canonicalize(url)
    )
    # The headline often repeats as the first line of a generic extraction.
    text = "\n\n".join(p for p in paragraphs if p != title)
    if not title and not text:
        raise NuriError("이 페이지에서 기사를 찾지 못했습니다. 기사 본문이 있는 주소인지 확인하세요.")
    return Article(
        url=url,
        canonical_url=canonical,
        title=title,
        text=text,
        published=published,
        updated=updated,
        authors=authors or _clean_authors(meta.authors) or byline,
        outlet=outlet,
        section=section,
        language=meta.language or ("ko" if hangul_ratio(text or title) >= 0.5 else None),
        captions=captions,
        sources=[Source(outlet=outlet, url=canonical)],
    )
