"""Finding the article in the plain text of a whole page pasted from a browser."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from config import NuriError
from crawlers.extract import extract_text_paste

KST = timezone(timedelta(hours=9))
PASTE = (Path(__file__).parent / "fixtures" / "naver.paste.txt").read_text(encoding="utf-8")


def test_naver_page_paste_yields_the_article_only():
    article = extract_text_paste(PASTE, "https://n.news.naver.com/mnews/article/999/0000012345?sid=101")
    assert article.title == "전통시장 온누리상품권 할인율 연말까지 15%로 상향"
    assert article.published == datetime(2026, 11, 23, 9, 12, tzinfo=KST)
    assert article.updated == datetime(2026, 11, 23, 10, 1, tzinfo=KST)
    assert article.authors == ["최은비"]
    assert article.outlet == "한빛경제"
    assert article.canonical_url == "https://n.news.naver.com/article/999/0000012345"
    assert article.text.startswith("정부가 전통시장에서 쓰는 온누리상품권의 할인율을 연말까지 15%로 올린다.")
    assert article.text.endswith('현장 단속도 함께 강화하겠다"고 말했다.')
    assert len(article.text.split("\n\n")) == 5
    for junk in [
        "무단 전재",
        "구독",
        "관련기사",
        "소상공인 전기요금",
        "가맹점이 너무 적어요",
        "요약봇",
        "NAVER",
        "@",
        "자료사진",
        "기사원문",
        "좋아요",
    ]:
        assert junk not in article.text, junk


def test_paste_without_url_gets_a_stable_pseudo_url():
    first = extract_text_paste(PASTE)
    second = extract_text_paste(PASTE)
    assert first.url.startswith("paste:") and first.url == second.url
    assert first.sources[0].url == first.canonical_url


def test_paste_without_date_or_title_lines_still_finds_the_body():
    lines = [
        "홈",
        "정치",
        "경제",
        "사회",
        "동네 빵집 살리기 나선 구청",
        "구청이 동네 빵집에서 파는 빵의 재료비 일부를 지원하는 사업을 내년부터 시작한다고 밝혔다.",
        "대형 프랜차이즈에 밀려 문을 닫는 빵집이 늘자 지역 상권을 지키기 위해 마련한 대책이다.",
        "지원 대상은 개업한 지 3년이 넘은 빵집 120곳이며, 선정되면 한 해 최대 300만 원을 받는다.",
        "많이 본 뉴스",
        "이용약관",
    ]
    article = extract_text_paste("\n".join(lines))
    assert article.title == "동네 빵집 살리기 나선 구청"
    assert article.published is None
    assert "재료비 일부를 지원하는" in article.text and "많이 본 뉴스" not in article.text


def test_menus_only_paste_is_refused_in_korean():
    with pytest.raises(NuriError) as caught:
        extract_text_paste("홈\n정치\n경제\n사회\n로그인\n구독하기\n")
    assert "기사 본문을 찾지 못했습니다" in str(caught.value)
