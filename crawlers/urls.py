"""URL helpers: one canonical form per article, and a same-site test that cannot be fooled by prefixes.

Canonical URLs are the first line of de-duplication (the content fingerprint in `crawlers.dedup` is the
second): tracking parameters go, the query is sorted, and Naver's many spellings of one article
collapse to a single address.
"""

from __future__ import annotations

import functools
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

__all__ = ["canonicalize", "registrable_domain", "same_site"]

# Query parameters that only say where a click came from. Dropping them never changes the page.
_TRACKING_EXACT = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "_ga",
        "_gl",
        "_hsenc",
        "_hsmi",
        "mkt_tok",
        "ocid",
        "cmpid",
        "s_cid",
        "napm",  # Naver ad tracking (NaPm=ct%3D...)
        "nclick",
        "plink",  # SBS: which partner page linked here
        "cooper",
    }
)
_TRACKING_PREFIXES = ("utm_", "__twitter", "pk_", "mtm_")

_NAVER_OID_AID = re.compile(r"^/(?:mnews/)?(?:ranking/)?article/(?:comment/)?(\d{3,4})/(\d{6,12})")
_NAVER_ENT_PATH = re.compile(r"^/(?:[a-z]+/)*article/(\d{3,4})/(\d{6,12})")
_DAUM_PATH = re.compile(r"^/v/(\d{10,20})")


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in _TRACKING_EXACT or lowered.startswith(_TRACKING_PREFIXES)


def _naver_canonical(host: str, path: str, query: dict[str, str]) -> str | None:
    """Map every known spelling of a Naver article to one URL, or None if this is not one."""
    oid = query.get("oid") or query.get("officeId")
    aid = query.get("aid") or query.get("articleId")
    if host in ("n.news.naver.com", "m.news.naver.com", "news.naver.com", "mnews.naver.com"):
        match = _NAVER_OID_AID.match(path)
        if match:
            return f"https://n.news.naver.com/article/{match.group(1)}/{match.group(2)}"
        if oid and aid and path.startswith(("/main/read", "/main/ranking/read", "/read")):
            return f"https://n.news.naver.com/article/{oid}/{aid}"
        return None
    if host in ("entertain.naver.com", "m.entertain.naver.com"):
        match = _NAVER_ENT_PATH.match(path)
        if match:
            return f"https://m.entertain.naver.com/article/{match.group(1)}/{match.group(2)}"
        if oid and aid and "read" in path:
            return f"https://m.entertain.naver.com/article/{oid}/{aid}"
        return None
    if host in ("sports.news.naver.com", "m.sports.naver.com", "sports.naver.com"):
        match = _NAVER_ENT_PATH.match(path)
        if match:
            return f"https://m.sports.naver.com/article/{match.group(1)}/{match.group(2)}"
        if oid and aid and path.startswith(("/news", "/read", "/sports/index", "/general/news")):
            return f"https://m.sports.naver.com/article/{oid}/{aid}"
        return None
    return None


def canonicalize(url: str) -> str:
    """The canonical form of `url`: lowercase scheme and host, no default port, no fragment, no
    tracking parameters, sorted query, Naver and Daum article URLs in one spelling.

    >>> canonicalize("HTTPS://WWW.Example.COM:443/news/1?utm_source=x&b=2&a=1#top")
    'https://www.example.com/news/1?a=1&b=2'
    >>> canonicalize("https://news.naver.com/main/read.naver?mode=LSD&mid=shm&sid1=101&oid=001&aid=0014000000")
    'https://n.news.naver.com/article/001/0014000000'
    >>> canonicalize("https://m.news.naver.com/article/023/0003900000?sid=102")
    'https://n.news.naver.com/article/023/0003900000'
    >>> canonicalize("https://n.news.naver.com/mnews/article/001/0014000000?ntype=RANKING")
    'https://n.news.naver.com/article/001/0014000000'
    >>> canonicalize("https://entertain.naver.com/read?oid=311&aid=0001700000")
    'https://m.entertain.naver.com/article/311/0001700000'
    >>> canonicalize("https://sports.news.naver.com/news?oid=413&aid=0000190000")
    'https://m.sports.naver.com/article/413/0000190000'
    >>> canonicalize("http://example.com?fbclid=abc&gclid=1")
    'http://example.com/'
    """
    url = url.strip()
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        return url
    host = (parts.hostname or "").rstrip(".").lower()
    port = parts.port if parts.port not in (None, 80 if scheme == "http" else 443) else None
    netloc = f"[{host}]" if ":" in host else host
    if port:
        netloc = f"{netloc}:{port}"
    path = parts.path or "/"
    pairs = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)]
    naver = _naver_canonical(host, path, dict(pairs))
    if naver:
        return naver
    if host in ("v.daum.net", "news.v.daum.net", "m.v.daum.net"):
        match = _DAUM_PATH.match(path)
        if match:
            return f"https://v.daum.net/v/{match.group(1)}"
    query = urlencode(sorted(pairs))
    return urlunsplit((scheme, netloc, path, query, ""))


@functools.lru_cache(maxsize=1)
def _extractor():
    import tldextract

    # The bundled public-suffix snapshot only: no fetch at run time, no cache written to disk.
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def _host(url_or_host: str) -> str:
    text = url_or_host.strip()
    host = urlsplit(text).hostname if "//" in text else text.split("/")[0].split(":")[0]
    return (host or "").rstrip(".").lower()


def registrable_domain(url_or_host: str) -> str:
    """The registrable domain (eTLD+1) of a URL or host; '' for IP addresses and bare names.

    >>> registrable_domain("https://news.chosun.com/a")
    'chosun.com'
    >>> registrable_domain("m.news.naver.com")
    'naver.com'
    >>> registrable_domain("http://www.yna.co.kr/view/AKR1")
    'yna.co.kr'
    >>> registrable_domain("http://127.0.0.1:8080/")
    ''
    """
    result = _extractor()(_host(url_or_host))
    domain = getattr(result, "top_domain_under_public_suffix", None)
    if domain is None:  # tldextract < 5.3
        domain = result.registered_domain
    return domain or ""


def same_site(a: str, b: str) -> bool:
    """True when two URLs (or hosts) share the exact host or the registrable domain.

    Never a string-prefix test (CVE-2024-0243 in LangChain's RecursiveUrlLoader was that bug).

    >>> same_site("https://news.example.com/a", "https://www.example.com/b")
    True
    >>> same_site("https://example.com.evil.test/", "https://example.com/")
    False
    >>> same_site("https://example.co.kr/", "https://other.co.kr/")
    False
    >>> same_site("http://127.0.0.1:8000/a", "http://127.0.0.1:9000/b")
    True
    >>> same_site("http://127.0.0.1/", "http://127.0.0.2/")
    False
    """
    host_a, host_b = _host(a), _host(b)
    if not host_a or not host_b:
        return False
    if host_a == host_b:
        return True
    domain_a = registrable_domain(host_a)
    return bool(domain_a) and domain_a == registrable_domain(host_b)
