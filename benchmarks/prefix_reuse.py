"""Prompt-prefix reuse across a thread: time to first token of turn 10 vs turn 2 on the embedded model.

Run: .venv/bin/python benchmarks/prefix_reuse.py [--turns 10] [--tokens 48]

One thread of short Korean questions goes through the real agent path (`Conversation`: preset system
prompt, tools bound, history newest last). The prompt grows every turn; because its prefix is stable,
llama.cpp re-reads only the new part. The same thread is then run with the cache defeated
(`cache_prompt: false` on every request) for comparison. Both runs use one server and one process; they
run one after the other (llama.cpp keeps one cached prompt per slot, so interleaving would evict it).
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from agent.conversation import Conversation  # noqa: E402
from agent.events import Done  # noqa: E402
from agent.llm.embedded import chat_model_for, ensure_runtime  # noqa: E402
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


def run_thread(handle: ChatHandle, settings: Settings, turns: int) -> list[tuple[float, int]]:
    """(first-token seconds, prompt tokens) per turn of one new thread."""
    conversation = Conversation(handle, settings)
    out = []
    for question in QUESTIONS[:turns]:
        done = [e for e in conversation.ask(question) if isinstance(e, Done)][-1]
        out.append((done.first_token or done.elapsed, int(done.budget.get("prompt") or 0)))
        print(
            f"  turn {len(out):2d}: first token {out[-1][0]:.2f} s, prompt {out[-1][1]:,} tokens", flush=True
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=10)
    parser.add_argument("--tokens", type=int, default=48, help="max tokens per answer")
    args = parser.parse_args()
    settings = Settings(provider="embedded", num_predict=args.tokens, temperature=0.0)
    runtime = ensure_runtime(settings)

    def handle(**overrides) -> ChatHandle:
        return ChatHandle(
            model=chat_model_for(runtime, settings, **overrides),
            backend="embedded",
            model_name=runtime.model.label,
            context_length=runtime.n_ctx,
            count_tokens=lambda text: len(runtime.tokenize(text)),
            token_count_exact=True,
        )

    print("cache on (the product's default):")
    cached = run_thread(handle(), settings, args.turns)
    print("cache defeated (cache_prompt: false):")
    defeated = run_thread(
        handle(extra_body={"top_k": settings.top_k, "cache_prompt": False}), settings, args.turns
    )
    last = args.turns - 1
    print()
    print(
        "| run | turn 2 first token | turn 10 first token | ratio turn 10 / turn 2 | prompt tokens turn 2 -> 10 |"
    )
    print("|---|---|---|---|---|")
    for name, rows in (("prefix cache on", cached), ("cache defeated", defeated)):
        print(
            f"| {name} | {rows[1][0]:.2f} s | {rows[last][0]:.2f} s | **{rows[last][0] / rows[1][0]:.2f}x** | "
            f"{rows[1][1]:,} -> {rows[last][1]:,} |"
        )
    print(f"\nturn {args.turns}: cache defeated / cache on = {defeated[last][0] / cached[last][0]:.2f}x")
    print(
        f"median first token over turns 2..{args.turns}: on {statistics.median(r[0] for r in cached[1:]):.2f} s, "
        f"defeated {statistics.median(r[0] for r in defeated[1:]):.2f} s"
    )


if __name__ == "__main__":
    main()
