"""The context budget: what goes into one model call, in the model's own tokens, and what had to give way.

Fill order (issue 8): the system prompt (never cut), the current question (never dropped), this turn's tool
results (trimmed to their share, lowest-ranked text last), then past turns newest first. Past turns that do
not fit are reported as overflow: the caller folds them into the running summary, which rides in the system
message. Nothing is cut silently: every trim and fold is in the `Budget` the answer reports.

The prompt prefix stays stable from call to call (system, summary, past turns oldest first, the question,
the tool traffic), so llama.cpp and Ollama can reuse their prompt cache.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from langchain_core.messages import AIMessage, AnyMessage, HumanMessage, SystemMessage, ToolMessage

from config import NuriError

__all__ = ["Budget", "PromptPlan", "message_tokens", "plan_prompt", "split_turns"]

# Chat-template tokens around each message (role markers, separators): llama.cpp's /tokenize does not see
# them. Qwen2.5 and Llama 3 use 4-5 per message; 8 keeps a margin.
PER_MESSAGE = 8
TOOL_SHARE = 0.7  # at most this part of what is left after system + question goes to tool results
TRIM_NOTE = "\n…[문맥 창에 맞추려고 뒷부분 {chars:,}자를 뺐습니다]"

Count = Callable[[str], int]


@dataclass
class Budget:
    """Tokens per part of one model call, against the window; with what was trimmed or folded."""

    num_ctx: int
    reserve: int  # tokens kept free for the answer
    system: int = 0
    summary: int = 0
    history: int = 0
    tools: int = 0
    question: int = 0
    history_turns: int = 0  # past turns sent whole
    folded_turns: int = 0  # past turns only in the running summary
    trimmed: list[str] = field(default_factory=list)  # Korean notes: what was shortened and why
    exact: bool = False  # counted with the model's own tokenizer (else an upper estimate)
    server_prompt_tokens: int | None = None  # what the server said it read, when it says
    warning: str | None = None

    @property
    def prompt(self) -> int:
        return self.system + self.summary + self.history + self.tools + self.question

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "prompt": self.prompt}

    def line(self) -> str:
        """One Korean line for `--show-budget` and the UI.

        >>> Budget(num_ctx=2048, reserve=512, system=100, history=300, question=50).line()
        '문맥 450/2,048 토큰 (시스템 100 · 요약 0 · 대화 300 · 도구 0 · 질문 50 · 답변 몫 512) · 추정치'
        """
        parts = (
            f"시스템 {self.system:,} · 요약 {self.summary:,} · 대화 {self.history:,} · 도구 {self.tools:,} · "
            f"질문 {self.question:,} · 답변 몫 {self.reserve:,}"
        )
        kind = "모델 토크나이저" if self.exact else "추정치"
        return f"문맥 {self.prompt:,}/{self.num_ctx:,} 토큰 ({parts}) · {kind}"


@dataclass
class PromptPlan:
    messages: list[AnyMessage]
    budget: Budget
    overflow: int  # oldest unfolded past turns that did not fit: fold them, then plan again


def message_tokens(message: AnyMessage, count: Count) -> int:
    """Tokens one message costs in the prompt, template overhead and tool calls included."""
    text = message.content if isinstance(message.content, str) else json.dumps(message.content)
    total = count(text) + PER_MESSAGE if text else PER_MESSAGE
    if isinstance(message, AIMessage):
        for call in [*message.tool_calls, *message.invalid_tool_calls]:
            total += count(json.dumps({"name": call.get("name"), "arguments": call.get("args")}))
    return total


def split_turns(messages: Sequence[AnyMessage]) -> list[list[AnyMessage]]:
    """Messages cut into turns, each starting at a user message (anything before the first is its own).

    >>> from langchain_core.messages import AIMessage, HumanMessage
    >>> turns = split_turns([HumanMessage("a"), AIMessage("b"), HumanMessage("c")])
    >>> [[m.content for m in t] for t in turns]
    [['a', 'b'], ['c']]
    """
    turns: list[list[AnyMessage]] = []
    for message in messages:
        if isinstance(message, HumanMessage) or not turns:
            turns.append([message])
        else:
            turns[-1].append(message)
    return turns


def _as_sent(message: AnyMessage, condensed: Mapping[str, str]) -> AnyMessage:
    """A user message in the condensed form the prompt carries, when it was too long to send whole."""
    if message.id and message.id in condensed:
        return message.model_copy(update={"content": condensed[message.id]})
    return message


def compact_turn(turn: Sequence[AnyMessage], condensed: Mapping[str, str] = {}) -> list[AnyMessage]:  # noqa: B006
    """A past turn as the question and its final answer: its tool traffic is not sent again."""
    question = [_as_sent(m, condensed) for m in turn[:1] if isinstance(m, HumanMessage)]
    answers = [m for m in turn if isinstance(m, AIMessage) and not m.tool_calls and not m.invalid_tool_calls]
    return [*question, *answers[-1:]]


def _trim_tools(messages: list[AnyMessage], share: int, count: Count, notes: list[str]) -> list[AnyMessage]:
    """Shorten the longest tool results until the turn's tool traffic fits `share` tokens."""
    costs = [message_tokens(m, count) for m in messages]
    over = sum(costs) - share
    if over <= 0:
        return messages
    out = list(messages)
    for index in sorted(range(len(out)), key=lambda i: -costs[i]):
        message = out[index]
        if over <= 0 or not isinstance(message, ToolMessage) or not isinstance(message.content, str):
            continue
        text = message.content
        keep_ratio = max(0.0, 1 - (over + 32) / max(costs[index], 1))
        keep = int(len(text) * keep_ratio)
        while keep > 0 and count(text[:keep]) + PER_MESSAGE + 40 > costs[index] - over:
            keep = int(keep * 0.9)
        cut = len(text) - keep
        new_text = text[:keep] + TRIM_NOTE.format(chars=cut)
        out[index] = message.model_copy(update={"content": new_text})
        notes.append(f"도구 결과 '{message.name or '?'}'의 뒷부분 {cut:,}자를 뺐습니다 (문맥 창 한도)")
        over -= costs[index] - message_tokens(out[index], count)
    if over > 0:
        raise NuriError(
            "이번 질문의 도구 결과가 문맥 창에 들어가지 않습니다. 검색 결과 수(k)를 줄이거나 질문을 나누어 주세요."
        )
    return out


