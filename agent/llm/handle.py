"""`ChatHandle`: a ready chat model plus what the user must be told about it."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from langchain_core.language_models import BaseChatModel

Backend = Literal["ollama", "openai", "embedded", "fake"]


@dataclass
class ChatHandle:
    """A LangChain chat model that streams and supports tool calling, with its provenance.

    CLI and UI always show `badge()`, so the user knows which backend and model answered.
    """

    model: BaseChatModel
    backend: Backend
    model_name: str
    context_length: int
    notes: list[str] = field(default_factory=list)  # e.g. why `auto` chose this backend
    # The model's own tokenizer where the backend has one (llama.cpp `/tokenize`), else a calibrated upper
    # estimate; context budgets are counted with it.
    count_tokens: Callable[[str], int] | None = None
    token_count_exact: bool = False  # whether `count_tokens` is the model's real tokenizer

    def tokens(self, text: str) -> int:
        """Tokens of `text` for this model (an upper estimate when the backend cannot tokenize).

        >>> ChatHandle(model=None, backend="fake", model_name="m", context_length=4096).tokens("서울 지하철")
        6
        """
        if self.count_tokens is not None:
            return self.count_tokens(text)
        from agent.llm.ollama_budget import estimate_text_tokens

        return estimate_text_tokens(text)

    def badge(self) -> str:
        return f"{self.backend} · {self.model_name} · ctx {self.context_length:,}"


def memoized_counter(count: Callable[[str], int], size: int = 4096) -> Callable[[str], int]:
    """`count` with a bounded memory of recent texts.

    Every model call counts the whole prompt again (system prompt, tool schemas, each history message);
    with a tokenizer behind HTTP that cost grows with the thread and shows up as time to first token.
    History messages do not change, so each text is tokenized once.

    >>> calls = []
    >>> counter = memoized_counter(lambda text: calls.append(text) or len(text), size=2)
    >>> counter("가나"), counter("가나"), counter("다"), counter("라"), counter("가나")
    (2, 2, 1, 1, 2)
    >>> calls
    ['가나', '다', '라', '가나']
    """
    memory: OrderedDict[str, int] = OrderedDict()

    def counted(text: str) -> int:
        if text in memory:
            memory.move_to_end(text)
            return memory[text]
        tokens = memory[text] = count(text)
        if len(memory) > size:
            memory.popitem(last=False)
        return tokens

    return counted
