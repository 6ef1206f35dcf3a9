"""Model comparison: the lab's engine (`lab.runner.run_bench`) on chosen models and tasks, in the browser.

Each model runs in its own worker process, as with `nuri bench run`, so the chat's own model stays loaded
and the figures are the same as on the command line. Results go to a folder; a rerun resumes it.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from config import NuriError
from ui import session
from ui.text import safe_markdown

OUT_KEY = "compare_out"
KIND_LABELS = {"qa": "짧은 QA", "rag": "RAG QA", "summary": "3줄 요약", "calc": "계산기"}


def _default_models(settings) -> str:
    """One spec per line: the GGUFs in the data dir's models folder, else the embedded default."""
    found = sorted(str(p) for p in settings.models_dir.glob("*.gguf")) if settings.models_dir.is_dir() else []
    return "\n".join(found[:2]) or "embedded"


def _form(settings) -> tuple[bool, str, list[str], int, Path, str]:
    with st.form("compare-run"):
        models = st.text_area(
            "모델 (한 줄에 하나)", value=_default_models(settings), height=100,
            help="경로.gguf, embedded, ollama:이름, openai:http://서버:8000/v1#모델",
        )  # fmt: skip
        kinds = st.multiselect(
            "과제", list(KIND_LABELS), default=["qa"], format_func=lambda k: KIND_LABELS[k]
        )
        limit = st.number_input("과제 종류마다 질문 수", min_value=1, max_value=50, value=3)
        out = st.text_input(
            "결과 폴더", value=str(st.session_state.get(OUT_KEY, settings.home / "bench" / "ui"))
        )
        judge = st.text_input("요약 판정 모델 (선택)", value="")
        go = st.form_submit_button("비교 실행", type="primary")
    return go, models, kinds, int(limit), Path(out).expanduser(), judge.strip()


def _run(settings, models: str, kinds: list[str], limit: int, out: Path, judge: str) -> None:
    from lab.report import render_report
    from lab.runner import run_bench

    specs = ",".join(line.strip() for line in models.splitlines() if line.strip())
    if not specs:
        st.error("비교할 모델을 한 줄에 하나씩 적어 주세요.")
        return
    if not kinds:
        st.error("과제 종류를 하나 이상 고르세요.")
        return
    with st.status("모델을 비교하는 중입니다…", expanded=True) as status:
        try:
            run_bench(
                specs, out, settings, tasks=",".join(kinds), limit=limit, judge=judge or None,
                progress=lambda line: status.write(line),
            )  # fmt: skip
            render_report(out)
        except NuriError as error:
            status.update(label="비교하지 못했습니다", state="error")
            st.error(str(error))
            return
        status.update(label="비교를 마쳤습니다", state="complete", expanded=False)
    st.session_state[OUT_KEY] = str(out)


def _results(out: Path) -> None:
    import pandas as pd

    from lab.report import NOT_MEASURED
    from lab.rescore import rescore
    from lab.results import latest_cells, read_rows
    from lab.summary import summarize

    rows = rescore(read_rows(out))
    if not rows:
        return
    summaries = summarize(rows)
    st.subheader("모델별 결과")
    table = pd.DataFrame([s.as_row() for s in summaries]).rename(
        columns={"model": "모델", "quality": "품질", "seconds_per_answer": "답당 초", "decode_tps": "decode tok/s",
                 "prompt_tps": "prompt tok/s", "peak_rss_mb": "최대 RSS MB", "load_seconds": "적재 초",
                 "korean_share": "한국어 답 비율", "file_mb": "파일 MB", "quant": "양자화"}
    )  # fmt: skip
    st.dataframe(table, hide_index=True)
    st.caption(f"빈 칸은 {NOT_MEASURED}. 품질은 모든 모델이 답한 과제만의 평균입니다. 폴더: {out}")
    for error in (s for s in summaries if s.error):
        st.warning(f"{error.model}: {error.error}")
    charts = [out / name for name in ("speed_vs_quality.png", "memory_vs_quality.png")]
    columns = st.columns(2)
    for column, chart in zip(columns, charts, strict=True):
        if chart.is_file():
            column.image(str(chart))
    st.subheader("같은 질문, 모델별 답")
    cells = latest_cells(rows)
    tasks = sorted({task for (_, task) in cells})
    task = st.selectbox("과제", tasks)
    models = [s.model for s in summaries]
    first = next(row for (_, t), row in cells.items() if t == task)
    st.caption(f"질문: {str(first.get('question', ''))[:300]} · 기준: {first.get('reference', '')}")
    for column, model in zip(st.columns(len(models)), models, strict=True):
        with column:
            st.markdown(f"**{model}**")
            row = cells.get((model, task))
            if row is None:
                st.caption("답 없음")
            elif row.get("status") != "ok":
                st.error(row.get("error") or row.get("status"))
            else:
                st.markdown(safe_markdown(row.get("answer") or "(빈 답변)"))
                mark = "통과" if row.get("passed") else "실패"
                st.caption(f"{mark} · {row.get('detail', '')} · {row.get('seconds', 0):.1f}초")


def render() -> None:
    settings = session.get_settings()
    st.title("모델 비교")
    st.caption(
        "같은 한국어 과제를 여러 모델에 풀게 하고 속도, 메모리, 품질을 나란히 봅니다 (`nuri bench`와 같은 엔진)."
    )
    go, models, kinds, limit, out, judge = _form(settings)
    if go:
        _run(settings, models, kinds, limit, out, judge)
    shown = Path(st.session_state.get(OUT_KEY, out))
    if (shown / "results.jsonl").is_file():
        _results(shown)


if __name__ == "__main__":
    render()