def plan_prompt(
    system_text: str,
    summary: str,
    messages: Sequence[AnyMessage],
    folded: int,
    count: Count,
    num_ctx: int,
    reserve: int,
    *,
    exact: bool = False,
    condensed: Mapping[str, str] | None = None,
    tool_schemas: str = "",
) -> PromptPlan:
    """Choose what one model call sends. `folded` past turns are covered by `summary` and not sent;
    user messages listed in `condensed` (by id) are sent in that form. `tool_schemas` (the bound tools'
    JSON, which chat templates put into the system prompt) counts as part of the system prompt."""
    condensed = condensed or {}
    budget = Budget(num_ctx=num_ctx, reserve=reserve, exact=exact)
    available = num_ctx - reserve - max(16, num_ctx // 50)  # 2% margin for template and counting slack
    system = SystemMessage(system_text + (f"\n\n[이전 대화 요약]\n{summary}" if summary else ""))
    budget.system = count(system_text) + PER_MESSAGE + (count(tool_schemas) if tool_schemas else 0)
    budget.summary = message_tokens(system, count) - budget.system if summary else 0
    if budget.system + budget.summary > available:
        raise NuriError(
            f"시스템 프롬프트만으로 문맥 창이 찹니다 ({budget.system + budget.summary:,} 토큰 > "
            f"{available:,}). 프리셋을 줄이거나 NURI_NUM_CTX를 늘리세요."
        )
    turns = split_turns(messages)
    current = turns[-1] if turns else []
    past = turns[:-1]
    question = [_as_sent(m, condensed) for m in current[:1]]
    budget.question = sum(message_tokens(m, count) for m in question)
    left = available - budget.system - budget.summary - budget.question
    if left < 0:
        raise NuriError(
            f"질문이 문맥 창에 들어가지 않습니다 ({budget.question:,} 토큰, 남은 자리 "
            f"{left + budget.question:,}). 글을 나누어 보내 주세요."
        )
    tool_traffic = _trim_tools(
        list(current[1:]), int(left * TOOL_SHARE) if past else left, count, budget.trimmed
    )
    budget.tools = sum(message_tokens(m, count) for m in tool_traffic)
    left -= budget.tools
    sent: list[list[AnyMessage]] = []
    unfolded = past[folded:]
    for turn in reversed(unfolded):
        compact = compact_turn(turn, condensed)
        cost = sum(message_tokens(m, count) for m in compact)
        if cost > left:
            break
        sent.insert(0, compact)
        left -= cost
        budget.history += cost
    budget.history_turns = len(sent)
    budget.folded_turns = folded
    overflow = len(unfolded) - len(sent)
    history = [m for turn in sent for m in turn]
    return PromptPlan([system, *history, *question, *tool_traffic], budget, overflow)


def check_server_count(budget: dict[str, Any], response: Any) -> None:
    """Record the prompt tokens the server reports and warn when it read less than was sent.

    A server that silently truncates (Ollama cuts a prompt over num_ctx from the front) reports fewer
    prompt tokens than we counted. Our count is exact on llama.cpp and an upper estimate elsewhere.

    >>> b = {"prompt": 1000, "exact": True, "num_ctx": 2048}
    >>> check_server_count(b, type("R", (), {"usage_metadata": {"input_tokens": 600}})())
    >>> b["server_prompt_tokens"], b["warning"][:20]
    (600, '서버가 읽은 프롬프트(600 토큰)가')
    """
    usage = getattr(response, "usage_metadata", None) or {}
    seen = usage.get("input_tokens")
    if not seen:
        return
    budget["server_prompt_tokens"] = int(seen)
    sent = int(budget.get("prompt") or 0)
    floor = 0.8 * sent - 64 if budget.get("exact") else 0.4 * sent
    if seen < floor or seen >= budget.get("num_ctx", 0):
        budget["warning"] = (
            f"서버가 읽은 프롬프트({seen:,} 토큰)가 보낸 양(약 {sent:,} 토큰)과 맞지 않습니다. "
            "서버가 문맥을 잘랐을 수 있습니다: NURI_NUM_CTX가 서버의 설정과 같은지 확인하세요."
        )
