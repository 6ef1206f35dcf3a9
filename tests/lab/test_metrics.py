"""Metric parsing from recorded server output: llama.cpp's streamed `timings`, Ollama's durations, /api/ps."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from lab.client import stream_ollama, stream_openai
from lab.metrics import PeakRss, llamacpp_timings, ollama_ps_memory, ollama_timings, parse_nvidia_smi
from tests.lab.fake_openai import FakeOpenAI
from tests.ollama.fake_ollama import FakeOllama

DATA = Path(__file__).with_name("data")


def test_recorded_llamacpp_stream_gives_text_ttft_and_server_timings():
    # Recorded from the embedded runtime (xllamacpp) with the default 0.5B model, served back verbatim.
    lines = (DATA / "llamacpp_stream.txt").read_text(encoding="utf-8").splitlines()
    with FakeOpenAI() as server:
        server.replay = lines
        done = stream_openai(server.url, "m", [{"role": "user", "content": "한국의 수도는?"}], max_tokens=24)
    assert "서울" in done.text
    assert done.ttft is not None and done.ttft <= done.seconds
    t = done.timings
    assert (t.source, t.prompt_tokens, t.decode_tokens) == ("llama.cpp", 35, 9)
    assert t.prompt_seconds == pytest.approx(3.177541)
    assert t.decode_tps == pytest.approx(9 / 2.76288)


def test_usage_only_server_gets_decode_rate_from_the_stream_clock():
    with FakeOpenAI({"수도": "서울입니다, 정말로요."}) as server:
        server.replay = None
        lines = server.chunks("서울입니다, 정말로요.")
        final = json.loads(lines[-2][len("data: ") :])
        del final["timings"]
        server.replay = [*lines[:-2], "data: " + json.dumps(final), lines[-1]]
        done = stream_openai(server.url, "m", [{"role": "user", "content": "수도?"}], max_tokens=24)
    assert done.timings.source == "usage"
    assert done.timings.prompt_tokens == 40
    assert done.timings.prompt_tps is None  # a plain OpenAI server does not say how long the prompt took


def test_ollama_final_message_durations():
    records = [json.loads(line) for line in (DATA / "ollama_chat_stream.jsonl").read_text().splitlines()]
    t = ollama_timings(records[-1])
    assert (t.prompt_tokens, t.decode_tokens) == (31, 4)
    assert t.prompt_tps == pytest.approx(100.0)
    assert t.decode_tps == pytest.approx(40.0)
    assert t.load_seconds == pytest.approx(1.402)
    assert ollama_timings(records[0]) is None


def test_stream_ollama_against_the_fake_server():
    from tests.ollama.fake_ollama import text_reply

    with FakeOllama() as server:
        server.add_model("qwen-test")
        server.reply(text_reply("서울", "입니다.", model="qwen-test", prompt_eval_count=31))
        done = stream_ollama(
            server.url, "qwen-test", [{"role": "user", "content": "수도?"}], max_tokens=8, num_ctx=2048
        )
        sent = server.sent("/api/chat")[-1].json
    assert done.text == "서울입니다."
    assert done.timings.source == "ollama" and done.timings.prompt_tokens == 31
    assert sent["options"]["num_ctx"] == 2048 and sent["options"]["temperature"] == 0


def test_llamacpp_without_timings_is_none():
    assert llamacpp_timings({"choices": []}) is None


def test_ollama_ps_and_nvidia_smi():
    ps = {"models": [{"name": "exaone:latest", "model": "exaone:latest", "size": 5_000, "size_vram": 4_000}]}
    assert ollama_ps_memory(ps, "exaone") == {"size": 5_000, "size_vram": 4_000}
    assert ollama_ps_memory({}, "exaone") is None
    assert parse_nvidia_smi("memory.used [MiB]\n81000 MiB\n") == [81000]
    assert parse_nvidia_smi("NVIDIA-SMI has failed") == []


def test_peak_rss_samples_this_process():
    with PeakRss(os.getpid(), interval=0.01) as rss:
        block = bytearray(50_000_000)
        block[::4096] = b"x" * len(block[::4096])
        import time

        time.sleep(0.1)
    assert rss.peak > 50_000_000
