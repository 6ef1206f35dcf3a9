"""Line-level clean-up shared by every extraction path: bylines, copyright, prompts, related-article lists.

Patterns that could also occur in real prose only apply to short lines, so a sentence such as
'구독 경제가 커지면서 ...' survives while a '구독하기' button does not.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["clean_paragraphs", "is_boilerplate", "split_dateline", "byline_names", "SHORT_LINE"]

SHORT_LINE = 60

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_ALWAYS = re.compile(
    r"무단\s*전재|재배포\s*금지|무단\s*복제|All\s+rights\s+reserved|AI\s*(?:학습|데이터)\s*(?:이용|활용)\s*금지",
    re.IGNORECASE,
)
# Copyright words also occur in news about copyright: they mark boilerplate only outside sentences.
_COPYRIGHT = re.compile(r"Copyright|저작권자|ⓒ|©|\(c\)", re.IGNORECASE)
# Link markers. Not ■ ◇ ◆ ●: Korean articles use those for subheadings and list items (인사, 부음).
_MARKER_START = re.compile(r"^\s*(?:[▶☞▷►]|\[\s*관련\s*기사|<\s*관련\s*기사|관련\s*기사)")
# Promotions written as sentences ('다양한 채널에서 연합뉴스를 만나보세요!'): dropped when short.
_PROMO = re.compile(
    r"만나\s*보세요|구독\s*하세요|구독해\s*주세요|추가\s*하세요|설치\s*하세요|눌러\s*주세요|검색해\s*채널"
)
_RELATED_HEAD = re.compile(r"^\s*(?:[▶☞▷■\[<]\s*)?(?:관련\s*기사|함께\s*보면\s*좋은|추천\s*기사|많이\s*본)")
_PROMPTS = re.compile(
    r"구독|앱\s*(?:설치|다운)|다운로드|카카오톡|카톡|제보|좋아요|댓글|공유하기|공유|글자\s*크기|글씨\s*크기|"
    r"기사\s*듣기|본문\s*듣기|인쇄|스크랩|바로\s*가기|바로가기|로그인|팔로우|알림\s*받기|채널\s*추가|"
    r"네이버\s*메인|많이\s*본|실시간\s*인기|추천\s*기사|기사\s*원문|언론사\s*홈|전체\s*메뉴|"
    r"SNS\s*보내기|텍스트\s*음성\s*변환|요약봇|번역|광고|AD$|Advertisement",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"(?:[다요죠음함됨임까니][.!?…]?|[.!?…]|[.!?][\"'”’)\]]?|[\"”’)\]])\s*$")
_END_MARK = re.compile(r"^\s*[\(\[]?\s*끝\s*[\)\]]?\s*$")
_PHOTO_CREDIT = re.compile(r"^\s*[\[(]?\s*(?:사진|그래픽|자료|영상)\s*[=:]\s*[^\])]{0,30}[\])]?\s*$")
# "(서울=연합뉴스) 홍길동 기자 = " / "[서울=뉴시스]홍길동 기자 = " / "【서울=뉴시스】"
_DATELINE = re.compile(
    r"^\s*[\(\[【]\s*[^\)\]】=]{1,15}\s*=\s*[^\)\]】]{1,15}[\)\]】]\s*"
    r"((?:[가-힣]{2,4}(?:\s*·\s*[가-힣]{2,4})*\s*(?:기자|특파원|선임기자|기자단))?)\s*=?\s*"
)
# Broadcast transcripts: cue marks, the reporter's sign-off, and production credits.
_CUE = re.compile(
    r"^\s*(?:\[\s*(?:앵커|리포트|기자|인터뷰|녹취|멘트|앵커멘트)\s*\]|◀\s*(?:앵커|리포트)\s*▶)\s*$"
)
_SIGN_OFF = re.compile(
    r"^\s*(?:[A-Za-z가-힣]{2,8}\s?)?뉴스\s?([가-힣]{2,4})입니다\.?\s*$|^\s*YTN\s([가-힣]{2,4})입니다\.?\s*$"
)
_CREDITS = re.compile(r"^\s*\(?\s*(?:촬영\s*기자|영상\s*편집|영상\s*취재|그래픽|촬영|편집)\s*[:：]")
_NAME_ROLE = re.compile(r"([가-힣]{2,4})\s*(?:선임\s*)?(?:기자|특파원|논설위원|객원기자|인턴기자)")


def byline_names(text: str) -> list[str]:
    """Reporter names in a byline.

    >>> byline_names("홍길동 기자 hong@example.com")
    ['홍길동']
    >>> byline_names("김철수·이영희 기자")
    ['김철수', '이영희']
    """
    names = []
    for chunk in re.split(r"[·,/]", text):
        match = _NAME_ROLE.search(chunk + (" 기자" if "기자" in text and "기자" not in chunk else ""))
        if match and match.group(1) not in names:
            names.append(match.group(1))
    return names


def split_dateline(paragraph: str) -> tuple[str, list[str]]:
    """Strip a wire dateline such as '(서울=연합뉴스) 홍길동 기자 = ' and return the names it held.

    >>> split_dateline("(서울=연합뉴스) 홍길동 기자 = 정부가 발표했다.")
    ('정부가 발표했다.', ['홍길동'])
    >>> split_dateline("정부가 발표했다.")
    ('정부가 발표했다.', [])
    """
    match = _DATELINE.match(paragraph)
    if not match:
        return paragraph, []
    return paragraph[match.end() :].strip(), byline_names(match.group(1))


def is_sentence(line: str) -> bool:
    """Whether a line reads like prose rather than a menu item or headline.

    >>> is_sentence("정부는 23일 새 대책을 발표했다."), is_sentence("정치"), is_sentence("'AI 기본법' 시행 한 달")
    (True, False, False)
    """
    return len(line) >= 15 and bool(_SENTENCE_END.search(line))


def is_boilerplate(line: str) -> bool:
    """True for lines that are never article prose.

    >>> is_boilerplate("홍길동 기자 hong@example.com")
    True
    >>> is_boilerplate("<저작권자(c) 연합뉴스, 무단 전재-재배포, AI 학습 및 활용 금지>")
    True
    >>> is_boilerplate("▶ 관련기사: 새 정책 발표")
    True
    >>> is_boilerplate("네이버에서 구독하기"), is_boilerplate("[앵커]"), is_boilerplate("KBS 뉴스 남궁현입니다.")
    (True, True, True)
    >>> is_boilerplate("구독 경제가 커지면서 정기 배송 서비스를 찾는 소비자가 늘고 있다는 분석이 나왔다.")
    False
    >>> is_boilerplate("다양한 채널에서 연합뉴스를 만나보세요!"), is_boilerplate("◇ 의과대학"), is_boilerplate("■ 지원 대상 확대")
    (True, False, False)
    >>> is_boilerplate("음악 저작권자 단체들은 AI 학습에 쓰인 곡에 대가를 달라는 성명을 냈다.")
    False
    >>> is_boilerplate("신청 문의는 help@city.example 으로 하면 된다."), is_boilerplate("ⓒ 한빛경제")
    (False, True)
    """
    stripped = line.strip()
    if not stripped:
        return True
    if _END_MARK.match(stripped) or _PHOTO_CREDIT.match(stripped) or _CUE.match(stripped):
        return True
    if _SIGN_OFF.match(stripped) or _CREDITS.match(stripped):
        return True
    short = len(stripped) <= SHORT_LINE
    if _ALWAYS.search(stripped) and len(stripped) <= 200:
        return True
    if _COPYRIGHT.search(stripped) and (len(stripped) <= 40 or not is_sentence(stripped)):
        return True
    if _EMAIL.search(stripped) and (
        "기자" in stripped
        or "특파원" in stripped
        or not is_sentence(stripped)
        or len(_EMAIL.sub("", stripped)) <= 10
    ):
        return True
    if _MARKER_START.match(stripped) and not is_sentence(stripped):
        return True
    if short and _PROMO.search(stripped):
        return True
    return short and not is_sentence(stripped) and bool(_PROMPTS.search(stripped))


def clean_paragraphs(
    paragraphs: Iterable[str], extra: Iterable[re.Pattern[str]] = ()
) -> tuple[list[str], list[str]]:
    """Drop boilerplate lines; return (paragraphs, reporter names seen in bylines and datelines).

    A related-articles heading also drops the headline list that follows it.

    >>> clean_paragraphs(["(서울=연합뉴스) 홍길동 기자 = 첫 문단이다.", "둘째 문단이다.", "▶ 관련기사",
    ...                   "다른 기사 제목 하나", "홍길동 기자 hong@example.com", "무단전재 및 재배포 금지"])
    (['첫 문단이다.', '둘째 문단이다.'], ['홍길동'])
    """
    patterns = list(extra)
    kept: list[str] = []
    names: list[str] = []
    in_related = False
    for raw in paragraphs:
        line = re.sub(r"\s+", " ", raw).strip()
        if not line:
            continue
        if _RELATED_HEAD.match(line) and not is_sentence(line):
            in_related = True
            continue
        if in_related:
            if len(line) <= 80 and not is_sentence(line):
                continue
            in_related = False
        line, dateline_names = split_dateline(line)
        names.extend(n for n in dateline_names if n not in names)
        if not line:
            continue
        sign_off = _SIGN_OFF.match(line)
        if sign_off:
            name = sign_off.group(1) or sign_off.group(2)
            if name not in names:
                names.append(name)
        if is_boilerplate(line) or any(p.search(line) for p in patterns):
            if not _CREDITS.match(line) and (
                _EMAIL.search(line) or ("기자" in line and len(line) <= SHORT_LINE)
            ):
                names.extend(n for n in byline_names(line) if n not in names)
            continue
        kept.append(line)
    # A lone "홍길동 기자" line closing the article is a byline, not prose.
    while kept and len(kept[-1]) <= 25 and _NAME_ROLE.fullmatch(kept[-1].strip(" .")):
        names.extend(n for n in byline_names(kept.pop()) if n not in names)
    return kept, names
