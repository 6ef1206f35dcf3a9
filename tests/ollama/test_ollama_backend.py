"""The Ollama backend against the fake server: probe, exact JSON sent, streaming, tool calls, errors, guard."""

from __future__ import annotations

import asyncio
import logging

import pytest
from langchain_core.messages import AIMessageChunk, HumanMessage, SystemMessage
from langchain_core.tools import tool

from agent.llm.ollama import open_ollama, probe_ollama
from config import NuriError, Settings
from tests.ollama.fake_ollama import FakeOllama, text_reply, tool_call_reply


@tool
def current_time(timezone: str) -> str:
    """Current date and time in the given IANA timezone."""
    return "2026-11-23 18:00"


def test_probe_reports_model_context_and_template(settings, fake_ollama):
    probe = probe_ollama(settings)
    assert (probe.reachable, probe.has_model, probe.error) == (True, True, None)
    assert probe.context_length == 8192
    assert "<|start_header_id|>" in probe.template
    assert [r.path for r in fake_ollama.requests] == ["/api/tags", "/api/show"]
    assert fake_ollama.requests[1].json == {"model": "nuri-llama3-ko"}


def test_probe_missing_model_names_both_fixes(settings):
    probe = probe_ollama(settings.model_copy(update={"model": "exaone3.5:7.8b"}))
    assert (probe.reachable, probe.has_model) == (True, False)
    assert "`ollama pull exaone3.5:7.8b`" in probe.error
    assert "`nuri models create exaone3.5:7.8b --gguf" in probe.error


def test_probe_server_down(closed_port):
    probe = probe_ollama(Settings(ollama_host=f"127.0.0.1:{closed_port}"))
    assert (probe.reachable, probe.has_model) == (False, False)
    assert "`ollama serve`" in probe.error and "\n" not in probe.error


def test_probe_http_500(settings, fake_ollama):
    fake_ollama.fail("/api/tags", 500, "llama runner process has terminated")
    probe = probe_ollama(settings)
    assert not probe.has_model
    assert "HTTP 500" in probe.error and "llama runner process has terminated" in probe.error


def test_open_sends_exact_options_and_streams(settings, fake_ollama):
    settings = settings.model_copy(update={"gpu_layers": 33, "keep_alive": "10m", "temperature": 0.1})
    handle = open_ollama(settings)
    assert (handle.backend, handle.model_name, handle.context_length) == ("ollama", "nuri-llama3-ko", 4096)
    fake_ollama.reply(text_reply("서울의 ", "지하철 요금은 ", "1,550원입니다."))
    chunks = list(handle.model.stream([SystemMessage("짧게 답하세요."), HumanMessage("지하철 요금은?")]))
    assert "".join(c.content for c in chunks) == "서울의 지하철 요금은 1,550원입니다."
    assert len([c for c in chunks if c.content]) == 3
    (sent,) = fake_ollama.sent("/api/chat")
    body = sent.json
    assert body["model"] == "nuri-llama3-ko" and body["stream"] is True
    assert body["keep_alive"] == "10m"
    assert body["options"] == {
        "num_ctx": 4096,
        "num_gpu": 33,
        "num_predict": 1024,
        "temperature": 0.1,
        "top_k": 40,
        "top_p": 0.9,
    }
    assert body["messages"] == [
        {"role": "system", "content": "짧게 답하세요."},
        {"role": "user", "content": "지하철 요금은?"},
    ]
    merged = sum(chunks[1:], chunks[0])
    assert merged.usage_metadata["input_tokens"] == 26


def test_num_ctx_is_capped_at_the_trained_context(fake_ollama):
    fake_ollama.add_model("small-ctx", context_length=2048)
    handle = open_ollama(
        Settings(ollama_host=fake_ollama.url, model="small-ctx", num_ctx=8192, num_predict=256)
    )
    assert handle.context_length == 2048
    assert any("2,048" in note for note in handle.notes)
    fake_ollama.reply(text_reply("네."))
    handle.model.invoke("안녕?")
    assert fake_ollama.sent("/api/chat")[0].json["options"]["num_ctx"] == 2048


def test_tool_call_end_to_end(settings, fake_ollama):
    model = open_ollama(settings).model.bind_tools([current_time])
    fake_ollama.reply(tool_call_reply("current_time", {"timezone": "Asia/Seoul"}))
    message = model.invoke("지금 서울은 몇 시야?")
    assert message.tool_calls == [
        {
            "name": "current_time",
            "args": {"timezone": "Asia/Seoul"},
            "id": message.tool_calls[0]["id"],
            "type": "tool_call",
        }
    ]
    tools = fake_ollama.sent("/api/chat")[0].json["tools"]
    assert tools[0]["type"] == "function"
    assert tools[0]["function"]["name"] == "current_time"
    assert tools[0]["function"]["parameters"]["properties"]["timezone"]["type"] == "string"
    assert tools[0]["function"]["parameters"]["required"] == ["timezone"]


def test_tool_call_streamed(settings, fake_ollama):
    model = open_ollama(settings).model.bind_tools([current_time])
    fake_ollama.reply(tool_call_reply("current_time", {"timezone": "Asia/Seoul"}))
    merged = None
    for chunk in model.stream("지금 몇 시야?"):
        merged = chunk if merged is None else merged + chunk
    assert isinstance(merged, AIMessageChunk)
    assert [(c["name"], c["args"]) for c in merged.tool_calls] == [
        ("current_time", {"timezone": "Asia/Seoul"})
    ]


