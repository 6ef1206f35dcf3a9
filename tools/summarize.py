"""The `summarize` tool: map-reduce summaries that never overflow the model's context window.

Every request is sized in the model's own tokens (`env.tokens`, llama.cpp `/tokenize` on the embedded
runtime) against `env.context_length`: the answer gets `num_predict` capped at a quarter of the window
(and the model is told so through max_tokens / num_predict), a 5% margin covers chat-template tokens,
and the source text gets the rest. A text that fits is summarized in one call; a longer one is cut into
chunks on paragraph/sentence boundaries (map), the partial summaries are merged in groups that fit
(reduce, repeated until one request holds them all), and a last call writes the requested style. Calls
grow linearly with the text. Several articles make a briefing whose lines cite [n].
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

from langchain_core.messages import HumanMessage, SystemMessage

from config import NuriError
from tools.context import ToolEnv, current_env
from tools.repetition import cut_repetition
from tools.results import ToolOutput
from tools.summarize_plan import (
    TEMPLATE_TOKENS,
    Budget,
    group_for_reduce,
    hard_cut,
    pack_chunks,
    request_budget,
)
from tools.summarize_prompts import (
    SYSTEM,
    final_instruction,
    map_instruction,
    normalize_style,
    reduce_instruction,
    shape_output,
)
from tools.summarize_sources import Source, citations_for, resolve, split_urls
from tools.summary_guard import is_summary_of, lead_sentences, without_label_word, without_repeats
from tools.untrusted import drop_delimiter_echo, wrap_untrusted

__all__ = ["cap_answer", "summarize", "summarize_sources"]

log = logging.getLogger(__name__)

# Said on the second try when the first reply was no summary of the text (a remark about the request).
RETRY_NOTE = "자료에 대한 설명이나 인사 없이, 자료의 내용을 담은 요약 문장만 쓰세요."
LEAD_NOTE = "(모델이 요약을 쓰지 못해 글의 앞 문장을 그대로 보여 드립니다.)"
_LEAD_SENTENCES = {"one_line": 1, "three_lines": 3, "bullets": 4, "briefing": 4}


class _TooLong(Exception):
    """A built request came out over its budget (token counts are not exactly additive): split it."""


def cap_answer(model: Any, tokens: int) -> tuple[Any, bool]:
    """`model` with its answer length capped at `tokens` (max_tokens / num_predict), and whether it could be.

    Works through wrappers that keep the real model in `inner` (the tool-call repair model).
    """
    fields = getattr(type(model), "model_fields", {})
    for name in ("max_tokens", "max_completion_tokens", "num_predict"):
        if name in fields:
            current = getattr(model, name, None)
            if isinstance(current, int) and 0 < current <= tokens:
                return model, True
            return model.model_copy(update={name: tokens}), True
    if "inner" in fields:
        inner, capped = cap_answer(model.inner, tokens)
        return (model.model_copy(update={"inner": inner}) if capped else model), capped
    return model, False


def _failure(error: Exception, timeout: float, window: int) -> str:
    """A Korean sentence for a model call that failed."""
    names = " ".join(c.__name__ for c in type(error).__mro__)
    if "context" in str(error).lower() and (
        "exceed" in str(error).lower() or "too long" in str(error).lower()
    ):
        return (
            f"모델 서버가 요약 요청이 문맥 창을 넘는다고 거절했습니다. 서버의 실제 문맥 길이가 "
            f"NURI_NUM_CTX({window:,})보다 작은지 확인하고 맞춰 주세요."
        )
    if "Timeout" in names or isinstance(error, TimeoutError):
        return (
            f"요약하던 중 모델이 {timeout:g}초 안에 답하지 않아 멈췄습니다. 글을 나누어 요약하거나 "
            "NURI_REQUEST_TIMEOUT을 늘린 뒤 다시 시도하세요."
        )
    detail = " ".join(str(error).split())[:160]
    return (
        f"요약하던 중 모델 호출이 실패했습니다 ({type(error).__name__}: {detail}). "
        "`nuri doctor`로 백엔드 상태를 확인한 뒤 다시 시도하세요."
    )


class _Run:
    """One summary: the model, its token counter and window, and the calls made so far."""

    def __init__(self, env: ToolEnv, style: str, length: str | None, cited: bool) -> None:
        if env.model is None:
            raise NuriError("요약에 쓸 언어 모델이 없습니다. 에이전트나 `nuri summarize`로 실행하세요.")
        self.env, self.style, self.length, self.cited = env, style, length, cited
        self.count: Callable[[str], int] = env.tokens
        self.window = env.context_length
        self.system_tokens = self.count(SYSTEM)
        self._budgets: dict[tuple[str, str], Budget] = {}
        answer = request_budget(self.window, env.settings.num_predict, 0).answer
        self.final_model, self.capped = cap_answer(env.model, answer)
        # Partial summaries get at most a third of a request's source budget, so each reduce request
        # merges three or more of them and the tree shrinks fast.
        self.partial_tokens = max(
            48, min(answer, self.budget(reduce_instruction(cited), "부분 요약").source // 3)
        )
        self.partial_model, _ = cap_answer(env.model, self.partial_tokens)
        self.calls = 0
        self.lead_used = 0  # calls answered by the text's lead sentences (the model wrote no summary)

    # --- requests ------------------------------------------------------------------------------------
    def user(self, text: str, instruction: str, label: str) -> str:
        return f"{wrap_untrusted(text, label)}\n\n{instruction}"

    def budget(self, instruction: str, label: str) -> Budget:
        key = (instruction, label)
        if key not in self._budgets:
            fixed = self.system_tokens + self.count(self.user("", instruction, label))
            budget = request_budget(self.window, self.env.settings.num_predict, fixed)
            if budget.source < 64:
                raise NuriError(
                    f"문맥 창({self.window:,}토큰)이 요약하기에 너무 작습니다. NURI_NUM_CTX를 2048 이상으로 "
                    "늘리거나 NURI_NUM_PREDICT를 줄이세요."
                )
            self._budgets[key] = budget
        return self._budgets[key]

    def ask(self, text: str, instruction: str, label: str, *, final: bool = False) -> str:
        """One model call; `_TooLong` when the built request would not fit, NuriError when the model fails."""
        user = self.user(text, instruction, label)
        budget = self.budget(instruction, label)
        # Budgets were planned with the whole margin; the hard limit keeps half of it for template tokens.
        if self.system_tokens + self.count(user) + TEMPLATE_TOKENS > budget.prompt_limit + budget.safety // 2:
            raise _TooLong
        model = self.final_model if final else self.partial_model
        answer, content = "", ""
        for attempt in range(2):  # once more when the reply was no summary of the text
            self.calls += 1
            request = user if not attempt else f"{user} {RETRY_NOTE}"
            try:
                reply = model.invoke([SystemMessage(SYSTEM), HumanMessage(request)])
            except NuriError:
                raise
            except Exception as error:  # noqa: BLE001 - any backend failure becomes one Korean sentence
                log.warning("summary model call %d failed: %r", self.calls, error)
                raise NuriError(_failure(error, self.env.settings.request_timeout, self.window)) from error
            content = reply.content if isinstance(reply.content, str) else str(reply.content)
            answer = without_repeats(cut_repetition(drop_delimiter_echo(content), note=False))
            answer = without_label_word(answer, text)
            if not content.strip() or (answer and is_summary_of(answer, text)):
                break
            log.info("summary call %d was no summary of the text (%r); asking again", self.calls, answer[:80])
        if content.strip() and not (answer and is_summary_of(answer, text)):
            # Twice a remark about the request (or the delimiters copied back): the text's own lead instead.
            answer = "\n".join(lead_sentences(text, _LEAD_SENTENCES.get(self.style, 3) if final else 4))
            self.lead_used += 1
        limit = budget.answer if final else self.partial_tokens
        if not self.capped and answer and self.count(answer) > limit:  # keep later budgets honest
            answer = hard_cut(answer, self.count, limit)[0][0]
        return answer

    # --- stages --------------------------------------------------------------------------------------
    def map(self, chunks: list[tuple[int, str, str]]) -> list[tuple[int, str]]:
        """Summarize each (source number, label, text) chunk; one that comes out too long is split in two."""
        out: list[tuple[int, str]] = []
        queue = list(chunks)
        while queue:
            n, label, text = queue.pop(0)
            part, parts = len(out) + 1, len(out) + len(queue) + 1
            self.env.progress(f"요약 {part}/{parts} 조각…")
            try:
                out.append((n, self.ask(text, map_instruction(part, parts, self.cited), label)))
            except _TooLong:
                halves = pack_chunks(text, self.count, max(1, self.count(text) // 2 + 1))
                queue[:0] = [(n, label, h) for h in halves]
        return out

    def reduce(self, partials: list[str]) -> list[str]:
        """Merge partial summaries in groups that fit, level by level, until one final request holds them."""
        level = 0
        final = final_instruction(self.style, self.length)
        while self.count("\n\n".join(partials)) > self.budget(final, "부분 요약").source:
            level += 1
            budget = self.budget(reduce_instruction(self.cited), "부분 요약")
            groups = group_for_reduce([self.count(p) for p in partials], budget.source)
            if len(groups) >= len(partials):
                raise NuriError("부분 요약이 너무 길어 합칠 수 없습니다. NURI_NUM_CTX를 늘리세요.")
            merged: list[str] = []
            for i, group in enumerate(groups, 1):
                self.env.progress(f"부분 요약 합치는 중 ({level}단계 {i}/{len(groups)})…")
                merged += self.merge([partials[j] for j in group])
            partials = merged
        return partials

    def merge(self, items: list[str]) -> list[str]:
        """One reduce request over `items`, or two when the built request comes out over budget."""
        try:
            return [self.ask("\n\n".join(items), reduce_instruction(self.cited), "부분 요약")]
        except _TooLong:
            if len(items) == 1:
                return [hard_cut(items[0], self.count, self.partial_tokens)[0][0]]
            return self.merge(items[: len(items) // 2]) + self.merge(items[len(items) // 2 :])

    def final(self, text: str, label: str) -> str:
        """The last call, in the requested style; a text that still does not fit is cut to the budget."""
        self.env.progress("최종 요약 쓰는 중…")
        instruction = final_instruction(self.style, self.length)
        before = self.lead_used
        try:
            answer = self.ask(text, instruction, label, final=True)
        except _TooLong:
            fitted = hard_cut(text, self.count, self.budget(instruction, label).source * 9 // 10)[0][0]
            answer = self.ask(fitted, instruction, label, final=True)
        shaped = shape_output(answer, self.style)
        if self.lead_used > before:
            shaped += f"\n\n{LEAD_NOTE}"
        return shaped


def _labelled(sources: list[Source], cited: bool) -> list[tuple[int, str, str]]:
    """(number, label, text) per source: articles carry [n] so partial summaries keep their source."""
    out = []
    for n, source in enumerate(sources, 1):
        title = (source.title or "")[:40]
        label = f"기사 [{n}] {title}".strip() if cited else (title or "글")
        text = f"[{n}] {source.title}\n{source.text}" if cited and source.title else source.text
        out.append((n, label, text))
    return out


def summarize_sources(
    sources: list[Source], style: str = "3줄", length: str | None = None, *, env: ToolEnv | None = None
) -> tuple[str, int]:
    """The summary text of `sources` in `style`, and how many model calls it took."""
    env = env or current_env()
    style = normalize_style(style)
    cited = len(sources) > 1 or (style == "briefing" and any(s.url for s in sources))
    run = _Run(env, style, length, cited)
    items = _labelled(sources, cited)
    whole = "\n\n".join(text for _, _, text in items)
    if run.count(whole) <= run.budget(final_instruction(style, length), "자료").source:
        return run.final(whole, "자료"), run.calls
    map_budget = run.budget(map_instruction(999, 999, cited), "기사 [99] " + "가" * 40)
    chunks = [
        (n, label, (f"[{n}] " if cited and i else "") + chunk)
        for n, label, text in items
        for i, chunk in enumerate(pack_chunks(text, run.count, map_budget.source))
    ]
    # The model may drop the [n] marker: the code keeps each partial tied to its article.
    partials = [p if not cited or f"[{n}]" in p else f"{p} [{n}]" for n, p in run.map(chunks)]
    return run.final("\n\n".join(run.reduce(partials)), "부분 요약"), run.calls


# A request with a text this long on lines of its own is a paste to summarize (a short news item is ~150
# characters); without a line break only a text of LONG_PASTE_CHARS is taken for one.
SHORT_PASTE_CHARS = 100
LONG_PASTE_CHARS = 800
# The style a question asks for, in the words people use; checked in this order.
_STYLE_WORDS = (
    ("한 줄", r"한\s*줄|1\s*줄|한\s*문장"),
    ("3줄", r"[3三]\s*줄|세\s*줄"),
    ("요점", r"요점|글머리|핵심만|bullet"),
    ("브리핑", r"브리핑|briefing"),
)


def is_paste(question: str) -> bool:
    """Whether a message carries the text to summarize itself (no URL; long, or a text under the request).

    >>> is_paste("요약해 줘\\n\\n" + "가" * 120), is_paste("가" * 120 + " 요약해 줘"), is_paste("가" * 800)
    (True, False, True)
    """
    if split_urls(question) is not None:
        return False
    text = question.strip()
    return len(text) >= LONG_PASTE_CHARS or (len(text) >= SHORT_PASTE_CHARS and "\n" in text)


def summarize_args(question: str, args: dict) -> dict:
    """A forced `summarize` call with the style the question names and, for a pasted text, the whole
    message as the target (a small model copies a paste into `target` partly, or not at all).

    >>> summarize_args("다음 글을 한 줄로 요약해 줘.\\n\\n" + "가" * 300, {"target": "다음 글", "style": "3줄"})["style"]
    '한 줄'
    >>> summarize_args("https://news.example.kr/a/1 세 줄로 요약", {"target": "https://news.example.kr/a/1"})
    {'target': 'https://news.example.kr/a/1', 'style': '3줄'}
    """
    fixed = dict(args)
    for style, pattern in _STYLE_WORDS:
        if re.search(pattern, question, re.IGNORECASE):
            fixed["style"] = style
            break
    if is_paste(question):
        fixed["target"] = question
    return fixed


def summarize(target: str, style: str = "3줄", length: str | None = None) -> ToolOutput:
    """Summarize a news article URL (fetched first), several URLs, a stored article's title, or pasted text.

    Use it when the user asks for a summary (요약, 줄여 줘, 한 줄로, 브리핑). `target`: the URL(s), the
    article title, or the text itself. `style`: "한 줄", "3줄" (default), "요점" (bullets) or "브리핑"
    (several articles, each line citing [n]). `length`: optional, e.g. "짧게" or "200자".
    """
    env = current_env()
    style_key = normalize_style(style)
    sources, notes = resolve(target, env)
    text, calls = summarize_sources(sources, style_key, length, env=env)
    log.info("summary of %d source(s) in style %s took %d model calls", len(sources), style_key, calls)
    citations = citations_for(sources)
    lines = [text]
    if notes:
        lines.append("가져오지 못한 주소: " + "; ".join(notes))
    if citations:
        lines.append("출처:\n" + "\n".join(c.line() for c in citations))
    return ToolOutput("\n\n".join(lines), citations=citations)
