"""Re-quantization with the gguf package: a small F16 GGUF becomes Q8_0 / Q4_0, metadata kept."""

from __future__ import annotations

import gguf
import numpy as np
import pytest

from agent.llm.modelfile.gguf_info import read_gguf_info
from config import NuriError
from lab.quantize import capabilities, requantize


def _tiny(path):
    writer = gguf.GGUFWriter(str(path), "llama")
    writer.add_name("tiny")
    writer.add_context_length(2048)
    writer.add_file_type(int(gguf.LlamaFileType.MOSTLY_F16))
    writer.add_token_list([f"tok{i}" for i in range(100)])
    rng = np.random.default_rng(0)
    writer.add_tensor("blk.0.ffn_up.weight", rng.standard_normal((8, 64)).astype(np.float16))
    writer.add_tensor("output_norm.weight", np.ones((64,), dtype=np.float32))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path


@pytest.mark.parametrize("target", ["Q8_0", "Q4_0"])
def test_requantize_keeps_metadata_and_changes_weight_type(tmp_path, target):
    src = _tiny(tmp_path / "tiny-f16.gguf")
    dest = requantize(src, tmp_path / f"tiny-{target}.gguf", target)
    info = read_gguf_info(dest)
    assert info.file_type == target and info.context_length == 2048 and info.name == "tiny"
    assert info.tensor_types == {target: 1, "F32": 1}
    assert info.data_end == dest.stat().st_size < src.stat().st_size
    reader = gguf.GGUFReader(dest)
    original = gguf.GGUFReader(src).tensors[0].data.astype(np.float32)
    restored = gguf.dequantize(reader.tensors[0].data, reader.tensors[0].tensor_type)
    tolerance = 0.05 if target == "Q8_0" else 0.4
    assert np.abs(restored - original).max() < tolerance
    assert not list(tmp_path.glob(".*.part"))


def test_unsupported_target_and_capabilities(tmp_path):
    with pytest.raises(NuriError, match="Q4_K_M"):
        requantize(_tiny(tmp_path / "t.gguf"), tmp_path / "x.gguf", "Q4_K_M")
    lines = capabilities()
    assert any("xllamacpp" in line for line in lines) and any("Ollama" in line for line in lines)
