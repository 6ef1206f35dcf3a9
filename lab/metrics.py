"""Speed and memory figures, parsed from what the backends report (pure) or sampled from the system.

llama.cpp's OpenAI API adds a `timings` object (prompt_n, prompt_ms, predicted_n, predicted_ms) to its
last streamed chunk; Ollama's `/api/chat` puts prompt_eval_count/duration, eval_count/duration and
load_duration (nanoseconds) in its final `done` message; any other OpenAI-compatible server gives only
`usage`, so decode speed there comes from the stream's own clock.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import threading
from dataclasses import asdict, dataclass
from typing import Any

_NS = 1e9


@dataclass
class Timings:
    """What one completion cost. Rates are None when the backend did not report the parts."""

    prompt_tokens: int | None = None
    prompt_seconds: float | None = None
    decode_tokens: int | None = None
    decode_seconds: float | None = None
    load_seconds: float | None = None  # Ollama only: time spent loading the model for this request
    source: str = "none"  # llama.cpp | ollama | usage | none

    @property
    def prompt_tps(self) -> float | None:
        return _rate(self.prompt_tokens, self.prompt_seconds)

    @property
    def decode_tps(self) -> float | None:
        return _rate(self.decode_tokens, self.decode_seconds)

    def as_row(self) -> dict[str, Any]:
        """Flat fields for a result row (rates included)."""
        return {**asdict(self), "prompt_tps": self.prompt_tps, "decode_tps": self.decode_tps}


def _rate(count: int | None, seconds: float | None) -> float | None:
    """Tokens per second, or None when either part is missing or zero.

    >>> _rate(120, 2.0)
    60.0
    >>> _rate(5, 0) is None
    True
    """
    if not count or not seconds:
        return None
    return count / seconds


def llamacpp_timings(payload: dict[str, Any]) -> Timings | None:
    """Timings from a llama.cpp response or final chunk (`timings` field); None if it has none.

    >>> t = llamacpp_timings({"timings": {"prompt_n": 20, "prompt_ms": 250.0,
    ...                                   "predicted_n": 30, "predicted_ms": 1000.0}})
    >>> (t.prompt_tps, t.decode_tps, t.source)
    (80.0, 30.0, 'llama.cpp')
    """
    timings = payload.get("timings")
    if not isinstance(timings, dict):
        return None
    return Timings(
        prompt_tokens=_int(timings.get("prompt_n")),
        prompt_seconds=_ms(timings.get("prompt_ms")),
        decode_tokens=_int(timings.get("predicted_n")),
        decode_seconds=_ms(timings.get("predicted_ms")),
        source="llama.cpp",
    )


def ollama_timings(payload: dict[str, Any]) -> Timings | None:
    """Timings from Ollama's final `/api/chat` or `/api/generate` message (durations in ns).

    >>> t = ollama_timings({"done": True, "prompt_eval_count": 26, "prompt_eval_duration": 130_000_000,
    ...                     "eval_count": 290, "eval_duration": 4_709_213_000, "load_duration": 5_000_000})
    >>> round(t.prompt_tps), round(t.decode_tps, 1), t.load_seconds
    (200, 61.6, 0.005)
    """
    if "eval_count" not in payload and "prompt_eval_count" not in payload:
        return None
    return Timings(
        prompt_tokens=_int(payload.get("prompt_eval_count")),
        prompt_seconds=_ns(payload.get("prompt_eval_duration")),
        decode_tokens=_int(payload.get("eval_count")),
        decode_seconds=_ns(payload.get("eval_duration")),
        load_seconds=_ns(payload.get("load_duration")),
        source="ollama",
    )


def usage_timings(usage: dict[str, Any] | None, ttft: float | None, total: float) -> Timings:
    """Timings from OpenAI `usage` and the stream clock: decode = tokens after the first / time after it.

    >>> t = usage_timings({"prompt_tokens": 10, "completion_tokens": 21}, 0.5, 2.5)
    >>> t.decode_tps, t.prompt_tps
    (10.0, None)
    """
    usage = usage or {}
    completion = _int(usage.get("completion_tokens"))
    decode_seconds = total - ttft if ttft is not None and total > ttft else None
    return Timings(
        prompt_tokens=_int(usage.get("prompt_tokens")),
        decode_tokens=(completion - 1) if completion and completion > 1 else None,
        decode_seconds=decode_seconds,
        source="usage",
    )


def _int(value: object) -> int | None:
    return int(value) if isinstance(value, int | float) else None


def _ms(value: object) -> float | None:
    return float(value) / 1000 if isinstance(value, int | float) else None


def _ns(value: object) -> float | None:
    return float(value) / _NS if isinstance(value, int | float) else None


def ollama_ps_memory(payload: dict[str, Any], model: str) -> dict[str, int] | None:
    """`size` and `size_vram` (bytes) of `model` in Ollama's `/api/ps` answer, or None if not loaded.

    >>> ps = {"models": [{"name": "qwen:latest", "model": "qwen:latest", "size": 900, "size_vram": 600}]}
    >>> ollama_ps_memory(ps, "qwen")
    {'size': 900, 'size_vram': 600}
    >>> ollama_ps_memory(ps, "llama3") is None
    True
    """
    wanted = {model, f"{model}:latest"}
    for entry in payload.get("models") or []:
        if {entry.get("name"), entry.get("model")} & wanted:
            return {"size": int(entry.get("size") or 0), "size_vram": int(entry.get("size_vram") or 0)}
    return None


def parse_nvidia_smi(text: str) -> list[int]:
    """MiB used per GPU from `nvidia-smi --query-gpu=memory.used --format=csv`.

    >>> parse_nvidia_smi("memory.used [MiB]\\n1234 MiB\\n56 MiB\\n")
    [1234, 56]
    """
    values = []
    for line in text.splitlines():
        head = line.strip().split(" ")[0]
        if head.isdigit():
            values.append(int(head))
    return values


def gpu_memory_mib() -> list[int] | None:
    """GPU memory in use per GPU, or None when there is no nvidia-smi (no GPU on this machine)."""
    binary = shutil.which("nvidia-smi")
    if binary is None:
        return None
    try:
        result = subprocess.run(
            [binary, "--query-gpu=memory.used", "--format=csv"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return parse_nvidia_smi(result.stdout) if result.returncode == 0 else None


class PeakRss:
    """Sample a process's resident memory in a thread; `peak` is the highest seen (bytes)."""

    def __init__(self, pid: int, interval: float = 0.1) -> None:
        import psutil

        self._process = psutil.Process(pid)
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="nuri-lab-rss", daemon=True)
        self.peak = 0

    def _run(self) -> None:
        import psutil

        while not self._stop.is_set():
            with contextlib.suppress(psutil.Error):
                self.peak = max(self.peak, self._process.memory_info().rss)
            self._stop.wait(self._interval)

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
