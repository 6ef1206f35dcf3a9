"""How close is the Ollama backend's prompt-token estimate to a real tokenizer? (It must not be below.)

Ollama has no tokenize endpoint, so `agent.llm.ollama_budget` estimates from characters. This loads the
embedded Qwen2.5 GGUF (151k vocabulary, like Llama 3's 128k in how it splits Hangul) in llama.cpp through
`xllamacpp`, tokenizes the same texts and chat prompts, and prints estimate / real side by side.

It also times reading the GGUF header both ways.

Run: .venv/bin/python benchmarks/ollama_token_estimate.py [--gguf PATH]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import gguf
import httpx

from agent.llm.embedded import ensure_runtime
from agent.llm.modelfile import read_gguf_info
from agent.llm.ollama_budget import LARGE_VOCAB, estimate_chat_tokens, estimate_text_tokens
from config import Settings

KOREAN_NEWS = (
    "서울시는 내년 1월부터 시내버스와 지하철 기본요금을 150원씩 올린다고 23일 밝혔다. 시는 지난 8년 동안 "
    "요금을 동결해 온 탓에 운송 적자가 연간 1조 원을 넘어섰다고 설명했다. 다만 청소년과 어르신 할인은 "
    "그대로 유지하고, 심야 버스 노선은 오히려 늘리기로 했다. 시민단체들은 물가 부담이 큰 시기에 공공요금을 "
    "올리는 것은 신중해야 한다며 단계적 인상을 요구했다."
)
KOREAN_CHAT = "오늘 서울 날씨 어때? 우산 챙겨야 할까? 그리고 퇴근길에 들를 만한 조용한 카페도 하나 추천해 줘."
ENGLISH = (
    "The city government said on Monday that basic bus and subway fares will rise by 150 won next January, "
    "citing operating deficits that have grown every year since the last increase."
)
MIXED = "2026년 3분기 GDP 성장률은 0.6%(전기 대비)로, 반도체 수출(+21.4%)과 AI 서버 투자가 이끌었다."
TOOL = {
    "type": "function",
    "function": {
        "name": "search_news",
        "description": "지식 베이스에서 한국어 뉴스 기사를 검색합니다.",
        "parameters": {
            "type": "object",
            "properties": {"query": {"type": "string", "description": "검색어"}, "k": {"type": "integer"}},
            "required": ["query"],
        },
    },
}


def header_timing(path: Path) -> None:
    """`nuri models modelfile` reads the header: our key-value walker vs gguf.GGUFReader, same file, same run."""
    started = time.perf_counter()
    ours = read_gguf_info(path)
    walker = time.perf_counter() - started
    started = time.perf_counter()
    reader = gguf.GGUFReader(path)
    reference = time.perf_counter() - started
    assert reader.fields["general.architecture"].contents() == ours.architecture
    print("| GGUF header read | seconds |\n|---|---|")
    print(f"| read_gguf_info (skips arrays) | {walker:.2f} |\n| gguf.GGUFReader | {reference:.2f} |")
    print(f"| ratio | {reference / walker:.1f}x |\n")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--gguf", default=None)
    args = parser.parse_args()
    path = args.gguf or str(sorted(Settings().models_dir.glob("*.gguf"))[0])
    # The product's own runtime (free port, readiness wait, clean stop), not a second start-up path.
    runtime = ensure_runtime(Settings(gguf=Path(path), num_ctx=4096))
    base = runtime.base_url

    def real(text: str) -> int:
        return len(runtime.tokenize(text))

    def real_chat(messages: list[dict], tools: list | None = None) -> int:
        body = {"messages": messages, **({"tools": tools} if tools else {})}
        prompt = httpx.post(f"{base}/apply-template", json=body, timeout=30).json()["prompt"]
        return real(prompt)

    rows = []
    for label, text in [
        ("Korean news paragraph", KOREAN_NEWS),
        ("Korean chat question", KOREAN_CHAT),
        ("English paragraph", ENGLISH),
        ("Korean + numbers", MIXED),
        ("tool schema JSON", json.dumps(TOOL, ensure_ascii=False)),
    ]:
        rows.append((label, len(text), estimate_text_tokens(text, LARGE_VOCAB), real(text)))
    system = {"role": "system", "content": "당신은 누리입니다. 한국어로 답하세요."}
    chat = [system, {"role": "user", "content": f"다음 기사를 요약해 줘.\n{KOREAN_NEWS}"}]
    rows.append(("chat prompt (template)", None, estimate_chat_tokens(chat), real_chat(chat)))
    rows.append(("chat prompt + 1 tool", None, estimate_chat_tokens(chat, [TOOL]), real_chat(chat, [TOOL])))
    print(f"model: {path}\n")
    header_timing(Path(path))
    print("| text | characters | estimate | real tokens | estimate / real |")
    print("|---|---|---|---|---|")
    for label, chars, estimate, actual in rows:
        print(f"| {label} | {chars or '-'} | {estimate} | {actual} | {estimate / actual:.2f} |")


if __name__ == "__main__":
    main()
