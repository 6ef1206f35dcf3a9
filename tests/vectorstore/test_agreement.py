"""Number agreement: the cues a question names, the keys a passage carries, and the hybrid bonus they give."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from config import Settings
from crawlers.article import Article
from vectorstore import HashingEmbedder, KnowledgeBase
from vectorstore.agreement import agreement, number_keys, passage_keys, query_cues

KST = timezone(timedelta(hours=9))


@pytest.mark.parametrize(
    ("question", "cues"),
    [
        ("2016년 단통법 설문 결과는?", [{("Y", "2016")}]),
        ("16년 단통법 설문 결과는?", [{("Y", "2016")}]),
        ("'16년 조사", [{("Y", "2016")}]),
        ("3년 만에 오른 요금", [{("3", "년")}]),
        ("갤럭시 북4 엣지 무게", [{("4", "")}]),
        ("갤럭시 북 4 엣지 무게", [{("4", "")}]),
        ("EV6는 얼마나 가나", [{("ev6", "")}]),
        ("4월 금통위 결정", [{("4", "월")}]),
        ("삼분기 실적", [{("3", "분")}]),
        ("2분기 실적", [{("2", "분")}]),
        ("벌금 250억을 갚으려면", [{("250", "억")}]),
        ("요금이 얼마나 오르나요", []),
    ],
)
def test_query_cues(question, cues):
    assert [set(c) for c in query_cues(question)] == cues


def test_hangul_ordinal_matches_digits_with_or_without_a_counter():
    (cue,) = query_cues("네 번째 세대 청소기")
    assert ("4", "세") in cue and ("4", "") in cue and ("4", "번") in cue
    assert ("3", "세") not in cue


def test_particles_are_not_counters_and_decimals_stay_whole():
    assert number_keys("EV6는 S6를 한울워치 8을 33.8g") == [("ev6", ""), ("s6", ""), ("8", ""), ("33.8", "")]
    assert ("8", "") not in set(number_keys("무게는 33.8g이다"))


def test_a_passage_takes_its_year_from_the_date_only_when_it_names_none():
    named = passage_keys("2024년 수익률은 15%였다.", "연금 수익률 역대 최고", "2025-02-28T16:00:00+09:00")
    assert ("Y", "2024") in named.every and ("Y", "2025") not in named.every
    unnamed = passage_keys("올해 수익률은 9%였다.", "연금 수익률", "2026-02-26T16:00:00+09:00")
    assert ("Y", "2026") in unnamed.headline
    assert ("2", "월") in unnamed.headline  # the month always comes from the date


def test_agreement_prefers_the_title_and_weighs_years_double():
    own = passage_keys("전년 1분기보다 늘었다.", "2분기 영업이익 최대", "2025-07-30T08:30:00+09:00")
    assert agreement(query_cues("2분기 실적"), own) == 1.0
    assert agreement(query_cues("1분기 실적"), own) == 0.5  # only mentioned in passing
    assert agreement(query_cues("2026년 2분기"), own) == pytest.approx(1 / 3)
    assert agreement(query_cues("실적"), own) == 0.0


# Two yearly surveys: the older one shares more of the question's words, the newer one has its year.
SURVEYS = [
    (
        "2024-03-14",
        '통신비 설문…소비자 41% "단말기 유통법 효과 없다"',
        "한빛소비자연구원의 2024년 통신비 설문에서 응답자의 41%가 단말기 유통법이 효과 없다고 답했다. "
        "응답자 월평균 통신비는 6만 1천 원이었다.\n\n응답자들은 지원금 차별이 여전하다고 답했다.",
    ),
    (
        "2025-03-20",
        '"단말기 유통법 효과 없다" 50%…통신비 조사',
        "한빛소비자연구원의 2025년 통신비 조사에서 응답자의 50%가 단말기 유통법이 효과 없다고 답했다. "
        "응답자 월평균 통신비는 6만 4천 원이었다.\n\n연구원은 보호 장치를 남겨야 한다고 밝혔다.",
    ),
]
QUESTION = "2025년 통신비 설문에서 단말기 유통법이 효과 없다고 답한 응답자 비율은?"


@pytest.fixture
def surveys() -> list[Article]:
    out = []
    for i, (day, title, text) in enumerate(SURVEYS):
        url = f"https://news.example.kr/survey/{i}"
        published = datetime.fromisoformat(day).replace(hour=10, tzinfo=KST)
        out.append(
            Article(
                url=url, canonical_url=url, title=title, text=text, outlet="누리일보", published=published
            )
        )
    return out


def test_the_bonus_ranks_the_sibling_with_the_named_year_first(nuri_home, surveys, corpus):
    kb = KnowledgeBase(Settings(home=nuri_home), embedder=HashingEmbedder())
    kb.add(surveys + corpus)
    first = kb.search(QUESTION, k=2, mode="hybrid")
    assert first[0].canonical_url.endswith("/1"), [r.title for r in first]
    # Switched off, word overlap wins and the older survey comes first: the bonus is what decides.
    kb.settings = kb.settings.model_copy(update={"kb_agreement_weight": 0.0})
    assert kb.search(QUESTION, k=2, mode="hybrid")[0].canonical_url.endswith("/0")
    # The single modes are left as they are.
    assert kb.search(QUESTION, k=2, mode="bm25")[0].canonical_url.endswith("/0")
    kb.close()
