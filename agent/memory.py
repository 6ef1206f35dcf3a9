"""Folding old turns into the running summary, so a long conversation keeps its gist in the window."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AnyMessage, HumanMessage, SystemMessage

from agent.budget import compact_turn

log = logging.getLogger("nuri.agent")

_INSTRUCTION = (
    "다음은 사용자와 비서가 나눈 대화의 앞부분입니다. 이후 대화에 필요한 사실(이름, 숫자, 날짜, 결정, "
    "출처 번호와 제목)을 빠짐없이 담아 한국어로 10줄 이내로 요약하세요. 요약만 쓰세요."
)


def turn_text(turn: Sequence[AnyMessage]) -> str:
    """A past turn as plain lines for the summarizer.

    >>> from langchain_core.messages import AIMessage, HumanMessage
    >>> turn_text([HumanMessage("이름은 지수야"), AIMessage("반가워요")])
    '사용자: 이름은 지수야\\n비서: 반가워요'
    """
    lines = []
    for message in compact_turn(turn):
        who = "사용자" if isinstance(message, HumanMessage) else "비서"
        lines.append(f"{who}: {message.text}")
    return "\n".join(lines)


def fold_turns(
    model: BaseChatModel,
    summary: str,
    turns: Sequence[Sequence[AnyMessage]],
    count: Callable[[str], int],
    room: int,
) -> str:
    """The running summary with `turns` folded in, one model call per piece that fits `room` tokens.

    A piece is the old summary plus as many turns as fit; a single turn too long for `room` is shortened
    to fit and the summary says so, since it cannot be sent whole anyway.
    """
    pending = [turn_text(t) for t in turns]
    while pending:
        piece: list[str] = []
        used = count(_INSTRUCTION) + count(summary) + 64
        while pending and (not piece or used + count(pending[0]) <= room):
            text = pending.pop(0)
            if used + count(text) > room:  # one turn alone is too long: keep its start, say so
                keep = max(200, int(len(text) * (room - used) / max(count(text), 1)))
                text = text[:keep] + f"\n…[이 차례는 너무 길어 앞부분 {keep:,}자만 요약에 넣음]"
            piece.append(text)
            used += count(text)
        prompt = (f"[지금까지의 요약]\n{summary}\n\n" if summary else "") + "[대화]\n" + "\n\n".join(piece)
        reply = model.invoke([SystemMessage(_INSTRUCTION), HumanMessage(prompt)])
        summary = (reply.text if hasattr(reply, "text") else str(reply.content)).strip() or summary
        log.info("folded %d turns into the running summary (%d chars)", len(piece), len(summary))
    return summary
