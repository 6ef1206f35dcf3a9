"""HTTPS through the pinned transport: we connect to the checked IP, TLS still verifies the hostname."""

from __future__ import annotations

import shutil
import ssl
import subprocess
import time

import pytest

from crawlers.fetch import Fetcher, NetworkError
from crawlers.fetch.robots import MemoryRobotsStore
from tests.crawlers.conftest import fast_settings
from tests.crawlers.crawlfixtures import HTML

pytestmark = pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command")


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    """A self-signed certificate for news.example.com (its own CA)."""
    folder = tmp_path_factory.mktemp("tls")
    key, cert = folder / "key.pem", folder / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-keyout", str(key),
         "-out", str(cert), "-subj", "/CN=news.example.com", "-addext", "subjectAltName=DNS:news.example.com"],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


@pytest.fixture
def https_site(http_server, certificate):
    cert, key = certificate
    server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_context.load_cert_chain(cert, key)
    routes = {"/robots.txt": (404, {}, b""), "/article/1": (200, HTML, "<p>보안 연결로 받은 기사</p>")}
    return http_server(routes, tls=server_context)


def _trusting(cert) -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=str(cert))
    return context


def test_https_connects_to_the_checked_ip_and_verifies_the_hostname(https_site, certificate, fake_internet):
    ip = fake_internet.add("news.example.com", https_site, port=443)
    with Fetcher(
        fast_settings(), resolver=fake_internet.resolver, ssl_context=_trusting(certificate[0])
    ) as fetcher:
        result = fetcher.fetch("https://news.example.com/article/1")
    assert "보안 연결로 받은 기사" in result.body.decode()
    assert set(fake_internet.attempts) == {(ip, 443)}
    assert https_site.hits("/article/1")[0].headers["host"] == "news.example.com"


def test_certificate_for_another_name_is_refused(https_site, certificate, fake_internet):
    fake_internet.add("other.example.org", https_site, port=443)
    with Fetcher(
        fast_settings(), resolver=fake_internet.resolver, ssl_context=_trusting(certificate[0])
    ) as fetcher:
        result = fetcher.try_fetch("https://other.example.org/article/1")
    # robots.txt is the first request to fail, so the page is refused with that cause in one line
    assert "보안 인증서를 확인할 수 없음" in str(result)
    assert https_site.hits() == []


def test_untrusted_certificate_is_refused(https_site, fake_internet):
    fake_internet.add("news.example.com", https_site, port=443)
    with Fetcher(fast_settings(), resolver=fake_internet.resolver) as fetcher:
        result = fetcher.try_fetch("https://news.example.com/article/1")
    assert https_site.hits() == []
    assert "보안 인증서를 확인할 수 없음" in str(result)


def test_tls_failure_on_the_page_itself_is_a_network_error(https_site, fake_internet):
    fake_internet.add("news.example.com", https_site, port=443)
    store = MemoryRobotsStore()
    store.put_robots("https://news.example.com:443", "allow_all", "", time.time())  # robots.txt known
    with Fetcher(fast_settings(), resolver=fake_internet.resolver, robots_store=store) as fetcher:
        result = fetcher.try_fetch("https://news.example.com/article/1")
    assert isinstance(result, NetworkError)
    assert str(result) == "보안 인증서를 확인할 수 없음 (HTTPS)"
    assert https_site.hits() == []
