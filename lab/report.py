"""Write the bench report into the out dir: `report.md`, `models.csv`, `cells.csv` and the PNG charts."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from config import NuriError
from lab.charts import draw_charts
from lab.rescore import rescore
from lab.results import latest_cells, read_rows
from lab.summary import ModelSummary, summarize
from lab.tasks import KINDS

NOT_MEASURED = "측정 안 함"
KIND_NAMES = {"qa": "QA", "rag": "RAG", "summary": "요약", "calc": "계산"}
CELL_FIELDS = (
    "model",
    "task",
    "kind",
    "status",
    "score",
    "passed",
    "detail",
    "korean",
    "seconds",
    "ttft",
    "prompt_tokens",
    "prompt_tps",
    "decode_tokens",
    "decode_tps",
    "tools",
    "error",
    "answer",
)


def fmt(value: Any, digits: int = 1, suffix: str = "") -> str:
    """A figure for a table cell; None reads "–" (not measured).

    >>> fmt(None), fmt(3.14159, 2), fmt(1200.0, 0, " MB")
    ('–', '3.14', '1,200 MB')
    """
    if value is None:
        return "–"
    return f"{value:,.{digits}f}{suffix}"


def one_line(text: str, limit: int = 140) -> str:
    """An answer fit for one Markdown table cell.

    >>> one_line("첫 줄\\n둘째 | 줄", 20)
    '첫 줄 / 둘째 \\\\| 줄'
    """
    flat = " / ".join(part.strip() for part in text.splitlines() if part.strip()).replace("|", "\\|")
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _kind_cell(summary: ModelSummary, kind: str) -> str:
    counts = summary.by_kind.get(kind)
    return f"{counts[0]}/{counts[1]}" if counts else "–"


def summary_table(summaries: list[ModelSummary]) -> list[str]:
    """The side-by-side model table as Markdown lines."""
    head = (
        "| 모델 | 백엔드 | 양자화 | 파일 | 적재 | 최대 RSS | 품질 | QA | RAG | 요약 | 계산 | 요약(판정) "
        "| 한국어 답 | 답당 초 | TTFT | prompt tok/s | decode tok/s | 오류 |"
    )
    lines = [head, "|" + "---|" * 18]
    for s in summaries:
        memory = fmt(s.peak_rss_mb, 0, " MB") if s.peak_rss_mb else fmt(s.ollama_mb, 0, " MB (Ollama)")
        lines.append(
            f"| {s.model} | {s.backend or '–'} | {s.quant or '–'} | {fmt(s.file_mb, 0, ' MB')} "
            f"| {fmt(s.load_seconds, 1, ' s')} | {memory} | {fmt(s.quality, 2)} | "
            + " | ".join(_kind_cell(s, kind) for kind in KINDS)
            + f" | {fmt(s.judge, 2)} | {fmt(s.korean_share and s.korean_share * 100, 0, '%')} "
            f"| {fmt(s.seconds_per_answer)} | {fmt(s.ttft, 2)} | {fmt(s.prompt_tps)} | {fmt(s.decode_tps)} "
            f"| {s.errors} |"
        )
    return lines


def answers_table(rows: list[dict[str, Any]], models: list[str], task: str | None = None) -> list[str]:
    """Each question with every model's answer side by side (✓ passed, ✗ not, ! error)."""
    cells = latest_cells(rows)
    tasks: dict[str, dict[str, Any]] = {}
    for (_, task_id), row in cells.items():
        if task is None or task_id == task:
            tasks.setdefault(task_id, row)
    lines = ["| 과제 | 질문 | 기준 | " + " | ".join(models) + " |", "|" + "---|" * (3 + len(models))]
    for task_id, first in tasks.items():
        answers = []
        for model in models:
            row = cells.get((model, task_id))
            if row is None:
                answers.append("–")
            elif row.get("status") != "ok":
                answers.append(f"! {one_line(row.get('error') or row.get('status', ''), 80)}")
            else:
                mark = "✓" if row.get("passed") else "✗"
                answers.append(f"{mark} {one_line(row.get('answer', ''))} ({fmt(row.get('seconds'))} s)")
        lines.append(
            f"| {task_id} | {one_line(str(first.get('question', '')), 60)} | {one_line(str(first.get('reference', '')), 40)} | "
            + " | ".join(answers)
            + " |"
        )
    return lines


def _run_facts(out: Path) -> dict[str, Any]:
    try:
        return json.loads((out / "run.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def write_csv(path: Path, rows: list[dict[str, Any]], fields: list[str] | tuple[str, ...]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(fields), extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow(
                {k: (json.dumps(v, ensure_ascii=False) if isinstance(v, list) else v) for k, v in row.items()}
            )


def render_report(out: Path) -> Path:
    """Write report.md, models.csv, cells.csv and the charts from `out/results.jsonl`; returns report.md."""
    rows = rescore(read_rows(out))
    if not rows:
        raise NuriError(
            f"{out}에 결과가 없습니다.", hint="먼저 `nuri bench run --models ... --out 폴더`를 실행하세요."
        )
    summaries = summarize(rows)
    models = [s.model for s in summaries]
    model_csv = [s.as_row() for s in summaries]
    write_csv(out / "models.csv", model_csv, list(model_csv[0]))
    write_csv(out / "cells.csv", [r for r in latest_cells(rows).values()], CELL_FIELDS)
    charts = draw_charts(summaries, out)
    facts = _run_facts(out)
    machine = facts.get("machine") or {}
    lines = [
        "# 모델 비교 결과 (nuri bench)",
        "",
        f"- 기계: {machine.get('cpu', '?')}, {machine.get('cores', '?')}코어, {machine.get('memory_gib', '?')} GiB, "
        f"{machine.get('system', '?')}",
        f"- 마지막 실행: {facts.get('started', '?')}; 과제: {facts.get('tasks', '?')} (과제별 앞 {facts.get('limit') or '전체'}개)",
        f"- 요약 판정 모델: {facts.get('judge') or '없음 (핵심 사실 키워드 일치만)'}",
        "- 품질은 모든 모델이 답한 과제만으로 낸 평균 점수(0~1)입니다. 속도와 적재 시간(실행마다 다시 적재)은 중앙값, '–'는 측정하지 않은 값입니다.",
        "- GPU 메모리는 nvidia-smi가 있을 때만 잽니다"
        + ("" if any(s.gpu_mib for s in summaries) else " (이 실행에는 GPU 없음: 측정 안 함)")
        + ".",
        "",
        *summary_table(summaries),
        "",
        "## 차트",
        "",
        *[f"![{path.stem}]({path.name})" for path in charts],
        "",
        "## 질문별 답",
        "",
        *answers_table(rows, models),
    ]
    errors = [s for s in summaries if s.error]
    if errors:
        lines += ["", "## 불러오지 못한 모델", ""] + [f"- {s.model}: {s.error}" for s in errors]
    path = out / "report.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
