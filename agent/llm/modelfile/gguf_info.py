"""Read what a Modelfile needs from a GGUF header: architecture, trained context, chat template, file type.

`gguf.GGUFReader` maps every vocabulary entry into a numpy view (about 9 s for the 151k-token Qwen2.5
vocabulary on two cores); a Modelfile needs only a handful of scalar keys, so this walks the key-value
section itself, stepping over arrays, and takes the value types and file-type names from the `gguf`
package.
"""

from __future__ import annotations

import struct
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from gguf import GGML_QUANT_SIZES, GGMLQuantizationType, GGUFValueType, LlamaFileType

from config import NuriError

GGUF_MAGIC = b"GGUF"
_SCALARS: dict[GGUFValueType, str] = {
    GGUFValueType.UINT8: "<B",
    GGUFValueType.INT8: "<b",
    GGUFValueType.UINT16: "<H",
    GGUFValueType.INT16: "<h",
    GGUFValueType.UINT32: "<I",
    GGUFValueType.INT32: "<i",
    GGUFValueType.FLOAT32: "<f",
    GGUFValueType.BOOL: "<?",
    GGUFValueType.UINT64: "<Q",
    GGUFValueType.INT64: "<q",
    GGUFValueType.FLOAT64: "<d",
}
# Arrays longer than this (vocabularies, merges) are skipped, not kept: only their length is recorded.
_KEEP_ARRAY_ITEMS = 64
# Source types Ollama can quantize from (its create handler refuses anything else).
QUANTIZABLE_FILE_TYPES = frozenset({"F32", "F16"})


@dataclass(frozen=True)
class GGUFInfo:
    """The header facts of one GGUF file."""

    path: Path
    size: int
    version: int
    metadata: dict[str, Any] = field(repr=False)
    tensor_types: dict[str, int] = field(default_factory=dict)  # ggml type name -> tensor count
    # Offset just past the last tensor's data, per the header (None if a tensor type is unknown to the
    # `gguf` package): a file shorter than this is truncated.
    data_end: int | None = None

    @property
    def architecture(self) -> str | None:
        return self.metadata.get("general.architecture")

    @property
    def name(self) -> str | None:
        return self.metadata.get("general.name")

    @property
    def context_length(self) -> int | None:
        value = self.metadata.get(f"{self.architecture}.context_length")
        return int(value) if isinstance(value, int) else None

    @property
    def chat_template(self) -> str | None:
        value = self.metadata.get("tokenizer.chat_template")
        return value if isinstance(value, str) and value.strip() else None

    @property
    def file_type(self) -> str:
        """The weight type, e.g. 'Q4_K_M' or 'F16' (from `general.file_type`, else the commonest tensor type)."""
        return file_type_name(self.metadata.get("general.file_type"), self.tensor_types)

    @property
    def quantizable(self) -> bool:
        return self.file_type in QUANTIZABLE_FILE_TYPES


def file_type_name(code: object, tensor_types: dict[str, int] | None = None) -> str:
    """Name a `general.file_type` code the way Ollama and llama.cpp print it.

    >>> file_type_name(15)
    'Q4_K_M'
    >>> file_type_name(1)
    'F16'
    >>> file_type_name(None, {"F32": 3, "Q8_0": 10})
    'Q8_0'
    >>> file_type_name(None, {})
    'unknown'
    """
    if isinstance(code, int):
        try:
            member = LlamaFileType(code)
        except ValueError:
            return f"type {code}"
        return "F32" if member is LlamaFileType.ALL_F32 else member.name.removeprefix("MOSTLY_")
    # No file type recorded: 1-d tensors (norms) stay F32 in every file, so prefer the commonest other type.
    counts = Counter(tensor_types or {})
    others = [(n, t) for t, n in counts.items() if t != "F32"]
    if others:
        return max(others)[1]
    return "F32" if counts else "unknown"


def read_gguf_info(path: Path) -> GGUFInfo:
    """Parse the header of `path`; a missing, truncated or non-GGUF file raises a one-line Korean error."""
    path = Path(path).expanduser()
    if not path.is_file():
        raise NuriError(f"GGUF 파일이 없습니다: {path}. 경로를 확인하세요.")
    size = path.stat().st_size
    try:
        with path.open("rb") as stream:
            return _parse(stream, path, size)
    except (struct.error, EOFError, UnicodeDecodeError, ValueError, MemoryError) as error:
        raise NuriError(
            f"GGUF 파일을 읽을 수 없습니다 (손상되었거나 잘렸습니다): {path}. 파일을 다시 받으세요."
        ) from error


