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


DAUM_PASTE = """다음뉴스
홈
사회
경제
김장철 배추값 한 달 새 18% 내려
최은비 기자 입력 2026. 11. 23. 10:15
댓글 23
번역 설정
글씨크기 조절하기
인쇄하기
김장철을 앞두고 배추 가격이 한 달 사이 18% 내린 것으로 나타났다.
한국농수산식품유통공사에 따르면 23일 배추 한 포기의 평균 소매 가격은 3천200원으로 지난달보다 700원가량 낮아졌다.
▲ 서울의 한 대형마트에서 시민이 배추를 고르고 있다. 연합뉴스
가을 들어 작황이 회복되고 출하량이 늘어난 영향이다. 무와 대파 가격도 각각 9%, 12% 떨어졌다.
다만 고춧가루와 마늘은 지난해보다 비싼 수준을 유지하고 있어 전체 김장 비용은 크게 줄지 않을 것이라는 전망이 나온다.
최은비 기자 eunbi@hanbiteco.example
Copyright © 한빛경제. 무단전재 및 재배포 금지.
함께 보면 좋은 뉴스
쌀값 안정 위해 비축미 방출
"""


def test_daum_page_paste_keeps_captions_apart():
    article = extract_text_paste(DAUM_PASTE, "https://v.daum.net/v/20261123101500123")
    assert article.title == "김장철 배추값 한 달 새 18% 내려"
    assert article.published == datetime(2026, 11, 23, 10, 15, tzinfo=KST)
    assert article.authors == ["최은비"]
    assert article.captions == ["▲ 서울의 한 대형마트에서 시민이 배추를 고르고 있다. 연합뉴스"]
    assert len(article.text.split("\n\n")) == 4
    assert "대형마트" not in article.text and "비축미" not in article.text
