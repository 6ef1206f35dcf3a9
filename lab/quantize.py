"""Quantization variants that this machine can make, and a plain account of what it cannot.

Checked (gguf 0.19, xllamacpp 2026.10): the `gguf` package quantizes in numpy to Q4_0, Q4_1, Q5_0, Q5_1
and Q8_0 (not to the K-quants: `gguf.quantize` raises for Q4_K/Q6_K), and dequantizes every type our GGUFs
hold. xllamacpp exposes no `llama_model_quantize`. Ollama's `create` with `quantize` only starts from
F16/F32 weights (`agent.llm.ollama_admin.check_quantize`) and needs a running Ollama server.

So here a variant is a *re-quantization*: each weight matrix is dequantized (if quantized) and quantized
to the target type; vectors (norms, biases) are copied. Quantizing an already quantized model adds a
second rounding error, so such a variant is a lower bound on what a proper F16 -> Q4_0 conversion gives.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path

from config import NuriError

log = logging.getLogger(__name__)

TARGETS = ("Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q8_0")
_KEEP = ("F32", "F16", "BF16")


def capabilities(ollama_reachable: bool = False) -> list[str]:
    """What can and cannot be made on this machine, one Korean line each."""
    import xllamacpp

    lines = [f"gguf 패키지: {', '.join(TARGETS)}로 재양자화 가능 (K 양자화 Q4_K_M 등은 만들 수 없음)."]
    exposed = [name for name in dir(xllamacpp) if "quant" in name.lower()]
    lines.append(
        "xllamacpp: 양자화 API 있음 (" + ", ".join(exposed) + ")."
        if exposed
        else "xllamacpp: llama_model_quantize를 노출하지 않아 llama.cpp 양자화를 쓸 수 없음."
    )
    lines.append(
        "Ollama: create --quantize 사용 가능 (F16/F32 원본 필요)."
        if ollama_reachable
        else "Ollama: 서버가 없어 create --quantize를 쓸 수 없음 (설치 가능한 Ollama 서버 바이너리가 없음)."
    )
    return lines


def requantize(
    src: Path, dest: Path, target: str = "Q4_0", progress: Callable[[str], None] | None = None
) -> Path:
    """Write `dest`: `src` with every quantized weight re-quantized to `target` (see module docstring)."""
    import gguf
    import numpy as np

    if target not in TARGETS:
        raise NuriError(
            f"만들 수 없는 양자화 형식입니다: {target}.", hint=f"{', '.join(TARGETS)} 중에서 고르세요."
        )
    qtype = gguf.GGMLQuantizationType[target]
    reader = gguf.GGUFReader(src)
    arch = str(reader.fields[gguf.Keys.General.ARCHITECTURE].contents())
    tmp = dest.with_name(f".{dest.name}.{os.getpid()}.part")
    writer = gguf.GGUFWriter(tmp, arch)
    for field in reader.fields.values():
        if field.name == gguf.Keys.General.ARCHITECTURE or field.name.startswith("GGUF."):
            continue
        if field.name == gguf.Keys.General.FILE_TYPE:
            continue
        val_type = field.types[0]
        sub_type = field.types[-1] if val_type == gguf.GGUFValueType.ARRAY else None
        writer.add_key_value(field.name, field.contents(), val_type, sub_type=sub_type)
    writer.add_file_type(gguf.LlamaFileType[f"MOSTLY_{target}"])
    block = gguf.GGML_QUANT_SIZES[qtype][0]
    outputs: list[tuple[str, np.ndarray, gguf.GGMLQuantizationType]] = []
    for index, tensor in enumerate(reader.tensors, start=1):
        name, kind = tensor.name, tensor.tensor_type
        # Matrices are quantized whatever they hold now; vectors (norms, biases) stay as they are.
        weights = np.asarray(tensor.data) if kind.name in _KEEP else gguf.dequantize(tensor.data, kind)
        if weights.ndim < 2 or weights.shape[-1] % block:
            outputs.append((name, np.asarray(tensor.data), kind))
        else:
            outputs.append((name, gguf.quantize(weights.astype(np.float32), qtype), qtype))
        if progress and index % 50 == 0:
            progress(f"텐서 {index}/{len(reader.tensors)}")
    for name, data, kind in outputs:
        writer.add_tensor_info(name, data.shape, data.dtype, data.nbytes, kind)
    try:
        writer.write_header_to_file()
        writer.write_kv_data_to_file()
        writer.write_ti_data_to_file()
        for _, data, _ in outputs:
            writer.write_tensor_data(data)
        writer.close()
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)
    log.info("re-quantized %s -> %s (%s)", src, dest, target)
    return dest
