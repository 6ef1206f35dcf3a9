"""Politeness: one request at a time per host, a minimum gap between requests, a global limit.

The gap is measured from the end of one request (body read) to the start of the next, as robots.txt
Crawl-delay means it. A 429/503 with Retry-After pushes the host's next slot back for every caller.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field


@dataclass
class _Host:
    lock: threading.Lock = field(default_factory=threading.Lock)
    last_end: float = float("-inf")
    not_before: float = float("-inf")


class Pacer:
    """Hands out request slots: per host (one at a time, `delay` apart) and globally (`concurrency`)."""

    def __init__(self, concurrency: int, *, clock=time.monotonic, sleep=time.sleep) -> None:
        self._global = threading.BoundedSemaphore(concurrency)
        self._hosts: dict[str, _Host] = {}
        self._hosts_lock = threading.Lock()
        self._clock = clock
        self._sleep = sleep

    def _host(self, key: str) -> _Host:
        with self._hosts_lock:
            return self._hosts.setdefault(key, _Host())

    def defer(self, key: str, seconds: float) -> None:
        """No request to `key` before `seconds` from now (Retry-After)."""
        host = self._host(key)
        host.not_before = max(host.not_before, self._clock() + seconds)

    @contextlib.contextmanager
    def slot(self, key: str, delay: float) -> Iterator[None]:
        """Hold the host's only slot and one global slot for the length of one request."""
        host = self._host(key)
        with host.lock:
            while True:
                wait = max(host.last_end + delay, host.not_before) - self._clock()
                if wait <= 0:
                    break
                self._sleep(wait)
            with self._global:
                try:
                    yield
                finally:
                    host.last_end = self._clock()
