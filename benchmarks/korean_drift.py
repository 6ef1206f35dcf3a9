"""English drift in Korean answers on the embedded default model, five fixes measured side by side.

Run: .venv/bin/python benchmarks/korean_drift.py [--runs 2] [--limit 24] [--json OUT]

Every question is asked `--runs` times per variant, all variants in one run (grouped by system prompt so
llama.cpp's prompt cache works; see the loop). The model is the product's embedded chat model with the registry's tools
bound, as the agent's first call has them; temperature is Settings' (0.2 unless NURI_TEMPERATURE says else).

  (a) system prompt without the Korean-only closing line
  (b) the current system prompt (agent/prompts.py, closing line last)
  (c) (b) + `agent.language.repair_drift` on the answer (no extra model call)
  (d) (b) + one retry with a stronger instruction naming the English words, when drift is detected
  (e) (b) + llama.cpp `logit_bias` against Latin-letter tokens of the drift table (token ids via /tokenize)

An answer drifts when `agent.language.english_drift` finds a word; answers that are tool calls are counted
apart. Prints a markdown table: drift rate and seconds per answer per variant, then the drifted words.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
import tomllib
from datetime import datetime
from importlib import resources
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage  # noqa: E402

from agent import prompts  # noqa: E402
from agent.language import english_drift, repair_drift  # noqa: E402
from agent.llm.embedded import chat_model_for, ensure_runtime  # noqa: E402
from config import Settings  # noqa: E402
from tools.clock import KST  # noqa: E402
from tools.registry import TOOLS  # noqa: E402

QUESTIONS = [
    "한국의 수도는 어디야?",
    "서울의 인구는 대략 몇 명이야?",
    "부산은 어떤 도시야? 두 문장으로 설명해 줘.",
    "김치는 어떤 음식이야?",
    "비빔밥에는 무엇이 들어가?",
    "세종대왕은 어떤 일을 했어?",
    "임진왜란은 언제 일어났어?",
    "제주도의 유명한 관광지를 알려 줘.",
    "'비가 올 것 같다'는 어떤 날씨를 말하는 거야?",
    "한국의 봄 날씨는 어때?",
    "1킬로미터는 몇 미터야?",
    "섭씨 30도면 더운 날씨야?",
    "일본의 수도는 어디야?",
    "미국의 수도는 어디야?",
    "한강은 어느 도시를 지나?",
    "불고기는 어떻게 만들어?",
    "한국의 전통 명절 두 가지를 알려 줘.",
    "서울에서 출퇴근할 때 지하철과 버스 중 뭐가 더 빨라?",
    "물가가 오르면 생활에 무엇이 달라져?",
    "경제 기사에서 '금리'는 무슨 뜻이야?",
    "뉴스 기사를 짧게 요약하는 좋은 방법은?",
    "한글은 누가 만들었어?",
    "태풍이 오면 어떻게 대비해야 해?",
    "1년은 며칠이고 한 달은 보통 며칠이야?",
]
VARIANTS = ("a", "b", "c", "d", "e")
LABELS = {
    "a": "(a) no Korean-only closing line",
    "b": "(b) current prompt (closing line last)",
    "c": "(c) (b) + repair_drift",
    "d": "(d) (b) + one retry when drift",
    "e": "(e) (b) + logit_bias vs Latin tokens",
}
RETRY = (
    "방금 답에 영어 단어({words})가 섞였습니다. 영어 단어를 하나도 쓰지 말고, 지명과 용어도 모두 "
    "한글로 바꿔서 같은 내용을 한국어로만 다시 답하세요."
)


def latin_token_bias(runtime, bias: float) -> dict[int, float]:
    """Token ids whose piece is only Latin letters, for the drift table's words in common spellings."""
    raw = tomllib.loads(resources.files("agent.data").joinpath("english_korean.toml").read_text("utf-8"))
    words = set(raw["words"]) | set(raw["common"]["words"])
    spellings = [form for w in sorted(words) for form in (w, " " + w, w.capitalize(), " " + w.capitalize())]
    ids: dict[int, float] = {}
    client = httpx.Client(timeout=60)
    for start in range(0, len(spellings), 200):
        chunk = "\n".join(spellings[start : start + 200])
        reply = client.post(f"{runtime.base_url}/tokenize", json={"content": chunk, "with_pieces": True})
        reply.raise_for_status()
        for item in reply.json()["tokens"]:
            piece = item.get("piece", "") if isinstance(item, dict) else ""
            if isinstance(piece, str) and re.fullmatch(r" ?[A-Za-z]{2,}", piece):
                ids[int(item["id"])] = bias
    return ids


