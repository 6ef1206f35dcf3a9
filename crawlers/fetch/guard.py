"""SSRF guard: which URLs and addresses the crawler may reach.

The rules: http/https only, no userinfo, and every address a host resolves to must be public. A host
that resolves to any loopback, private, link-local (cloud metadata), multicast, reserved or unspecified
address, or an IPv4-mapped/compatible/NAT64/6to4/Teredo form of one, is refused. The transport connects to
the addresses this guard returned, never resolving twice, so DNS rebinding cannot swap them.

`Settings.allow_private` names host:port pairs that may be private (an intranet crawl, the tests' own
127.0.0.1 server); the ports in `forbidden_ports()` (Ollama's 11434, the embedded llama.cpp port) are
refused everywhere, whatever that list says.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from crawlers.fetch.errors import BlockedURL, NetworkError

log = logging.getLogger(__name__)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], list[str]]
"""(host, port) -> IP address strings. Injectable so tests answer DNS without a network."""

OLLAMA_PORT = 11434
_forbidden_lock = threading.Lock()
_forbidden_ports: set[int] = {OLLAMA_PORT}
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def forbid_port(port: int) -> None:
    """Never let the crawler reach `port` on any host (the LLM runtime calls this with its own port)."""
    with _forbidden_lock:
        _forbidden_ports.add(int(port))


def forbidden_ports() -> frozenset[int]:
    with _forbidden_lock:
        return frozenset(_forbidden_ports)


def system_resolver(host: str, port: int) -> list[str]:
    """Resolve through the OS (getaddrinfo), every address family, de-duplicated in order."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]).split("%")[0] for info in infos))


def parse_ip_loose(host: str) -> IPAddress | None:
    """Read `host` as an IP address the way browsers and inet_aton do, or None for a name.

    Catches the spellings that slip past a naive check: decimal, octal and hex parts, short forms.

    >>> str(parse_ip_loose("2130706433")), str(parse_ip_loose("0177.0.0.1")), str(parse_ip_loose("127.1"))
    ('127.0.0.1', '127.0.0.1', '127.0.0.1')
    >>> str(parse_ip_loose("0x7f.0.0.1")), str(parse_ip_loose("[::ffff:127.0.0.1]"))
    ('127.0.0.1', '::ffff:7f00:1')
    >>> parse_ip_loose("news.example.com") is None, parse_ip_loose("1.2.3.4.5") is None
    (True, True)
    """
    text = host.strip().rstrip(".").lower()
    if text.startswith("[") and text.endswith("]"):
        text = text[1:-1]
    try:
        return ipaddress.ip_address(text.split("%")[0])
    except ValueError:
        pass
    parts = text.split(".")
    if not 1 <= len(parts) <= 4:
        return None
    numbers = []
    for part in parts:
        try:
            if part.startswith("0x"):
                numbers.append(int(part[2:] or "0", 16))
            elif len(part) > 1 and part.startswith("0"):
                numbers.append(int(part, 8))
            else:
                numbers.append(int(part, 10))
        except ValueError:
            return None
    # The last part fills the remaining bytes (inet_aton): a.b.c.d, a.b.c(16 bits), a.b(24), a(32).
    *head, last = numbers
    if any(n > 255 for n in head) or last >= 256 ** (5 - len(numbers)):
        return None
    value = 0
    for n in head:
        value = value * 256 + n
    value = value * 256 ** (5 - len(numbers)) + last
    return ipaddress.IPv4Address(value)


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if ip.ipv4_mapped:
        return ip.ipv4_mapped
    if ip.sixtofour:
        return ip.sixtofour
    if ip.teredo:
        return ip.teredo[1]
    if ip in _NAT64 or int(ip) >> 32 == 0:  # NAT64 and the deprecated IPv4-compatible ::a.b.c.d
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def is_public(ip: IPAddress) -> bool:
    """True when `ip` (and any IPv4 address embedded in it) is a public unicast address.

    >>> [is_public(parse_ip_loose(a)) for a in ("93.184.216.34", "169.254.169.254", "10.1.2.3", "::1")]
    [True, False, False, False]
    >>> [is_public(parse_ip_loose(a)) for a in ("::ffff:10.0.0.1", "224.0.0.1", "0.0.0.0", "100.64.0.1")]
    [False, False, False, False]
    """
    if isinstance(ip, ipaddress.IPv6Address):
        inner = _embedded_ipv4(ip)
        if inner is not None and not is_public(inner):
            return False
        if ip.ipv4_mapped is not None:  # ::ffff:a.b.c.d is that IPv4 address on the wire
            return True
        if ip.is_site_local:
            return False
    flags = (
        ip.is_loopback,
        ip.is_private,
        ip.is_link_local,
        ip.is_multicast,
        ip.is_reserved,
        ip.is_unspecified,
    )
    return not any(flags) and ip.is_global


