"""Count a prompt's tokens before Ollama sees it, since Ollama silently drops what overflows `num_ctx`.

Ollama has no tokenize endpoint and `/api/show` withholds the vocabulary, so the count is an estimate
from characters by script, tuned to err high. Measured with Qwen2.5's tokenizer (152k vocabulary; Llama 3's
128k splits Korean alike, ~0.65-0.7 tokens per character counting spaces): about one token per Hangul
syllable and one per digit (Qwen splits numbers into digits). Vocabularies of 32k (Llama 2, Mistral,
Phi-3) split Hangul into byte tokens, hence a far higher rate there. `benchmarks/ollama_token_estimate.py`
compares the estimate with a real tokenizer.
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

    hangul: float = 1.15  # measured 1.0-1.3 per syllable (Qwen2.5; short colloquial words split most)
    cjk: float = 1.2  # Han ideographs, kana
    ascii_letter: float = 0.25  # English ~4-5 characters per token
    ascii_digit: float = 1.0  # Qwen: one token per digit; Llama 3 groups three, so this errs high there
    ascii_space: float = 0.2  # mostly merged into the next word's token
    ascii_punct: float = 1.0  # '?', '%', '(' after Hangul are tokens of their own
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
    18
    >>> estimate_text_tokens("Seoul subway fares rose.")
    7
    """
    total = 0.0
    for char in text:
        code = ord(char)
        if code < 128:
            if char.isdigit():
                total += rates.ascii_digit
            elif char.isalpha():
                total += rates.ascii_letter
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
    30
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
        # The template prints each schema as JSON, plus a paragraph of instructions (~80 tokens for Qwen).
        schemas = json.dumps([_plain(tool) for tool in tools], ensure_ascii=False)
        total += 90 + estimate_text_tokens(schemas, rates)
    return total


def _plain(value: Any) -> Any:
    """Pydantic models (the ollama client's Tool, Message) as plain data, for json.dumps."""
    dump = getattr(value, "model_dump", None)
    if callable(dump):
        return dump(exclude_none=True)
    return value
