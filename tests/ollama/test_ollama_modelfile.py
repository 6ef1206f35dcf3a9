"""Modelfile generation from GGUF metadata: family recognition, TEMPLATE/stop/num_ctx/SYSTEM, bad files."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import gguf
import pytest

from agent.llm.modelfile import (
    FAMILIES,
    build_spec,
    detect_family,
    family_by_name,
    read_gguf_info,
    render_modelfile,
)
from config import NuriError, Settings
from tests.ollama.gguf_factory import ARCH, CONTEXT, JINJA, family_gguf, write_gguf

# Where `nuri model prepare` put the real embedded model, read before the per-test NURI_HOME applies.
REAL_MODELS_DIR = Settings().models_dir
GOTMPL_DIR = Path(__file__).parent / "gotmpl"
GENERATION_PROMPT = {
    "llama3": "<|start_header_id|>assistant<|end_header_id|>\n\n",
    "qwen2": "<|im_start|>assistant\n",
    "chatml": "<|im_start|>assistant\n",
    "phi4": "<|im_start|>assistant<|im_sep|>",
    "gemma": "<start_of_turn>model\n",
    "exaone": "[|assistant|]",
    "llama2": "고마워 [/INST]",
    "mistral": "고마워[/INST]",
    "phi3": "<|assistant|>\n",
}


@pytest.mark.parametrize("family", sorted(JINJA))
def test_each_family_is_recognised_and_rendered(tmp_path, family):
    path = family_gguf(tmp_path, family)
    spec = build_spec(path)
    assert spec.family.name == family
    text = render_modelfile(spec)
    lines = text.splitlines()
    assert f"FROM {path.resolve()}" in lines
    assert f'TEMPLATE """{spec.family.template}"""' in text
    for token in spec.family.stop:
        assert f'PARAMETER stop "{token}"' in lines
    assert f"PARAMETER num_ctx {CONTEXT.get(family, 16384)}" in lines
    assert 'SYSTEM """당신은 \'누리\'라는 한국어 도우미입니다.' in text
    # Every instruction line is one the Modelfile grammar knows (comments aside).
    keywords = {line.split(" ", 1)[0] for line in lines if line and not line.startswith("#")}
    assert {"FROM", "TEMPLATE", "PARAMETER", "SYSTEM"} <= keywords


@pytest.mark.parametrize("family", sorted(JINJA))
def test_fixture_templates_are_real_jinja_with_the_family_markers(family):
    """The fixtures must render as Jinja and produce the markers we detect, or the tests prove nothing."""
    jinja2 = pytest.importorskip("jinja2")
    env = jinja2.Environment()
    env.filters.setdefault("tojson", lambda v: __import__("json").dumps(v))
    messages = [{"role": "system", "content": "시스템"}, {"role": "user", "content": "안녕"}]
    out = env.from_string(JINJA[family]).render(
        messages=messages, add_generation_prompt=True, bos_token="<s>", eos_token="</s>", tools=None
    )
    assert "안녕" in out
    detected = detect_family(out)
    assert detected is not None and detected.name in (family, "chatml")  # rendered ChatML lacks <tool_call>


def test_template_family_option_beats_detection(tmp_path):
    path = write_gguf(tmp_path / "odd.gguf", chat_template="{{ messages }}")
    with pytest.raises(NuriError) as caught:
        build_spec(path)
    message = str(caught.value)
    assert "--template-family" in message and "llama3" in message and "exaone" in message
    assert build_spec(path, family="exaone").family.name == "exaone"
    with pytest.raises(NuriError, match="알 수 없는 템플릿 계열"):
        family_by_name("vicuna")


def test_architecture_decides_when_the_gguf_has_no_template(tmp_path):
    assert build_spec(write_gguf(tmp_path / "g.gguf", arch="gemma2")).family.name == "gemma"
    with pytest.raises(NuriError, match="알려진 계열이 아닙니다"):
        build_spec(write_gguf(tmp_path / "l.gguf", arch="llama"))  # Llama 2 or 3? cannot tell


def test_header_facts_and_file_type(tmp_path):
    info = read_gguf_info(
        write_gguf(tmp_path / "f16.gguf", file_type=gguf.LlamaFileType.MOSTLY_F16, context_length=4096)
    )
    assert (info.architecture, info.context_length, info.file_type, info.quantizable) == (
        "llama",
        4096,
        "F16",
        True,
    )
    assert info.metadata["tokenizer.ggml.tokens"] == 300  # skipped, only its length kept
    assert info.name == "tiny test model"
    quantized = read_gguf_info(write_gguf(tmp_path / "q.gguf"))
    assert (quantized.file_type, quantized.quantizable) == ("Q4_K_M", False)
    untyped = read_gguf_info(write_gguf(tmp_path / "u.gguf", file_type=None, dtype="float16"))
    assert untyped.file_type == "F16"  # from the tensors when general.file_type is missing


