"""English drift detection and repair (agent.language) on the cases issue 7 names."""

from __future__ import annotations

import tomllib
from importlib import resources

import pytest

from agent.language import english_drift, has_drift, repair_drift


@pytest.mark.parametrize(
    ("answer", "drift"),
    [
        ("한국의 수도는 Seoul입니다.", ["Seoul"]),
        ("이 기사의 summary는 다음과 같습니다.", ["summary"]),
        ("물가가 3% increase했습니다 because 유가가 올랐기 때문입니다.", ["increase", "because"]),
        ("New York과 Tokyo의 population을 비교하면", ["New York", "Tokyo", "population"]),
        ("This is 서울.", ["This"]),
        ("김치는 spicy하고 delicious한 food입니다.", ["spicy", "delicious", "food"]),
    ],
)
def test_finds_english_words_that_have_a_korean_form(answer, drift):
    assert english_drift(answer) == drift
    assert has_drift(answer)


@pytest.mark.parametrize(
    "answer",
    [
        "서울의 인구는 약 940만 명입니다.",
        "KTX로 서울에서 부산까지 2시간 30분 걸립니다.",
        "AI 반도체 수출이 늘어 GDP 성장률이 2.1%가 되었습니다.",
        "KOSPI는 2,650.12로 마감했습니다.",
        "거리는 325km, 무게는 12kg, 용량은 500ml입니다.",
        "갤럭시 S24와 GPT4o, A17 칩을 비교합니다.",
        "자세한 내용은 https://news.example.kr/economy/2024/article?id=12 를 보세요.",
        "문의는 help@example.com 으로 보내세요.",
        "`current_time` 도구를 호출했고 calculator와 search_knowledge도 있습니다.",
        '영어로 "capital"은 수도라는 뜻입니다.',
        "수도는 서울(Seoul)입니다.",
        "코드 예시: ```print('hello world')``` 를 실행하세요.",
        "오후 3시 PM 일정, 회의는 10am입니다.",
        "iPhone과 LangGraph, YouTube는 고유 이름입니다.",
    ],
)
def test_leaves_alone_what_is_normal_in_korean_text(answer):
    assert english_drift(answer) == []
    assert not has_drift(answer)
    assert repair_drift(answer) == answer


@pytest.mark.parametrize(
    ("answer", "repaired"),
    [
        ("한국의 수도는 Seoul입니다.", "한국의 수도는 서울입니다."),
        ("Seoul을 방문하세요.", "서울을 방문하세요."),
        ("price를 확인하세요.", "가격을 확인하세요."),  # 받침 ㄱ: 를 -> 을
        ("news을 읽었다.", "뉴스를 읽었다."),  # no 받침: 을 -> 를
        ("capital이 어디예요?", "수도가 어디예요?"),
        ("capital은 서울입니다.", "수도는 서울입니다."),
        ("price와 economy과 관계", "가격과 경제와 관계"),
        ("Busan으로 간다. Seoul으로 간다.", "부산으로 간다. 서울로 간다."),  # ㄹ takes 로
        ("이건 article이에요.", "이건 기사예요."),
        ("이건 summary예요.", "이건 요약이에요."),  # not wrong before, still consistent
        ("price가 increase했습니다.", "가격이 증가했습니다."),
        ("정말 famous한 곳이에요.", "정말 유명한 곳이에요."),
        ("South Korea의 capital", "대한민국의 수도"),
    ],
)
def test_repair_replaces_words_and_fixes_the_particle(answer, repaired):
    assert repair_drift(answer) == repaired
    assert english_drift(repaired) == []


def test_repair_leaves_english_sentences_alone():
    text = "The capital of Korea is Seoul. 한국어로는 서울입니다."
    assert repair_drift(text) == text


def test_repair_keeps_common_words_without_a_korean_form():
    assert repair_drift("음 the 서울입니다.") == "음 the 서울입니다."
    assert english_drift("음 the 서울입니다.") == ["the"]


def test_the_table_is_lower_case_korean_and_large_enough():
    raw = tomllib.loads(resources.files("agent.data").joinpath("english_korean.toml").read_text("utf-8"))
    words = raw["words"]
    assert len(words) >= 250
    for english, korean in words.items():
        assert english == english.lower() and english.strip() == english, english
        assert korean and all("가" <= c <= "힣" or c == " " for c in korean), (english, korean)
    for group in ("common", "ignore"):
        assert all(w == w.lower() for w in raw[group]["words"])
    for pair in [("seoul", "서울"), ("capital", "수도"), ("price", "가격"), ("increase", "증가")]:
        assert words[pair[0]] == pair[1]
    assert {"summary", "article", "news", "because"} <= set(words)