def _parse_pairs(pairs: Iterable[str]) -> frozenset[tuple[str, int]]:
    parsed = set()
    for pair in pairs:
        host, sep, port = pair.strip().lower().rpartition(":")
        if not sep or not port.isdigit():
            log.warning("ignoring allow_private entry %r: expected host:port", pair)
            continue
        parsed.add((host.strip("[]"), int(port)))
    return frozenset(parsed)


@dataclass(frozen=True)
class Target:
    """A URL that passed the syntax checks: scheme, lower-cased host (no brackets) and port."""

    url: str
    scheme: str
    host: str
    port: int

    @property
    def host_key(self) -> str:
        """The politeness key: one queue per host and port."""
        return f"{self.host}:{self.port}"


class HostNotFound(NetworkError):
    """DNS has no answer for the host."""

    reason = "dns"


class Guard:
    """Checks URLs and resolves hosts to addresses the crawler may connect to."""

    def __init__(
        self,
        allow_private: Iterable[str] = (),
        *,
        resolver: Resolver | None = None,
        extra_forbidden_ports: Iterable[int] = (),
    ) -> None:
        self._allowed = _parse_pairs(allow_private)
        self._resolver = resolver or system_resolver
        self._extra_ports = frozenset(extra_forbidden_ports)

    def check_url(self, url: str) -> Target:
        """Refuse a URL by its form alone (no DNS, no socket): scheme, userinfo, port, literal IPs."""
        try:
            parts = urlsplit(url.strip())
            port = parts.port
        except ValueError:
            raise BlockedURL("주소 형식이 잘못됨", url=url) from None
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https"):
            raise BlockedURL(f"http/https 주소만 가져올 수 있음 ({scheme or '스킴 없음'}:)", url=url)
        if parts.username is not None or parts.password is not None or "@" in parts.netloc:
            raise BlockedURL("사용자 정보(user@)가 들어 있는 주소는 차단됨", url=url)
        host = (parts.hostname or "").rstrip(".").lower()
        if not host:
            raise BlockedURL("주소에 호스트가 없음", url=url)
        target = Target(url=url, scheme=scheme, host=host, port=port or (443 if scheme == "https" else 80))
        self._check_port(target.host, target.port, url)
        literal = parse_ip_loose(host)
        if literal is not None:
            self._check_address(host, literal, target.port, url)
        return target

    def resolve(self, host: str, port: int) -> list[str]:
        """Every address of `host`, all of them checked; raises `BlockedURL` if any one is refused."""
        host = host.strip("[]").rstrip(".").lower()
        self._check_port(host, port, None)
        literal = parse_ip_loose(host)
        if literal is not None:
            self._check_address(host, literal, port, None)
            return [str(literal)]
        try:
            answers = self._resolver(host, port)
        except OSError as error:
            log.info("DNS lookup failed for %s: %s", host, error)
            raise HostNotFound(f"호스트 이름을 찾을 수 없음 ({host})") from None
        if not answers:
            raise HostNotFound(f"호스트 이름을 찾을 수 없음 ({host})")
        addresses = []
        for answer in answers:
            ip = parse_ip_loose(answer)
            if ip is None:
                raise BlockedURL(f"주소를 확인할 수 없음 ({host})")
            self._check_address(host, ip, port, None)
            addresses.append(str(ip))
        return addresses

    def _check_port(self, host: str, port: int, url: str | None) -> None:
        if port in forbidden_ports() or port in self._extra_ports:
            raise BlockedURL(f"로컬 LLM 서버 포트({port})는 크롤링할 수 없음", url=url)

    def _check_address(self, host: str, ip: IPAddress, port: int, url: str | None) -> None:
        if is_public(ip):
            return
        if (host, port) in self._allowed or (str(ip), port) in self._allowed:
            return
        log.info("refused %s (%s) port %s: not a public address", host, ip, port)
        raise BlockedURL(
            "사설 IP 주소는 차단됨" if host == str(ip) else f"사설 IP 주소는 차단됨 ({host})", url=url
        )
