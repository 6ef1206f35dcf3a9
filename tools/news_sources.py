"""Where to find an outlet's news: "연합뉴스 경제", "yna 경제", "한겨레", a feed, sitemap or section page URL.

Pure: reads `tools/news_sources.toml` (known outlets and their RSS feeds, as data) and turns what a user or
a model wrote into a `SourcePlan` (feeds and pages for `crawlers.crawl`). Nothing here fetches anything.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from config import NuriError

__all__ = [
    "SECTIONS",
    "Outlet",
    "SourcePlan",
    "known_outlets",
    "outlet_name",
    "resolve_source",
    "source_in_question",
]

_TABLE = Path(__file__).with_name("news_sources.toml")

# Section names as stored in the table, with the words people use for them.
SECTIONS: dict[str, tuple[str, ...]] = {
    "전체": ("전체", "종합", "최신", "속보", "주요", "all", "latest", "news", "top"),
    "정치": ("정치", "politics", "political"),
    "경제": ("경제", "economy", "economic", "business", "finance", "증시", "산업"),
    "사회": ("사회", "society", "national", "전국"),
    "국제": ("국제", "세계", "해외", "world", "international", "global"),
    "문화": ("문화", "생활", "라이프", "culture", "life", "entertainment", "연예"),
    "IT·과학": (
        "IT·과학",
        "it/과학",
        "it과학",
        "과학",
        "it",
        "테크",
        "기술",
        "science",
        "tech",
        "technology",
    ),
    "스포츠": ("스포츠", "sports", "sport", "야구", "축구"),
}
# Words that carry no choice ("오늘 연합뉴스 경제 기사 5건"): dropped before looking for a section.
_FILLER = re.compile(
    r"오늘|어제|최근|최신순|기사|뉴스|소식|섹션|면|분야|피드|rss|\d+\s*(?:건|개|편)|[\s,./·:()\[\]'\"]+",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Outlet:
    """One known outlet: its Korean name, the names it goes by, a home page and feeds per section."""

    id: str
    name: str
    aliases: tuple[str, ...]
    homepage: str
    feeds: dict[str, str] = field(default_factory=dict, hash=False)
    checked: str = "unverified"
    note: str = ""


@dataclass(frozen=True)
class SourcePlan:
    """What to crawl for one source: feed URLs, page URLs (section pages, sitemaps), and a Korean label."""

    label: str
    feeds: tuple[str, ...] = ()
    pages: tuple[str, ...] = ()
    outlet: str | None = None
    section: str | None = None
    note: str = ""  # what was assumed, e.g. the whole-news feed when no section was recognised


@functools.cache
def known_outlets() -> tuple[Outlet, ...]:
    """Every outlet in the table, in table order."""
    data = tomllib.loads(_TABLE.read_text(encoding="utf-8"))
    return tuple(
        Outlet(
            id=row["id"],
            name=row["name"],
            aliases=tuple(row.get("aliases", ())),
            homepage=row["homepage"],
            feeds=dict(row.get("feeds", {})),
            checked=row.get("checked", "unverified"),
            note=row.get("note", ""),
        )
        for row in data["outlet"]
    )


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def _alias_pattern(alias: str) -> re.Pattern[str]:
    """Latin aliases match whole words only ("mk" must not match inside "market"); Korean ones anywhere."""
    escaped = re.escape(_norm(alias)).replace(r"\ ", r"\s*")
    if re.search(r"[a-z0-9]", alias.lower()) and not re.search(r"[가-힣]", alias):
        return re.compile(rf"(?<![a-z0-9.]){escaped}(?![a-z0-9])")
    return re.compile(escaped)


def _find_outlet(text: str) -> tuple[Outlet, str] | None:
    """The outlet named in `text` (the longest matching name wins) and the text without that name."""
    best: tuple[int, Outlet, re.Match[str]] | None = None
    for outlet in known_outlets():
        for alias in (outlet.name, *outlet.aliases):
            match = _alias_pattern(alias).search(text)
            if match and (best is None or len(match.group(0)) > best[0]):
                best = (len(match.group(0)), outlet, match)
    if best is None:
        return None
    _, outlet, match = best
    return outlet, text[: match.start()] + " " + text[match.end() :]


def _find_section(rest: str) -> str | None:
    """The section named in what is left once the outlet's name is gone, or None.

    >>> _find_section(" 경제 기사 5건"), _find_section("it 뉴스"), _find_section(" "), _find_section("날씨")
    ('경제', 'IT·과학', None, '?')
    >>> _find_section("경제면 최신 기사 2건"), _find_section("최신 기사")  # a named section before "최신"
    ('경제', '전체')
    """
    words = _FILLER.sub(" ", rest).split()
    if not words:
        return None
    joined = " ".join(words)
    # "전체" last: its words (최신, 주요) sit beside a named section in "경제면 최신 기사".
    for section, names in sorted(SECTIONS.items(), key=lambda item: item[0] == "전체"):
        for name in names:
            if _alias_pattern(name).search(joined):
                return section
    return "?"


def outlet_name(text: str) -> str:
    """The outlet's Korean name as the knowledge base stores it, for any known alias; else `text` itself.

    >>> outlet_name("yna"), outlet_name("Hankyoreh"), outlet_name("바다신문")
    ('연합뉴스', '한겨레', '바다신문')
    """
    norm = _norm(text)
    for outlet in known_outlets():
        if norm in (_norm(a) for a in (outlet.name, *outlet.aliases)):
            return outlet.name
    return text.strip()


def _plan_for_url(url: str) -> SourcePlan:
    """A feed URL goes in as a feed; a sitemap or section page as a page (the crawler reads which it is)."""
    parts = urlsplit(url)
    where = (parts.path + "?" + parts.query).lower()
    if "sitemap" in where:
        return SourcePlan(label=f"사이트맵 {url}", pages=(url,))
    if re.search(r"rss|feed|atom|\.xml(?:$|\?)", where):
        return SourcePlan(label=f"피드 {url}", feeds=(url,))
    return SourcePlan(label=f"목록 페이지 {url}", pages=(url,))


def _known_list() -> str:
    return ", ".join(o.name for o in known_outlets())


def resolve_source(source: str) -> SourcePlan:
    """Turn "연합뉴스 경제", "yna economy", "한겨레", or a feed/sitemap/section URL into what to crawl.

    >>> resolve_source("연합뉴스 경제").feeds
    ('https://www.yna.co.kr/rss/economy.xml',)
    >>> plan = resolve_source("오늘 yna 경제 기사 5건"); (plan.outlet, plan.section, plan.label)
    ('연합뉴스', '경제', '연합뉴스 경제 피드')
    >>> resolve_source("KBS").pages, resolve_source("KBS").feeds
    (('https://news.kbs.co.kr/news/pc/main/main.html',), ())
    >>> resolve_source("https://news.example.kr/rss/economy.xml").feeds
    ('https://news.example.kr/rss/economy.xml',)
    >>> resolve_source("https://news.example.kr/sitemap-news.xml").pages
    ('https://news.example.kr/sitemap-news.xml',)
    """
    text = (source or "").strip()
    if not text:
        raise NuriError(
            f"어느 언론사의 기사를 모을지 알려 주세요. 예: '연합뉴스 경제', 또는 피드나 섹션 페이지 주소(https://...). "
            f"아는 언론사: {_known_list()}"
        )
    if re.match(r"https?://", text, re.IGNORECASE):
        return _plan_for_url(text.split()[0])
    found = _find_outlet(_norm(text))
    if found is None:
        raise NuriError(
            f"'{text}'은(는) 아는 언론사가 아닙니다. 아는 언론사: {_known_list()}. "
            "다른 언론사라면 그 언론사의 RSS 피드나 섹션 페이지 주소(https://...)를 주세요."
        )
    outlet, rest = found
    section = _find_section(rest)
    note = ""
    if section == "?":  # words we do not know ("모아서 브리핑해 줘"): take the whole-news feed and say so
        note = (
            f"'{' '.join(_FILLER.sub(' ', rest).split())}'에서 분야를 알아보지 못해 전체 기사를 모았습니다."
        )
        section = None
    if section and section not in outlet.feeds and section != "전체":
        have = ", ".join(outlet.feeds) or "없음 (첫 화면만 읽을 수 있음)"
        raise NuriError(
            f"{outlet.name}의 '{section}' 분야 피드를 모릅니다. 아는 분야: {have}. "
            f"분야 없이 '{outlet.name}'라고 하거나, 그 섹션 페이지 주소(https://...)를 주세요."
        )
    section = section or ("전체" if "전체" in outlet.feeds else None)
    if section in outlet.feeds:
        feed = outlet.feeds[section]
        label = f"{outlet.name} {section} 피드"
        return SourcePlan(label, feeds=(feed,), outlet=outlet.name, section=section, note=note)
    return SourcePlan(f"{outlet.name} 첫 화면", pages=(outlet.homepage,), outlet=outlet.name, note=note)


def outlet_in_question(question: str) -> str | None:
    """The known outlet a question names, by its stored name, or None.

    >>> outlet_in_question("저장한 한겨레 기사에서 금리 찾아 줘"), outlet_in_question("저장한 기사에서 금리 찾아 줘")
    ('한겨레', None)
    """
    found = _find_outlet(_norm(question))
    return found[0].name if found else None


def source_in_question(question: str) -> str | None:
    """The outlet and section a question names, as a `crawl_news` source; None when it names no known outlet
    or a section that outlet has no feed for.

    >>> source_in_question("오늘 연합뉴스 경제 기사 5건 모아서 브리핑해 줘"), source_in_question("한겨레 최신 기사 모아 줘")
    ('연합뉴스 경제', '한겨레 전체')
    >>> source_in_question("최신 뉴스 3건 모아 줘") is None
    True
    """
    if re.search(r"https?://", question, re.IGNORECASE):
        return None
    try:
        plan = resolve_source(question)
    except NuriError:
        return None
    if plan.outlet is None:
        return None
    return f"{plan.outlet} {plan.section}" if plan.section else plan.outlet
