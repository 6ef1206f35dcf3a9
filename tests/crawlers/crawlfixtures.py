"""Composed Korean news pages, feeds and sitemaps for crawler tests (our own text, no real articles)."""

from __future__ import annotations

from html import escape

HTML = {"Content-Type": "text/html; charset=utf-8"}
XML = {"Content-Type": "application/xml; charset=utf-8"}
RSS = {"Content-Type": "application/rss+xml; charset=utf-8"}

STORIES = {
    "subway": (
        "지하철 기본요금 150원 오른다",
        [
            "서울시가 내년 봄부터 지하철 기본요금을 150원 올리기로 했다고 23일 밝혔다. 시는 운영 적자가 "
            "커져 요금 조정이 불가피하다고 설명했다.",
            "시민단체는 물가 부담이 큰 시기에 요금을 올리는 것은 시민에게 짐을 지우는 일이라며 반발했다. "
            "시는 청소년과 노인 할인은 그대로 유지한다고 덧붙였다.",
            "시의회는 다음 달 공청회를 열어 의견을 듣고 최종 인상 폭을 정할 계획이다.",
        ],
    ),
    "rice": (
        "올해 쌀 생산량 3년 만에 늘어",
        [
            "통계청은 올해 쌀 생산량이 지난해보다 2.1% 늘어난 370만 톤으로 집계됐다고 밝혔다. 여름철 "
            "일조 시간이 길어 작황이 좋았던 덕분이다.",
            "농민들은 생산량이 늘었지만 산지 쌀값이 떨어질까 걱정하고 있다. 정부는 시장 격리 물량을 "
            "이달 말까지 결정하기로 했다.",
            "전문가들은 쌀 소비가 해마다 줄고 있어 근본적인 수급 대책이 필요하다고 지적했다.",
        ],
    ),
    "typhoon": (
        "태풍 북상에 남해안 뱃길 끊겨",
        [
            "제12호 태풍이 북상하면서 남해안 여객선 운항이 모두 중단됐다. 기상청은 내일 새벽까지 최대 "
            "초속 30미터의 강풍이 불 것으로 내다봤다.",
            "부산과 여수 항구에는 어선 수백 척이 대피했고, 해안가 주민들에게는 외출 자제가 권고됐다. "
            "지자체는 비상 근무 체제에 들어갔다.",
            "기상청은 태풍이 모레 오후 동해로 빠져나갈 것으로 예상했다.",
        ],
    ),
}


def article_page(key: str, *, outlet: str = "누리일보", extra: str = "", links: tuple[str, ...] = ()) -> str:
    title, paragraphs = STORIES[key]
    body = "".join(f"<p>{escape(p)}{escape(extra)}</p>" for p in paragraphs)
    nav = "".join(f'<li><a href="{escape(h)}">관련 기사 {i}</a></li>' for i, h in enumerate(links))
    return f"""<!doctype html><html lang="ko"><head><meta charset="utf-8">
<title>{escape(title)} | {outlet}</title><meta property="og:title" content="{escape(title)}">
<meta property="og:site_name" content="{outlet}">
<meta property="article:published_time" content="2026-11-23T09:00:00+09:00"></head>
<body><nav><ul>{nav}</ul></nav><article><h1>{escape(title)}</h1>
<div class="article-body">{body}</div></article><footer>무단전재 및 재배포 금지</footer></body></html>"""


def section_page(title: str, links: list[str]) -> str:
    items = "".join(
        f'<li><a href="{escape(h)}">기사 제목 {i}번 소식입니다</a></li>' for i, h in enumerate(links)
    )
    return f"""<!doctype html><html lang="ko"><head><meta charset="utf-8"><title>{escape(title)}</title></head>
<body><h1>{escape(title)}</h1><ul class="news-list">{items}</ul></body></html>"""


def rss(links: list[str]) -> str:
    items = "".join(
        f"<item><title>소식 {i}</title><link>{escape(h)}</link>"
        f"<pubDate>Mon, 23 Nov 2026 0{i % 10}:00:00 +0900</pubDate></item>"
        for i, h in enumerate(links)
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>누리일보</title>
<link>http://news.example.com/</link><description>최신 기사</description>{items}</channel></rss>"""


def sitemap(urls: list[str], children: list[str] = ()) -> str:
    if children:
        inner = "".join(f"<sitemap><loc>{escape(c)}</loc></sitemap>" for c in children)
        return f'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{inner}</sitemapindex>'
    inner = "".join(f"<url><loc>{escape(u)}</loc></url>" for u in urls)
    return (
        f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{inner}</urlset>'
    )
