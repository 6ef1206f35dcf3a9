"""Discovery: feeds, sitemaps (news, index, gzip), section pages by site rule and by the generic rule."""

from __future__ import annotations

import gzip
from pathlib import Path

from crawlers.discover import MAX_SITEMAP_BYTES, parse_feed, parse_sitemap, section_links

FIXTURES = Path(__file__).parent / "fixtures"


def read(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def test_rss_feed_links_canonical_and_deduplicated():
    links = parse_feed(read("yonhap.rss.xml"), "https://www.yna.co.kr/rss/news.xml")
    assert links == [
        "https://www.yna.co.kr/view/AKR20261123045100004?input=1195m",
        "https://www.yna.co.kr/view/AKR20261122011200003",
        "https://www.yna.co.kr/view/AKR20261121000300005",
    ]


def test_atom_feed_relative_links_resolve_against_xml_base():
    links = parse_feed(read("hani.atom.xml"), "https://www.hani.co.kr/rss/politics/")
    assert links == [
        "https://www.hani.co.kr/arti/politics/assembly/1200001.html",
        "https://www.hani.co.kr/arti/politics/politics_general/1199999.html",
    ]


def test_garbage_feed_gives_no_links():
    assert parse_feed(b"<html><body>not a feed</body></html>", "https://example.com/rss") == []


def test_google_news_sitemap():
    pages, children = parse_sitemap(
        read("chosun.news-sitemap.xml"), "https://www.chosun.com/arc/outboundfeeds/news-sitemap/"
    )
    assert pages == [
        "https://www.chosun.com/national/education/2026/11/23/ABCDEFGHIJKLMNOPQRSTUVWX12/",
        "https://www.chosun.com/economy/2026/11/22/ZYXWVUTSRQPONMLKJIHGFEDCBA/",
    ]
    assert children == []


def test_sitemap_index_lists_children_but_not_itself():
    pages, children = parse_sitemap(read("mk.sitemap-index.xml"), "https://www.mk.co.kr/sitemap/index.xml")
    assert pages == []
    assert children == [
        "https://www.mk.co.kr/sitemap/daily-articles/20261123.xml",
        "https://www.mk.co.kr/sitemap/daily-articles/20261122.xml",
    ]


def test_gzipped_sitemap_and_its_size_cap():
    pages, _ = parse_sitemap(
        gzip.compress(read("chosun.news-sitemap.xml")), "https://www.chosun.com/sitemap.xml.gz"
    )
    assert len(pages) == 2
    bomb = gzip.compress(b"<urlset>" + b" " * (MAX_SITEMAP_BYTES + 10) + b"</urlset>")
    assert len(bomb) < 200_000
    assert parse_sitemap(bomb, "https://example.com/bomb.xml.gz") == ([], [])


def test_sitemap_entities_are_not_expanded(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    xxe = (
        f'<?xml version="1.0"?><!DOCTYPE u [<!ENTITY x SYSTEM "file://{secret}">]>'
        "<urlset><url><loc>https://example.com/a/&x;</loc></url></urlset>"
    ).encode()
    pages, _ = parse_sitemap(xxe, "https://example.com/sitemap.xml")
    assert all("TOP-SECRET" not in page for page in pages)


def test_plain_text_sitemap():
    pages, children = parse_sitemap(
        b"https://example.com/news/1001\nhttps://example.com/news/1002\n", "https://example.com/s.txt"
    )
    assert pages == ["https://example.com/news/1001", "https://example.com/news/1002"] and children == []


def test_section_page_by_site_rule():
    links = section_links(read("yonhap.section.html").decode(), "https://www.yna.co.kr/society/all")
    # Only links that match the Yonhap rule's article pattern: no paging, photos, menus or look-alike hosts.
    assert links == [
        "https://www.yna.co.kr/view/AKR20261123045100004?section=society%2Fall",
        "https://www.yna.co.kr/view/AKR20261123039200005",
        "https://www.yna.co.kr/view/AKR20261123031800002",
        "https://www.yna.co.kr/view/AKR20261123045100004",
    ]


def test_section_page_generic_rule_keeps_same_site_article_links_only():
    links = section_links(
        read("generic.section.html").decode(),
        "https://www.bluesea-news.example/news/articleList.html?sc_section_code=S1N1",
    )
    assert links == [
        "https://www.bluesea-news.example/news/articleView.html?idxno=40001",
        "https://www.bluesea-news.example/news/articleView.html?idxno=39990",
        "https://www.bluesea-news.example/2026/11/19/fishing-port-renewal/",
    ]
