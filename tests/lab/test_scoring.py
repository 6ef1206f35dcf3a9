"""Scoring: Korean normalisation and number forms, one scorer per task kind."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from lab import scoring


def test_number_forms_match_each_other():
    for form in ("52,500,000원", "5250만 원", "5,250만원", "52500000 원"):
        assert scoring.contains_any(f"예산은 {form}입니다", ["5250만 원"]), form
    assert scoring.contains_any("1억 2천만 명", ["120,000,000명"])
    assert not scoring.contains_any("5250원", ["5250만 원"])


@given(st.integers(min_value=0, max_value=10**12))
def test_comma_grouped_numbers_read_back_as_the_same_number(value):
    assert scoring.numbers_in(f"합계 {value:,}원") == [float(value)]


def test_normalize_drops_spaces_and_punctuation_but_keeps_decimals():
    assert scoring.normalize("8월 15일!") == scoring.normalize("8월15일")
    assert scoring.normalize("성장률 2.5%") == "성장률2.5"


def test_qa_summary_rag_calc_scorers():
    assert scoring.score_qa("한글은 세종대왕이 만들었습니다.", ["세종"]).passed
    assert not scoring.score_qa("김정은입니다.", ["세종"]).passed
    summary = scoring.score_summary(
        "요금 1550원\n6월부터\n버스도", [["1550원"], ["6월"], ["1400원"], ["버스"]]
    )
    assert summary.value == 0.75 and summary.passed and "3줄" in summary.detail
    assert not scoring.score_summary("요금이 오른다", [["1550원"], ["6월"]]).passed
    rag = scoring.score_rag("1550원입니다.", ["1550원"], source_cited=False)
    assert rag.value == 0.5 and not rag.passed
    assert scoring.score_calc("답은 68,200원입니다", 68200, tool_called=True).passed
    assert not scoring.score_calc("답은 68,200원입니다", 68200, tool_called=False).passed
    assert not scoring.score_calc("약 68,000원", 68200, tool_called=True).passed


def test_korean_only():
    assert scoring.korean_only("서울은 대한민국의 수도입니다. (Seoul)")
    assert not scoring.korean_only("首都是首尔。")
    assert not scoring.korean_only("The answer is Seoul.")
