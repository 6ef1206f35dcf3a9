"""Prompt-prefix reuse across a thread: time to first token of turn 10 vs turn 2 on the embedded model.

Run: .venv/bin/python benchmarks/prefix_reuse.py [--turns 10] [--tokens 48]

One thread of short Korean questions goes through the real agent path (`Conversation`: preset system
prompt, tools bound, history newest last). The prompt grows every turn; because its prefix is stable,
llama.cpp re-reads only the new part. The same thread is then run with the cache defeated
(`cache_prompt: false` on every request) for comparison. Both runs use one server and one process; they
run one after the other (llama.cpp keeps one cached prompt per slot, so interleaving would evict it).

Requests pass through a recording proxy on 127.0.0.1, which keeps llama.cpp's own `timings` of each answer:
tokens read (`prompt_n`), tokens reused from the cache (`cache_n`) and the milliseconds spent reading. So the
table says both how long the first token took and why: what the server re-read at that turn. The cached
thread runs `--repeats` times (a new thread each time) and each turn's median is reported. A control thread,
also `--repeats` times, asks turn 2's question again at the last turn: the same new text at both turns.
"""

from __future__ import annotations

import argparse
import http.server
import json
import statistics
import sys
import threading
from dataclasses import replace
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from agent.conversation import Conversation  # noqa: E402
from agent.events import Done  # noqa: E402
from agent.llm.embedded import chat_model_for, ensure_runtime, open_embedded  # noqa: E402
from agent.llm.handle import ChatHandle  # noqa: E402
from config import Settings  # noqa: E402

QUESTIONS = [
    "한국의 수도는 어디야?",
    "그 도시의 대표적인 강 이름은?",
    "그 강에는 다리가 몇 개쯤 있어?",
    "서울에서 유명한 궁궐 하나만 알려 줘.",
    "그 궁궐은 언제 지어졌어?",
    "한국의 전통 음식 하나 추천해 줘.",
    "그 음식의 주재료는 뭐야?",
    "김치는 어떻게 보관해?",
    "한국의 겨울 평균 기온은 어느 정도야?",
    "지금까지 이야기한 도시 이름을 다시 말해 줘.",
    "고마워, 마지막으로 인사해 줘.",
    "한국어로 '감사합니다'는 영어로 뭐야?",
]


class RecordingProxy:
    """Forwards the chat model's requests to the embedded server and keeps each answer's `timings`."""

    def __init__(self, target: str) -> None:
        self.timings: list[dict] = []
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                body = self.rfile.read(int(self.headers["Content-Length"]))
                headers = {"Content-Type": "application/json"}
                with httpx.stream(
                    "POST", target + self.path, content=body, headers=headers, timeout=600
                ) as r:
                    self.send_response(r.status_code)
                    self.send_header("Content-Type", r.headers.get("content-type", "application/json"))
                    self.end_headers()
                    tail = ""
                    for chunk in r.iter_raw():
                        self.wfile.write(chunk)
                        self.wfile.flush()
                        tail = (tail + chunk.decode("utf-8", "ignore"))[-8000:]
                for line in reversed(tail.splitlines()):
                    if '"timings"' in line:
                        proxy.timings.append(json.loads(line.removeprefix("data: "))["timings"])
                        break

            def log_message(self, *args) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"


def run_thread(
    handle: ChatHandle, settings: Settings, questions: list[str], proxy: RecordingProxy
) -> list[dict]:
    """Per turn of one new thread: first-token seconds, counted prompt tokens, the server's timings."""
    conversation = Conversation(handle, settings)
    out = []
    for question in questions:
        seen = len(proxy.timings)
        done = [e for e in conversation.ask(question) if isinstance(e, Done)][-1]
        timings = proxy.timings[seen] if len(proxy.timings) > seen else {}
        row = {
            "first": done.first_token or done.elapsed,
            "prompt": int(done.budget.get("prompt") or 0),
            "read": int(timings.get("prompt_n") or 0),
            "reused": int(timings.get("cache_n") or 0),
            "read_ms": float(timings.get("prompt_ms") or 0.0),
        }
        out.append(row)
        print(
            f"  turn {len(out):2d}: first token {row['first']:.2f} s, prompt {row['prompt']:,} tokens; "
            f"server read {row['read']:,}, reused {row['reused']:,} ({row['read_ms']:.0f} ms)",
            flush=True,
        )
    return out


