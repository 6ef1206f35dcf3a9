"""Which requests ask for nothing beyond collecting (their answer is the crawl's receipt)."""

from __future__ import annotations

import pytest

from tools.collect_request import asks_only_to_collect

URL = "https://news.test/a/1"


@pytest.mark.parametrize(
    "question",
    [
        f"이 기사 수집해 줘 {URL}",
        f"{URL} 이 링크 저장해 줘",
        f"이 뉴스 좀 수집해 둬 {URL}",
        f"이 기사를 지식 베이스에 넣어 줘 {URL}",
        f"수집해줘 {URL}",
        f"이 피드에서 최신 기사 2건 수집해 줘 {URL}/rss.xml",
        "연합뉴스 경제 기사 5건 모아 줘",
        "오늘 한겨레 사회 뉴스 최신 소식 수집해 줘",
        "KBS에서 정치 뉴스 가져와 줘",
    ],
)
def test_collecting_and_nothing_else(question):
    assert asks_only_to_collect(question)


@pytest.mark.parametrize(
    "question",
    [
        f"이 기사 가져와서 몇 시까지 문 여는지 알려 줘: {URL}",
        f"{URL} 기사를 읽고 주택담보대출 금리가 몇 %인지 알려 줘",
        f"이 기사 저장하고 요약해 줘 {URL}",
        f"이 기사 수집해서 보여 줘 {URL}",
        f"이 기사 왜 저장 안 돼? {URL}",
        "연합뉴스 최신 기사 5건 모아서 브리핑해 줘",
        "저장한 기사에 따르면 금리는 얼마야?",
        URL,  # a bare address: read or summarize, the model decides
        "",
    ],
)
def test_anything_more_than_collecting(question):
    assert not asks_only_to_collect(question)
