"""Crawler test helpers: local fixture servers, fast settings, and a resolver for 'public' test names."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from config import Settings
from tests.crawlers.httpfixture import FixtureServer


@pytest.fixture
def http_server() -> Iterator[Callable[..., FixtureServer]]:
    """Factory: `server = http_server({"/": (200, {}, b"..")})`; every server is stopped after the test."""
    servers: list[FixtureServer] = []

    def make(routes=None, **kwargs) -> FixtureServer:
        server = FixtureServer(routes, **kwargs).start()
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.stop()


def fast_settings(*servers: FixtureServer, **overrides: object) -> Settings:
    """Settings for tests: short delays and timeouts; the given fixture servers allowed by host:port."""
    values: dict[str, object] = {
        "crawl_delay": 0.0,
        "connect_timeout": 2.0,
        "read_timeout": 2.0,
        "total_timeout": 5.0,
        "max_retries": 2,
        "allow_private": [s.host_port for s in servers],
    }
    values.update(overrides)
    return Settings(**values)


def mapping_resolver(names: dict[str, str]) -> Callable[[str, int], list[str]]:
    """A resolver that answers `names` (host -> address) and fails for anything else, like NXDOMAIN."""

    def resolve(host: str, port: int) -> list[str]:
        if host in names:
            return [names[host]]
        raise OSError(f"no such test host {host}")

    return resolve


class FakeInternet:
    """'Public' hosts for tests: a name resolves to a public-looking IP, and a connect() to that IP and
    port is sent to a local fixture server instead. Every connect() attempt is recorded. Nothing leaves
    loopback: an unmapped public address still hits the autouse loopback guard."""

    def __init__(self) -> None:
        self.names: dict[str, list[str]] = {}
        self.routes: dict[tuple[str, int], tuple[str, int]] = {}
        self.attempts: list[tuple[str, int]] = []
        self.lookups: list[str] = []
        self._next = 10

    def add(self, host: str, server: FixtureServer, port: int = 80, ip: str | None = None) -> str:
        ip = ip or f"93.184.216.{self._next}"
        self._next += 1
        self.names.setdefault(host, []).append(ip)
        self.routes[(ip, port)] = ("127.0.0.1", server.port)
        return ip

    def resolver(self, host: str, port: int) -> list[str]:
        self.lookups.append(host)
        if host not in self.names:
            raise OSError(f"no such test host {host}")
        return list(self.names[host])


@pytest.fixture
def fake_internet(monkeypatch) -> FakeInternet:
    import socket

    net = FakeInternet()
    guarded_connect = socket.socket.connect  # already wrapped by the autouse loopback guard

    def connect(sock, address, *args):
        if isinstance(address, tuple):
            net.attempts.append((address[0], address[1]))
            address = net.routes.get((address[0], address[1]), address)
        return guarded_connect(sock, address, *args)

    monkeypatch.setattr(socket.socket, "connect", connect)
    return net
