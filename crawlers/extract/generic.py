"""The generic path for pages without a site rule (or whose rule found no body).

trafilatura first, tuned for Korean news (precision over recall: menus and related-headline lists are
what hurt a small model most), readability as the fallback.
"""

from __future__ import annotations

import logging

import lxml.html

from crawlers.extract.dom import paragraphs_of, select_all

__all__ = ["generic_paragraphs", "JUNK_SELECTORS"]

log = logging.getLogger(__name__)

# readability is the fallback for when trafilatura finds (almost) nothing; it costs about as much again.
_READABILITY_BELOW = 80
_FULL_TRAFILATURA_BELOW = 200

# Blocks that hold no article prose on Korean news pages: comment widgets, related lists, ads, prompts.
JUNK_SELECTORS = (
    "nav",
    "header",
    "footer",
    "aside",
    "figcaption",
    '[class*="comment"]',
    '[id*="comment"]',
    '[class*="reply"]',
    '[class*="related"]',
    '[class*="relation"]',
    '[class*="recommend"]',
    '[class*="popular"]',
    '[class*="ranking"]',
    '[class*="banner"]',
    '[class*="subscribe"]',
    '[class*="copyright"]',
    '[class*="share"]',
    '[class*="sns"]',
    '[id*="taboola"]',
    '[class*="ad_wrap"]',
    '[class*="ad-wrap"]',
    '[class*="advert"]',
)


# One selector group: lxml walks the tree once instead of once per selector.
_JUNK_GROUP = ", ".join(JUNK_SELECTORS)


def _trafilatura(tree, fast: bool) -> list[str]:
    import trafilatura

    text = trafilatura.extract(
        tree,
        fast=fast,
        favor_precision=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        include_links=False,
        deduplicate=False,
        with_metadata=False,
    )
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _readability(html: str) -> list[str]:
    from readability import Document

    try:
        summary = Document(html).summary(html_partial=True)
    except Exception:  # noqa: BLE001 - readability raises bare Exceptions on odd markup
        log.debug("readability failed", exc_info=True)
        return []
    return paragraphs_of(lxml.html.fragment_fromstring(summary, create_parent="div"))


def _drop_junk(body) -> None:
    """Remove junk blocks, but never one that holds most of the page's text (a wrapper whose class
    happens to contain 'share' or 'related' is still the article)."""
    total = len(body.text_content()) or 1
    for element in select_all(body, [_JUNK_GROUP]):
        if element.getparent() is None:
            continue
        if len(element.text_content()) < 0.4 * total:
            element.drop_tree()


def generic_paragraphs(tree) -> list[str]:
    """Body paragraphs found without a site rule; `tree` is changed (junk blocks removed)."""
    body = tree.find("body")
    if body is None:
        return []
    _drop_junk(body)
    # trafilatura's main extractor alone first: its justext/readability comparison costs three times as
    # much and only matters when the main extractor comes back short.
    paragraphs = _trafilatura(tree, fast=True)
    if sum(map(len, paragraphs)) < _FULL_TRAFILATURA_BELOW:
        thorough = _trafilatura(tree, fast=False)
        if sum(map(len, thorough)) > sum(map(len, paragraphs)):
            paragraphs = thorough
    if sum(len(p) for p in paragraphs) >= _READABILITY_BELOW:
        return paragraphs
    fallback = _readability(lxml.html.tostring(tree, encoding="unicode"))
    return fallback if sum(map(len, fallback)) > sum(map(len, paragraphs)) else paragraphs
