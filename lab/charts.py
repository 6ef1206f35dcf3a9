"""PNG charts for the report: speed vs quality and memory vs quality, one point per model (matplotlib Agg).

Labels are Korean when a Hangul font (Nanum, Noto CJK) is installed, else English, so no chart shows boxes.
"""

from __future__ import annotations

import logging
from pathlib import Path

from lab.summary import ModelSummary

log = logging.getLogger(__name__)

_HANGUL_FONTS = ("NanumGothic", "Noto Sans CJK KR", "Noto Sans KR", "UnDotum", "Malgun Gothic")


def hangul_font() -> str | None:
    """The first installed font family that has Hangul, or None."""
    from matplotlib import font_manager

    installed = {font.name for font in font_manager.fontManager.ttflist}
    return next((name for name in _HANGUL_FONTS if name in installed), None)


def _labels(korean: bool) -> dict[str, str]:
    if korean:
        return {
            "speed": "디코드 속도 (토큰/초)",
            "latency": "답 하나당 초",
            "quality": "품질 (0~1)",
            "memory": "메모리 (MB)",
            "speed_title": "속도와 품질",
            "memory_title": "메모리와 품질",
            "none": "측정값 없음",
        }
    return {
        "speed": "decode speed (tokens/s)",
        "latency": "seconds per answer",
        "quality": "quality (0-1)",
        "memory": "memory (MB)",
        "speed_title": "speed vs quality",
        "memory_title": "memory vs quality",
        "none": "not measured",
    }


def _memory(summary: ModelSummary) -> float | None:
    return summary.peak_rss_mb or summary.ollama_mb or (summary.gpu_mib and summary.gpu_mib * 1.048576)


def _scatter(path: Path, points: list[tuple[str, float, float]], xlabel: str, title: str, text: dict) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(6.4, 4.2), dpi=110)
    try:
        if points:
            axes.scatter([p[1] for p in points], [p[2] for p in points], s=60, color="#2f6db5")
            for label, x, y in points:
                axes.annotate(label, (x, y), textcoords="offset points", xytext=(6, 6), fontsize=8)
        else:
            axes.text(0.5, 0.5, text["none"], ha="center", va="center", transform=axes.transAxes)
        axes.set_xlabel(xlabel)
        axes.set_ylabel(text["quality"])
        axes.set_ylim(-0.05, 1.05)
        axes.set_title(title)
        axes.grid(alpha=0.3)
        figure.tight_layout()
        figure.savefig(path)
    finally:
        plt.close(figure)
    return path


def draw_charts(summaries: list[ModelSummary], out: Path) -> list[Path]:
    """speed_vs_quality.png and memory_vs_quality.png in `out`."""
    import matplotlib

    font = hangul_font()
    if font:
        matplotlib.rcParams["font.family"] = font
    text = _labels(font is not None)
    rated = [s for s in summaries if s.quality is not None]
    speed = [(s.model, s.decode_tps, s.quality) for s in rated if s.decode_tps]
    xlabel = text["speed"]
    if not speed:  # agent-only runs have no server decode rate; fall back to seconds per answer
        speed = [(s.model, s.seconds_per_answer, s.quality) for s in rated if s.seconds_per_answer]
        xlabel = text["latency"]
    memory = [(s.model, m, s.quality) for s in rated if (m := _memory(s))]
    return [
        _scatter(out / "speed_vs_quality.png", speed, xlabel, text["speed_title"], text),
        _scatter(out / "memory_vs_quality.png", memory, text["memory"], text["memory_title"], text),
    ]
