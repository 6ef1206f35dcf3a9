"""Read a response body with a cap on the *decompressed* size and bounded memory.

We decode Content-Encoding ourselves (httpx would inflate a whole network chunk at once, and a 64 KiB
chunk of a gzip bomb is ~64 MB): every layer inflates at most `PIECE` bytes per step, layers are chained
(`gzip, gzip` too), and the total is checked after each piece, so a ~1 MB gzip that inflates to 1 GB,
a doubly gzipped body, a 200 MB body or an endless chunked stream all stop just past the cap.
"""

from __future__ import annotations

import time
import zlib
from collections.abc import Iterable, Iterator

from crawlers.fetch.errors import FetchError, FetchTimeout, TooLarge, megabytes

PIECE = 64 * 1024
ACCEPT_ENCODING = "gzip, deflate"


class _Inflater:
    """One gzip or deflate layer that never emits more than PIECE bytes per step."""

    def __init__(self, encoding: str) -> None:
        self._gzip = encoding in ("gzip", "x-gzip")
        self._raw_fallback = not self._gzip  # "deflate" is zlib-wrapped by the spec, raw in practice
        self._obj = self._new()

    def _new(self):
        return zlib.decompressobj(31 if self._gzip else 15)

    def feed(self, data: bytes) -> Iterator[bytes]:
        while True:
            try:
                out = self._obj.decompress(data, PIECE)
            except zlib.error:
                if not self._raw_fallback:
                    raise
                self._raw_fallback = False
                self._obj = zlib.decompressobj(-15)
                out = self._obj.decompress(data, PIECE)
            self._raw_fallback = False
            if out:
                yield out
            data = self._obj.unconsumed_tail
            if self._obj.eof and self._obj.unused_data and self._gzip:
                data = self._obj.unused_data  # a second gzip member follows
                self._obj = self._new()
                continue
            if not data and len(out) < PIECE:
                return


def content_codings(header: str | None) -> list[str]:
    """The Content-Encoding layers in the order they must be undone.

    >>> content_codings("gzip, gzip")
    ['gzip', 'gzip']
    >>> content_codings(None), content_codings("identity")
    ([], [])
    >>> content_codings("br")
    Traceback (most recent call last):
    ...
    crawlers.fetch.errors.FetchError: 지원하지 않는 압축 방식 (br)
    """
    codings = [c.strip().lower() for c in (header or "").split(",") if c.strip()]
    codings = [c for c in codings if c != "identity"]
    for coding in codings:
        if coding not in ("gzip", "x-gzip", "deflate"):
            raise FetchError(f"지원하지 않는 압축 방식 ({coding})")
    return list(reversed(codings))


def _chain(data: bytes, layers: list[_Inflater]) -> Iterator[bytes]:
    if not layers:
        if data:
            yield data
        return
    for piece in layers[0].feed(data):
        yield from _chain(piece, layers[1:])


def read_capped(
    raw_chunks: Iterable[bytes],
    *,
    content_encoding: str | None,
    max_bytes: int,
    deadline: float,
    truncate: bool = False,
) -> bytes:
    """Join the decoded body, or raise `TooLarge` / `FetchTimeout` as soon as a limit is passed.

    With `truncate`, a body over the cap is cut to `max_bytes` instead (robots.txt: RFC 9309 says parse
    the first 500 KiB).

    >>> import gzip
    >>> read_capped([gzip.compress(b"abc" * 10)], content_encoding="gzip", max_bytes=100,
    ...             deadline=time.monotonic() + 5)
    b'abcabcabcabcabcabcabcabcabcabc'
    >>> read_capped([b"x" * 60, b"x" * 60], content_encoding=None, max_bytes=100,
    ...             deadline=time.monotonic() + 5)
    Traceback (most recent call last):
    ...
    crawlers.fetch.errors.TooLarge: 페이지가 너무 큼 (0.0001 MB 초과)
    """
    layers = [_Inflater(coding) for coding in content_codings(content_encoding)]
    body = bytearray()
    try:
        for chunk in raw_chunks:
            for piece in _chain(chunk, layers):
                if len(body) + len(piece) > max_bytes:
                    if truncate:
                        body += piece[: max_bytes - len(body)]
                        return bytes(body)
                    raise TooLarge(f"페이지가 너무 큼 ({megabytes(max_bytes)} 초과)")
                body += piece
            if time.monotonic() > deadline:
                raise FetchTimeout("응답이 너무 느림 (요청 시간 제한 초과)")
    except zlib.error:
        raise FetchError("압축된 본문이 손상됨") from None
    return bytes(body)
