"""Generation settings for this browser session only, each with one Korean line on what it does."""

from __future__ import annotations

import streamlit as st

from config import NuriError, Settings
from ui import session

EXPLAIN = {
    "temperature": "높을수록 답이 다양하고 엉뚱해지며, 낮을수록 같은 질문에 같은 답을 합니다 (0 = 늘 같은 답).",
    "top_k": "다음 토큰을 확률이 가장 높은 후보 k개 안에서만 고릅니다 (0 = 제한 없음).",
    "top_p": "확률을 높은 순서로 더해 이 값에 이를 때까지의 후보 안에서만 고릅니다 (1.0 = 제한 없음).",
    "num_ctx": "모델이 한 번에 보는 토큰 수: 시스템 프롬프트·대화·검색 자료·답을 모두 담습니다. 크면 메모리를 더 씁니다.",
    "num_predict": "답 하나에 생성할 최대 토큰 수. 너무 작으면 답이 중간에 끊깁니다.",
    "gpu_layers": "GPU에 올릴 모델 층 수 (Ollama에서 적용, -1 = 전부, 비우면 자동). 내장 CPU 런타임에는 영향이 없습니다.",
}


def generation_form(settings: Settings) -> None:
    st.subheader("생성 설정 (이 브라우저 창에만 적용)")
    with st.form("generation"):
        temperature = st.slider(
            "temperature", 0.0, 2.0, float(settings.temperature), 0.05, help=EXPLAIN["temperature"]
        )
        st.caption(EXPLAIN["temperature"])
        top_k = st.number_input("top_k", 0, 1000, int(settings.top_k), help=EXPLAIN["top_k"])
        st.caption(EXPLAIN["top_k"])
        top_p = st.slider("top_p", 0.05, 1.0, float(settings.top_p), 0.05, help=EXPLAIN["top_p"])
        st.caption(EXPLAIN["top_p"])
        num_ctx = st.number_input(
            "num_ctx", 512, 262_144, int(settings.num_ctx), 512, help=EXPLAIN["num_ctx"]
        )
        st.caption(EXPLAIN["num_ctx"])
        num_predict = st.number_input(
            "num_predict", 1, 32_768, int(settings.num_predict), 64, help=EXPLAIN["num_predict"]
        )
        st.caption(EXPLAIN["num_predict"])
        gpu = st.text_input(
            "gpu_layers",
            "" if settings.gpu_layers is None else str(settings.gpu_layers),
            help=EXPLAIN["gpu_layers"],
        )
        st.caption(EXPLAIN["gpu_layers"])
        applied = st.form_submit_button("이 창에 적용", type="primary")
    if not applied:
        return
    try:
        gpu_layers = int(gpu) if gpu.strip() else None
    except ValueError:
        st.error(f"gpu_layers '{gpu}'은(는) 정수여야 합니다 (-1 = 전부, 비우면 자동).")
        return
    try:
        session.update_settings(
            temperature=temperature, top_k=int(top_k), top_p=top_p, num_ctx=int(num_ctx),
            num_predict=int(num_predict), gpu_layers=gpu_layers,
        )  # fmt: skip
    except NuriError as error:
        st.error(str(error))
        return
    st.success(
        "적용했습니다. 다음 질문부터 이 창의 채팅에 쓰입니다 (설정 조합마다 모델을 한 번 새로 엽니다)."
    )
