"""Citations of one turn: collected from the tools' artifacts, numbered once across the turn."""

from __future__ import annotations

import re
from collections.abc import Sequence

from langchain_core.messages import AnyMessage, ToolMessage

from tools.results import Citation

__all__ = ["renumber", "turn_citations"]


def _citations_of(message: ToolMessage) -> list[Citation]:
    artifact = message.artifact if isinstance(message.artifact, dict) else {}
    return [Citation(**c) for c in artifact.get("citations", []) if isinstance(c, dict)]


def turn_citations(turn: Sequence[AnyMessage]) -> list[Citation]:
    """Every source the turn's tools returned, in order of their numbers (each number once)."""
    seen: dict[int, Citation] = {}
    for message in turn:
        if isinstance(message, ToolMessage):
            for citation in _citations_of(message):
                seen.setdefault(citation.n, citation)
    return [seen[n] for n in sorted(seen)]


def renumber(message: ToolMessage, offset: int) -> ToolMessage:
    """Shift a tool result's [n] markers and citations by `offset`, so a second search in the same turn
    does not reuse [1].

    >>> m = ToolMessage("[1] 제목 ... [2] 다른 제목", tool_call_id="c", artifact={"citations": [
    ...     {"n": 1, "title": "제목", "url": "u1"}, {"n": 2, "title": "다른 제목", "url": "u2"}]})
    >>> r = renumber(m, 3)
    >>> r.content, [c["n"] for c in r.artifact["citations"]]
    ('[4] 제목 ... [5] 다른 제목', [4, 5])
    """
    citations = _citations_of(message)
    if not offset or not citations:
        return message
    numbers = {c.n for c in citations}

    def shift(text: str) -> str:
        return re.sub(
            r"\[(\d+)\]", lambda m: f"[{int(m[1]) + offset}]" if int(m[1]) in numbers else m[0], text
        )

    text = shift(message.content if isinstance(message.content, str) else str(message.content))
    artifact = {
        **message.artifact,
        "citations": [{**c.to_dict(), "n": c.n + offset} for c in citations],
    }
    if isinstance(artifact.get("receipt"), str):
        artifact["receipt"] = shift(artifact["receipt"])
    return message.model_copy(update={"content": text, "artifact": artifact})
