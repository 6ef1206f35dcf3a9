"""Site rules, kept as data in `sites.toml`: one table per site, looked up by host.

A selector is CSS, or 'CSS@attribute' to read an attribute instead of the text. Lists are tried in
order; the first selector that matches wins. Each rule records where its selectors were observed.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

__all__ = ["SiteRule", "site_rules", "rule_for"]

_TABLE = Path(__file__).with_name("sites.toml")


@dataclass(frozen=True)
class SiteRule:
    id: str
    name: str
    hosts: tuple[str, ...]
    outlet: str | None = None
    title: tuple[str, ...] = ()
    body: tuple[str, ...] = ()
    published: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    outlet_from: tuple[str, ...] = ()
    section: tuple[str, ...] = ()
    captions: tuple[str, ...] = ()
    remove: tuple[str, ...] = ()
    boilerplate: tuple[re.Pattern[str], ...] = ()
    article_url: re.Pattern[str] | None = None
    feeds: tuple[str, ...] = ()  # the outlet's own RSS feeds: a polite way in where portals refuse crawlers
    min_body_chars: int = 200
    observed: dict = field(default_factory=dict, hash=False, compare=False)

    def matches_host(self, host: str) -> bool:
        return host in self.hosts


def _rule(raw: dict) -> SiteRule:
    tuples = {
        key: tuple(raw.get(key, ()))
        for key in (
            "title",
            "body",
            "published",
            "updated",
            "authors",
            "outlet_from",
            "section",
            "captions",
            "remove",
            "feeds",
        )
    }
    return SiteRule(
        id=raw["id"],
        name=raw["name"],
        hosts=tuple(host.lower() for host in raw["hosts"]),
        outlet=raw.get("outlet") or None,
        boilerplate=tuple(re.compile(p) for p in raw.get("boilerplate", ())),
        article_url=re.compile(raw["article_url"]) if raw.get("article_url") else None,
        min_body_chars=int(raw.get("min_body_chars", 200)),
        observed=dict(raw.get("observed", {})),
        **tuples,
    )


@functools.lru_cache(maxsize=1)
def site_rules() -> tuple[SiteRule, ...]:
    """All site rules from the bundled table."""
    with _TABLE.open("rb") as handle:
        data = tomllib.load(handle)
    return tuple(_rule(raw) for raw in data["site"])


@functools.lru_cache(maxsize=1)
def _by_host() -> dict[str, SiteRule]:
    return {host: rule for rule in site_rules() for host in rule.hosts}


def rule_for(url: str | None) -> SiteRule | None:
    """The rule for a URL's exact host (never a suffix or prefix match), or None.

    >>> rule_for("https://n.news.naver.com/article/001/0014000000").id
    'naver'
    >>> rule_for("https://www.yna.co.kr/view/AKR20261123000100001").id
    'yonhap'
    >>> rule_for("https://www.yna.co.kr.evil.test/view/1") is None
    True
    """
    if not url:
        return None
    host = (urlsplit(url).hostname or "").rstrip(".").lower()
    return _by_host().get(host)
