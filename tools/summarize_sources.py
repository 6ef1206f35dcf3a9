"""What the summarizer reads: a URL (crawled), several URLs, a stored article (by URL or title), or a paste.

Every source becomes a `Source` (text plus what a citation needs). URLs go through the crawl tool's
`articles_for_urls`, so robots.txt, the SSRF guard and politeness apply and the article is archived and
indexed; a stored article is read back from the knowledge base chunk by chunk.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from config import NuriError
from crawlers.article import Article
from tools.clock import KST
from tools.context import ToolEnv
from tools.results import Citation
from tools.summary_guard import without_request

__all__ = ["MAX_PASTE_BYTES", "Source", "check_size", "citations_for", "resolve", "split_urls"]

log = logging.getLogger(__name__)

MAX_PASTE_BYTES = 1_000_000  # 1 MB of UTF-8: about 330,000 Korean characters
_URL = re.compile(r"^(?:https?://|www\.)\S+$|^[\w.-]+\.[a-z]{2,}/\S*$", re.IGNORECASE)
_TITLE_MAX = 120


@dataclass(frozen=True)
class Source:
    """One text to summarize, with its citation details when it is an article."""

    text: str
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: str | None = None  # YYYY-MM-DD in KST

    @classmethod
    def from_article(cls, article: Article) -> Source:
        day = article.published.astimezone(KST).date().isoformat() if article.published else None
        return cls(article.text, article.title, article.canonical_url or article.url, article.outlet, day)


def check_size(text: str) -> None:
    """Refuse a paste over `MAX_PASTE_BYTES` with a Korean message naming both sizes.

    >>> check_size("가" * 10)
    >>> check_size("가" * 400_000)
    Traceback (most recent call last):
    config.errors.NuriError: 요약할 글이 너무 큽니다 (1.2 MB, 400,000자 > 한도 1.0 MB). 글을 몇 부분으로 나누어 따로 요약하세요.
    """
    size = len(text.encode("utf-8", errors="replace"))
    if size > MAX_PASTE_BYTES:
        raise NuriError(
            f"요약할 글이 너무 큽니다 ({size / 1e6:.1f} MB, {len(text):,}자 > 한도 {MAX_PASTE_BYTES / 1e6:.1f} MB). "
            "글을 몇 부분으로 나누어 따로 요약하세요."
        )


def split_urls(target: str) -> list[str] | None:
    """The URLs when `target` is one or more URLs (with at most a short request around them), else None.

    >>> split_urls("https://a.kr/1, https://b.kr/2")
    ['https://a.kr/1', 'https://b.kr/2']
    >>> split_urls("이 기사 요약해줘 www.yna.co.kr/view/AKR1")
    ['www.yna.co.kr/view/AKR1']
    >>> split_urls("https://a.kr/1: 요약해 줘")
    ['https://a.kr/1']
    >>> split_urls("서울시는 요금을 올린다고 밝혔다. 자세한 내용은 https://a.kr/1 참고.") is None
    True
    """
    words = [w.strip("<>\"'()[]") for w in re.split(r"[\s,]+", target) if w]
    urls = [w.rstrip(".:;!?") for w in words if _URL.match(w)]  # "https://a.kr/1:" is the URL and a colon
    if not urls:
        return None
    rest = " ".join(w for w in words if not _URL.match(w))
    return urls if len(rest) <= 30 and not re.search(r"[.!?]\s*$", rest) else None


def citations_for(sources: list[Source]) -> list[Citation]:
    """Numbered citations for the article sources, in order ([1], [2], ...)."""
    return [
        Citation(i, s.title or s.url or "", s.url or "", s.outlet, s.published)
        for i, s in enumerate(sources, 1)
        if s.url
    ]


def _norm(text: str) -> str:
    return re.sub(r"[\s\"'“”‘’]+", "", text).lower()


def _kb_exists(env: ToolEnv) -> bool:
    return env.knowledge is not None or (env.settings.home / "kb").is_dir() or bool(env.settings.chroma_url)


def _stored_text(env: ToolEnv, doc) -> str:
    """An article's body put back together from its knowledge-base chunks (which overlap a little)."""
    from vectorstore import SearchFilters

    hits = env.kb().search(
        doc.title or doc.canonical_url,
        k=max(1, doc.chunks),
        filters=SearchFilters(url=doc.canonical_url),
        mode="dense",
        group_by_article=False,
    )
    parts: list[str] = []
    end = 0
    for hit in sorted(hits, key=lambda h: h.char_start):
        if hit.char_end <= end:
            continue
        skip = max(0, end - hit.char_start)
        parts.append(("\n\n" if parts and skip == 0 else "") + hit.text[skip:])
        end = hit.char_end
    return "".join(parts).strip()


