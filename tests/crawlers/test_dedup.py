"""De-duplication: one wire story from five outlets is stored once with five sources; same-topic stories stay apart."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timedelta, timezone

import numpy as np
import pytest

from crawlers.article import Article, Source
from crawlers.dedup import DEFAULT_THRESHOLD, DuplicateIndex, fingerprint, similarity

WIRE = [
    "한국은행 금융통화위원회가 23일 기준금리를 연 2.50%로 동결했다.",
    "금통위는 이날 서울 중구 한국은행 본관에서 통화정책방향 회의를 열고 물가 상승세가 둔화하고 있지만 가계부채와 환율 변동성이 여전히 크다고 판단해 금리를 그대로 유지하기로 했다.",
    "이번 결정으로 기준금리는 지난 8월 이후 세 차례 회의 연속 같은 수준을 유지하게 됐다.",
    "한은은 통화정책방향 의결문에서 국내 경기는 수출 호조에도 내수 회복이 더딘 흐름을 보이고 있다며 성장의 하방 위험이 커졌다고 평가했다.",
    "소비자물가 상승률은 지난달 2.1%를 기록해 목표 수준에 가까워졌지만 석유류와 농산물 가격의 변동성이 남아 있다고 덧붙였다.",
    "시장에서는 한은이 내년 상반기 중 추가로 금리를 내릴 가능성이 있다는 관측이 나온다.",
    "총재는 회의 뒤 기자간담회에서 수도권 주택 가격과 가계대출 흐름을 좀 더 지켜볼 필요가 있다고 말했다.",
]

# Each reprint changes the header, footer, byline, line breaks or a few words, as outlets do.
REPRINTS = {
    "연합뉴스": ("https://www.yna.co.kr/view/AKR20261123050000002", "\n\n".join(WIRE)),
    "한빛경제": (
        "https://www.hanbiteco.example/news/articleView.html?idxno=5001",
        "\n\n".join(["[한빛경제=연합뉴스] 기준금리 세 차례 연속 동결", *WIRE, "한빛경제 온라인뉴스팀"]),
    ),
    "새벽신문": (
        "https://saebyeok.example/economy/2026/11/23/rate/",
        " ".join(WIRE[:6]).replace("밝혔다", "전했다")
        + "\n\n편집자 주: 이 기사는 연합뉴스 기사를 바탕으로 작성했습니다.",
    ),
    "푸른방송": (
        "https://news.pureun-tv.example/view?ncd=88001",
        "\n\n".join(WIRE[:5]) + "\n\n한편 이날 코스피는 전 거래일보다 0.4% 오른 채 마감했다.",
    ),
    "산골일보": (
        "https://sangol.example/2026/11/23/bok-rate/",
        "\n\n".join(line.replace(" ", "  ") for line in WIRE).replace("기준금리를", "기준 금리를"),
    ),
}

SAME_TOPIC = {
    "forecast": (
        "https://www.hanbiteco.example/news/articleView.html?idxno=5002",
        "증권가에서는 한국은행이 내년 2월 기준금리를 연 2.25%로 내릴 것이라는 전망이 우세하다.\n\n"
        "주요 증권사 연구원 10명 가운데 7명은 내수 부진이 길어지고 있어 한은이 다음 회의에서 인하에 나설 것으로 내다봤다.\n\n"
        "반면 가계부채 증가세가 다시 커지면 동결 기조가 이어질 수 있다는 신중론도 나온다.\n\n"
        "채권시장에서는 3년 만기 국고채 금리가 연중 최저 수준까지 떨어지며 인하 기대를 먼저 반영하고 있다.",
    ),
    "loans": (
        "https://saebyeok.example/economy/2026/11/23/loan-rates/",
        "기준금리가 동결되면서 시중은행의 주택담보대출 금리도 당분간 현 수준을 유지할 전망이다.\n\n"
        "은행권 관계자는 대출 수요를 억누르라는 당국의 주문이 이어지고 있어 가산금리를 쉽게 내리기 어렵다고 말했다.\n\n"
        "변동형 주택담보대출 금리는 현재 연 3.8~5.9% 수준으로, 지난달과 비교해 큰 변화가 없다.\n\n"
        "예금 금리는 이미 하락세를 보이고 있어 예대금리차가 다시 벌어질 수 있다는 지적도 나온다.",
    ),
    "fed": (
        "https://news.pureun-tv.example/view?ncd=88002",
        "미국 연방준비제도가 다음 달 회의에서 기준금리를 동결할 가능성이 높아졌다는 분석이 나왔다.\n\n"
        "최근 발표된 미국 고용 지표가 예상보다 강하게 나오면서 시장은 금리 인하 시점을 내년 이후로 미루는 분위기다.\n\n"
        "한미 금리 차가 벌어진 상태가 이어지면 원화 가치에 부담이 될 수 있다는 우려도 제기된다.\n\n"
        "외환 당국은 환율 변동성이 커질 경우 시장 안정 조치를 할 수 있다고 밝혔다.",
    ),
}


KST = timezone(timedelta(hours=9))


def article(outlet: str, url: str, text: str) -> Article:
    return Article(
        url=url,
        canonical_url=url,
        title=f"{outlet} 기사",
        text=text,
        published=datetime(2026, 11, 23, 10, 0, tzinfo=KST),
        outlet=outlet,
        sources=[Source(outlet=outlet, url=url)],
    )


REPRINT_ARTICLES = [article(outlet, url, text) for outlet, (url, text) in REPRINTS.items()]
OTHER_ARTICLES = [article(key, url, text) for key, (url, text) in SAME_TOPIC.items()]


def test_threshold_separates_reprints_from_same_topic_stories():
    original = fingerprint(REPRINT_ARTICLES[0].text)
    reprint_scores = [similarity(original, fingerprint(a.text)) for a in REPRINT_ARTICLES[1:]]
    other_scores = [similarity(original, fingerprint(a.text)) for a in OTHER_ARTICLES]
    assert min(reprint_scores) >= DEFAULT_THRESHOLD + 0.1
    assert max(other_scores) <= DEFAULT_THRESHOLD - 0.3


def test_wire_story_from_five_outlets_is_stored_once_with_five_sources(tmp_path):
    with DuplicateIndex(tmp_path / "dedup.sqlite") as index:
        kept = [index.remember(a) for a in REPRINT_ARTICLES]
        assert kept[0] is None  # the first copy is new
        assert kept[1:] == [REPRINT_ARTICLES[0].canonical_url] * 4
        assert len(index) == 1
        sources = index.sources(REPRINT_ARTICLES[0].canonical_url)
        assert [s.outlet for s in sources] == list(REPRINTS)
        assert [s.url for s in sources] == [url for url, _ in REPRINTS.values()]


def test_same_topic_different_stories_are_kept_apart(tmp_path):
    with DuplicateIndex(tmp_path / "dedup.sqlite") as index:
        index.add(REPRINT_ARTICLES[0])
        for other in OTHER_ARTICLES:
            assert index.find(other) is None
            index.add(other)
        assert len(index) == 4


def test_index_persists_across_instances(tmp_path):
    path = tmp_path / "state" / "dedup.sqlite"
    with DuplicateIndex(path) as index:
        index.add(REPRINT_ARTICLES[0])
    with DuplicateIndex(path) as index:
        assert index.find(REPRINT_ARTICLES[2]) == REPRINT_ARTICLES[0].canonical_url
        sources = index.merge_source(REPRINT_ARTICLES[0].canonical_url, REPRINT_ARTICLES[2])
        assert [s.outlet for s in sources] == ["연합뉴스", "새벽신문"]
    with DuplicateIndex(path) as index:
        assert len(index.sources(REPRINT_ARTICLES[0].canonical_url)) == 2


def test_same_url_is_a_duplicate_even_when_text_is_short(tmp_path):
    short = article("연합뉴스", "https://www.yna.co.kr/view/AKR1", "속보: 기준금리 동결.")
    with DuplicateIndex(tmp_path / "d.sqlite") as index:
        assert index.remember(short) is None
        again = short.model_copy(update={"url": "https://www.yna.co.kr/view/AKR1?utm_source=naver"})
        again.canonical_url = again.url
        assert index.find(again) == "https://www.yna.co.kr/view/AKR1"
        # A different short text at another URL is not fingerprinted, so not matched.
        assert index.find(article("x", "https://other.example/1", "속보: 기준금리 동결.")) is None


def test_merging_the_same_source_twice_does_not_repeat_it(tmp_path):
    with DuplicateIndex(tmp_path / "d.sqlite") as index:
        index.add(REPRINT_ARTICLES[0])
        index.merge_source(REPRINT_ARTICLES[0].canonical_url, REPRINT_ARTICLES[1])
        sources = index.merge_source(REPRINT_ARTICLES[0].canonical_url, REPRINT_ARTICLES[1])
        assert len(sources) == 2
        with pytest.raises(KeyError):
            index.merge_source("https://nowhere.example/", REPRINT_ARTICLES[1])


def test_fingerprint_is_stable_across_processes():
    # Fixed seeds: a fingerprint stored today must match one computed by another process tomorrow.
    code = "import sys; from crawlers.dedup import fingerprint; sys.stdout.write(fingerprint(sys.stdin.read()).tobytes().hex())"
    text = REPRINT_ARTICLES[0].text
    other = subprocess.run(
        [sys.executable, "-c", code], input=text, capture_output=True, text=True, check=True, timeout=60
    ).stdout
    assert np.frombuffer(bytes.fromhex(other), dtype=np.uint32).tolist() == fingerprint(text).tolist()


def test_remember_is_atomic_across_threads(tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    with DuplicateIndex(tmp_path / "d.sqlite") as index:
        with ThreadPoolExecutor(max_workers=5) as pool:
            results = list(pool.map(index.remember, REPRINT_ARTICLES))
        assert results.count(None) == 1
        assert len(index) == 1
        assert len(index.sources(next(iter(set(results) - {None})))) == 5
