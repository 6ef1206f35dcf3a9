"""Context budget figures: a huge history, a huge paste and a huge retrieval in a 2,048-token window.

Run: .venv/bin/python benchmarks/context_budget.py

Each case runs the real agent path (Conversation -> ChatOpenAI -> a fake llama.cpp server on 127.0.0.1 that
counts prompt tokens like the real one and refuses any request over n_ctx; the same server the tests use)
and prints the last model call's budget per part, the largest request any call made, and what was folded
or trimmed. No model weights are needed: the point is the accounting, not the answers.
"""

import json
import pathlib
import sys
import tempfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from langchain_core.messages import AIMessage, HumanMessage

from agent.conversation import Conversation
from config import Settings
from tests.agent.test_context_window import SENTENCE, ScriptedLlamaCpp, big_search, handle_for
from tools.registry import make_tool

tmp = pathlib.Path(tempfile.mkdtemp())
s = Settings(home=tmp / "h", num_ctx=2048, num_predict=512)
rows = []
history = []
for n in range(40):
    history += [
        HumanMessage(f"{n}번째 질문입니다. " + SENTENCE * 3),
        AIMessage(f"{n}번째 답입니다. " + SENTENCE * 3),
    ]


def run(name, conv, q, server):
    done = list(conv.ask(q))[-1]
    b = done.budget
    worst = max(c.prompt_tokens + c.max_tokens for c in server.chats)
    rows.append(
        (
            name,
            len(server.chats),
            worst,
            b["system"],
            b["summary"],
            b["history"],
            b["tools"],
            b["question"],
            b["reserve"],
            b["prompt"],
            b["folded_turns"],
            b["history_turns"],
            "; ".join(b["trimmed"]),
        )
    )


with ScriptedLlamaCpp(n_ctx=2048) as server:
    run(
        "history: 40 past turns (~8,000 tokens)",
        Conversation(handle_for(server), s, tools=[], history=history),
        "지금까지 무슨 이야기를 했지?",
        server,
    )
paste = "다음 글을 읽고 핵심을 알려 줘.\n" + SENTENCE * 400
with ScriptedLlamaCpp(n_ctx=2048) as server:
    run(f"paste: {len(paste):,} characters", Conversation(handle_for(server), s, tools=[]), paste, server)
call = json.dumps({"name": "big_search", "arguments": {"query": "지하철 요금"}})
with ScriptedLlamaCpp(call, n_ctx=2048) as server:
    run(
        "retrieval: 8 passages (~6,000 tokens)",
        Conversation(handle_for(server), s, tools=[make_tool(big_search)]),
        "저장한 기사에서 지하철 요금 찾아 줘",
        server,
    )
print(
    "| case | requests | largest request (prompt + max_tokens) / 2,048 | system | summary | history | tools | question | answer reserve | prompt | folded turns | turns sent whole | notes |"
)
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
for r in rows:
    print("| " + " | ".join(f"{x:,}" if isinstance(x, int) else str(x) for x in r) + " |")