def _from_kb(env: ToolEnv, *, url: str | None = None, title: str | None = None) -> Source | None:
    """A stored article by URL (any spelling) or by title (exact, else the newest containing it)."""
    if not _kb_exists(env):
        return None
    from crawlers.urls import canonicalize

    try:
        docs = env.kb().documents()
        if url:
            key = canonicalize(url if "://" in url else "https://" + url)
            found = next((d for d in docs if key in (d.canonical_url, canonicalize(d.url))), None)
        else:
            want = _norm(title or "")
            found = next((d for d in docs if _norm(d.title) == want), None) or next(
                (d for d in docs if want and want in _norm(d.title)), None
            )
        if found is None:
            return None
        text = _stored_text(env, found)
    except NuriError:
        raise
    except Exception:  # noqa: BLE001 - a knowledge base that cannot be read is "not found"
        log.exception("knowledge-base lookup failed")
        return None
    if not text:
        return None
    day = found.published.astimezone(KST).date().isoformat() if found.published else None
    return Source(text, found.title, found.canonical_url, found.outlet, day)


def _from_urls(urls: list[str], env: ToolEnv) -> tuple[list[Source], list[str]]:
    from tools.crawl import articles_for_urls  # lazy: the crawler is heavy and text targets need none of it

    env.progress(f"요약할 기사 {len(urls)}건 가져오는 중…")
    articles, failures = articles_for_urls(urls, env, max_pages=len(urls))
    sources = [Source.from_article(a) for a in articles if a.text.strip()]
    if not sources:  # offline, or robots.txt says no now: an article stored earlier still serves
        sources = [s for s in (_from_kb(env, url=u) for u in urls) if s is not None]
    if not sources:
        reasons = "; ".join(failures) or "본문을 찾지 못했습니다"
        raise NuriError(f"기사를 가져오지 못해 요약할 수 없습니다: {reasons}")
    return sources, failures


def _prose(text: str) -> bool:
    """Whether a short one-line target reads like text to summarize rather than a title to look up: two
    sentences at least, or 60 characters. One short sentence is no text to summarize; the 0.5B model passed
    a line of a tool result's own instructions ("기사 내용을 말할 때는 출처를 [1]처럼 번호로 밝히세요.").

    >>> _prose("시가 요금을 올린다. 시민은 반대한다."), _prose("기사 내용을 말할 때는 출처를 [1]처럼 번호로 밝히세요.")
    (True, False)
    """
    return len(re.findall(r"[.!?。]|[다요](?=\s|$)", text)) >= 2 or len(text) >= 60


def resolve(target: str, env: ToolEnv) -> tuple[list[Source], list[str]]:
    """The sources `target` names, and Korean notes about URLs that could not be fetched."""
    text = target.strip()
    if not text:
        raise NuriError("요약할 대상이 비어 있습니다. 기사 URL, 저장된 기사 제목, 또는 요약할 글을 주세요.")
    check_size(text)
    urls = split_urls(text)
    if urls:
        return _from_urls(urls, env)
    if "\n" not in text and len(text) <= _TITLE_MAX:
        stored = _from_kb(env, title=text)
        if stored is not None:
            return [stored], []
        if not _prose(text):
            raise NuriError(
                f"저장된 기사 중 제목이 '{text}'인 것을 찾지 못했습니다. 기사 URL이나 요약할 글을 주세요."
            )
    return [Source(without_request(text))], []
