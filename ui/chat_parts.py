"""Pieces of an assistant message: the tool status box, citations as links, the context budget meter."""

from __future__ import annotations

import json
from typing import Any

import streamlit as st

from ui.text import citation_line


def format_call(name: str, args: dict[str, Any]) -> str:
    """A tool call as one readable line.

    >>> format_call("current_time", {})
    'current_time()'
    >>> format_call("search", {"query": "지하철 요금", "k": 3})
    'search(query="지하철 요금", k=3)'
    """
    inner = ", ".join(f"{k}={json.dumps(v, ensure_ascii=False)}" for k, v in args.items())
    return f"{name}({inner})"


def render_tools(container, record: dict[str, Any], *, running: bool = False):
    """The status box: the live step while a tool runs, then each call with its result."""
    tools = record.get("tools", [])
    if running:
        label = record.get("step") or "도구 사용 중…"
    else:
        label = f"도구 사용 {len(tools)}회"
    status = container.status(label, state="running" if running else "complete", expanded=False)
    for item in tools:
        status.text(f"→ {format_call(item['name'], item['args'])}")
        if "result" in item:
            status.text(("오류: " if item["error"] else "← ") + item["result"])
    return status


def render_citations(citations: list[dict[str, Any]]) -> None:
    """Sources under an answer: `[n] title · outlet · date`, each title a link (escaped, never HTML)."""
    if not citations:
        return
    lines = [
        citation_line(c["n"], c.get("title") or "", c.get("url") or "", c.get("outlet"), c.get("published"))
        for c in citations
    ]
    st.markdown("**출처**  \n" + "  \n".join(lines))


def budget_text(budget: dict[str, Any]) -> str:
    """One Korean line: the prompt's parts and the answer's reserve against the window.

    >>> budget_text({"num_ctx": 2048, "reserve": 512, "system": 100, "history": 300, "question": 50,
    ...              "prompt": 450, "exact": True})
    '문맥 962/2,048 토큰 · 시스템 100 · 대화 300 · 요약 0 · 자료 0 · 질문 50 · 답변 몫 512 (모델 토크나이저)'
    """
    used = int(budget.get("prompt", 0)) + int(budget.get("reserve", 0))
    parts = [
        ("시스템", "system"), ("대화", "history"), ("요약", "summary"), ("자료", "tools"), ("질문", "question"),
        ("답변 몫", "reserve"),
    ]  # fmt: skip
    detail = " · ".join(f"{label} {int(budget.get(key, 0)):,}" for label, key in parts)
    kind = "모델 토크나이저" if budget.get("exact") else "추정치"
    return f"문맥 {used:,}/{int(budget.get('num_ctx', 0)):,} 토큰 · {detail} ({kind})"


def render_budget(budget: dict[str, Any]) -> None:
    """The context budget meter of the turn's last model call."""
    if not budget or not budget.get("num_ctx"):
        return
    used = int(budget.get("prompt", 0)) + int(budget.get("reserve", 0))
    st.progress(min(used / int(budget["num_ctx"]), 1.0), text=budget_text(budget))
    for note in budget.get("trimmed") or []:
        st.caption(note)
    if budget.get("warning"):
        st.caption(str(budget["warning"]))
