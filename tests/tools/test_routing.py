"""Declared routing for small models: which tool a question forces first (tools/registry.py `when`)."""

from __future__ import annotations

import pytest

from tools.registry import TOOLS, tool_for_question

CASES = [
    ("지금 서울은 몇 시야?", "current_time"),
    ("3억 5천만 원의 15%는 얼마야?", "calculator"),
    ("1,550원짜리 22개면 얼마야?", "calculator"),
    ("8000원짜리 점심 3인분은 얼마야?", "calculator"),
    ("1000에서 1200으로 오르면 증가율은?", "calculator"),
    ("100만 원에서 20% 할인하면?", "calculator"),
    ("2의 10제곱은?", "calculator"),
    ("5천만 원의 반은?", "calculator"),
    ("이 기사 수집해서 3줄로 요약해 줘 https://www.yna.co.kr/view/AKR20261123045100004", "summarize"),
    ("https://www.hani.co.kr/arti/society/1 이 기사 저장해 줘", "crawl"),
    ("www.khan.co.kr/article/2026 읽어 줘", "crawl"),
    ("오늘 연합뉴스 경제 기사 5건 모아서 브리핑해 줘", "crawl_news"),
    ("한겨레 최신 기사 보여 줘", "crawl_news"),
    ("저장한 기사에 따르면 지하철 요금은 얼마나 올라?", "search_knowledge"),
    ("수집한 기사에서 쌀값 얘기 찾아 줘", "search_knowledge"),
    ("다음 글을 요약해 줘.\n" + "서울시는 지하철 요금을 올린다고 밝혔다. " * 40, "summarize"),
    # No tool forced: the model answers or chooses by itself.
    ("한국의 수도는?", None),
    ("안녕?", None),
    ("서울까지 몇 시간 걸려?", None),
    ("사과 3개와 배 2개를 샀어", None),
    ("코스피의 3% 하락 원인은?", None),
    ("서울 인구는 몇 명이야?", None),
    ("그 사람의 반응은?", None),
]


@pytest.mark.parametrize(("question", "tool"), CASES, ids=[c[0][:20] for c in CASES])
def test_the_question_forces_the_right_tool(question, tool):
    assert tool_for_question(question, TOOLS) == tool


def test_fetching_tools_declare_their_url_argument_and_summarize_takes_pastes():
    meta = {t.name: t.metadata or {} for t in TOOLS}
    assert (meta["crawl"]["fetches"], meta["crawl_news"]["fetches"], meta["summarize"]["fetches"]) == (
        "urls",
        "source",
        "target",
    )
    assert meta["summarize"]["paste"] == "target" and "fetches" not in meta["search_knowledge"]


@pytest.mark.parametrize(
    ("question", "tool"),
    [
        ("6만 원짜리 티셔츠 3장 사면 얼마야?", "calculator"),
        ("2억 원짜리 아파트가 10% 오르면 얼마가 돼?", "calculator"),
        ("18만 원짜리 운동화를 15% 깎아 주면 얼마에 살 수 있어?", "calculator"),
        ("2024년 1분기 GDP는 얼마야?", None),
        ("3억 5천만 원", None),
        ("10시에 만나자", None),
        # A short paste with numbers in it is a text to summarize, not a sum.
        (
            "이 내용 한 줄 요약 부탁해.\n\n누리시는 내년부터 65세 이상 시민 약 18만 명에게 무료 교통카드를 준다. "
            "주민센터에서 신청하면 2주 안에 받는다. 시는 이 사업에 한 해 120억 원이 들 것으로 본다.",
            "summarize",
        ),
    ],
)
def test_questions_routed_by_the_calculators_reading_and_short_pastes(question, tool):
    assert tool_for_question(question, TOOLS) == tool
