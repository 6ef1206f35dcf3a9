"""Ollama's failures as one Korean line each, with the command that fixes them."""

from __future__ import annotations

import json

from config import NuriError


def base_url(host: str) -> str:
    """Ollama's address with a scheme and no trailing slash (OLLAMA_HOST is often written bare).

    >>> base_url("127.0.0.1:11434")
    'http://127.0.0.1:11434'
    >>> base_url("http://gpu-box:11434/")
    'http://gpu-box:11434'
    """
    host = host.strip().rstrip("/")
    return host if "://" in host else f"http://{host}"


def server_down(host: str) -> NuriError:
    return NuriError(
        f"Ollama 서버({base_url(host)})에 연결할 수 없습니다. "
        "`ollama serve`로 서버를 켜거나 NURI_OLLAMA_HOST 주소를 확인하세요."
    )


def model_missing(model: str) -> NuriError:
    return NuriError(
        f"Ollama에 '{model}' 모델이 없습니다. "
        f"`ollama pull {model}` 또는 `nuri models create {model} --gguf 파일.gguf`로 만드세요."
    )


def timed_out(host: str, seconds: float) -> NuriError:
    return NuriError(
        f"Ollama 서버({base_url(host)})가 {seconds:g}초 안에 답하지 않았습니다. "
        "모델을 처음 불러오는 중이면 잠시 뒤 다시 시도하거나 NURI_REQUEST_TIMEOUT을 늘리세요."
    )


def error_text(body: str) -> str:
    """The `error` field of an Ollama error body, on one line.

    >>> error_text('{"error": "model \\'x\\' not found"}')
    "model 'x' not found"
    >>> error_text("Internal Server Error\\n")
    'Internal Server Error'
    """
    text = body
    try:
        parsed = json.loads(body)
    except ValueError:
        parsed = None
    if isinstance(parsed, dict) and parsed.get("error"):
        text = str(parsed["error"])
    return " ".join(text.split())[:300]


def http_error(status: int, body: str, *, model: str) -> NuriError:
    """Map an HTTP error from Ollama to the Korean line that says what to do."""
    message = error_text(body)
    lowered = message.lower()
    if status == 404 or ("not found" in lowered and "model" in lowered):
        return model_missing(model)
    if "does not support tools" in lowered:
        return NuriError(
            f"Ollama의 '{model}' 모델 템플릿이 도구 호출을 지원하지 않습니다. "
            f"`nuri models create {model} --gguf 파일.gguf`로 도구를 지원하는 템플릿과 함께 다시 만드세요."
        )
    if status >= 500:
        return NuriError(
            f"Ollama 서버 오류(HTTP {status}: {message}). 메모리가 부족하면 NURI_NUM_CTX나 NURI_GPU_LAYERS를 "
            "줄이고, `ollama ps`와 서버 로그를 확인하세요."
        )
    return NuriError(f"Ollama 요청이 거절되었습니다(HTTP {status}: {message}). 요청 설정을 확인하세요.")
