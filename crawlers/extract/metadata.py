"""Page metadata every extraction path shares: JSON-LD NewsArticle, OpenGraph, meta tags, canonical link."""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field

from crawlers.extract.dom import select_values

__all__ = ["PageMeta", "read_metadata", "clean_title"]

log = logging.getLogger(__name__)

_ARTICLE_TYPES = {
    "newsarticle",
    "article",
    "reportagenewsarticle",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "backgroundnewsarticle",
    "reviewnewsarticle",
    "blogposting",
}
_PORTALS = ("네이버 뉴스", "네이버뉴스", "NAVER", "네이버", "다음뉴스", "다음 뉴스", "Daum", "v.daum.net")
_TITLE_SEPARATORS = (" : ", " | ", " - ", " – ", " — ", " :: ", " ㅣ ", " │ ")
_OUTLET_LIKE = re.compile(
    r"(뉴스|일보|신문|경제|방송|닷컴|News|NEWS|TV|MBC|KBS|SBS|YTN|Daily|Times|Herald)\s*$"
)
# Korean CMS titles: '제목 < 정치 < 기사본문 - 어느신문'
_CMS_TAIL = re.compile(r"\s*<\s*[^<]{1,20}(?:<\s*[^<]{1,20})*<\s*기사본문\s*-\s*.+$")


@dataclass
class PageMeta:
    title: str | None = None
    canonical: str | None = None
    published: str | None = None
    updated: str | None = None
    authors: list[str] = field(default_factory=list)
    publisher: str | None = None
    site_name: str | None = None
    section: str | None = None
    language: str | None = None
    html_title: str | None = None
    article_body: str | None = None


def _as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _names(value) -> list[str]:
    names = []
    for item in _as_list(value):
        name = item.get("name") if isinstance(item, dict) else item
        if isinstance(name, str) and name.strip():
            names.append(name.strip())
    return names


def _json_ld_objects(tree) -> list[dict]:
    objects: list[dict] = []
    for script in tree.xpath("//script[@type='application/ld+json']"):
        raw = (script.text or "").strip()
        if not raw:
            continue
        try:
            data = json.loads(raw, strict=False)
        except ValueError:
            log.debug("ignoring unreadable JSON-LD block")
            continue
        stack = _as_list(data)
        while stack:
            item = stack.pop(0)
            if isinstance(item, dict):
                objects.append(item)
                stack.extend(_as_list(item.get("@graph")))
    return objects


def _article_object(tree) -> dict:
    for item in _json_ld_objects(tree):
        kinds = {str(kind).lower() for kind in _as_list(item.get("@type"))}
        if kinds & _ARTICLE_TYPES:
            return item
    return {}


def _meta_tags(tree) -> dict[str, str]:
    """Every <meta property|name|itemprop=... content=...> in one pass; the first of each key wins."""
    tags: dict[str, str] = {}
    for element in tree.iter("meta"):
        content = (element.get("content") or "").strip()
        if not content:
            continue
        for attribute in ("property", "name", "itemprop"):
            key = (element.get(attribute) or "").strip().lower()
            if key and key not in tags:
                tags[key] = content
    return tags


def _first(tags: dict[str, str], *keys: str) -> str | None:
    return next((tags[key.lower()] for key in keys if key.lower() in tags), None)


def read_metadata(tree) -> PageMeta:
    """Everything the page says about itself outside the body."""
    ld = _article_object(tree)
    tags = _meta_tags(tree)
    meta = PageMeta()
    headline = ld.get("headline")
    meta.title = (headline if isinstance(headline, str) else None) or _first(
        tags, "og:title", "twitter:title"
    )
    titles = tree.xpath("//title")
    meta.html_title = titles[0].text_content().strip() if titles else None
    canonical = select_values(tree, ['link[rel="canonical"]@href'])
    main_entity = ld.get("mainEntityOfPage")
    main_entity = main_entity.get("@id") if isinstance(main_entity, dict) else main_entity
    meta.canonical = (
        canonical[0]
        if canonical
        else _first(tags, "og:url") or (main_entity if isinstance(main_entity, str) else None)
    )
    meta.published = ld.get("datePublished") or _first(
        tags, "article:published_time", "og:regDate", "datePublished", "pubdate", "publish-date", "date"
    )
    meta.updated = ld.get("dateModified") or _first(
        tags, "article:modified_time", "og:updated_time", "dateModified"
    )
    meta.authors = _names(ld.get("author"))
    if not meta.authors:
        author = _first(tags, "article:author", "dable:author", "author", "byl")
        if author and not author.startswith("http"):
            meta.authors = [author]
    publisher = _names(ld.get("publisher"))
    meta.publisher = publisher[0] if publisher else None
    meta.site_name = _first(tags, "og:site_name", "og:article:author")
    section = ld.get("articleSection")
    section = section[0] if isinstance(section, list) and section else section
    meta.section = (section if isinstance(section, str) else None) or _first(tags, "article:section")
    lang = tree.get("lang") or _first(tags, "og:locale", "language")
    meta.language = lang.replace("_", "-").split("-")[0].lower() if lang else None
    body = ld.get("articleBody")
    meta.article_body = body if isinstance(body, str) else None
    return meta


def clean_title(title: str, names: list[str]) -> str:
    """Strip a trailing site name (' : 네이버 뉴스', ' | 연합뉴스', '< 기사본문 - 신문') from a title.

    >>> clean_title("전기요금 동결 : 네이버 뉴스", [])
    '전기요금 동결'
    >>> clean_title("반도체 수출 늘어 | 한빛일보", ["한빛일보"])
    '반도체 수출 늘어'
    >>> clean_title("지하철 요금 인상 < 사회 < 기사본문 - 새벽신문", [])
    '지하철 요금 인상'
    >>> clean_title("한-미 정상회담 - 결과는", [])
    '한-미 정상회담 - 결과는'
    """
    title = re.sub(r"\s+", " ", title).strip()
    title = _CMS_TAIL.sub("", title)
    known = {name.strip().lower() for name in [*names, *_PORTALS] if name and name.strip()}
    changed = True
    while changed:
        changed = False
        for separator in _TITLE_SEPARATORS:
            head, found, tail = title.rpartition(separator)
            tail = tail.strip()
            if not found or not head.strip():
                continue
            if tail.lower() in known or (len(tail) <= 12 and _OUTLET_LIKE.search(tail)):
                title, changed = head.strip(), True
                break
    return title
