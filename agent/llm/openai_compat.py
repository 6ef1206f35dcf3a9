"""The openai backend: any OpenAI-compatible server (vLLM, SGLang, llama.cpp server, LM Studio)."""

from __future__ import annotations

import logging

import httpx

from agent.llm.handle import ChatHandle
from agent.llm.repair import ToolCallRepairChatModel
from config import NuriError, Settings

log = logging.getLogger(__name__)

_NO_URL = NuriError(
    "OpenAI 호환 서버 주소가 없습니다.",
    hint="NURI_OPENAI_BASE_URL=http://서버:8000/v1 처럼 설정하거나 NURI_PROVIDER=auto로 두세요.",
)


def open_openai(settings: Settings) -> ChatHandle:
    """ChatOpenAI against `settings.openai_base_url`, with text tool calls repaired like the embedded path.

    A forced tool_choice is passed to the server natively here (servers differ in what grammars they
    take); the repair only acts when the answer has no native tool calls but text that is one.
    """
    if not settings.openai_base_url:
        raise _NO_URL
    model = ToolCallRepairChatModel(
        base_url=settings.openai_base_url,
        api_key=settings.openai_api_key.get_secret_value(),
        model=settings.model,
        temperature=settings.temperature,
        top_p=settings.top_p,
        max_tokens=settings.num_predict,
        timeout=settings.request_timeout,
        max_retries=1,
        stream_usage=True,
        force_with_schema=False,
    )
    handle = ChatHandle(
        model=model, backend="openai", model_name=settings.model, context_length=settings.num_ctx
    )
    handle.notes.append(f"OpenAI 호환 서버 {settings.openai_base_url}의 모델 {settings.model}을 사용합니다.")
    return handle


def probe_openai(settings: Settings, timeout: float = 2.0) -> str | None:
    """None when `{base_url}/models` answers, else a Korean line saying what is wrong."""
    if not settings.openai_base_url:
        return _NO_URL.message
    url = settings.openai_base_url.rstrip("/") + "/models"
    headers = {"Authorization": f"Bearer {settings.openai_api_key.get_secret_value()}"}
    try:
        response = httpx.get(url, headers=headers, timeout=timeout)
    except httpx.HTTPError as error:
        log.info("OpenAI-compatible server at %s unreachable: %s", url, error)
        return f"{settings.openai_base_url}에 연결할 수 없습니다 ({type(error).__name__}). 서버가 켜져 있는지 확인하세요."
    if response.status_code >= 400:
        return f"{url}가 HTTP {response.status_code}로 답했습니다. 주소와 NURI_OPENAI_API_KEY를 확인하세요."
    return None