def _parse(stream: BinaryIO, path: Path, size: int) -> GGUFInfo:
    if stream.read(4) != GGUF_MAGIC:
        raise NuriError(
            f"GGUF 파일이 아닙니다 (첫 4바이트가 'GGUF'가 아님): {path}. 올바른 .gguf 파일을 지정하세요."
        )
    (version,) = _unpack(stream, "<I")
    if version < 2 or version > 0xFFFF:
        raise NuriError(
            f"지원하지 않는 GGUF 버전({version})입니다: {path}. 최신 변환기로 다시 만든 GGUF를 쓰세요."
        )
    tensor_count, kv_count = _unpack(stream, "<QQ")
    if kv_count > 1_000_000 or tensor_count > 10_000_000:
        raise ValueError("implausible counts: corrupt header")
    metadata: dict[str, Any] = {}
    for _ in range(kv_count):
        key = _read_string(stream, size)
        (value_type,) = _unpack(stream, "<I")
        metadata[key] = _read_value(stream, GGUFValueType(value_type), size)
    tensor_types: Counter[str] = Counter()
    ends: list[int] = []
    known_sizes = True
    for _ in range(tensor_count):
        _read_string(stream, size)
        (n_dims,) = _unpack(stream, "<I")
        if n_dims > 8:  # ggml has at most 4 dimensions
            raise ValueError("implausible tensor rank: corrupt header")
        elements = 1
        for dim in _unpack(stream, f"<{n_dims}Q") if n_dims else ():
            elements *= dim
        ggml_type, offset = _unpack(stream, "<IQ")
        try:
            kind = GGMLQuantizationType(ggml_type)
        except ValueError:
            tensor_types[f"type{ggml_type}"] += 1
            known_sizes = False
            continue
        tensor_types[kind.name] += 1
        block, block_bytes = GGML_QUANT_SIZES[kind]
        ends.append(offset + elements // block * block_bytes)
    if stream.tell() > size:
        raise EOFError("header runs past the end of the file")
    alignment = metadata.get("general.alignment")
    alignment = alignment if isinstance(alignment, int) and alignment > 0 else 32
    data_start = -(-stream.tell() // alignment) * alignment
    return GGUFInfo(
        path=path,
        size=size,
        version=version,
        metadata=metadata,
        tensor_types=dict(tensor_types),
        data_end=data_start + max(ends, default=0) if known_sizes else None,
    )


def _unpack(stream: BinaryIO, fmt: str) -> tuple[Any, ...]:
    width = struct.calcsize(fmt)
    data = stream.read(width)
    if len(data) != width:
        raise EOFError("unexpected end of file")
    return struct.unpack(fmt, data)


def _read_string(stream: BinaryIO, size: int) -> str:
    (length,) = _unpack(stream, "<Q")
    if length > size:
        raise ValueError("string longer than the file")
    data = stream.read(length)
    if len(data) != length:
        raise EOFError("unexpected end of file")
    return data.decode("utf-8")


def _read_value(stream: BinaryIO, value_type: GGUFValueType, size: int) -> Any:
    if value_type is GGUFValueType.STRING:
        return _read_string(stream, size)
    if value_type is GGUFValueType.ARRAY:
        (item_type,), (count,) = _unpack(stream, "<I"), _unpack(stream, "<Q")
        item_type = GGUFValueType(item_type)
        if count > size:
            raise ValueError("array longer than the file")
        if count > _KEEP_ARRAY_ITEMS:
            _skip_array(stream, item_type, count)
            return _SkippedArray(count)
        return [_read_value(stream, item_type, size) for _ in range(count)]
    (value,) = _unpack(stream, _SCALARS[value_type])
    return value


def _skip_array(stream: BinaryIO, item_type: GGUFValueType, count: int) -> None:
    if item_type in _SCALARS:
        stream.seek(struct.calcsize(_SCALARS[item_type]) * count, 1)
        return
    if item_type is GGUFValueType.STRING:
        read, seek = stream.read, stream.seek
        for _ in range(count):
            data = read(8)
            if len(data) != 8:
                raise EOFError("unexpected end of file")
            seek(int.from_bytes(data, "little"), 1)
        return
    raise ValueError(f"nested array of {item_type.name} is not expected in a GGUF header")


class _SkippedArray(int):
    """A long array (vocabulary, merges) whose items were skipped: behaves as its length."""

    def __repr__(self) -> str:
        return f"<array of {int(self)} items>"