def median_turns(threads: list[list[dict]]) -> list[dict]:
    """Each turn's median over the repeated threads, field by field."""
    return [
        {key: statistics.median(thread[turn][key] for thread in threads) for key in threads[0][turn]}
        for turn in range(len(threads[0]))
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=10)
    parser.add_argument("--tokens", type=int, default=48, help="max tokens per answer")
    parser.add_argument("--repeats", type=int, default=3, help="cached threads to take each turn's median of")
    args = parser.parse_args()
    settings = Settings(provider="embedded", num_predict=args.tokens, temperature=0.0)
    product = open_embedded(settings)  # the handle users get: its token counter included
    runtime = ensure_runtime(settings)
    proxy = RecordingProxy(runtime.base_url)

    def handle(**overrides) -> ChatHandle:
        return replace(product, model=chat_model_for(runtime, settings, base_url=proxy.url, **overrides))

    questions = QUESTIONS[: args.turns]
    # The control: the last turn asks turn 2's question again, so both read the same new text and the
    # ratio shows only what a longer thread costs (the cached prefix's attention), not a longer question.
    control = [*questions[:-1], questions[1]]
    threads, controls = [], []
    for repeat in range(args.repeats):
        print(f"cache on (the product's default), thread {repeat + 1}/{args.repeats}:")
        threads.append(run_thread(handle(), settings, questions, proxy))
    for repeat in range(args.repeats):
        print(f"cache on, last turn asks turn 2's question again, thread {repeat + 1}/{args.repeats}:")
        controls.append(run_thread(handle(), settings, control, proxy))
    cached, same = median_turns(threads), median_turns(controls)
    print("cache defeated (cache_prompt: false):")
    defeated = run_thread(
        handle(extra_body={"top_k": settings.top_k, "cache_prompt": False}), settings, questions, proxy
    )
    last = args.turns - 1
    print()
    print(
        "| run | turn 2 first token | turn 10 first token | ratio turn 10 / turn 2 | prompt tokens turn 2 -> 10 "
        "| server read turn 2 -> 10 | ms per read token turn 2 -> 10 |"
    )
    print("|---|---|---|---|---|---|---|")
    runs = (
        (f"prefix cache on (median of {args.repeats})", cached),
        (f"cache on, turn {args.turns} asks turn 2's question (median of {args.repeats})", same),
        ("cache defeated", defeated),
    )
    for name, rows in runs:
        two, ten = rows[1], rows[last]
        per_token = [r["read_ms"] / r["read"] if r["read"] else float("nan") for r in (two, ten)]
        print(
            f"| {name} | {two['first']:.2f} s | {ten['first']:.2f} s | **{ten['first'] / two['first']:.2f}x** | "
            f"{two['prompt']:,.0f} -> {ten['prompt']:,.0f} | {two['read']:,.0f} -> {ten['read']:,.0f} | "
            f"{per_token[0]:.1f} -> {per_token[1]:.1f} |"
        )
    print(
        f"\nturn {args.turns}: cache defeated / cache on = {defeated[last]['first'] / cached[last]['first']:.2f}x"
    )
    print(
        f"median first token over turns 2..{args.turns}: on {statistics.median(r['first'] for r in cached[1:]):.2f} s, "
        f"defeated {statistics.median(r['first'] for r in defeated[1:]):.2f} s"
    )


if __name__ == "__main__":
    main()
