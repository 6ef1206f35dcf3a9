"""Canonical URLs and the same-site test (never a string prefix: CVE-2024-0243)."""

from __future__ import annotations

import socket

import pytest

from crawlers.urls import canonicalize, registrable_domain, same_site


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "https://n.news.naver.com/mnews/article/001/0015000001?sid=100",
            "https://n.news.naver.com/article/001/0015000001",
        ),
        (
            "https://news.naver.com/main/read.nhn?mode=LSD&oid=001&aid=0015000001",
            "https://n.news.naver.com/article/001/0015000001",
        ),
        (
            "https://m.news.naver.com/read.nhn?oid=001&aid=0015000001",
            "https://n.news.naver.com/article/001/0015000001",
        ),
        (
            "https://n.news.naver.com/article/comment/001/0015000001",
            "https://n.news.naver.com/article/001/0015000001",
        ),
        (
            "https://m.entertain.naver.com/home/article/311/0001800001",
            "https://m.entertain.naver.com/article/311/0001800001",
        ),
        (
            "https://entertain.naver.com/now/read?oid=311&aid=0001800001",
            "https://m.entertain.naver.com/article/311/0001800001",
        ),
        (
            "https://sports.news.naver.com/news.nhn?oid=413&aid=0000200001",
            "https://m.sports.naver.com/article/413/0000200001",
        ),
        (
            "https://m.sports.naver.com/kbaseball/article/413/0000200001",
            "https://m.sports.naver.com/article/413/0000200001",
        ),
        ("https://news.v.daum.net/v/20261123101500123?f=o", "https://v.daum.net/v/20261123101500123"),
        (
            "https://www.yna.co.kr/view/AKR1?utm_source=naver&utm_campaign=x&input=1195m",
            "https://www.yna.co.kr/view/AKR1?input=1195m",
        ),
        ("HTTP://Example.COM:80/a?b=2&a=1&fbclid=z&gclid=y#frag", "http://example.com/a?a=1&b=2"),
        ("https://example.com.:443", "https://example.com/"),
    ],
)
def test_canonicalize(url, expected):
    assert canonicalize(url) == expected


def test_canonicalize_is_idempotent():
    for url in [
        "https://www.yna.co.kr/view/AKR1?b=1&a=2",
        "https://news.naver.com/main/read.naver?oid=1&aid=2",
    ]:
        once = canonicalize(url)
        assert canonicalize(once) == once


def test_non_http_urls_are_left_alone():
    assert canonicalize("paste:abc") == "paste:abc"
    assert canonicalize("file:///tmp/a.html") == "file:///tmp/a.html"


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("https://www.chosun.com/a", "https://chosun.com/b", True),
        ("https://news.kbs.co.kr/", "https://mnews.kbs.co.kr/", True),
        ("https://www.yna.co.kr/", "https://www.yna.co.kr.evil.test/", False),
        ("https://example.com.evil.test/", "https://example.com/", False),
        ("https://evilexample.com/", "https://example.com/", False),
        ("https://a.co.kr/", "https://b.co.kr/", False),
        ("https://blog.naver.com/x", "https://n.news.naver.com/y", True),
        ("http://10.0.0.1/", "http://10.0.0.2/", False),
        ("not a url", "https://example.com/", False),
    ],
)
def test_same_site(a, b, same):
    assert same_site(a, b) is same
    assert same_site(b, a) is same


def test_registrable_domain_uses_the_bundled_list_without_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("tldextract tried to reach the network")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    assert registrable_domain("https://www.example.co.uk/news") == "example.co.uk"
    assert registrable_domain("https://a.b.hankyung.com/") == "hankyung.com"
