"""Which URLs the user typed, and which a tool call is about to fetch (for the confirmation rule)."""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["normalise_url", "typed_urls", "urls_in_argument"]

_URL = re.compile(r"https?://[^\s<>\"'`)\]}]+", re.IGNORECASE)
_TRAILING = ".,;:!?。、…"


def normalise_url(url: str) -> str:
    """The form two spellings of one URL share: no trailing punctuation or slash, lower-case scheme/host.

    >>> normalise_url("HTTPS://News.Example.KR/a/1/.")
    'https://news.example.kr/a/1'
    """
    url = url.strip().rstrip(_TRAILING).rstrip("/")
    match = re.match(r"(?i)(https?://)([^/?#]*)(.*)", url)
    if not match:
        return url
    return match[1].lower() + match[2].lower() + match[3]


def typed_urls(texts: Iterable[str]) -> set[str]:
    """URLs found in what the user wrote, normalised.

    >>> sorted(typed_urls(["이 기사 요약해 줘 https://n.test/a/1, 그리고 http://m.test/b."]))
    ['http://m.test/b', 'https://n.test/a/1']
    """
    return {normalise_url(m.group(0)) for text in texts for m in _URL.finditer(text)}


def urls_in_argument(value: object) -> list[str]:
    """URL-looking strings in a tool argument (a string, or a list of strings), normalised.

    An outlet name such as "연합뉴스 경제" is not a URL and needs no confirmation.

    >>> urls_in_argument(["https://a.test/x", "연합뉴스"]), urls_in_argument("www.b.test/y"), urls_in_argument(None)
    (['https://a.test/x'], ['http://www.b.test/y'], [])
    """
    items = value if isinstance(value, list) else [value]
    found = []
    for item in items:
        if not isinstance(item, str):
            continue
        text = item.strip()
        if re.match(r"(?i)^www\.", text):
            text = "http://" + text
        found += [normalise_url(m.group(0)) for m in _URL.finditer(text)]
    return found
