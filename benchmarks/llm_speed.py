"""LLM path speed: our model path (repair wrapper -> ChatOpenAI -> xllamacpp) vs raw HTTP to the same server.

Run: .venv/bin/python benchmarks/llm_speed.py [--rounds 5] [--tokens 128]

Both sides use the same server, prompt and sampling (temperature 0, same max tokens), interleaved round
by round so that load from other processes hits both alike. Prints markdown tables: decode tokens/s and
time to first token (TTFT) per path with ratios and differences, then the agent path (if `agent.runner`
exists) and cold vs warm start.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from langchain_core.tools import tool  # noqa: E402
from langchain_core.utils.function_calling import convert_to_openai_tool  # noqa: E402

from agent.llm.embedded import chat_model_for, ensure_runtime  # noqa: E402
from agent.llm.handle import ChatHandle  # noqa: E402
from config import Settings  # noqa: E402

_RAW_CLIENT = httpx.Client(timeout=300)
PROMPT = "서울의 대중교통에 대해 다섯 문장으로 설명해 주세요."


@tool
def calculator(expression: str) -> str:
    """Evaluate an arithmetic expression such as '2 * 3'."""
    return expression


def raw_stream(base_url: str, max_tokens: int, tools: list | None = None) -> tuple[float, float, int, float]:
    """(ttft s, total s, completion tokens) for a direct streamed request."""
    body: dict = {
        "messages": [{"role": "user", "content": PROMPT}],
        "max_tokens": max_tokens,
        "temperature": 0,
        "top_p": 0.9,
        "top_k": 40,
        "stream": True,
        "stream_options": {"include_usage": True},
    }
    if tools:
        body["tools"] = tools
    start, cpu = time.perf_counter(), time.process_time()
    first, tokens = None, 0
    # A pooled client, as ChatOpenAI has: a fresh connection per request costs the raw side ~100 ms.
    with _RAW_CLIENT.stream("POST", f"{base_url}/v1/chat/completions", json=body) as response:
        for line in response.iter_lines():
            if not line.startswith("data: ") or line == "data: [DONE]":
                continue
            data = json.loads(line[6:])
            for choice in data.get("choices", []):
                if first is None and (choice.get("delta") or {}).get("content"):
                    first = time.perf_counter() - start
            if data.get("usage"):
                tokens = data["usage"]["completion_tokens"]
    return first or 0.0, time.perf_counter() - start, tokens, time.process_time() - cpu


def our_stream(model, max_tokens: int) -> tuple[float, float, int, float]:
    start, cpu = time.perf_counter(), time.process_time()
    first, tokens = None, 0
    for chunk in model.stream(PROMPT):
        if first is None and chunk.content:
            first = time.perf_counter() - start
        if chunk.usage_metadata:
            tokens = chunk.usage_metadata["output_tokens"]
    return first or 0.0, time.perf_counter() - start, tokens, time.process_time() - cpu


def rate(sample: tuple) -> float:
    ttft, total, tokens = sample[:3]
    return (tokens - 1) / (total - ttft) if total > ttft and tokens > 1 else 0.0


def agent_turn(handle, settings) -> tuple[float, float, int] | None:
    try:
        from agent.events import Done, Token
        from agent.runner import stream_turn
    except ImportError:
        return None
    start = time.perf_counter()
    first, pieces = None, 0
    for event in stream_turn(handle, [], PROMPT, settings):
        if isinstance(event, Token) and first is None:
            first = time.perf_counter() - start
        if isinstance(event, Token):
            pieces += 1
        if isinstance(event, Done):
            break
    return first or 0.0, time.perf_counter() - start, pieces


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--tokens", type=int, default=128)
    parser.add_argument("--skip-ask", action="store_true", help="skip the `nuri ask` subprocess timing")
    args = parser.parse_args()

    settings = Settings(provider="embedded", num_ctx=4096, num_predict=args.tokens, temperature=0.0)
    t0 = time.perf_counter()
    runtime = ensure_runtime(settings)
    cold_open = time.perf_counter() - t0
    t0 = time.perf_counter()
    ensure_runtime(settings)
    warm_open = time.perf_counter() - t0
    plain = chat_model_for(runtime, settings)
    with_tools = plain.bind_tools([calculator])  # hold-back active; the prompt is prose, so it streams

    raw_stream(runtime.base_url, args.tokens)  # warm-up: fills the prompt cache for both sides
    our_stream(plain, args.tokens)
    samples: dict[str, list[tuple[float, float, int]]] = {"raw": [], "ours": []}
    for _ in range(args.rounds):
        samples["raw"].append(raw_stream(runtime.base_url, args.tokens))
        samples["ours"].append(our_stream(plain, args.tokens))

    def med(name: str, pick) -> float:
        return statistics.median(pick(s) for s in samples[name])

    raw_rate, our_rate = med("raw", rate), med("ours", rate)
    raw_ttft, our_ttft = med("raw", lambda s: s[0]), med("ours", lambda s: s[0])
    print(
        f"Model: {runtime.model.label}, {runtime.threads} threads, {args.rounds} interleaved rounds, "
        f"{args.tokens} max tokens, medians\n"
    )
    print("| path | decode tokens/s | TTFT ms |")
    print("|---|---|---|")
    print(f"| raw xllamacpp HTTP | {raw_rate:.1f} | {raw_ttft * 1000:.0f} |")
    print(
        f"| ChatHandle model (repair -> ChatOpenAI -> xllamacpp) | {our_rate:.1f} | {our_ttft * 1000:.0f} |"
    )
    print(
        f"| **ratio / difference** | **{our_rate / raw_rate:.3f}** | **{(our_ttft - raw_ttft) * 1000:+.0f} ms** |"
    )

    # Tools bound: the hold-back guard is in the path. Interleaved against raw again.
    tool_samples, raw2 = [], []
    for _ in range(args.rounds):
        raw2.append(raw_stream(runtime.base_url, args.tokens, tools=[convert_to_openai_tool(calculator)]))
        tool_samples.append(our_stream(with_tools, args.tokens))
    t_ttft = statistics.median(s[0] for s in tool_samples)
    r_ttft = statistics.median(s[0] for s in raw2)
    print("\n| same prompt + the same tool schema sent raw | ours | raw | ours - raw |")
    print("|---|---|---|---|")
    print(
        f"| TTFT ms (hold-back guard on) | {t_ttft * 1000:.0f} | {r_ttft * 1000:.0f} | {(t_ttft - r_ttft) * 1000:+.0f} ms |"
    )
    t_rate = statistics.median(rate(s) for s in tool_samples)
    r_rate = statistics.median(rate(s) for s in raw2)
    print(f"| decode tokens/s | {t_rate:.1f} | {r_rate:.1f} | ratio {t_rate / r_rate:.3f} |")

    handle = ChatHandle(plain, "embedded", runtime.model.label, runtime.n_ctx)
    agent_samples = [agent_turn(handle, settings) for _ in range(max(2, args.rounds // 2))]
    if agent_samples[0] is not None:
        a_ttft = statistics.median(s[0] for s in agent_samples)
        a_total = statistics.median(s[1] for s in agent_samples)
        print("\n| agent path (`agent.runner.stream_turn`, system prompt + tools) | TTFT ms | total s |")
        print("|---|---|---|")
        print(f"| agent | {a_ttft * 1000:.0f} | {a_total:.2f} |")

    print("\n| start | seconds |")
    print("|---|---|")
    print(f"| runtime cold open (load GGUF, start server) | {cold_open:.2f} |")
    print(f"| runtime warm open (same process) | {warm_open:.4f} |")
    if not args.skip_ask:
        nuri = Path(sys.executable).with_name("nuri")
        for label in ("cold", "warm"):
            t0 = time.perf_counter()
            subprocess.run([str(nuri), "ask", "안녕하세요?"], capture_output=True, check=False, timeout=600)
            print(f"| `nuri ask` process, {label} page cache | {time.perf_counter() - t0:.2f} |")


if __name__ == "__main__":
    main()
