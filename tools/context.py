"""What tools need from the running app (settings, the chat model, a token counter), handed in explicitly.

Tools never read the environment or LangGraph internals. Whoever runs a tool (the agent's tools node, the
CLI's `nuri summarize`, the lab) wraps the call in `using_env(env)`; the tool reads `current_env()`.
A context variable carries it, so each thread or task sees its own.
"""

from __future__ import annotations

import contextlib
import contextvars
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from config import NuriError, Settings

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from vectorstore import KnowledgeBase

__all__ = ["ToolEnv", "current_env", "knowledge_base", "using_env"]


def _no_progress(text: str) -> None:
    """Progress lines go nowhere unless a caller listens."""


@dataclass(frozen=True)
class ToolEnv:
    """The app's side of a tool call."""

    settings: Settings
    model: BaseChatModel | None = None  # the chat model, for tools that write text (summarize)
    count_tokens: Callable[[str], int] | None = None  # the model's own tokenizer (or a safe upper estimate)
    context_length: int = 8192  # the model's window in tokens (num_ctx)
    progress: Callable[[str], None] = field(default=_no_progress)  # one Korean line per step, for the UI
    knowledge: KnowledgeBase | None = None  # a given knowledge base (tests); else the shared one
    extra: dict[str, Any] = field(default_factory=dict)  # per-run extras (tests, the lab)

    def kb(self) -> KnowledgeBase:
        """The knowledge base tools read and write: the given one, or the one shared per data dir."""
        return self.knowledge if self.knowledge is not None else knowledge_base(self.settings)

    def tokens(self, text: str) -> int:
        """Tokens of `text` by the model's counter, or an upper estimate (~1 token per Korean character)."""
        if self.count_tokens is not None:
            return self.count_tokens(text)
        return len(text) + 8


_CURRENT: contextvars.ContextVar[ToolEnv | None] = contextvars.ContextVar("nuri_tool_env", default=None)


@contextlib.contextmanager
def using_env(env: ToolEnv) -> Iterator[ToolEnv]:
    """Run the tools called inside this block with `env`."""
    token = _CURRENT.set(env)
    try:
        yield env
    finally:
        _CURRENT.reset(token)


def current_env() -> ToolEnv:
    """The env of the tool call in progress; a Korean error when a tool runs outside `using_env`."""
    env = _CURRENT.get()
    if env is None:
        raise NuriError("도구를 실행할 환경(설정)이 주어지지 않았습니다. 에이전트나 CLI를 통해 실행하세요.")
    return env


_KB_LOCK = threading.Lock()
_KBS: dict[tuple, KnowledgeBase] = {}


def knowledge_base(settings: Settings) -> KnowledgeBase:
    """One `KnowledgeBase` per data dir and store settings, shared by tools (its embedder is heavy to load)."""
    from vectorstore import KnowledgeBase  # lazy: loading the embedder and Kiwi is slow

    key = (str(settings.home), settings.chroma_url, settings.collection, settings.embedder)
    with _KB_LOCK:
        if key not in _KBS:
            _KBS[key] = KnowledgeBase(settings)
        return _KBS[key]
