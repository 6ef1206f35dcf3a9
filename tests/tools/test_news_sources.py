"""The table of known outlets and how a source string ("연합뉴스 경제", a feed URL) becomes what to crawl."""

from __future__ import annotations

import tomllib
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from config import NuriError
from tools.news_sources import SECTIONS, known_outlets, outlet_name, resolve_source

ROOT = Path(__file__).resolve().parents[2]


def test_table_is_well_formed():
    outlets = known_outlets()
    assert len(outlets) >= 16
    assert len({o.id for o in outlets}) == len(outlets)
    names = [o.name for o in outlets]
    assert {
        "연합뉴스",
        "한겨레",
        "경향신문",
        "동아일보",
        "조선일보",
        "중앙일보",
        "한국일보",
        "매일경제",
    } <= set(names)
    assert {"한국경제", "SBS", "KBS", "MBC", "JTBC", "YTN", "뉴시스", "뉴스1"} <= set(names)
    for outlet in outlets:
        assert outlet.checked, outlet.id  # every entry says whether it was checked
        assert urlsplit(outlet.homepage).scheme == "https"
        for section, url in outlet.feeds.items():
            assert section in SECTIONS, (outlet.id, section)
            assert urlsplit(url).scheme == "https" and urlsplit(url).hostname, url


def test_no_alias_names_two_outlets():
    seen: dict[str, str] = {}
    for outlet in known_outlets():
        for alias in (outlet.name, *outlet.aliases):
            key = " ".join(alias.lower().split())
            assert seen.setdefault(key, outlet.id) == outlet.id, f"{alias!r}: {seen[key]} and {outlet.id}"


def test_feeds_agree_with_the_site_rules():
    """Where crawlers/extract/sites.toml lists an outlet's own feed, our table has the same feed."""
    rules = tomllib.loads((ROOT / "crawlers/extract/sites.toml").read_text(encoding="utf-8"))["site"]
    by_name = {o.name: o for o in known_outlets()}
    checked = 0
    for rule in rules:
        for feed in rule.get("feeds", []):
            outlet = by_name.get(rule.get("outlet", ""))
            assert outlet is not None, rule["id"]
            assert feed in outlet.feeds.values(), (rule["id"], feed)
            checked += 1
    assert checked >= 10


@pytest.mark.parametrize(
    ("source", "outlet", "section", "feed"),
    [
        ("연합뉴스 경제", "연합뉴스", "경제", "https://www.yna.co.kr/rss/economy.xml"),
        ("yna 경제", "연합뉴스", "경제", "https://www.yna.co.kr/rss/economy.xml"),
        ("Yonhap economy", "연합뉴스", "경제", "https://www.yna.co.kr/rss/economy.xml"),
        ("오늘 연합뉴스 경제 기사 5건", "연합뉴스", "경제", "https://www.yna.co.kr/rss/economy.xml"),
        ("연합뉴스", "연합뉴스", "전체", "https://www.yna.co.kr/rss/news.xml"),
        ("한겨레", "한겨레", "전체", "https://www.hani.co.kr/rss/"),
        ("hankyoreh IT", "한겨레", "IT·과학", "https://www.hani.co.kr/rss/science/"),
        ("한겨레신문 과학", "한겨레", "IT·과학", "https://www.hani.co.kr/rss/science/"),
        ("동아일보 사회", "동아일보", "사회", "https://rss.donga.com/national.xml"),
        ("한국경제", "한국경제", "전체", "https://www.hankyung.com/feed/all-news"),  # not 경제 of 한국일보
        ("매일경제 경제", "매일경제", "경제", "https://www.mk.co.kr/rss/30100041/"),
        (
            "SBS 정치 뉴스",
            "SBS",
            "정치",
            "https://news.sbs.co.kr/news/SectionRssFeed.do?sectionId=01&plink=RSSREADER",
        ),
        (
            "세계일보 세계",
            "세계일보",
            "국제",
            "https://www.segye.com/Articles/RSSList/segye_international.xml",
        ),
    ],
)
def test_outlet_and_section_resolve_to_the_feed(source, outlet, section, feed):
    plan = resolve_source(source)
    assert (plan.outlet, plan.section, plan.feeds, plan.pages) == (outlet, section, (feed,), ())
    assert not plan.note


def test_outlet_without_feed_reads_its_home_page():
    plan = resolve_source("KBS 뉴스")
    assert plan.feeds == () and plan.pages == ("https://news.kbs.co.kr/news/pc/main/main.html",)
    assert plan.label == "KBS 첫 화면"


def test_unrecognised_words_take_the_whole_news_feed_and_say_so():
    plan = resolve_source("연합뉴스 모아서 브리핑해 줘")
    assert plan.section == "전체" and "모아서 브리핑해 줘" in plan.note and "전체 기사" in plan.note


def test_a_section_the_outlet_lacks_is_a_korean_error_naming_what_it_has():
    with pytest.raises(NuriError) as error:
        resolve_source("중앙일보 경제")
    assert "중앙일보의 '경제' 분야 피드를 모릅니다" in str(error.value) and "아는 분야: 전체" in str(
        error.value
    )


@pytest.mark.parametrize("source", ["바다신문", "market news", "  ", "뉴욕타임스 경제"])
def test_unknown_outlet_lists_the_known_ones(source):
    with pytest.raises(NuriError) as error:
        resolve_source(source)
    message = str(error.value)
    assert "연합뉴스" in message and "한겨레" in message and "https://" in message


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("https://news.example.kr/rss/economy.xml", "feed"),
        ("https://news.example.kr/feed/", "feed"),
        ("https://news.example.kr/atom.xml", "feed"),
        ("https://news.example.kr/sitemap-news.xml", "page"),
        ("https://news.example.kr/sitemap_index.xml", "page"),
        ("https://news.example.kr/section/economy", "page"),
        ("http://127.0.0.1:8080/list?page=2", "page"),
    ],
)
def test_urls_are_taken_as_given(url, kind):
    plan = resolve_source(url)
    assert (plan.feeds, plan.pages) == (((url,), ()) if kind == "feed" else ((), (url,)))
    assert plan.outlet is None and url in plan.label


def test_outlet_name_maps_aliases_to_the_stored_name():
    assert [outlet_name(x) for x in ("연합", "YNA", "Kyunghyang", "jtbc", "한빛일보")] == [
        "연합뉴스",
        "연합뉴스",
        "경향신문",
        "JTBC",
        "한빛일보",
    ]
