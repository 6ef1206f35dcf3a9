"""The models page: what `nuri doctor` reports, Ollama's models, a model from a GGUF, generation settings."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from config import NuriError
from ui import session
from ui.generation import generation_form

DOCTOR = "models_doctor"
MODELFILE = "models_modelfile"


def doctor_panel(settings) -> None:
    from agent.doctor import MARK, diagnose

    st.subheader("백엔드 상태 (nuri doctor)")
    if st.button("다시 확인") or DOCTOR not in st.session_state:
        with st.spinner("백엔드와 구성 요소를 확인하는 중입니다…"):
            try:
                st.session_state[DOCTOR] = diagnose(settings)
            except Exception as error:  # noqa: BLE001 - one Korean line, the traceback in the log
                st.session_state.pop(DOCTOR, None)
                st.error(session.describe_error(error))
                return
    header, checks = st.session_state[DOCTOR]
    st.table({"항목": [label for label, _ in header], "값": [value for _, value in header]})
    for check in checks:
        need = "" if check.needed or check.status == "ok" else " (지금 설정에는 필요 없음)"
        line = f"{MARK[check.status]} {check.name}: {check.detail}{need}"
        if check.status == "fail" and check.needed:
            st.error(line)
        elif check.status == "ok":
            st.text(line)
        else:
            st.warning(line)


def ollama_panel(settings) -> None:
    from agent.llm.ollama_admin import list_models

    st.subheader("Ollama 모델")
    try:
        rows = list_models(settings)
    except NuriError as error:
        st.info(f"{error} Ollama를 쓰지 않는다면 내장 모델로 그대로 대화할 수 있습니다.")
        return
    if not rows:
        st.info("Ollama에 모델이 없습니다. 아래에서 GGUF로 만들거나 `ollama pull 모델이름`을 실행하세요.")
        return
    st.dataframe(
        [
            {
                "이름": r.name, "크기": f"{r.size / 1e9:.2f} GB", "양자화": r.quantization,
                "컨텍스트": f"{r.context_length:,}" if r.context_length else "?", "계열": r.family,
            }
            for r in rows
        ],
        hide_index=True, width="stretch",
    )  # fmt: skip


def create_panel(settings) -> None:
    from agent.llm.modelfile import build_spec, render_modelfile

    st.subheader("GGUF로 Ollama 모델 만들기")
    path = st.text_input("GGUF 파일 경로", placeholder="/home/me/models/llama-3-ko.Q4_K_M.gguf")
    name = st.text_input("만들 모델 이름", placeholder="llama3-ko")
    if st.button("Modelfile 만들기"):
        try:
            spec = build_spec(Path(path.strip()).expanduser())
            st.session_state[MODELFILE] = (spec, render_modelfile(spec))
            st.session_state["modelfile_text"] = st.session_state[MODELFILE][1]
        except NuriError as error:
            st.error(str(error))
        except OSError as error:
            st.error(f"GGUF 파일을 읽을 수 없습니다 ({error.strerror or error}). 경로를 확인하세요.")
    if MODELFILE not in st.session_state:
        st.caption(
            "GGUF 경로를 넣고 'Modelfile 만들기'를 누르면, 파일의 메타데이터로 만든 Modelfile이 여기 나옵니다."
        )
        return
    spec, _ = st.session_state[MODELFILE]
    text = st.text_area(
        "Modelfile (고칠 수 있음: TEMPLATE, SYSTEM, PARAMETER)", key="modelfile_text", height=300
    )
    if st.button("Ollama에 만들기", type="primary"):
        create(settings, name.strip(), spec, text)


def create(settings, name: str, spec, text: str) -> None:
    from agent.llm.ollama_admin import create_model
    from ui.modelfile_edit import spec_from_modelfile

    if not name:
        st.error("만들 모델 이름을 넣어 주세요. 예: llama3-ko")
        return
    try:
        edited = spec_from_modelfile(spec, text)
        with st.status(f"{name} 만드는 중…", expanded=True) as box:
            create_model(settings, name, edited, status=box.write)
            box.update(label=f"{name}을(를) 만들었습니다.", state="complete")
    except NuriError as error:
        st.error(str(error))


def render() -> None:
    settings = session.get_settings()
    st.title("모델")
    doctor_panel(settings)
    ollama_panel(settings)
    create_panel(settings)
    generation_form(settings)


if __name__ == "__main__":
    render()
