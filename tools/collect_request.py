"""Whether a request asks for nothing beyond collecting ("이 기사 수집해 줘 https://...", "한겨레 경제 기사
3건 모아 줘"): then the crawl's own receipt (what was stored, where from, what failed) is the whole answer.

The small default model, asked to answer after such a crawl, wrote a citation fragment ("누리일보,
2026-12-03") or restated the page (docs/benchmarks/agent.md); the receipt is exact and costs no model call.
A request with anything more in it (a question, 요약, 브리핑, 알려 줘) still gets the model's answer.
"""

from __future__ import annotations

import re

from tools.news_sources import SECTIONS, known_outlets

__all__ = ["asks_only_to_collect"]

_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_COUNT = re.compile(r"\d+\s*(?:건|개|편|꼭지|쪽)")
# A word that asks to collect: the verb stem and whatever ending follows (수집해, 저장해 둬, 모아, 가져와).
_COLLECT = re.compile(r"^(?:수집|저장|크롤링|크롤|스크랩|색인|보관|긁어|모아|모으|가져와|가져다|담아|넣어)")
# Words that add no request of their own: pointers, "article", politeness, auxiliary verbs, time words.
_PLAIN = frozenset(
    "이 그 저 이거 이것 요거 그거 기사 뉴스 소식 글 페이지 링크 주소 url 피드 rss 사이트맵 sitemap 좀 다 "
    "전부 모두 모든 같이 함께 최신 최근 오늘 어제 주요 새 새로 지식 베이스 지식베이스 db 해 해줘 줘 줘요 "
    "주세요 줄래 줄래요 주라 둬 둬요 두세요 둬줘 놔 놔줘 놔요 놓아 줄 수 있어 있어요 있니 부탁해 부탁해요 "
    "부탁합니다 부탁 해요 하세요 하자 해라 해줄래 해주세요 해놔 해둬 하나 두 세 네 다섯 여러 몇".split()
)
_PARTICLE = re.compile(r"(?:에서|에다|으로|에게|에|로|을|를|은|는|가|의|들|도|만|좀|요)$")
_SECTION_WORDS = frozenset(name.lower() for names in SECTIONS.values() for name in names)


def _without_outlets(text: str) -> str:
    for outlet in known_outlets():
        for alias in sorted((outlet.name, *outlet.aliases), key=len, reverse=True):
            text = re.sub(re.escape(alias.lower()), " ", text)
    return text


def _plain(word: str) -> bool:
    while word and word not in _PLAIN and word not in _SECTION_WORDS:
        shorter = _PARTICLE.sub("", word)
        if shorter == word:
            return False
        word = shorter
    return True


def asks_only_to_collect(question: str) -> bool:
    """True when the question asks to collect or store pages and nothing else.

    >>> asks_only_to_collect("이 기사 수집해 줘 https://news.test/a"), asks_only_to_collect("이 링크 저장해 둬요")
    (True, True)
    >>> asks_only_to_collect("연합뉴스에서 경제 뉴스 5건 가져와 줘"), asks_only_to_collect("한겨레 최신 기사 모아 줘")
    (True, True)
    >>> asks_only_to_collect("이 기사 가져와서 몇 시까지 여는지 알려 줘 https://news.test/a")
    False
    >>> asks_only_to_collect("연합뉴스 기사 5건 모아서 브리핑해 줘"), asks_only_to_collect("https://news.test/a")
    (False, False)
    """
    text = _COUNT.sub(" ", _URL.sub(" ", question.lower()))
    words = re.findall(r"[0-9a-z가-힣]+", _without_outlets(text))
    collects = [w for w in words if _COLLECT.match(w)]
    return bool(collects) and all(_plain(w) for w in words if not _COLLECT.match(w))
