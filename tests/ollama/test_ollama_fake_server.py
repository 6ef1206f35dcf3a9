"""The fake server answers as Ollama does: the official `ollama` client works against it unchanged."""

from __future__ import annotations

import hashlib

import httpx
import ollama
import pytest

from tests.ollama.fake_ollama import FakeOllama, text_reply, tool_call_reply
from tests.ollama.gguf_factory import family_gguf


@pytest.fixture
def client(fake_ollama) -> ollama.Client:
    return ollama.Client(host=fake_ollama.url)


def test_version_and_root(fake_ollama):
    assert httpx.get(f"{fake_ollama.url}/api/version").json() == {"version": "0.12.6"}
    assert httpx.get(fake_ollama.url).text == "Ollama is running"


def test_list_and_show(client):
    (model,) = client.list().models
    assert model.model == "nuri-llama3-ko:latest"
    assert model.details.quantization_level == "Q4_K_M"
    shown = client.show("nuri-llama3-ko")
    assert shown.modelinfo["llama.context_length"] == 8192
    assert "tools" in shown.capabilities and ".Tools" in shown.template


def test_chat_stream_and_non_stream(client, fake_ollama):
    fake_ollama.reply(text_reply("안녕", "하세요"))
    parts = list(
        client.chat(model="nuri-llama3-ko", messages=[{"role": "user", "content": "안녕?"}], stream=True)
    )
    assert [p.message.content for p in parts] == ["안녕", "하세요", ""]
    assert parts[-1].done and parts[-1].prompt_eval_count == 26
    fake_ollama.reply(text_reply("한 번에", " 답합니다"))
    whole = client.chat(model="nuri-llama3-ko", messages=[{"role": "user", "content": "안녕?"}])
    assert whole.message.content == "한 번에 답합니다"
    assert fake_ollama.sent("/api/chat")[1].json["stream"] is False


def test_chat_tool_call(client, fake_ollama):
    fake_ollama.reply(tool_call_reply("current_time", {"timezone": "Asia/Seoul"}))
    tool = {"type": "function", "function": {"name": "current_time", "description": "now", "parameters": {}}}
    response = client.chat(
        model="nuri-llama3-ko", messages=[{"role": "user", "content": "몇 시?"}], tools=[tool]
    )
    (call,) = response.message.tool_calls
    assert (call.function.name, call.function.arguments) == ("current_time", {"timezone": "Asia/Seoul"})
    assert fake_ollama.sent("/api/chat")[0].json["tools"][0]["function"]["name"] == "current_time"


def test_errors_as_ollama_gives_them(client, fake_ollama, closed_port):
    with pytest.raises(ollama.ResponseError) as caught:
        client.show("missing")
    assert caught.value.status_code == 404 and caught.value.error == "model 'missing' not found"
    with pytest.raises(ollama.ResponseError) as caught:
        client.chat(model="missing", messages=[{"role": "user", "content": "hi"}])
    assert caught.value.status_code == 404
    fake_ollama.fail("/api/tags", 500)
    with pytest.raises(ollama.ResponseError) as caught:
        client.list()
    assert caught.value.status_code == 500
    with pytest.raises(ConnectionError):
        ollama.Client(host=f"http://127.0.0.1:{closed_port}").list()


def test_blob_upload_and_create_with_the_official_client(client, fake_ollama, tmp_path):
    path = family_gguf(tmp_path, "qwen2")
    digest = "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()
    assert httpx.head(f"{fake_ollama.url}/api/blobs/{digest}").status_code == 404
    assert client.create_blob(path) == digest
    assert httpx.head(f"{fake_ollama.url}/api/blobs/{digest}").status_code == 200
    statuses = [
        p.status
        for p in client.create(
            model="tiny-qwen", files={"qwen2.gguf": digest}, template="{{ .Tools }}", stream=True
        )
    ]
    assert statuses[0] == "parsing GGUF" and statuses[-1] == "success"
    shown = client.show("tiny-qwen")
    assert shown.modelinfo["qwen2.context_length"] == 32768
    assert "tools" in shown.capabilities


def test_blob_digest_mismatch_is_400(fake_ollama):
    wrong = "sha256:" + "0" * 64
    response = httpx.post(f"{fake_ollama.url}/api/blobs/{wrong}", content=b"GGUF....")
    assert response.status_code == 400 and "digest mismatch" in response.json()["error"]


def test_create_refuses_quantizing_a_quantized_blob(client, fake_ollama, tmp_path):
    digest = client.create_blob(family_gguf(tmp_path, "llama3"))  # Q4_K_M
    with pytest.raises(ollama.ResponseError, match="only supported for F16 and F32"):
        client.create(model="x", files={"m.gguf": digest}, quantize="q4_K_M")


def test_two_servers_do_not_share_state():
    with FakeOllama() as one, FakeOllama() as two:
        one.add_model("a")
        assert ollama.Client(host=two.url).list().models == []
