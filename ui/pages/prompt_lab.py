"""The system-prompt lab: edit and save presets; one question with two to four presets side by side."""

from __future__ import annotations

import streamlit as st

from config import NuriError
from ui import session
from ui.text import safe_markdown

RESULTS = "lab_results"
NEW = "(새 프리셋)"


def editor(store) -> None:
    from agent.presets import Preset, placeholders

    st.subheader("프리셋 편집")
    presets = {p.id: p for p in store.list()}
    for preset_id, problem in store.problems.items():
        st.warning(f"프리셋 파일 '{preset_id}'을(를) 읽지 못해 건너뜁니다: {problem}")
    choice = st.selectbox(
        "편집할 프리셋", [NEW, *presets], format_func=lambda i: presets[i].label if i in presets else i
    )
    base = presets.get(choice)
    with st.form(f"preset-{choice}"):
        preset_id = st.text_input(
            "ID (영문 소문자·숫자·하이픈)", value=base.id if base else "", placeholder="my-helper"
        )
        name = st.text_input("이름", value=base.name if base else "", placeholder="내 비서")
        description = st.text_input("설명", value=base.description if base else "")
        text = st.text_area(
            "시스템 프롬프트", value=base.text if base else "", height=220,
            help="{today}, {user_name}, {kb_stats} 같은 변수를 쓸 수 있습니다. 중괄호 자체는 {{ }}로 적습니다.",
        )  # fmt: skip
        if base is not None and base.source == "shipped":
            st.caption("기본 제공 프리셋입니다. 저장하면 사용자 사본이 만들어져 기본 제공본보다 우선합니다.")
        saved = st.form_submit_button("저장", type="primary")
    if not saved:
        return
    try:
        preset = Preset(
            preset_id.strip(), name.strip(), text, description=description.strip(),
            variables=tuple(placeholders(text)), defaults=dict(base.defaults) if base else {},
        )  # fmt: skip
        path = store.save(preset, overwrite=True, override_shipped=base is not None and preset.id == base.id)
    except NuriError as error:
        st.error(str(error))
        return
    st.success(f"{preset.label}을(를) 저장했습니다: {path}")


def side_by_side(store, handle, settings) -> None:
    from ui.lab_run import run_preset

    st.subheader("나란히 비교")
    presets = {p.id: p for p in store.list()}
    with st.form("lab-run"):
        chosen = st.multiselect(
            "프리셋 (2~4개)", list(presets), default=list(presets)[:2], max_selections=4,
            format_func=lambda i: presets[i].label,
        )  # fmt: skip
        question = st.text_area("질문", placeholder="예: 오늘 경제 뉴스를 세 줄로 정리해 줘")
        go = st.form_submit_button("실행")
    if go:
        if not 2 <= len(chosen) <= 4:
            st.error("프리셋을 2개에서 4개까지 고르세요.")
        elif not question.strip():
            st.error("질문을 적어 주세요.")
        else:
            results = []
            columns = st.columns(len(chosen))
            for column, preset_id in zip(columns, chosen, strict=True):
                column.markdown(f"**{presets[preset_id].name}**")
                slot = column.empty()
                answer = run_preset(
                    handle,
                    settings,
                    question.strip(),
                    preset_id,
                    on_token=lambda t, s=slot: s.markdown(safe_markdown(t) + "▌"),
                )
                slot.empty()
                results.append(answer)
            st.session_state[RESULTS] = (question.strip(), results)
            st.rerun()
    if RESULTS in st.session_state:
        question, results = st.session_state[RESULTS]
        st.caption(f"질문: {question[:200]}")
        for column, answer in zip(st.columns(len(results)), results, strict=True):
            with column:
                st.markdown(
                    f"**{presets[answer.preset].name if answer.preset in presets else answer.preset}**"
                )
                if answer.error:
                    st.error(answer.error)
                else:
                    st.markdown(safe_markdown(answer.text or "(빈 답변)"))
                for notice in answer.notices:
                    st.caption(notice)
                st.caption(answer.stats() + (f" · 도구 {', '.join(answer.tools)}" if answer.tools else ""))


def render() -> None:
    from agent.presets import PresetStore

    settings = session.get_settings()
    st.set_page_config(layout="wide")
    st.title("프롬프트 실험실")
    st.caption("모델끼리 비교는 '모델 비교' 페이지에서 합니다.")
    store = PresetStore(settings)
    try:
        store.list()
    except NuriError as error:
        st.error(str(error))
        return
    editor(store)
    try:
        handle = session.get_handle(settings)
    except Exception as error:  # noqa: BLE001 - editing still works without a backend
        st.subheader("나란히 비교")
        st.error(session.describe_error(error))
        st.caption("모델 페이지에서 백엔드 상태를 확인하세요. 프리셋 편집과 저장은 그대로 됩니다.")
        return
    side_by_side(store, handle, settings)


if __name__ == "__main__":
    render()