def test_async_stream(settings, fake_ollama):
    model = open_ollama(settings).model
    fake_ollama.reply(text_reply("비동기 ", "답변"))

    async def collect():
        return [c.content async for c in model.astream("안녕?")]

    assert "".join(asyncio.run(collect())) == "비동기 답변"


def test_over_long_prompt_is_refused_before_sending(settings, fake_ollama):
    model = open_ollama(settings).model  # num_ctx 4096, num_predict 1024
    article = "서울시는 내년부터 지하철 기본요금을 인상한다고 밝혔다. " * 250  # ~7,500 characters
    with pytest.raises(NuriError) as caught:
        list(model.stream([HumanMessage(f"다음 기사를 요약해 줘:\n{article}")]))
    message = str(caught.value)
    assert "num_ctx 4,096" in message and "NURI_NUM_CTX" in message
    with pytest.raises(NuriError):
        model.invoke(article)
    with pytest.raises(NuriError):
        asyncio.run(model.ainvoke(article))
    assert fake_ollama.sent("/api/chat") == []  # nothing reached the server


def test_tools_count_towards_the_budget(settings, fake_ollama):
    model = open_ollama(settings).model
    text = "가" * 2600  # fits alone (~3,000 tokens + 1,024), not with a schema and its instructions on top
    assert model.prompt_budget([HumanMessage(text)]) < 4096 - 1024
    bound = model.bind_tools([current_time])
    fake_ollama.reply(text_reply("ok"))
    model.invoke(text[:2000])
    with pytest.raises(NuriError):
        bound.invoke(text)
    assert len(fake_ollama.sent("/api/chat")) == 1


def test_truncation_by_ollama_is_logged(settings, fake_ollama, caplog):
    model = open_ollama(settings).model
    fake_ollama.reply(text_reply("요약", prompt_eval_count=40))  # far below what was sent
    with caplog.at_level(logging.WARNING, logger="agent.llm.ollama_chat"):
        model.invoke("회의록입니다. " * 300)
    assert any("truncated" in r.getMessage() for r in caplog.records)
    caplog.clear()
    fake_ollama.reply(text_reply("네", prompt_eval_count=30))
    with caplog.at_level(logging.WARNING, logger="agent.llm.ollama_chat"):
        model.invoke("안녕?")
    assert not caplog.records
    fake_ollama.reply(text_reply("네", prompt_eval_count=900))  # more than we estimated: rates too low
    with caplog.at_level(logging.WARNING, logger="agent.llm.ollama_chat"):
        model.invoke("안녕?")
    assert any("estimate" in r.getMessage() and "below" in r.getMessage() for r in caplog.records)


def test_errors_during_chat_are_korean(settings, fake_ollama):
    model = open_ollama(settings).model
    fake_ollama.fail("/api/chat", 500, "model requires more system memory (9.1 GiB) than is available")
    with pytest.raises(NuriError, match="HTTP 500.*more system memory"):
        model.invoke("안녕?")
    with pytest.raises(NuriError, match="HTTP 500"):
        list(model.stream("안녕?"))
    fake_ollama.failures.clear()
    del fake_ollama.models["nuri-llama3-ko:latest"]  # removed after we opened it
    with pytest.raises(NuriError, match="`ollama pull nuri-llama3-ko`"):
        model.invoke("안녕?")


def test_template_without_tools(settings, fake_ollama):
    fake_ollama.add_model("plain", capabilities=["completion"])
    handle = open_ollama(settings.model_copy(update={"model": "plain"}))
    assert any("도구 호출을 지원하지 않습니다" in note for note in handle.notes)
    with pytest.raises(NuriError, match="도구 호출을 지원하지 않습니다.*nuri models create plain"):
        handle.model.bind_tools([current_time]).invoke("몇 시야?")


def test_server_gone_after_open():
    with FakeOllama() as server:
        server.add_model("nuri-llama3-ko")
        handle = open_ollama(Settings(ollama_host=server.url, model="nuri-llama3-ko", num_ctx=4096))
    with pytest.raises(NuriError, match="`ollama serve`"):
        handle.model.invoke("안녕?")
    with pytest.raises(NuriError, match="`ollama serve`"):
        list(handle.model.stream("안녕?"))


def test_open_refuses_without_server_or_model(closed_port, fake_ollama):
    with pytest.raises(NuriError, match="`ollama serve`"):
        open_ollama(Settings(ollama_host=f"http://127.0.0.1:{closed_port}"))
    with pytest.raises(NuriError, match="`ollama pull gemma3:4b`"):
        open_ollama(Settings(ollama_host=fake_ollama.url, model="gemma3:4b"))


def test_probe_timeout_on_a_silent_server():
    """A port that accepts connections but never answers (a hung server) must not hang the probe."""
    import socket

    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        port = silent.getsockname()[1]
        probe = probe_ollama(Settings(ollama_host=f"127.0.0.1:{port}"), timeout=0.2)
    assert (probe.reachable, probe.has_model) == (False, False)
    assert "0.2초" in probe.error
