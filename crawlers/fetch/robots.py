"""robots.txt per RFC 9309, parsed with protego and cached per origin.

A 2xx body is parsed (its first 500 KiB, as the RFC allows); any other 4xx means "no rules" (allow all);
429, 5xx, a network error or a refused address mean "unreachable" (disallow all). Results live in memory and
in a `RobotsStore` (the crawl state in the data dir), for at most `ttl` seconds; an unreachable answer is
kept for at most `UNREACHABLE_TTL`, so a server that recovers is asked again soon.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal, Protocol

from protego import Protego

from crawlers.fetch.errors import BlockedURL, FetchError
from crawlers.fetch.guard import HostNotFound, Target

log = logging.getLogger(__name__)

MAX_ROBOTS_BYTES = 500 * 1024
UNREACHABLE_TTL = 600.0
Kind = Literal["rules", "allow_all", "disallow_all"]
RobotsFetch = Callable[[str], tuple[int, bytes]]
"""(robots.txt URL) -> (final status, body); raises FetchError when unreachable."""


class RobotsStore(Protocol):
    def get_robots(self, origin: str) -> tuple[str, str, float] | None: ...

    def put_robots(self, origin: str, kind: str, body: str, fetched_at: float) -> None: ...


class MemoryRobotsStore:
    """A store that forgets at exit (the default when no crawl state is given)."""

    def __init__(self) -> None:
        self._data: dict[str, tuple[str, str, float]] = {}

    def get_robots(self, origin: str) -> tuple[str, str, float] | None:
        return self._data.get(origin)

    def put_robots(self, origin: str, kind: str, body: str, fetched_at: float) -> None:
        self._data[origin] = (kind, body, fetched_at)


def truncate_robots(body: bytes) -> str:
    """Keep the first 500 KiB, cut back to the last whole line, decoded as UTF-8.

    >>> truncate_robots(b"User-agent: *\\nDisallow: /a\\n")
    'User-agent: *\\nDisallow: /a\\n'
    >>> len(truncate_robots(b"Disallow: /x\\n" * 100_000)) <= 500 * 1024
    True
    """
    if len(body) > MAX_ROBOTS_BYTES:
        body = body[:MAX_ROBOTS_BYTES]
        body = body[: body.rfind(b"\n") + 1] or body
    return body.decode("utf-8", errors="replace")


@dataclass
class RobotsRules:
    """One origin's answer. For "disallow_all", `body` holds why robots.txt was unreachable."""

    kind: Kind
    body: str
    fetched_at: float
    _parsed: Protego | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.kind == "rules":
            self._parsed = Protego.parse(self.body)

    def allows(self, url: str, agent: str) -> bool:
        if self.kind != "rules":
            return self.kind == "allow_all"
        return self._parsed.can_fetch(url, agent)

    def crawl_delay(self, agent: str) -> float | None:
        return self._parsed.crawl_delay(agent) if self._parsed is not None else None

    def fresh(self, ttl: float, now: float) -> bool:
        limit = ttl if self.kind != "disallow_all" else min(ttl, UNREACHABLE_TTL)
        return 0 <= now - self.fetched_at < limit


def agent_token(user_agent: str) -> str:
    """The product token robots.txt groups are matched against.

    >>> agent_token("nuri-bot/0.1 (+https://example.org/bot)")
    'nuri-bot'
    """
    return user_agent.split("/", 1)[0].split()[0].strip() or user_agent


class RobotsCache:
    """Answers "may we fetch this URL, and how slowly" for each origin, fetching robots.txt once per TTL."""

    def __init__(
        self,
        fetch: RobotsFetch,
        *,
        user_agent: str,
        ttl: float,
        store: RobotsStore | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._fetch = fetch
        self._agent = agent_token(user_agent)
        self._ttl = min(ttl, 86_400.0)
        self._store = store or MemoryRobotsStore()
        self._clock = clock
        self._memory: dict[str, RobotsRules] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._locks_guard = threading.Lock()

    @property
    def agent(self) -> str:
        return self._agent

    def rules(self, target: Target) -> RobotsRules:
        origin = f"{target.scheme}://{target.host}:{target.port}"
        with self._locks_guard:
            lock = self._locks.setdefault(origin, threading.Lock())
        with lock:  # one robots.txt request per origin, however many pages wait for it
            now = self._clock()
            rules = self._memory.get(origin)
            if rules is None:
                stored = self._store.get_robots(origin)
                if stored is not None:
                    rules = RobotsRules(kind=stored[0], body=stored[1], fetched_at=stored[2])  # type: ignore[arg-type]
            if rules is None or not rules.fresh(self._ttl, now):
                rules = self._download(origin, target)
                self._store.put_robots(origin, rules.kind, rules.body, rules.fetched_at)
            self._memory[origin] = rules
            return rules

    def _download(self, origin: str, target: Target) -> RobotsRules:
        host = f"[{target.host}]" if ":" in target.host else target.host
        default_port = 443 if target.scheme == "https" else 80
        netloc = host if target.port == default_port else f"{host}:{target.port}"
        url = f"{target.scheme}://{netloc}/robots.txt"
        now = self._clock()
        try:
            status, body = self._fetch(url)
        except (BlockedURL, HostNotFound):
            raise  # the page itself cannot be reached either: report that, not robots.txt
        except FetchError as error:
            log.info("robots.txt unreachable at %s (%s): disallow all", url, error.reason)
            return RobotsRules("disallow_all", str(error), now)
        if 200 <= status < 300:
            return RobotsRules("rules", truncate_robots(body), now)
        if 400 <= status < 500 and status != 429:
            return RobotsRules("allow_all", "", now)
        if 300 <= status < 400:  # redirects ran out: RFC 9309 treats that as unavailable
            return RobotsRules("allow_all", "", now)
        log.info("robots.txt at %s answered %s: disallow all", url, status)
        return RobotsRules("disallow_all", f"상태 {status}", now)
