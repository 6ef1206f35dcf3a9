"""Showing one agent turn in the terminal, shared by `nuri ask` and `nuri chat`.

The answer goes to stdout token by token; tool calls, progress, notices, sources, the budget and the badge
go to stderr as dim lines. `TurnLog` also keeps everything for `nuri ask --json`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import typer
from rich.console import Console

from agent.budget import Budget
from agent.events import AgentEvent, Confirm, Done, Notice, Progress, Token, ToolCall, ToolResult


def short(text: str, limit: int = 200) -> str:
    """One line, cut to `limit` characters.

    >>> short("첫 줄\\n둘째 줄", 6)
    '첫 줄 둘…'
    """
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def budget_line(budget: dict[str, Any]) -> str:
    """The budget of the turn's last model call as one Korean line."""
    fields = {k: v for k, v in budget.items() if k in Budget.__dataclass_fields__}
    line = Budget(**fields).line()
    notes = budget.get("trimmed") or []
    return line + ("".join(f"\n  - {n}" for n in notes))


@dataclass
class TurnLog:
    """Everything a turn showed, for `--json` and for the closing lines."""

    answer: str = ""
    tool_calls: list[dict[str, Any]] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    done: Done | None = None
    pending: Confirm | None = None

    def as_json(self, badge: dict[str, Any]) -> dict[str, Any]:
        done = self.done
        calls = [
            {
                "name": c["name"],
                "args": c["args"],
                "result": c.get("result"),
                "is_error": c.get("is_error", False),
            }
            for c in self.tool_calls
        ]
        return {
            "answer": done.answer if done else self.answer,
            "tool_calls": calls,
            "citations": [c.to_dict() for c in done.citations] if done else [],
            **badge,
            "elapsed_s": round(done.elapsed, 3) if done else None,
            "first_token_s": round(done.first_token, 3) if done and done.first_token is not None else None,
            "thread_id": done.thread_id if done else None,
            "preset": done.preset if done else None,
            "budget": done.budget if done else {},
            "notices": self.notices,
        }


class TurnPrinter:
    """Prints events as they come (or stays quiet for `--json`) and records them in a `TurnLog`."""

    def __init__(self, *, quiet: bool = False, show_budget: bool = False, badge: Callable[[], str]) -> None:
        self.log = TurnLog()
        self.quiet, self.show_budget, self.badge = quiet, show_budget, badge
        self.side = Console(stderr=True, highlight=False, soft_wrap=True)
        self.mid_line = False

    def _side(self, text: str, style: str = "dim") -> None:
        if not self.quiet:
            self.side.print(text, style=style, markup=False)

    def show(self, events: Iterable[AgentEvent]) -> TurnLog:
        for event in events:
            self.on(event)
        return self.log

    def on(self, event: AgentEvent) -> None:
        if isinstance(event, Token):
            self.log.answer += event.text
            if not self.quiet:
                typer.echo(event.text, nl=False)
                self.mid_line = not event.text.endswith("\n")
            return
        if self.mid_line:
            typer.echo("")
            self.mid_line = False
        if isinstance(event, ToolCall):
            self.log.tool_calls.append({"name": event.name, "args": event.args, "id": event.id})
            args = ", ".join(f"{k}={v!r}" for k, v in event.args.items())
            self._side(f"→ 도구 호출: {event.name}({args})")
        elif isinstance(event, ToolResult):
            for call in self.log.tool_calls:
                if call["id"] == event.id:
                    call.update(result=event.content, is_error=event.is_error)
            self._side(f"← {'도구 오류' if event.is_error else '도구 결과'}: {short(event.content)}")
        elif isinstance(event, Progress):
            self._side(f"… {event.text}")
        elif isinstance(event, Notice):
            self.on_notice(event.text)
        elif isinstance(event, Confirm):
            self.log.pending = event
        elif isinstance(event, Done):
            self.log.done = event
            self._closing(event)

    def on_notice(self, text: str) -> None:
        self.log.notices.append(text)
        self._side(f"! {text}", "dim yellow")

    def _closing(self, done: Done) -> None:
        if not done.answer:
            self._side("(모델이 빈 답을 냈습니다. 질문을 바꿔 다시 물어보세요.)")
        elif self.log.answer.strip() and done.answer.strip() != self.log.answer.strip() and not self.quiet:
            # The answer as kept differs from what streamed (a loop cut, English words put into Korean,
            # citations renumbered, results shown instead): the kept one is printed too.
            self._side("정리된 답:")
            typer.echo(done.answer)
        for citation in done.citations:
            self._side(f"  {citation.line()}", "cyan")
        if self.show_budget and done.budget:
            self._side(budget_line(done.budget))
        first = f", 첫 토큰 {done.first_token:.2f}초" if done.first_token is not None else ""
        thread = f" · 대화 {done.thread_id}" if done.thread_id else ""
        self._side(f"[{self.badge()} · {done.elapsed:.1f}초{first}{thread}]")
