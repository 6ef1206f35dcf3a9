"""Per-model figures from the result rows (pure): quality per task kind, speed, memory, Korean-only share."""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from lab.results import judge_rows, latest_cells, model_rows
from lab.tasks import KINDS


@dataclass
class ModelSummary:
    """One model's line in the report. None means not measured."""

    model: str
    backend: str | None = None
    quant: str | None = None
    file_mb: float | None = None
    load_seconds: float | None = None
    peak_rss_mb: float | None = None
    ollama_mb: float | None = None
    ollama_vram_mb: float | None = None
    gpu_mib: int | None = None
    quality: float | None = None  # mean score over the cells every model answered
    by_kind: dict[str, tuple[int, int] | None] = field(default_factory=dict)  # kind -> (passed, answered)
    judge: float | None = None  # the judge's mean summary coverage
    korean_share: float | None = None
    seconds_per_answer: float | None = None
    ttft: float | None = None
    prompt_tps: float | None = None
    decode_tps: float | None = None
    answered: int = 0
    errors: int = 0
    error: str | None = None

    def as_row(self) -> dict[str, Any]:
        """Flat fields for the CSV."""
        row = asdict(self)
        by_kind = row.pop("by_kind")
        for kind in KINDS:
            counts = by_kind.get(kind)
            row[f"{kind}_passed"] = counts[0] if counts else None
            row[f"{kind}_answered"] = counts[1] if counts else None
        return row


def _median(values: Iterable[Any]) -> float | None:
    numbers = [float(v) for v in values if isinstance(v, int | float)]
    return statistics.median(numbers) if numbers else None


def _mean(values: Iterable[Any]) -> float | None:
    numbers = [float(v) for v in values if isinstance(v, int | float)]
    return statistics.fmean(numbers) if numbers else None


def _mb(value: Any) -> float | None:
    return round(value / 1e6, 1) if isinstance(value, int | float) and value else None


def common_tasks(cells: dict[tuple[str, str], dict[str, Any]], models: list[str]) -> set[str]:
    """Tasks every model answered (status ok), so quality compares like with like.

    >>> ok = {"status": "ok"}
    >>> sorted(common_tasks({("a", "t1"): ok, ("b", "t1"): ok, ("a", "t2"): ok}, ["a", "b"]))
    ['t1']
    """
    answered = [
        {t for (m, t), row in cells.items() if m == model and row.get("status") == "ok"} for model in models
    ]
    return set.intersection(*answered) if answered else set()


def summarize(rows: list[dict[str, Any]]) -> list[ModelSummary]:
    """One summary per model, in the order the models first appear."""
    cells = latest_cells(rows)
    facts = model_rows(rows)
    verdicts = judge_rows(rows)
    order: list[str] = []
    for row in rows:
        if row.get("type") in ("cell", "model") and row["model"] not in order:
            order.append(row["model"])
    answered_models = [
        m for m in order if any(k[0] == m and v.get("status") == "ok" for k, v in cells.items())
    ]
    common = common_tasks(cells, answered_models)
    summaries = []
    for model in order:
        mine = [row for (m, _), row in cells.items() if m == model]
        ok = [row for row in mine if row.get("status") == "ok"]
        scored = [row for row in ok if row["task"] in common]
        info = facts.get(model, {})
        summary = ModelSummary(
            model=model,
            backend=info.get("backend"),
            quant=info.get("quant"),
            file_mb=_mb(info.get("file_bytes")),
            load_seconds=info.get("load_seconds"),
            peak_rss_mb=_mb(info.get("peak_rss")) if info.get("backend") == "embedded" else None,
            ollama_mb=_mb(info.get("ollama_size")),
            ollama_vram_mb=_mb(info.get("ollama_vram")),
            gpu_mib=max(info["gpu_mib"]) if info.get("gpu_mib") else None,
            quality=_mean(row.get("score") for row in scored),
            judge=_mean(v.get("coverage") for (m, _), v in verdicts.items() if m == model),
            korean_share=_mean(float(bool(row.get("korean"))) for row in ok),
            seconds_per_answer=_mean(row.get("seconds") for row in ok),
            ttft=_median(row.get("ttft") for row in ok),
            prompt_tps=_median(row.get("prompt_tps") for row in ok),
            decode_tps=_median(row.get("decode_tps") for row in ok),
            answered=len(ok),
            errors=sum(1 for row in mine if row.get("status") == "error"),
            error=info.get("error") if info.get("status") == "error" else None,
        )
        for kind in KINDS:
            kind_rows = [row for row in scored if row.get("kind") == kind]
            summary.by_kind[kind] = (
                (sum(1 for row in kind_rows if row.get("passed")), len(kind_rows)) if kind_rows else None
            )
        summaries.append(summary)
    return summaries