def ask(model, messages: list[BaseMessage]) -> tuple[AIMessage, float]:
    started = time.perf_counter()
    reply = model.invoke(messages)
    seconds = time.perf_counter() - started
    print(f"  {seconds:5.1f} s {reply.text[:60]!r}", file=sys.stderr, flush=True)
    return reply, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2, help="times each question is asked per variant")
    parser.add_argument("--limit", type=int, default=len(QUESTIONS), help="first N questions only")
    parser.add_argument("--num-predict", type=int, default=160, help="most tokens per answer")
    parser.add_argument("--bias", type=float, default=-100.0, help="logit bias of variant (e)")
    parser.add_argument("--json", type=Path, help="write every answer here")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds one model request may take")
    parser.add_argument(
        "--threads",
        type=int,
        help="llama.cpp threads (default: all; 1 is faster while other jobs load the CPU)",
    )
    args = parser.parse_args()

    settings = Settings(
        provider="embedded", num_predict=args.num_predict, request_timeout=args.timeout, threads=args.threads
    )
    runtime = ensure_runtime(settings)
    started = time.perf_counter()
    bias = latin_token_bias(runtime, args.bias)
    print(f"logit_bias token list: {len(bias)} ids in {time.perf_counter() - started:.1f} s", flush=True)
    plain = chat_model_for(runtime, settings).bind_tools(TOOLS)
    biased = chat_model_for(runtime, settings, logit_bias=bias).bind_tools(TOOLS)
    full = prompts.system_prompt(datetime.now(KST), tools=True)
    assert full.endswith(prompts._CLOSING), "the closing line moved: update variant (a)"
    without_closing = full[: -len(prompts._CLOSING)]

    records: list[dict] = []
    questions = QUESTIONS[: args.limit]
    for run in range(args.runs):
        # Grouped by system prompt: llama.cpp reuses the cached prompt prefix (system text + tool schemas,
        # ~1,000 tokens) only while it stays the same; alternating (a) and (b) per question re-reads it
        # every call (3-6x slower on 2 shared cores). (b) and (e) share the prefix and alternate.
        batch = [{"run": run, "question": q} for q in questions]
        replies: list[dict[str, tuple[AIMessage, float]]] = [{} for _ in questions]
        for i, question in enumerate(questions):
            replies[i]["a"] = ask(plain, [SystemMessage(without_closing), HumanMessage(question)])
        for i, question in enumerate(questions):
            replies[i]["b"] = ask(plain, [SystemMessage(full), HumanMessage(question)])
            replies[i]["e"] = ask(biased, [SystemMessage(full), HumanMessage(question)])
        for i, question in enumerate(questions):
            answers = replies[i]
            b, b_seconds = answers["b"]
            fixed_start = time.perf_counter()
            answers["c"] = (AIMessage(repair_drift(b.text)), b_seconds + time.perf_counter() - fixed_start)
            words = english_drift(b.text)
            if words and not b.tool_calls:
                conversation = [SystemMessage(full), HumanMessage(question), AIMessage(b.text)]
                retry, seconds = ask(
                    plain, [*conversation, HumanMessage(RETRY.format(words=", ".join(words)))]
                )
                answers["d"] = (retry, b_seconds + seconds)
            else:
                answers["d"] = answers["b"]
            record = batch[i]
            for variant in VARIANTS:
                reply, seconds = answers[variant]
                record[variant] = {
                    "answer": reply.text,
                    "tool_calls": [c["name"] for c in reply.tool_calls],
                    "drift": english_drift(reply.text),
                    "seconds": round(seconds, 2),
                }
            records.append(record)
            marks = " ".join(f"{v}:{len(record[v]['drift'])}" for v in VARIANTS)
            print(f"run {run + 1} q{i + 1:02d} {marks}  b={b.text[:50]!r}", flush=True)

    print(f"\n{len(questions)} questions x {args.runs} runs, temperature {settings.temperature}\n")
    print("| variant | answers | tool calls | drifted | drift rate | s/answer |")
    print("|---|---:|---:|---:|---:|---:|")
    for variant in VARIANTS:
        rows = [r[variant] for r in records]
        answered = [r for r in rows if not r["tool_calls"]]
        drifted = [r for r in answered if r["drift"]]
        rate = 100 * len(drifted) / max(1, len(answered))
        seconds = statistics.mean(r["seconds"] for r in rows)
        print(
            f"| {LABELS[variant]} | {len(answered)} | {len(rows) - len(answered)} | {len(drifted)} "
            f"| {rate:.1f}% | {seconds:.2f} |"
        )
    print()
    for variant in VARIANTS:
        words = [w for r in records for w in r[variant]["drift"]]
        print(f"{variant}: drifted words {sorted(set(words))[:40]}")
    if args.json:
        args.json.write_text(json.dumps(records, ensure_ascii=False, indent=1), encoding="utf-8")
        print(f"answers written to {args.json}")


if __name__ == "__main__":
    main()
