"""SSRF guard: refused URLs never open a socket to a refused address, on the first hop or any later one."""

from __future__ import annotations

import socket

import pytest

from crawlers.fetch import BlockedURL, Fetcher, RobotsDisallowed, TooManyRedirects
from crawlers.fetch import guard as guard_module
from tests.crawlers.conftest import fast_settings, mapping_resolver

HTML = {"Content-Type": "text/html; charset=utf-8"}


@pytest.fixture
def connects(monkeypatch) -> list[tuple]:
    """Record every connect() attempt (on top of the loopback guard)."""
    attempts: list[tuple] = []
    guarded = socket.socket.connect

    def connect(sock, address, *args):
        attempts.append(address)
        return guarded(sock, address, *args)

    monkeypatch.setattr(socket.socket, "connect", connect)
    return attempts


def test_metadata_ip_refused_before_any_socket_opens(connects):
    lookups: list[str] = []

    def resolver(host, port):
        lookups.append(host)
        return ["169.254.169.254"]

    with Fetcher(fast_settings(), resolver=resolver) as fetcher:
        result = fetcher.try_fetch("http://169.254.169.254/latest/meta-data/iam/")
    assert isinstance(result, BlockedURL)
    assert "사설 IP" in str(result)
    assert connects == [] and lookups == []


@pytest.mark.parametrize(
    "spelling",
    ["127.0.0.1", "localhost", "[::1]", "0.0.0.0", "2130706433", "0177.0.0.1", "127.1", "[::ffff:127.0.0.1]"],
)
def test_loopback_in_every_spelling_is_refused(spelling, http_server, connects):
    secret = http_server({"/": (200, HTML, "<p>내부 서버</p>")})
    with Fetcher(fast_settings()) as fetcher:  # no allow_private: the fixture server is not named
        result = fetcher.try_fetch(f"http://{spelling}:{secret.port}/")
    assert isinstance(result, BlockedURL), result
    assert secret.hits() == []
    assert connects == []


def test_ollama_port_refused_even_when_allowed(connects):
    settings = fast_settings(allow_private=["127.0.0.1:11434", "localhost:11434"])
    with Fetcher(settings) as fetcher:
        for url in ("http://127.0.0.1:11434/api/tags", "http://localhost:11434/api/generate"):
            result = fetcher.try_fetch(url)
            assert isinstance(result, BlockedURL)
            assert "11434" in str(result)
    assert connects == []


def test_registered_llm_port_refused_even_when_allowed(http_server, monkeypatch):
    monkeypatch.setattr(guard_module, "_forbidden_ports", {guard_module.OLLAMA_PORT})
    llm = http_server({"/v1/models": (200, {"Content-Type": "application/json"}, "{}")})
    guard_module.forbid_port(llm.port)
    with Fetcher(fast_settings(llm)) as fetcher:
        result = fetcher.try_fetch(llm.url("/v1/models"))
    assert isinstance(result, BlockedURL)
    assert llm.hits() == []


def test_allowed_private_pair_is_reachable(http_server):
    page = http_server({"/": (200, HTML, "<p>사내 위키</p>")})
    with Fetcher(fast_settings(page)) as fetcher:
        result = fetcher.fetch(page.url("/"))
    assert result.status == 200 and "사내 위키" in result.body.decode()


def test_name_resolving_to_10_x_is_refused(connects):
    with Fetcher(fast_settings(), resolver=mapping_resolver({"intranet.example.com": "10.0.0.5"})) as fetcher:
        result = fetcher.try_fetch("https://intranet.example.com/admin")
    assert isinstance(result, BlockedURL)
    assert connects == []


def test_any_private_answer_refuses_the_host(connects):
    def resolver(host, port):
        return ["93.184.216.34", "192.168.0.10"]

    with Fetcher(fast_settings(), resolver=resolver) as fetcher:
        assert isinstance(fetcher.try_fetch("http://mixed.example.com/"), BlockedURL)
    assert connects == []


def test_rebinding_resolver_never_reaches_loopback(http_server, fake_internet):
    """The first answer is public, every later one loopback: each connection uses the address it checked."""
    # Connection: close forces a fresh connection (and a fresh DNS answer) per request.
    public = http_server(
        {
            "/robots.txt": (404, {"Connection": "close"}, b""),
            "/news": (200, {**HTML, "Connection": "close"}, "<p>공개 기사</p>"),
        }
    )
    private = http_server({"/news": (200, HTML, "<p>내부 관리 화면</p>")})
    fake_internet.add("rebind.example.com", public, port=private.port)
    answers = iter(["93.184.216.10"])

    def resolver(host, port):
        return [next(answers, "127.0.0.1")]

    with Fetcher(fast_settings(), resolver=resolver) as fetcher:
        result = fetcher.try_fetch(f"http://rebind.example.com:{private.port}/news")
    assert isinstance(result, BlockedURL)  # the robots.txt connection used answer 1, the page got answer 2
    assert private.hits() == []
    assert [path for path in (r.path for r in public.hits())] == ["/robots.txt"]
    assert all(address[0] != "127.0.0.1" or address[1] == public.port for address in fake_internet.attempts)


