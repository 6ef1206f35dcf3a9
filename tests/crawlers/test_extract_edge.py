"""Extraction edge cases: no article, JSON-LD body only, text input, boilerplate that looks like prose."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from config import NuriError
from crawlers.extract import extract_article
from crawlers.extract.boilerplate import clean_paragraphs

PROSE = [
    "지역 도서관들이 겨울방학을 맞아 어린이 독서 캠프를 연다.",
    "캠프에서는 작가와 함께 짧은 동화를 써 보고, 완성한 작품을 작은 책으로 묶어 준다.",
    "참가 신청은 다음 달 1일부터 각 도서관 누리집에서 받는다.",
    "구독 경제가 커지면서 도서 정기 배송 서비스를 찾는 가정도 늘고 있다는 분석이 나왔다.",
]


def test_page_without_title_or_text_raises_a_korean_error():
    with pytest.raises(NuriError) as caught:
        extract_article(b"<html><body><div></div></body></html>", "https://example.com/empty")
    assert "기사를 찾지 못했습니다" in str(caught.value)


def test_script_rendered_page_uses_json_ld_article_body():
    data = {
        "@type": "NewsArticle",
        "headline": "어린이 독서 캠프 연다",
        "articleBody": "\n".join(PROSE),
        "datePublished": "2026-11-21T09:00:00+09:00",
    }
    html = f"""<html><head><script type="application/ld+json">{json.dumps(data, ensure_ascii=False)}</script></head>
    <body><div id="app"></div><script>render()</script></body></html>"""
    article = extract_article(html, "https://library-news.example/a/1")
    assert article.title == "어린이 독서 캠프 연다"
    assert article.text.split("\n\n") == PROSE


def test_text_input_and_prose_with_prompt_words_survive():
    body = "".join(f"<p>{p}</p>" for p in PROSE) + "<p>네이버에서 구독하기</p><p>기사 공유하기</p>"
    html = f"<html><head><title>어린이 독서 캠프 연다 - 도서관신문</title></head><body><article>{body}</article></body></html>"
    article = extract_article(html, "https://library-news.example/a/2")
    assert article.title == "어린이 독서 캠프 연다"
    assert "구독 경제가 커지면서" in article.text
    assert "구독하기" not in article.text and "공유하기" not in article.text


def test_related_list_after_heading_is_dropped_but_prose_after_it_is_kept():
    paragraphs, _ = clean_paragraphs(
        [PROSE[0], "[관련기사]", "작가와의 만남 일정 공개", "도서관 휴관일 안내", PROSE[1]]
    )
    assert paragraphs == [PROSE[0], PROSE[1]]


@pytest.mark.parametrize(
    ("fixture", "url"),
    [
        ("yonhap.section.html", "https://www.yna.co.kr/society/all"),
        (
            "generic.section.html",
            "https://www.bluesea-news.example/news/articleList.html?sc_section_code=S1N1",
        ),
    ],
)
def test_section_pages_have_no_article_text(fixture, url):
    # The crawl loop follows a page's links only when it holds no article: lead snippets must not count.
    page = (Path(__file__).parent / "fixtures" / fixture).read_bytes()
    assert extract_article(page, url).text == ""


def test_short_list_article_in_the_rule_container_is_kept():
    # A personnel notice (인사) is a list, not prose; the Yonhap rule's container still marks it as the article.
    html = """<html><head><title>[인사] 한빛시청 | 연합뉴스</title></head><body><h1 class="tit01">[인사] 한빛시청</h1>
    <p class="update-time" data-published-time="2026-11-23 18:00"></p><div class="story-news article">
    <p>◇ 국장급 전보</p><p>▲ 기획조정실장 김가람 ▲ 복지국장 이나래</p><p>◇ 과장급 전보</p>
    <p>▲ 예산과장 박다솜 ▲ 청년정책과장 최라온 ▲ 교통과장 정마루</p>
    <p>제보는 카카오톡 okjebo &lt;저작권자(c) 연합뉴스, 무단 전재-재배포, AI 학습 및 활용 금지&gt; 2026/11/23 18:00 송고</p>
    <p>다양한 채널에서 연합뉴스를 만나보세요!</p></div></body></html>"""
    article = extract_article(html, "https://www.yna.co.kr/view/AKR20261123100000001")
    assert article.text.split("\n\n") == [
        "◇ 국장급 전보",
        "▲ 기획조정실장 김가람 ▲ 복지국장 이나래",
        "◇ 과장급 전보",
        "▲ 예산과장 박다솜 ▲ 청년정책과장 최라온 ▲ 교통과장 정마루",
    ]
