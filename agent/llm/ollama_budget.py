"""Count a prompt's tokens before Ollama sees it, since Ollama silently drops what overflows `num_ctx`.

Ollama has no tokenize endpoint and `/api/show` withholds the vocabulary, so the count is an estimate
from characters by script, tuned to err high: Korean ~0.65 tokens per Hangul syllable was measured for
Llama 3 and Qwen (128-152k vocabularies); vocabularies of 32k (Llama 2, Mistral, Phi-3) split Hangul
into byte tokens, hence a far higher rate there. `benchmarks/ollama_token_estimate.py` checks the
rates against a real tokenizer.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class TokenRates:
    """Tokens per character, by kind of character (upper estimates)."""

    hangul: float = 0.75  # measured 0.63-0.65 (Llama 3, Qwen): 0.75 leaves a margin
    cjk: float = 1.1  # Han ideographs, kana
    ascii_alnum: float = 0.3  # English ~4 characters per token
    ascii_space: float = 0.1  # mostly merged into the next word's token
    ascii_punct: float = 0.7  # JSON and code are punctuation-dense
    other: float = 1.2  # emoji, symbols, other scripts: often several byte tokens
    per_message: int = 8  # role header, turn delimiters
    fixed: int = 16  # template start and the generation prompt


LARGE_VOCAB = TokenRates()
# 32k-entry SentencePiece vocabularies hold few Hangul syllables: most fall back to 3 byte tokens.
SMALL_VOCAB = TokenRates(hangul=2.6, cjk=2.0, other=2.5)
SMALL_VOCAB_LIMIT = 64_000


def rates_for(model_info: Mapping[str, Any] | None, template: str | None = None) -> TokenRates:
    """Pick the rates from the vocabulary size in `/api/show` model_info (or the template's look).

    >>> rates_for({"general.architecture": "llama", "llama.vocab_size": 32000}) is SMALL_VOCAB
    True
    >>> rates_for({"general.architecture": "qwen2"}) is LARGE_VOCAB
    True
    >>> rates_for({}, "[INST] {{ .Prompt }} [/INST]") is SMALL_VOCAB
    True
    """
    info = model_info or {}
    arch = info.get("general.architecture")
    vocab = info.get(f"{arch}.vocab_size")
    tokens = info.get("tokenizer.ggml.tokens")
    if isinstance(tokens, list) and tokens:
        vocab = len(tokens)
    if isinstance(vocab, int) and vocab > 0:
        return SMALL_VOCAB if vocab < SMALL_VOCAB_LIMIT else LARGE_VOCAB
    # No size given: the [INST] and Phi-3 formats belong to the 32k-vocabulary generation of models.
    if template and ("[INST]" in template or "<|user|>" in template):
        return SMALL_VOCAB
    return LARGE_VOCAB


def estimate_text_tokens(text: str, rates: TokenRates = LARGE_VOCAB) -> int:
    """Upper estimate of the tokens in `text`.

    >>> estimate_text_tokens("")
    0
    >>> estimate_text_tokens("서울의 지하철 요금이 올랐습니다.")
    12
    >>> estimate_text_tokens("Seoul subway fares rose.")
    7
    """
    total = 0.0
    for char in text:
        code = ord(char)
        if code < 128:
            if char.isalnum():
                total += rates.ascii_alnum
            elif char.isspace():
                total += rates.ascii_space
            else:
                total += rates.ascii_punct
        elif 0xAC00 <= code <= 0xD7A3 or 0x1100 <= code <= 0x11FF or 0x3130 <= code <= 0x318F:
            total += rates.hangul
        elif unicodedata.east_asian_width(char) in ("W", "F"):
            total += rates.cjk
        else:
            total += rates.other
    return int(total + 0.999)


def _content_text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, Iterable) and not isinstance(content, bytes | Mapping):
        return "".join(_content_text(part) for part in content)
    if isinstance(content, Mapping):
        return str(content.get("text", ""))
    return str(content or "")


def estimate_chat_tokens(
    messages: Sequence[Mapping[str, Any]],
    tools: Sequence[Any] | None = None,
    *,
    rates: TokenRates = LARGE_VOCAB,
    default_system: str | None = None,
) -> int:
    """Upper estimate of an `/api/chat` prompt: messages, tool calls, the tools' schemas, the template.

    `messages` are Ollama-shaped dicts (role, content, tool_calls); `default_system` is the model's own
    SYSTEM, which Ollama adds when the request has no system message.

    >>> estimate_chat_tokens([{"role": "user", "content": "안녕하세요"}])
    28
    """
    total = rates.fixed
    has_system = False
    for message in messages:
        has_system = has_system or message.get("role") == "system"
        total += rates.per_message + estimate_text_tokens(_content_text(message.get("content")), rates)
        for call in message.get("tool_calls") or ():
            total += estimate_text_tokens(json.dumps(_plain(call), ensure_ascii=False), rates)
    if default_system and not has_system:
        total += rates.per_message + estimate_text_tokens(default_system, rates)
    if tools:
        # The template prints each schema as JSON, plus a paragraph of instructions (~120 tokens).
        schemas = json.dumps([_plain(tool) for tool in tools], ensure_ascii=False)
        total += 120 + estimate_text_tokens(schemas, rates)
    return total


def _plain(value: Any) -> Any:
    """Pydantic models (the ollama client's Tool, Message) as plain data, for json.dumps."""
    dump = getattr(value, "model_dump", None)
    if callable(dump):
        return dump(exclude_none=True)
    return value
