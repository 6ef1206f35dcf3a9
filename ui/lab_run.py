"""One question answered with several presets in turn, each in its own throw-away thread, with numbers."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from agent.events import Done, Notice, Token, ToolCall
from agent.llm.handle import ChatHandle
from agent.runner import stream_turn
from config import NuriError, Settings


@dataclass
class LabAnswer:
    """What one preset answered, and what it cost."""

    preset: str
    text: str = ""
    error: str | None = None
    elapsed: float = 0.0
    first_token: float | None = None
    prompt_tokens: int = 0
    answer_tokens: int = 0
    tools: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    def stats(self) -> str:
        """One Korean line of numbers.

        >>> LabAnswer("concise", elapsed=2.5, first_token=0.4, prompt_tokens=812, answer_tokens=50).stats()
        '2.5초 (첫 토큰 0.4초) · 입력 812 토큰 · 답 50 토큰 · 20.0 토큰/초'
        """
        first = f" (첫 토큰 {self.first_token:.1f}초)" if self.first_token is not None else ""
        rate = self.answer_tokens / self.elapsed if self.elapsed else 0.0
        return (
            f"{self.elapsed:.1f}초{first} · 입력 {self.prompt_tokens:,} 토큰 · 답 {self.answer_tokens:,} 토큰 · "
            f"{rate:.1f} 토큰/초"
        )


def run_preset(
    handle: ChatHandle, settings: Settings, question: str, preset: str, on_token=None
) -> LabAnswer:
    """Ask `question` with `preset` in a fresh thread; failures come back as Korean text, never raised."""
    result = LabAnswer(preset)
    started = time.perf_counter()
    try:
        for event in stream_turn(handle, [], question, settings, preset=preset):
            if isinstance(event, Token):
                result.text += event.text
                if on_token is not None:
                    on_token(result.text)
            elif isinstance(event, ToolCall):
                result.tools.append(event.name)
            elif isinstance(event, Notice):
                result.notices.append(event.text)
            elif isinstance(event, Done):
                result.elapsed, result.first_token = event.elapsed, event.first_token
                budget: dict[str, Any] = event.budget or {}
                result.prompt_tokens = int(budget.get("prompt", 0))
                result.answer_tokens = handle.tokens(event.answer) if event.answer else 0
    except NuriError as error:
        result.error = str(error)
    result.elapsed = result.elapsed or time.perf_counter() - started
    return result
