"""The knowledge search tool: stored articles that answer a question, as numbered passages to cite.

Passages come from `KnowledgeBase.search` (hybrid e5 + BM25, one best passage per article) with the
knowledge base's own citation line (`SearchResult.cite`). They reach the model inside data delimiters,
and together they take at most a third of the model's window: longer passages are trimmed, and the text
says which ones.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from config import NuriError
from tools import clock
from tools.context import ToolEnv, current_env
from tools.key_sentences import key_sentences
from tools.news_sources import outlet_in_question, outlet_name
from tools.results import Citation, ToolOutput
from tools.untrusted import wrap_untrusted

__all__ = ["parse_since", "search_knowledge", "search_knowledge_args"]

MAX_K = 10
_DAYS_AGO = re.compile(r"^(?:최근|지난)?\s*(\d{1,3})\s*(일|주|개월|달)\s*(?:전|간|동안|이내)?(?:부터)?$")
_NAMED = {"오늘": 0, "금일": 0, "어제": 1, "어저께": 1, "그제": 2, "그저께": 2, "지난주": 7, "지난 주": 7,
          "이번주": None, "이번 주": None, "지난달": 30, "지난 달": 30, "today": 0, "yesterday": 1}  # fmt: skip


# A question that limits the time: only then may a forced search keep the model's `since`.
_TIME_WORDS = re.compile(
    r"오늘|금일|어제|어저께|그제|그저께|지난\s*(?:주|달|\d)|이번\s*주|최근|\d+\s*(?:일|주|개월|달)\s*(?:전|간|동안|이내)"
    r"|\d{4}-\d{1,2}-\d{1,2}|\d+\s*월\s*\d+\s*일\s*(?:이후|부터)|이후|부터|today|yesterday",
    re.IGNORECASE,
)
# What asks for the search rather than what to search for.
_REQUEST_WORDS = re.compile(
    r"(?:저장|수집|모아\s*둔|모은|크롤링|긁어\s*온|가져온)(?:한|된|해\s*둔|해\s*놓은)?\s*(?:기사|뉴스|자료|문서)(?:에서|에|를|을|중에|중)?"
    r"|지식\s*(?:베이스|창고)(?:에서|에)?|(?:에|에서)?\s*(?:따르면|의하면)|찾아\s*(?:줘|주세요|봐)|알려\s*(?:줘|주세요)|검색해\s*(?:줘|주세요)?"
)


def _grounded(query: str, question: str) -> bool:
    """Whether each Korean word of the model's query starts as some word of the question does (a small model
    may rewrite 쌀값 as 팀값)."""
    stems = {w[:2] for w in re.findall(r"[가-힣]{2,}", question)}
    words = re.findall(r"[가-힣]{2,}", query)
    return bool(words) and all(w[:2] in stems for w in words)


def search_knowledge_args(question: str, args: dict) -> dict:
    """A forced search's arguments kept to what the question says: no outlet or date filter it does not
    name (small models copy the docstring's "연합뉴스" and "2026-11-01", which hide every stored article),
    and the question's own words when the model's query strays from them.

    >>> search_knowledge_args("모아 둔 기사에서 쌀값이 1년 새 몇 % 올랐는지 찾아 줘",
    ...     {"query": "팀값이 1년 새", "outlet": "연합뉴스", "since": "2026-11-01"})
    {'query': '쌀값이 1년 새 몇 % 올랐는지'}
    >>> search_knowledge_args("저장한 한겨레 기사 중 어제 나온 금리 얘기", {"query": "금리", "outlet": "hani", "since": "어제"})
    {'query': '금리', 'outlet': '한겨레', 'since': '어제'}
    """
    fixed = {key: value for key, value in args.items() if key not in ("outlet", "since")}
    outlet = outlet_in_question(question)
    if outlet:
        fixed["outlet"] = outlet
    if args.get("since") and _TIME_WORDS.search(question):
        fixed["since"] = args["since"]
    query = str(args.get("query") or "")
    if not _grounded(query, question):
        words = " ".join(_REQUEST_WORDS.sub(" ", question).split()).strip(" ?.!")
        fixed["query"] = words or question
    return fixed


def parse_since(text: str, today: date) -> date:
    """The first day a `since` filter means, relative to `today` (KST); a Korean error for anything else.

    >>> d = date(2026, 12, 5)  # a Saturday
    >>> [parse_since(s, d).isoformat() for s in ("2026-11-01", "2026.11.1", "오늘", "어제", "지난주")]
    ['2026-11-01', '2026-11-01', '2026-12-05', '2026-12-04', '2026-11-28']
    >>> [parse_since(s, d).isoformat() for s in ("최근 7일", "3일 전", "최근 2주", "이번 주", "지난 1개월")]
    ['2026-11-29', '2026-12-02', '2026-11-22', '2026-11-30', '2026-11-06']
    """
    value = " ".join(text.strip().split()).lower()
    value = re.sub(r"\s*(?:부터|이후|이래)$", "", value)
    iso = re.fullmatch(r"(\d{4})\s*[-./년]\s*(\d{1,2})\s*[-./월]\s*(\d{1,2})\s*일?\.?", value)
    if iso:
        try:
            return date(int(iso[1]), int(iso[2]), int(iso[3]))
        except ValueError:
            pass
    elif value in _NAMED:
        back = _NAMED[value]
        return today - timedelta(days=today.weekday() if back is None else back)
    else:
        relative = _DAYS_AGO.match(value)
        if relative:
            days = int(relative[1]) * {"일": 1, "주": 7, "개월": 30, "달": 30}[relative[2]]
            # "최근 7일" is a window of seven days ending today; "3일 전" is three days back.
            return today - timedelta(days=days if "전" in value else days - 1)
    raise NuriError(
        f"since 값 '{text}'을(를) 날짜로 읽지 못했습니다. 2026-11-01, 오늘, 어제, 지난주, 최근 7일처럼 적어 주세요."
    )


def _fit(passages: list[str], env: ToolEnv, budget: int) -> tuple[list[str], list[int]]:
    """Trim passages (longest first) until they fit `budget` tokens; returns them and the trimmed numbers."""
    trimmed: list[int] = []
    for _ in range(8):
        sizes = [env.tokens(p) for p in passages]
        if sum(sizes) <= budget:
            break
        # Each passage may keep an equal share; the share of short ones goes to the long ones.
        share = budget / len(passages)
        for i, (passage, size) in enumerate(zip(passages, sizes, strict=True)):
            if size > share:
                keep = max(40, int(len(passage) * share / size * 0.95))
                passages[i] = passage[:keep].rstrip() + "…"
                if i + 1 not in trimmed:
                    trimmed.append(i + 1)
    return passages, sorted(trimmed)


def _empty_kb(env: ToolEnv) -> bool:
    try:
        return not env.kb().documents()
    except NuriError:
        return False


def search_knowledge(
    query: str, k: int = 5, outlet: str | None = None, since: str | None = None
) -> ToolOutput:
    """Search the articles already stored in the knowledge base and return numbered passages to cite.

    Use it for questions about saved or collected news ("저장한 기사에 따르면 ...?", "수집한 기사에서
    지하철 요금 얘기 찾아 줘") and before answering about news you already crawled.
    query: what to look for, in Korean words, e.g. "지하철 요금 인상".
    k: how many articles (default 5, at most 10).
    outlet: only this outlet, e.g. "연합뉴스" (optional).
    since: only articles published from this day, e.g. "2026-11-01", "어제", "지난주", "최근 7일" (optional).
    """
    env = current_env()
    from vectorstore import SearchFilters  # lazy: the knowledge base is heavy to import

    try:
        first_day = parse_since(since, clock.now_kst().date()) if since and since.strip() else None
        filters = SearchFilters(
            outlets=[outlet_name(outlet)] if outlet and outlet.strip() else [], since=first_day
        )
        hits = env.kb().search(query, k=max(1, min(int(k), MAX_K)), filters=filters)
    except NuriError as error:
        return ToolOutput(f"지식 베이스 검색 실패: {error}")
    if not hits:
        if _empty_kb(env):
            return ToolOutput(
                "지식 베이스에 저장된 기사가 아직 없습니다. 먼저 기사를 모으세요: 기사 주소가 있으면 crawl 도구로, "
                "언론사 최신 기사는 crawl_news 도구로('연합뉴스 경제'처럼) 수집하면 여기서 찾을 수 있습니다."
            )
        conditions = ", ".join(
            part
            for part in (outlet and f"언론사 {outlet_name(outlet)}", first_day and f"{first_day} 이후")
            if part
        )
        where = f" ({conditions})" if conditions else ""
        return ToolOutput(
            f"'{query}'에 맞는 저장된 기사를 찾지 못했습니다{where}. 다른 낱말로 찾거나 조건을 넓히거나, "
            "crawl_news로 관련 기사를 더 모으세요."
        )
    passages = [" ".join(hit.text.split()) for hit in hits]
    passages, trimmed = _fit(passages, env, env.context_length // 3)
    lines = [f"지식 베이스에서 '{query}'에 맞는 기사 {len(hits)}건 (기사마다 가장 맞는 부분):"]
    # The sentences that hold what was asked, first: a small model answers with the first sentence it reads.
    key = key_sentences(query, passages)
    if key:
        lines += [
            "",
            "질문에 가장 가까운 문장:",
            wrap_untrusted("\n".join(f"[{n}] {s}" for n, s in key), "핵심 문장"),
        ]
    citations = []
    for n, (hit, passage) in enumerate(zip(hits, passages, strict=True), 1):
        day = hit.published.astimezone(clock.KST).date().isoformat() if hit.published else None
        citations.append(Citation(n, hit.title, hit.canonical_url, hit.outlet, day))
        lines += ["", hit.cite(n), wrap_untrusted(passage, f"검색 결과 [{n}]")]
    if trimmed:
        numbers = ", ".join(f"[{n}]" for n in trimmed)
        lines.append(f"\n(대화 창 크기에 맞추느라 {numbers}의 발췌를 줄였습니다.)")
    lines.append("\n답할 때는 근거가 된 기사를 [1]처럼 번호로 밝히세요. 자료에 없는 내용은 지어내지 마세요.")
    return ToolOutput("\n".join(lines), citations)
