"""`extract_text_paste`: find the article in the plain text of a whole page selected in a browser.

Such a paste holds menus, link lists, the article, comments and footers, one per line. The article is
the longest dense run of sentence-like Korean lines; its title is the headline-looking line just above
the date line ('입력 2026.11.23. 오전 9:12'); boilerplate lines are dropped as in HTML extraction.
"""

from __future__ import annotations

import hashlib
import re

from config import NuriError
from crawlers.article import Article, Source
from crawlers.extract.boilerplate import byline_names, clean_paragraphs, is_boilerplate, is_sentence
from crawlers.extract.dates import find_labeled_dates
from crawlers.extract.metadata import clean_title
from crawlers.extract.rules import rule_for
from crawlers.urls import canonicalize

__all__ = ["extract_text_paste"]

_DATE_LINE = re.compile(r"(?:기사\s*)?(?:입력|등록|송고|작성)\s*[:：]?\s*\d{4}\s*[.\-/년]")
_MAX_GAP = 2  # non-sentence lines (a subheading, a caption) allowed inside the article
_MIN_ARTICLE_CHARS = 100
# A photo caption inside the article: '▲ ...', '[사진=...]', or a line ending in a photo credit.
_CAPTION_END = re.compile(r"(?:제공|자료\s*사진|DB|사진|연합뉴스|뉴스1|뉴시스|기자|촬영)\s*[\])]?\s*$")
_OUTLET_SUBSCRIBE = re.compile(r"^(\S.{0,19}?)\s*구독$")
_UI_WORDS = re.compile(
    r"^(기사원문|추천|요약봇|본문 듣기|공유|글자 크기|댓글|SNS 보내기|인쇄하기|구독|언론사 홈)"
)


def _korean_sentence(line: str) -> bool:
    hangul = len(re.findall(r"[\uac00-\ud7a3]", line))
    return is_sentence(line) and hangul >= 0.3 * len(line.replace(" ", "")) and not is_boilerplate(line)


def _is_caption(line: str) -> bool:
    """
    >>> _is_caption("▲ 서울의 한 대형마트에서 시민이 배추를 고르고 있다."), _is_caption("배추를 고르는 시민. 연합뉴스")
    (True, True)
    >>> _is_caption("정부는 23일 새 대책을 발표했다.")
    False
    """
    stripped = line.strip()
    return stripped.startswith(("▲", "△", "[사진", "(사진")) or (
        len(stripped) <= 120 and not is_sentence(stripped) and bool(_CAPTION_END.search(stripped))
    )


def _best_run(lines: list[str]) -> tuple[int, int]:
    """[start, end) of the run of lines with the most sentence characters, allowing small gaps."""
    best = (0, 0, 0)
    start = None
    score = gap = 0
    last_sentence = -1
    for index, line in enumerate([*lines, ""]):
        if index < len(lines) and _korean_sentence(line):
            if start is None:
                start, score = index, 0
            score += len(line)
            last_sentence, gap = index, 0
            continue
        if start is None:
            continue
        gap += 1
        if gap > _MAX_GAP or index == len(lines):
            if score > best[2]:
                best = (start, last_sentence + 1, score)
            start, score, gap = None, 0, 0
    return best[0], best[1]


def _title_and_dates(lines: list[str], start: int):
    """Look above the article for the date line and the headline just before it."""
    window_start = max(0, start - 25)
    for index in range(start - 1, window_start - 1, -1):
        if _DATE_LINE.search(lines[index]):
            published, updated = find_labeled_dates(" ".join(lines[index : min(start, index + 3)]))
            for candidate in range(index - 1, max(window_start, index - 6) - 1, -1):
                line = lines[candidate]
                if 8 <= len(line) <= 150 and not is_boilerplate(line) and not _UI_WORDS.match(line):
                    return line, published, updated, index
            return None, published, updated, index
    for index in range(start - 1, window_start - 1, -1):
        line = lines[index]
        if 8 <= len(line) <= 150 and not is_sentence(line) and not is_boilerplate(line):
            return line, None, None, index
    return None, None, None, start


def extract_text_paste(text: str, url: str | None = None) -> Article:
    """Find the article in pasted page text. Raises `NuriError` when no article-like run exists."""
    lines = [re.sub(r"\s+", " ", line).strip() for line in text.splitlines()]
    lines = [line for line in lines if line]
    start, end = _best_run(lines)
    captions = [line for line in lines[start:end] if _is_caption(line)]
    paragraphs, byline = clean_paragraphs(line for line in lines[start:end] if line not in captions)
    body = "\n\n".join(paragraphs)
    if len(body) < _MIN_ARTICLE_CHARS:
        raise NuriError(
            "붙여 넣은 글에서 기사 본문을 찾지 못했습니다. 기사 부분이 모두 들어가도록 다시 복사해 붙여 넣으세요."
        )
    title, published, updated, header = _title_and_dates(lines, start)
    if published is None:
        published, updated = find_labeled_dates("\n".join(lines[:start]))
    authors = list(byline)
    for line in lines[header:start] + lines[end : end + 5]:
        if len(line) <= 40 and "기자" in line:
            authors.extend(name for name in byline_names(line) if name not in authors)
    rule = rule_for(url)
    outlet = rule.outlet if rule else None
    for line in lines[max(0, header - 4) : header]:
        # Naver pages show the outlet's name with a subscribe button just above the headline.
        subscribe = _OUTLET_SUBSCRIBE.match(line)
        if subscribe and not outlet:
            outlet = subscribe.group(1)
    title = clean_title(title or paragraphs[0][:80], [outlet] if outlet else [])
    page_url = url or f"paste:{hashlib.sha256(text.encode('utf-8')).hexdigest()[:16]}"
    canonical = canonicalize(page_url)
    return Article(
        url=page_url,
        canonical_url=canonical,
        title=title,
        text=body,
        published=published,
        updated=updated,
        authors=authors,
        outlet=outlet,
        language="ko",
        captions=captions,
        sources=[Source(outlet=outlet, url=canonical)],
    )
