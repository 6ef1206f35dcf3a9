"""Through the whole stack: `auto` picks Ollama, and the agent runs a tool call and streams the answer."""

from __future__ import annotations

from agent.events import Done, Token, ToolCall, ToolResult
from agent.llm.factory import open_chat_model
from agent.runner import stream_turn
from config import Settings
from tests.ollama.fake_ollama import text_reply, tool_call_reply


def test_auto_picks_ollama_and_the_agent_uses_a_tool(fake_ollama):
    settings = Settings(ollama_host=fake_ollama.url, model="nuri-llama3-ko", num_ctx=4096)
    handle = open_chat_model(settings)
    assert handle.backend == "ollama" and handle.badge() == "ollama · nuri-llama3-ko · ctx 4,096"
    fake_ollama.reply(tool_call_reply("current_time", {}))
    fake_ollama.reply(text_reply("지금은 ", "오후 여섯 시입니다."))
    # Not a time-of-day question the router forces: the model picks the tool and then answers in words.
    events = list(stream_turn(handle, [], "서울 시각 좀 알려 줄래?", settings))
    calls = [e for e in events if isinstance(e, ToolCall)]
    results = [e for e in events if isinstance(e, ToolResult)]
    assert [c.name for c in calls] == ["current_time"] and len(results) == 1 and not results[0].is_error
    assert "".join(e.text for e in events if isinstance(e, Token)) == "지금은 오후 여섯 시입니다."
    done = events[-1]
    assert isinstance(done, Done) and done.backend == "ollama"
    first, second = fake_ollama.sent("/api/chat")
    assert "current_time" in [t["function"]["name"] for t in first.json["tools"]]
    assert "current_time" in [t["function"]["name"] for t in second.json["tools"]]
    # The second request carries the tool call and its result back, as Ollama's chat API expects them.
    roles = [m["role"] for m in second.json["messages"]]
    assert roles[-2:] == ["assistant", "tool"]
    assert second.json["messages"][-2]["tool_calls"][0]["function"]["name"] == "current_time"
    assert second.json["messages"][-1]["content"] == results[0].content
    assert all(r.json["options"]["num_ctx"] == 4096 for r in (first, second))
