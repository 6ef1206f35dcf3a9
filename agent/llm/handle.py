"""`ChatHandle`: a ready chat model plus what the user must be told about it."""

from __future__ import annotations

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

    def badge(self) -> str:
        return f"{self.backend} · {self.model_name} · ctx {self.context_length:,}"
