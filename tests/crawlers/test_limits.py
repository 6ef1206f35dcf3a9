"""Size and time limits: huge, endless, bomb and slow bodies stop at the cap with bounded memory."""

from __future__ import annotations

import gzip
import itertools
import struct
import time
import tracemalloc
import zlib

import pytest

from crawlers.fetch import Fetcher, FetchTimeout, TooLarge
from tests.crawlers.conftest import fast_settings
from tests.crawlers.httpfixture import drip

CAP = 1_000_000
MiB = 1 << 20


def zeros(total: int, piece: int = 64 * 1024):
    """Lazily generated body: nothing of it is held in memory at once."""
    sent = 0
    while sent < total:
        n = min(piece, total - sent)
        sent += n
        yield bytes(n)


def gzip_bomb(inflated_mib: int) -> bytes:
    """A single-member gzip of `inflated_mib` MiB of zeros, built from one repeated deflate block (fast)."""
    block = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = block.compress(bytes(MiB)) + block.flush(zlib.Z_FULL_FLUSH)
    # After a full flush the compressor starts afresh, so every further MiB of zeros compresses alike.
    repeat = block.compress(bytes(MiB)) + block.flush(zlib.Z_FULL_FLUSH)
    end = block.flush()
    crc = 0
    chunk = bytes(MiB)
    for _ in range(inflated_mib):
        crc = zlib.crc32(chunk, crc)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
    trailer = struct.pack("<II", crc, (inflated_mib * MiB) & 0xFFFFFFFF)
    return header + first + repeat * (inflated_mib - 1) + end + trailer


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return gzip_bomb(1024)


def _peak_during(call):
    tracemalloc.start()
    try:
        result = call()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, peak


def test_gzip_bomb_fixture_is_a_real_bomb(bomb):
    assert 0.9e6 < len(bomb) < 1.2e6
    head = zlib.decompressobj(31).decompress(bomb[:20_000], 10 * MiB)
    assert len(head) == 10 * MiB and not head.strip(b"\0")
    assert gzip.decompress(gzip_bomb(3)) == bytes(3 * MiB)  # the construction is valid gzip, CRC and all


def test_body_over_the_cap_by_content_length_is_refused_before_reading(http_server):
    server = http_server({"/big": (200, {"Content-Length": str(200_000_000)}, zeros(200_000_000))})
    with Fetcher(fast_settings(server, max_body_bytes=CAP)) as fetcher:
        started = time.monotonic()
        result = fetcher.try_fetch(server.url("/big"))
    assert isinstance(result, TooLarge)
    assert str(result) == "페이지가 너무 큼 (200 MB > 1 MB)"
    assert time.monotonic() - started < 2


def test_200_mb_body_without_length_is_cut_at_the_cap(http_server):
    server = http_server({"/big": (200, {"Connection": "close"}, zeros(200_000_000))})
    with Fetcher(fast_settings(server, max_body_bytes=CAP)) as fetcher:
        result, peak = _peak_during(lambda: fetcher.try_fetch(server.url("/big")))
    assert isinstance(result, TooLarge) and "1 MB 초과" in str(result)
    assert peak < 4 * CAP


def test_endless_chunked_stream_is_cut_at_the_cap(http_server):
    endless = (b"<p>" + "끝없는 문단 ".encode() * 400 + b"</p>" for _ in itertools.count())
    server = http_server({"/stream": (200, {"Content-Type": "text/html"}, lambda r: endless)})
    with Fetcher(fast_settings(server, max_body_bytes=CAP)) as fetcher:
        result, peak = _peak_during(lambda: fetcher.try_fetch(server.url("/stream")))
    assert isinstance(result, TooLarge)
    assert peak < 4 * CAP


def test_gzip_bomb_is_cut_at_the_cap_with_bounded_memory(http_server, bomb):
    headers = {"Content-Encoding": "gzip", "Content-Type": "text/html"}
    server = http_server({"/bomb": (200, headers, bomb)})
    with Fetcher(fast_settings(server, max_body_bytes=CAP)) as fetcher:
        started = time.monotonic()
        result, peak = _peak_during(lambda: fetcher.try_fetch(server.url("/bomb")))
    assert isinstance(result, TooLarge)
    assert peak < 4 * CAP + len(bomb)  # the server's copy of the bomb lives in this process too
    assert time.monotonic() - started < 3


def test_doubly_gzipped_bomb_is_cut_at_the_cap(http_server, bomb):
    twice = gzip.compress(bomb, 9)
    assert len(twice) < 50_000
    headers = {"Content-Encoding": "gzip, gzip", "Content-Type": "text/html"}
    server = http_server({"/bomb2": (200, headers, twice)})
    with Fetcher(fast_settings(server, max_body_bytes=CAP)) as fetcher:
        result, peak = _peak_during(lambda: fetcher.try_fetch(server.url("/bomb2")))
    assert isinstance(result, TooLarge)
    assert peak < 4 * CAP


def test_small_gzip_and_deflate_bodies_are_decoded(http_server):
    text = "<p>서울 지하철 요금이 오른다.</p>".encode()
    raw_deflate = zlib.compressobj(6, zlib.DEFLATED, -15)
    server = http_server(
        {
            "/gz": (200, {"Content-Encoding": "gzip"}, gzip.compress(text)),
            "/zlib": (200, {"Content-Encoding": "deflate"}, zlib.compress(text)),
            "/raw": (200, {"Content-Encoding": "deflate"}, raw_deflate.compress(text) + raw_deflate.flush()),
            "/two": (200, {"Content-Encoding": "gzip"}, gzip.compress(text[:10]) + gzip.compress(text[10:])),
        }
    )
    with Fetcher(fast_settings(server)) as fetcher:
        for path in ("/gz", "/zlib", "/raw", "/two"):
            assert fetcher.fetch(server.url(path)).body == text, path


def test_dripping_server_is_stopped_by_the_total_deadline(http_server):
    body = b"<html><body>" + b"x" * 100
    server = http_server({"/slow": (200, {"Content-Length": str(len(body))}, lambda r: drip(body, 0.25))})
    settings = fast_settings(server, read_timeout=1.0, total_timeout=1.2)
    with Fetcher(settings) as fetcher:
        started = time.monotonic()
        result = fetcher.try_fetch(server.url("/slow"))
        elapsed = time.monotonic() - started
    assert isinstance(result, FetchTimeout)
    assert 1.0 < elapsed < 2.2


def test_silent_server_is_stopped_by_the_read_timeout(http_server):
    def silent(record):
        time.sleep(1.5)
        return b"late"

    server = http_server({"/silent": silent})
    with Fetcher(fast_settings(server, read_timeout=0.5, total_timeout=5)) as fetcher:
        started = time.monotonic()
        result = fetcher.try_fetch(server.url("/silent"))
    assert isinstance(result, FetchTimeout)
    assert time.monotonic() - started < 1.4
