"""A real HTTP/1.1 server on 127.0.0.1 (port 0) for crawler tests and benchmarks.

Serve a dict of path -> route; a route is `(status, headers, body)` or a `Route`; a body is bytes, str
(UTF-8), an iterable of bytes (streamed lazily, chunked unless a Content-Length is given), or a callable
`(Recorded) -> body or Route` evaluated per request. Every request is recorded with monotonic timestamps
when it arrived and when its response was finished, so tests can check concurrency and gaps at the server.
"""

from __future__ import annotations

import ssl
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit


@dataclass
class Route:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: Any = b""


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    started: float
    ended: float | None = None
    thread: int = 0
    completed: bool = False


def _as_route(value: Any) -> Route:
    if isinstance(value, Route):
        return value
    if isinstance(value, tuple):
        return Route(*value)
    return Route(body=value)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        # A refused TLS handshake or a client that hung up is what some tests do on purpose.
        if isinstance(sys.exc_info()[1], ssl.SSLError | ConnectionError | TimeoutError):
            return
        super().handle_error(request, client_address)


class FixtureServer:
    """`with FixtureServer({"/": (200, {"Content-Type": "text/html"}, "<p>hi</p>")}) as server: ...`"""

    def __init__(
        self,
        routes: dict[str, Any] | None = None,
        *,
        fallback: Callable | None = None,
        tls: ssl.SSLContext | None = None,
    ) -> None:
        self.routes: dict[str, Any] = dict(routes or {})
        self.fallback = fallback
        self.requests: list[Recorded] = []
        self._lock = threading.Lock()
        self._httpd = _Server(("127.0.0.1", 0), self._handler_class())
        self.scheme = "https" if tls else "http"
        if tls is not None:  # handshakes run in the handler threads, not the accept loop
            self._httpd.socket = tls.wrap_socket(
                self._httpd.socket, server_side=True, do_handshake_on_connect=False
            )
        self._thread: threading.Thread | None = None

    # --- lifecycle -------------------------------------------------------------------------------
    def start(self) -> FixtureServer:
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05})
        self._thread.daemon = True
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> FixtureServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- addresses -------------------------------------------------------------------------------
    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    @property
    def host_port(self) -> str:
        """`127.0.0.1:PORT`, the form `Settings.allow_private` takes."""
        return f"127.0.0.1:{self.port}"

    def url(self, path: str = "/", host: str = "127.0.0.1") -> str:
        return f"{self.scheme}://{host}:{self.port}{path}"

    # --- what happened ---------------------------------------------------------------------------
    def hits(self, path: str | None = None) -> list[Recorded]:
        with self._lock:
            return [r for r in self.requests if path is None or r.path == path]

    def max_concurrency(self) -> int:
        """Most requests this server was handling at the same moment."""
        events = []
        for r in self.hits():
            events += [(r.started, 1), ((r.ended or float("inf")), -1)]
        level = peak = 0
        for _, step in sorted(events, key=lambda e: (e[0], e[1])):
            level += step
            peak = max(peak, level)
        return peak

    def gaps(self) -> list[float]:
        """Seconds from the end of each response to the start of the next request."""
        done = sorted(self.hits(), key=lambda r: r.started)
        return [b.started - (a.ended or a.started) for a, b in zip(done, done[1:], strict=False)]

    # --- serving ---------------------------------------------------------------------------------
    def _resolve(self, record: Recorded) -> Route:
        path_only = urlsplit(record.path).path
        if record.path in self.routes:
            value = self.routes[record.path]
        elif path_only in self.routes:
            value = self.routes[path_only]
        elif self.fallback is not None:
            value = self.fallback
        else:
            return Route(404, {"Content-Type": "text/plain"}, b"not found")
        if callable(value):
            value = value(record)
        route = _as_route(value)
        if callable(route.body):
            route.body = route.body(record)
        return route

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:  # keep test output quiet
                pass

            def do_GET(self) -> None:
                record = Recorded(
                    method=self.command,
                    path=self.path,
                    headers={k.lower(): v for k, v in self.headers.items()},
                    started=time.monotonic(),
                    thread=threading.get_ident(),
                )
                with server._lock:
                    server.requests.append(record)
                try:
                    self._send(server._resolve(record), record)
                    record.completed = True
                except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, TimeoutError):
                    self.close_connection = True
                finally:
                    if record.ended is None:
                        record.ended = time.monotonic()

            def _send(self, route: Route, record: Recorded) -> None:
                # `ended` is stamped just before the last byte goes out: the client cannot have read the
                # whole response earlier, so gaps measured here never flatter the client.
                def mark_end() -> None:
                    record.ended = time.monotonic()

                body = route.body.encode("utf-8") if isinstance(route.body, str) else route.body
                headers = {k.lower(): v for k, v in route.headers.items()}
                self.send_response(route.status)
                for key, value in route.headers.items():
                    self.send_header(key, value)
                if isinstance(body, bytes | bytearray):
                    if "content-length" not in headers:
                        self.send_header("Content-Length", str(len(body)))
                    if not body:
                        mark_end()
                    self.end_headers()
                    if body:
                        self.wfile.write(body[:-1])
                        self.wfile.flush()
                        mark_end()
                        self.wfile.write(body[-1:])
                    return
                chunked = "content-length" not in headers and headers.get("connection") != "close"
                if chunked:
                    self.send_header("Transfer-Encoding", "chunked")
                if headers.get("connection") == "close":
                    self.close_connection = True
                self.end_headers()
                for piece in body:
                    if not piece:
                        continue
                    if chunked:
                        self.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
                    else:
                        self.wfile.write(piece)
                    self.wfile.flush()
                mark_end()
                if chunked:
                    self.wfile.write(b"0\r\n\r\n")

        return Handler


def drip(data: bytes, every: float) -> Iterable[bytes]:
    """Yield one byte at a time, `every` seconds apart (a slow-loris server)."""
    for i in range(len(data)):
        time.sleep(every)
        yield data[i : i + 1]
