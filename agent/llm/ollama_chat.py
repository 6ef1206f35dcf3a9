"""`OllamaChat`: ChatOllama that counts the prompt before sending it and speaks Korean when Ollama fails.

Ollama silently drops the start of a prompt that does not fit `num_ctx` (and shifts the context while
generating), which is how a long article turns into an unrelated summary. Both the sync and async
request paths of ChatOllama go through `_create_chat_stream` / `_acreate_chat_stream`, for `invoke`,
`stream` and tool calling alike, so the guard sits there: an over-long request is refused before any
byte reaches Ollama, and the final chunk's `prompt_eval_count` is compared with the estimate.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator, Mapping
from typing import Any

import httpx
from langchain_core.messages import BaseMessage
from langchain_ollama import ChatOllama
from ollama import ResponseError

from agent.llm import ollama_errors
from agent.llm.ollama_budget import LARGE_VOCAB, estimate_chat_tokens
from config import NuriError

log = logging.getLogger(__name__)

# Below this share of our (deliberately high) estimate, Ollama evidently evaluated less than was sent.
TRUNCATION_RATIO = 0.5


class OllamaChat(ChatOllama):
    """ChatOllama with a context-window guard and Korean errors. Always construct it with `num_ctx`."""

    token_rates: Any = LARGE_VOCAB
    """`TokenRates` for this model's vocabulary (see `ollama_budget.rates_for`)."""
    default_system: str | None = None
    """The model's own SYSTEM (from `/api/show`), which Ollama adds when a request has none."""
    request_timeout: float | None = None
    """Seconds, for the Korean timeout message (the httpx timeout itself goes in `client_kwargs`)."""

    def prompt_budget(self, messages: list[BaseMessage], stop: list[str] | None = None, **kwargs: Any) -> int:
        """Estimated prompt tokens of this request, raising a Korean error when it cannot fit."""
        params = self._chat_params(messages, stop, **kwargs)
        return self._check_budget(params)

    def _check_budget(self, params: Mapping[str, Any]) -> int:
        options = params.get("options") or {}
        num_ctx = options.get("num_ctx") or self.num_ctx
        num_predict = options.get("num_predict", self.num_predict) or 0
        estimate = estimate_chat_tokens(
            params["messages"],
            params.get("tools"),
            rates=self.token_rates,
            default_system=self.default_system,
        )
        if num_ctx is None:
            raise NuriError("num_ctx 없이 Ollama에 요청할 수 없습니다. NURI_NUM_CTX를 설정하세요.")
        # num_predict -1/-2 mean "until the window is full": reserve a modest answer instead.
        reserve = num_predict if num_predict > 0 else min(512, num_ctx // 4)
        if estimate + reserve > num_ctx:
            raise NuriError(
                f"입력이 문맥 창을 넘습니다: 프롬프트 약 {estimate:,}토큰 + 답변 {reserve:,}토큰 > "
                f"num_ctx {num_ctx:,}토큰. Ollama는 넘친 앞부분을 말없이 버리므로 보내지 않았습니다. "
                "대화나 자료를 줄이거나 NURI_NUM_CTX를 늘리세요(모델이 학습한 길이까지)."
            )
        log.debug("ollama prompt estimate %d tokens (+%d answer) of num_ctx %d", estimate, reserve, num_ctx)
        return estimate

    def _check_truncation(self, part: Any, estimate: int, num_ctx: int | None) -> None:
        if not _field(part, "done"):
            return
        evaluated = _field(part, "prompt_eval_count")
        if not isinstance(evaluated, int) or evaluated <= 0:
            return
        if evaluated < estimate * TRUNCATION_RATIO or (num_ctx and evaluated >= num_ctx):
            log.warning(
                "Ollama evaluated %d prompt tokens where about %d were sent (num_ctx %s): it evidently "
                "truncated the prompt; raise num_ctx or shorten the conversation",
                evaluated,
                estimate,
                num_ctx,
            )
        elif evaluated > estimate:
            # The guard relies on the estimate erring high; say so when it did not, so the rates get fixed.
            log.warning(
                "prompt-token estimate %d was below Ollama's prompt_eval_count %d for model %s",
                estimate,
                evaluated,
                self.model,
            )
        else:
            log.debug("ollama prompt_eval_count %d, estimate %d", evaluated, estimate)

    def _fail(self, error: BaseException) -> NuriError:
        if isinstance(error, ResponseError):
            return ollama_errors.http_error(error.status_code, error.error, model=self.model)
        if isinstance(error, httpx.TimeoutException):
            return ollama_errors.timed_out(self.base_url or "127.0.0.1:11434", self.request_timeout or 0)
        return ollama_errors.server_down(self.base_url or "127.0.0.1:11434")

    def _create_chat_stream(
        self, messages: list[BaseMessage], stop: list[str] | None = None, **kwargs: Any
    ) -> Iterator[Mapping[str, Any] | str]:
        params = self._chat_params(messages, stop, **kwargs)
        estimate = self._check_budget(params)
        num_ctx = (params.get("options") or {}).get("num_ctx")
        try:
            for part in super()._create_chat_stream(messages, stop, **kwargs):
                self._check_truncation(part, estimate, num_ctx)
                yield part
        except (ResponseError, ConnectionError, httpx.TransportError) as error:
            raise self._fail(error) from error

    async def _acreate_chat_stream(
        self, messages: list[BaseMessage], stop: list[str] | None = None, **kwargs: Any
    ) -> AsyncIterator[Mapping[str, Any] | str]:
        params = self._chat_params(messages, stop, **kwargs)
        estimate = self._check_budget(params)
        num_ctx = (params.get("options") or {}).get("num_ctx")
        try:
            async for part in super()._acreate_chat_stream(messages, stop, **kwargs):
                self._check_truncation(part, estimate, num_ctx)
                yield part
        except (ResponseError, ConnectionError, httpx.TransportError) as error:
            raise self._fail(error) from error


def _field(part: Any, name: str) -> Any:
    if isinstance(part, Mapping):
        return part.get(name)
    return getattr(part, name, None)
