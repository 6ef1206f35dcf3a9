"""The prompt-token estimate against a real tokenizer (the embedded Qwen2.5 model): never below it."""

from __future__ import annotations

import pytest

from agent.llm.ollama_budget import estimate_text_tokens
from config import Settings

REAL_HOME = Settings().home  # read before the per-test NURI_HOME applies
TEXTS = [
    "서울시는 내년 1월부터 시내버스와 지하철 기본요금을 150원씩 올린다고 23일 밝혔다. 시는 운송 적자가 "
    "연간 1조 원을 넘어섰다고 설명했다. 다만 청소년과 어르신 할인은 그대로 유지한다.",
    "오늘 서울 날씨 어때? 우산 챙겨야 할까? 퇴근길에 들를 만한 조용한 카페도 추천해 줘!",
    "2026년 3분기 GDP 성장률은 0.6%(전기 대비)로, 반도체 수출(+21.4%)이 이끌었다.",
    "국회는 28일 본회의에서 예산안을 처리했다. 찬성 182표, 반대 91표, 기권 7표였다.",
    "The Bank of Korea held its base rate at 2.50% on Thursday, citing household debt.",
]


@pytest.mark.real_model
def test_estimate_is_an_upper_bound_of_real_tokens():
    if not any((REAL_HOME / "models").glob("*.gguf")):
        pytest.skip("the embedded model is not prepared (`nuri model prepare`)")
    from agent.llm.embedded import ensure_runtime

    runtime = ensure_runtime(Settings(home=REAL_HOME))
    for text in TEXTS:
        real = len(runtime.tokenize(text))
        estimate = estimate_text_tokens(text)
        assert real <= estimate <= 1.6 * real, (text, real, estimate)