def test_num_ctx_override_and_fallback(tmp_path):
    path = write_gguf(tmp_path / "m.gguf", chat_template=JINJA["llama3"], context_length=None)
    assert build_spec(path).num_ctx == 4096
    assert build_spec(path, num_ctx=2048).num_ctx == 2048
    assert "PARAMETER num_ctx 2048" in render_modelfile(build_spec(path, num_ctx=2048))


def test_custom_system_and_triple_quotes(tmp_path):
    path = family_gguf(tmp_path, "qwen2")
    assert 'SYSTEM """뉴스만 요약하세요."""' in render_modelfile(
        build_spec(path, system="뉴스만 요약하세요.")
    )
    assert "SYSTEM" not in render_modelfile(build_spec(path, system=""))
    with pytest.raises(NuriError, match='"""'):
        render_modelfile(build_spec(path, system='따옴표 """ 세 개'))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "GGUF 파일이 아닙니다"),
        (b"PK\x03\x04 not a gguf", "GGUF 파일이 아닙니다"),
    ],
)
def test_bad_files_give_one_korean_line(tmp_path, content, message):
    path = tmp_path / "bad.gguf"
    path.write_bytes(content)
    with pytest.raises(NuriError, match=message):
        read_gguf_info(path)


def test_truncated_and_missing_files(tmp_path):
    whole = family_gguf(tmp_path, "llama3").read_bytes()
    cut = tmp_path / "cut.gguf"
    cut.write_bytes(whole[:200])  # ends inside the key-value section
    with pytest.raises(NuriError, match="손상되었거나 잘렸습니다"):
        read_gguf_info(cut)
    with pytest.raises(NuriError, match="GGUF 파일이 없습니다"):
        read_gguf_info(tmp_path / "nope.gguf")


def test_real_embedded_model_is_chatml_qwen():
    candidates = sorted(REAL_MODELS_DIR.glob("*.gguf")) if REAL_MODELS_DIR.is_dir() else []
    if not candidates:
        pytest.skip(f"no GGUF in {REAL_MODELS_DIR}: run `nuri model prepare` first")
    spec = build_spec(candidates[0])
    assert spec.gguf.architecture == "qwen2"
    assert spec.family.name == "qwen2" and spec.family.tools
    assert spec.num_ctx == spec.gguf.context_length == 32768
    assert spec.gguf.file_type == "Q4_K_M"
    assert "<|im_end|>" in spec.family.stop


@pytest.mark.skipif(shutil.which("go") is None, reason="Go toolchain not installed")
def test_go_templates_execute_with_go_text_template(tmp_path):
    """Run every TEMPLATE through Go's text/template as Ollama fills it (system, tools, tool call, result)."""
    binary = tmp_path / "render"
    subprocess.run(["go", "build", "-o", str(binary), "."], cwd=GOTMPL_DIR, check=True, timeout=120)
    values = tmp_path / "values.json"
    values.write_text(
        '{"messages": [{"role": "system", "content": "당신은 누리입니다."}, {"role": "user", "content": "몇 시야?"},'
        ' {"role": "assistant", "content": "", "tool_calls": [{"function": {"name": "current_time",'
        ' "arguments": {"tz": "Asia/Seoul"}}}]}, {"role": "tool", "content": "18:00"},'
        ' {"role": "assistant", "content": "여섯 시입니다."}, {"role": "user", "content": "고마워"}],'
        ' "tools": [{"type": "function", "function": {"name": "current_time", "description": "now",'
        ' "parameters": {"type": "object", "properties": {"tz": {"type": "string"}}}}}]}',
        encoding="utf-8",
    )
    for family in FAMILIES:
        template = tmp_path / f"{family.name}.tmpl"
        template.write_text(family.template, encoding="utf-8")
        result = subprocess.run([str(binary), str(template), str(values)], capture_output=True, text=True)
        assert result.returncode == 0, (family.name, result.stderr)
        out = result.stdout
        assert (
            "당신은 누리입니다." in out and "몇 시야?" in out and "고마워" in out and "여섯 시입니다." in out
        )
        if family.tools:
            assert "current_time" in out and '"tz":"Asia/Seoul"' in out
        # The prompt ends exactly where the model must speak.
        assert out.endswith(GENERATION_PROMPT[family.name]), (family.name, out[-60:])


def test_arch_table_matches_fixtures():
    assert set(ARCH) == set(JINJA) == {f.name for f in FAMILIES}