def test_public_page_redirecting_to_loopback_is_refused_at_that_hop(http_server, fake_internet):
    private = http_server({"/": (200, HTML, "<p>비밀</p>")})
    public = http_server(
        {
            "/robots.txt": (404, {}, b""),
            "/go": (302, {"Location": f"http://127.0.0.1:{private.port}/"}, b""),
            "/go-meta": (301, {"Location": "http://169.254.169.254/latest/meta-data/"}, b""),
        }
    )
    fake_internet.add("news.example.com", public)
    with Fetcher(fast_settings(), resolver=fake_internet.resolver) as fetcher:
        first = fetcher.try_fetch("http://news.example.com/go")
        second = fetcher.try_fetch("http://news.example.com/go-meta")
    assert isinstance(first, BlockedURL) and first.url == f"http://127.0.0.1:{private.port}/"
    assert isinstance(second, BlockedURL)
    assert private.hits() == []
    assert [r.path for r in public.hits()] == ["/robots.txt", "/go", "/go-meta"]


def _chain(n: int) -> dict:
    routes = {f"/r{i}": (302, {"Location": f"/r{i + 1}"}, b"") for i in range(n)}
    routes[f"/r{n}"] = (200, HTML, "<p>도착</p>")
    return routes


def test_five_redirects_are_followed(http_server):
    server = http_server(_chain(5))
    with Fetcher(fast_settings(server)) as fetcher:
        result = fetcher.fetch(server.url("/r0"))
    assert result.final_url == server.url("/r5") and len(result.redirects) == 5


def test_sixth_redirect_stops(http_server):
    server = http_server(_chain(6))
    with Fetcher(fast_settings(server)) as fetcher:
        result = fetcher.try_fetch(server.url("/r0"))
    assert isinstance(result, TooManyRedirects)
    assert "리디렉션" in str(result)
    assert server.hits("/r6") == []


def test_redirect_hop_is_checked_against_robots(http_server):
    server = http_server(
        {
            "/robots.txt": (200, {"Content-Type": "text/plain"}, "User-agent: *\nDisallow: /private\n"),
            "/open": (302, {"Location": "/private/page"}, b""),
            "/private/page": (200, HTML, "<p>비공개</p>"),
        }
    )
    with Fetcher(fast_settings(server)) as fetcher:
        result = fetcher.try_fetch(server.url("/open"))
    assert isinstance(result, RobotsDisallowed)
    assert server.hits("/private/page") == []


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://ftp.example.com/pub/file.txt",
        "gopher://example.com:70/_GET%20/",
        "data:text/html,<p>hi</p>",
        "http://user:secret@news.example.com/",
        "http://admin@news.example.com/",
        "https://news.example.com@127.0.0.1/",
    ],
)
def test_non_http_and_userinfo_urls_are_refused(url, connects):
    with Fetcher(
        fast_settings(), resolver=mapping_resolver({"news.example.com": "93.184.216.34"})
    ) as fetcher:
        result = fetcher.try_fetch(url)
    assert isinstance(result, BlockedURL)
    assert connects == []


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.216.34", True),
        ("2606:2800:220:1:248:1893:25c8:1946", True),
        ("::ffff:93.184.216.34", True),
        ("172.16.0.1", False),
        ("192.168.255.255", False),
        ("100.64.0.1", False),  # carrier-grade NAT
        ("169.254.169.254", False),
        ("fe80::1", False),
        ("fc00::1", False),
        ("ff02::1", False),
        ("::", False),
        ("::127.0.0.1", False),  # IPv4-compatible
        ("2002:7f00:1::", False),  # 6to4 around 127.0.0.1
        ("2002:a00:1::", False),  # 6to4 around 10.0.0.1
        ("64:ff9b::a9fe:a9fe", False),  # NAT64 around 169.254.169.254
        ("0x7f000001", False),
        ("10.1", False),
        ("255.255.255.255", False),
    ],
)
def test_address_classification(address, public):
    assert guard_module.is_public(guard_module.parse_ip_loose(address)) is public
