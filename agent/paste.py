"""A user message too long for the window: the prompt carries a condensed form, the thread keeps it whole.

The message is never dropped or cut silently. When the turn will hand the text to the summarize tool, the
prompt gets its beginning and end with a note that the tool reads all of it (no extra model calls);
otherwise the model reads a map-reduce summary of the whole text plus its beginning and end, and the
budget says so.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from tools.context import ToolEnv, using_env

log = logging.getLogger("nuri.agent")

EDGE_CHARS = 300  # kept verbatim at each end: the request is usually there ("다음 글을 요약해 줘: ...")
PASTE_ARG_MIN_CHARS = 800  # a message this long is the text a paste-taking tool is given


def edges(text: str, edge: int = EDGE_CHARS) -> tuple[str, str]:
    """The first and last `edge` characters, never overlapping.

    >>> edges("가나다라마바사", 2)
    ('가나', '바사')
    >>> edges("가나다", 2)
    ('가나', '다')
    """
    head = text[:edge]
    tail = text[max(len(head), len(text) - edge) :]
    return head, tail


def condense(
    text: str, *, for_tool: bool, env: ToolEnv, summarize: Callable[[str], str] | None = None
) -> str:
    """The prompt's form of a long user message."""
    head, tail = edges(text)
    if for_tool:
        return (
            f"{head}\n…[붙여 넣은 글이 길어 가운데 {len(text) - len(head) - len(tail):,}자를 여기서 생략함: "
            f"전체 {len(text):,}자는 요약 도구(summarize)가 모두 읽습니다]…\n{tail}"
        )
    from tools.summarize import summarize_sources  # the same map-reduce the summarize tool uses
    from tools.summarize_sources import Source

    with using_env(env):
        digest = summarize(text) if summarize else summarize_sources([Source(text)], "요점", env=env)[0]
    log.info("condensed a %d-character user message to %d characters", len(text), len(digest))
    return (
        f"[사용자 메시지가 문맥 창보다 길어(전체 {len(text):,}자) 요약본으로 전합니다]\n"
        f"[앞부분]\n{head}\n[전체 요약]\n{digest}\n[끝부분]\n{tail}"
    )
