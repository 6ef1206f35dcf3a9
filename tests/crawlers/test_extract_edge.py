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
