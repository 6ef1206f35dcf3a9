"""Shared test set-up: a temporary data dir per test, and a guard that keeps every test on loopback."""

from __future__ import annotations

import ipaddress
import os
import socket
from pathlib import Path

import pytest

# Captured before any test changes the environment: where `make model` put the real GGUF.
USER_HOME = Path(os.environ.get("NURI_HOME", Path.home() / ".nuri")).expanduser()


def _is_loopback(host: object) -> bool:
    if not isinstance(host, str):
        return False
    if host in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


class NonLoopbackConnection(AssertionError):
    """A test tried to reach an address outside 127.0.0.0/8 and ::1."""


def _guard(original):
    def guarded(sock, address, *args, **kwargs):
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            host = address[0] if isinstance(address, tuple) else address
            if not _is_loopback(host):
                raise NonLoopbackConnection(f"test tried to reach non-loopback address {address!r}")
        return original(sock, address, *args, **kwargs)

    return guarded


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch):
    """Fail any test that opens a connection (or sends a datagram) to a non-loopback address."""
    monkeypatch.setattr(socket.socket, "connect", _guard(socket.socket.connect))
    monkeypatch.setattr(socket.socket, "connect_ex", _guard(socket.socket.connect_ex))
    original_sendto = socket.socket.sendto

    def sendto(sock, data, *args):
        address = args[-1]
        if sock.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(address[0]):
            raise NonLoopbackConnection(f"test tried to send to non-loopback address {address!r}")
        return original_sendto(sock, data, *args)

    monkeypatch.setattr(socket.socket, "sendto", sendto)


@pytest.fixture(autouse=True)
def nuri_home(tmp_path, monkeypatch) -> Path:
    """Each test gets its own empty data dir and no NURI_* variables from the developer's shell."""
    for key in list(os.environ):
        if key.startswith("NURI_"):
            monkeypatch.delenv(key)
    home = tmp_path / "nuri-home"
    monkeypatch.setenv("NURI_HOME", str(home))
    # Never let Ollama's client or Chroma phone home from a test.
    monkeypatch.setenv("ANONYMIZED_TELEMETRY", "False")
    monkeypatch.setenv("NO_PROXY", "*")
    return home
