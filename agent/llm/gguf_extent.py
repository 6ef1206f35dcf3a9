"""How long a GGUF file must be: parse its header and tensor table, without touching tensor data.

`gguf.GGUFReader` builds a numpy view per tensor and took ~45 s on the 491 MB default model on a busy
2-core machine; this reads only the header (tens of milliseconds), so every start can afford the check.
"""

from __future__ import annotations

import struct
from pathlib import Path
from typing import BinaryIO

# GGUF value types: fixed sizes; 8 = string, 9 = array.
_FIXED = {0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8}
_STRING, _ARRAY = 8, 9


class GGUFFormatError(ValueError):
    """The header is malformed or ends early."""


class _Reader:
    def __init__(self, handle: BinaryIO) -> None:
        self.handle = handle

    def take(self, n: int) -> bytes:
        data = self.handle.read(n)
        if len(data) != n:
            raise GGUFFormatError("header ends early")
        return data

    def u32(self) -> int:
        return struct.unpack("<I", self.take(4))[0]

    def u64(self) -> int:
        return struct.unpack("<Q", self.take(8))[0]

    def string(self) -> bytes:
        length = self.u64()
        if length > 1 << 24:
            raise GGUFFormatError("implausible string length")
        return self.take(length)

    def skip_value(self, kind: int) -> int | None:
        """Skip one value; return it when it is an unsigned integer (for general.alignment)."""
        if kind in _FIXED:
            raw = self.take(_FIXED[kind])
            return int.from_bytes(raw, "little") if kind in (0, 2, 4, 10) else None
        if kind == _STRING:
            self.string()
            return None
        if kind == _ARRAY:
            item, count = self.u32(), self.u64()
            if item in _FIXED:
                self.handle.seek(_FIXED[item] * count, 1)
            else:
                for _ in range(count):
                    self.skip_value(item)
            return None
        raise GGUFFormatError(f"unknown value type {kind}")


def tensor_data_end(path: Path) -> int:
    """Offset just past the last tensor's data, per the header; raises `GGUFFormatError`.

    Supports GGUF v2/v3 little-endian files (what llama.cpp writes).
    """
    from gguf.constants import GGML_QUANT_SIZES, GGMLQuantizationType

    with path.open("rb") as handle:
        reader = _Reader(handle)
        if reader.take(4) != b"GGUF":
            raise GGUFFormatError("bad magic")
        version = reader.u32()
        if version not in (2, 3):
            raise GGUFFormatError(f"unsupported GGUF version {version}")
        tensors, kvs = reader.u64(), reader.u64()
        alignment = 32
        for _ in range(kvs):
            key = reader.string()
            value = reader.skip_value(reader.u32())
            if key == b"general.alignment" and value:
                alignment = value
        ends = []
        for _ in range(tensors):
            reader.string()
            dims = [reader.u64() for _ in range(reader.u32())]
            kind, offset = reader.u32(), reader.u64()
            try:
                block, size = GGML_QUANT_SIZES[GGMLQuantizationType(kind)]
            except (ValueError, KeyError) as error:
                raise GGUFFormatError(f"unknown tensor type {kind}") from error
            count = 1
            for dim in dims:
                count *= dim
            ends.append(offset + count // block * size)
        start = handle.tell()
    data_start = -(-start // alignment) * alignment
    return data_start + max(ends, default=0)
