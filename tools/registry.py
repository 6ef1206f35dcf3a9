"""The agent's tools: typed functions with docstrings, registered in one list.

Adding a tool is one function and one line in `TOOLS`. Every tool is wrapped so that a failure comes back to
the model as a clear Korean sentence (a `ToolMessage` with status "error"), never as an exception that ends
the conversation.
"""

from __future__ import annotations

import functools
import inspect
import logging
import re
from collections.abc import Callable, Sequence
from typing import Any

from langchain_core.tools import BaseTool, ToolException, tool
from pydantic import ValidationError

from config import NuriError
from tools.calculator import CALCULATOR_WHEN, calculator, calculator_args, reads_as_calculation
from tools.clock import current_time
from tools.collect_request import asks_only_to_collect
from tools.crawl import crawl, crawl_news, crawl_news_args
from tools.knowledge import search_knowledge, search_knowledge_args
from tools.results import ToolOutput
from tools.summarize import LONG_PASTE_CHARS, SHORT_PASTE_CHARS, summarize, summarize_args

log = logging.getLogger("nuri.tools")


def describe_validation_error(error: ValidationError) -> str:
    """One line naming each bad argument, short enough for a small model to act on.

    >>> from pydantic import BaseModel
    >>> class Args(BaseModel):
    ...     count: int
    >>> try:
    ...     Args.model_validate({"count": "many"})
    ... except ValidationError as e:
    ...     describe_validation_error(e)
    "count: Input should be a valid integer, unable to parse string as an integer (got 'many')"
    """
    parts = []
    for item in error.errors():
        where = ".".join(str(p) for p in item.get("loc", ())) or "arguments"
        got = f" (got {item['input']!r})" if item.get("type") != "missing" and "input" in item else ""
        parts.append(f"{where}: {item.get('msg')}{got}")
    return "; ".join(parts)


def _content_and_artifact(output: Any) -> tuple[str, dict[str, Any] | None]:
    """A tool's return value as LangChain's (content, artifact) pair: citations travel as the artifact."""
    if isinstance(output, ToolOutput):
        return output.text, output.artifact()
    return (output if isinstance(output, str) else str(output)), None


def _guarded(function: Callable[..., Any]) -> Callable[..., Any]:
    """Turn any failure inside a tool into a `ToolException` with a Korean message for the model."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return _content_and_artifact(function(*args, **kwargs))
        except ToolException:
            raise
        except NuriError as error:
            log.info("tool %s refused: %s", function.__name__, error)
            raise ToolException(f"도구 '{function.__name__}' 오류: {error}") from error
        except Exception as error:  # noqa: BLE001 - the model gets the reason, the log gets the traceback
            log.exception("tool %s failed", function.__name__)
            raise ToolException(
                f"도구 '{function.__name__}' 실행 중 오류가 났습니다 ({type(error).__name__}: {error}). "
                "이 도구 없이 답하거나 다른 방법을 쓰세요."
            ) from error

    wrapper.nuri_guarded = True  # type: ignore[attr-defined] - the contract test checks every tool has it
    return wrapper


def make_tool(
    function: Callable[..., Any],
    *,
    when: str | None = None,
    when_reads: Callable[[str], bool] | None = None,
    fetches: str | None = None,
    paste: str | None = None,
    final: bool = False,
    direct: bool = False,
    direct_if: Callable[[str], bool] | None = None,
    relevant: str | None = None,
    args_from_question: Callable[[str, dict], dict] | None = None,
) -> BaseTool:
    """Build a LangChain tool from a typed function whose docstring tells the model when to use it.

    The function returns text, or a `ToolOutput` (text plus citations, which become the message artifact).
    `when` is a regular expression over the user's question: a match makes the agent's first model call
    of the turn call this tool (small models otherwise tend to guess instead of calling).
    `when_reads(question)` is a second test when no pattern fits: the tool's own reading of the question.
    `fetches` names the argument that holds URLs to fetch (a string or a list of strings): the agent asks
    the user before fetching any URL the user did not type (a page may ask the model to fetch one).
    `paste` names the argument that receives the user's whole message when it is a long pasted text.
    `final`: once a forced call of this tool has
    answered, the model answers without tools (it would otherwise loop). `direct` (LangChain's
    `return_direct`): a forced call's successful result is the answer itself, shown as the tool wrote it
    (a computed amount, the clock, a finished summary: a small model restating them only adds mistakes).
    `direct_if(question)`: the same, only for questions it accepts (a crawl whose receipt is the answer
    when collecting was all the user asked for); the result's `receipt` artifact is what the user reads.
    `relevant` is a regular expression the question must match for a call the question did not force to
    run at all (small models call the clock on "좋은 하루 보내!").
    `args_from_question(question, args)` corrects a forced call's arguments from what the question names.
    """
    if not (function.__doc__ or "").strip():
        raise ValueError(f"tool {function.__name__} needs a docstring: it is the model's only manual")
    name = function.__name__

    def explain_bad_arguments(error: ValidationError) -> str:
        return (
            f"도구 '{name}'의 인자가 잘못되었습니다: {describe_validation_error(error)}. "
            "도구 설명의 인자 형식에 맞게 다시 호출하세요."
        )

    built = tool(_guarded(function), response_format="content_and_artifact")
    built.description = inspect.cleandoc(function.__doc__ or "")
    built.handle_tool_error = True
    built.handle_validation_error = explain_bad_arguments
    metadata = dict(built.metadata or {})
    if when:
        metadata["when"] = re.compile(when, re.IGNORECASE)
    if when_reads:
        metadata["when_reads"] = when_reads
    if fetches:
        metadata["fetches"] = fetches
    if paste:
        metadata["paste"] = paste
    if final or direct:
        metadata["final"] = True
    if args_from_question:
        metadata["args_from_question"] = args_from_question
    if direct_if:
        metadata["direct_if"] = direct_if
    if relevant:
        metadata["relevant"] = re.compile(relevant, re.IGNORECASE)
    built.return_direct = direct
    built.metadata = metadata or None
    return built


def tool_for_question(question: str, tools: Sequence[BaseTool]) -> str | None:
    """The tool whose `when` pattern the question matches, if any: that tool is called first.

    >>> tool_for_question("지금 서울은 몇 시야?", TOOLS), tool_for_question("서울까지 몇 시간 걸려?", TOOLS)
    ('current_time', None)
    >>> tool_for_question("What time is it in Seoul?", TOOLS), tool_for_question("한국의 수도는?", TOOLS)
    ('current_time', None)
    """
    for candidate in tools:
        pattern = (candidate.metadata or {}).get("when")
        if pattern is not None and pattern.search(question):
            return candidate.name
    # No pattern fits: a tool that reads the whole question as its input ("6만 원짜리 3장 사면 얼마야?").
    for candidate in tools:
        reads = (candidate.metadata or {}).get("when_reads")
        if reads is not None and reads(question):
            return candidate.name
    return None


# Declared routing for small models: the first tool whose `when` matches the question is called first
# (order matters). The patterns were measured on the agent task suite (docs/benchmarks/agent.md).
_URL = r"(?:https?://|www\.)\S+"
_SUMMARY = r"요약|줄여|간추려|한\s*줄로|[1-5一二三]\s*줄|세\s*줄|두\s*줄|요점|핵심만|브리핑|summar"
WHEN_TIME = r"몇\s*시(?!간|까지|부터|에)|(지금|현재)\s*시(각|간)|what time"
# Questions the clock can help with at all: an unforced clock call on anything else is dropped.
# "오늘", "지금" alone are no reason ("오늘 좀 피곤하네.": the 0.5B model called the clock); "오늘 며칠이야?" has 며칠.
RELEVANT_TIME = r"시|날짜|요일|며칠|몇\s*일|언제|주말|time|date|day|clock"
# Messages a knowledge search can help with: a question or a request for information. An unforced search on
# a remark ("오늘 좀 피곤하네.", "고마워!") is dropped and the model answers without tools.
RELEVANT_SEARCH = (
    r"\?|기사|뉴스|소식|보도|자료|문서|저장|수집|찾아|검색|알려|따르면|설명|정리|요약|동향|현황|전망"
    r"|얼마|몇|언제|누가|누구|어디|왜|무엇|무슨|뭐|뭔|뭘|어떤|어떻게|어땠|인가|일까|는지|은지"
)
# What fetching or summarizing needs in the message: a URL, a pasted text, or words for it. An unforced call
# on anything else (a small model "summarizes" 4800000 when asked a salary sum) is dropped.
RELEVANT_SUMMARIZE = rf"{_SUMMARY}|정리|{_URL}|\n"
RELEVANT_FETCH = (
    rf"{_URL}|기사|뉴스|소식|피드|rss|feed|atom|sitemap|사이트맵|헤드라인|수집|모아|크롤|긁어|가져와|저장"
)
# What a calculation needs in the message: a number or a word of arithmetic. The 0.5B model called the
# calculator with its docstring's example ("1550 * 22") on "오늘 좀 피곤하네.".
RELEVANT_CALCULATOR = (
    r"\d|계산|더하기|빼기|곱하기|나누기|퍼센트|프로|제곱|루트|sqrt|배|절반|할인|세일|얼마|몇"
    r"|[일이삼사오육칠팔구십]\s*(?:십|백|천|만|억|조)"
)
WHEN_CRAWL_NEWS = (
    rf"^(?!.*{_URL})(?=.*(기사|뉴스|소식)).*"
    r"(모아|수집|긁어|가져와|찾아와|브리핑|최신|\d+\s*(건|개|편)|헤드라인)"
    r"|^(?!.*{url}).*(연합뉴스|한겨레|경향|조선일보|중앙일보|동아일보|한국일보|매일경제|한국경제|SBS|KBS|MBC|JTBC|YTN|뉴시스|뉴스1)"
    r".*(기사|뉴스)\s*.*(모아|수집|가져|보여|알려|브리핑|정리)"
    # A feed or sitemap URL to collect from: "이 피드에서 최신 기사 2건 수집해 줘 https://.../rss.xml".
    r"|^(?=.*(피드|rss|feed|atom|사이트맵|sitemap))(?=.*(기사|뉴스)).*{url}"
    r"|^(?=.*(기사|뉴스)).*https?://\S*(rss|feed|atom|sitemap)\S*"
).replace("{url}", _URL)
# A paste: a long message, or a shorter one whose text sits on lines of its own under (or over) the request.
WHEN_SUMMARIZE = (
    rf"({_URL}.*({_SUMMARY}))|(({_SUMMARY}).*{_URL})|^(?=[\s\S]{{{LONG_PASTE_CHARS},}})[\s\S]*({_SUMMARY})"
    rf"|^(?=[\s\S]{{{SHORT_PASTE_CHARS},}})(?=[\s\S]*\n)[\s\S]*({_SUMMARY}|정리해|정리하)"
)
WHEN_CRAWL = rf"{_URL}"
WHEN_SEARCH = (
    r"(저장|수집|모아\s*둔|모은|크롤링|긁어\s*온|가져온)(한|된|해\s*둔|해\s*놓은)?\s*(기사|뉴스|자료|문서)"
    r"|지식\s*(베이스|창고)|(기사|자료)(에|에서)\s*(따르면|의하면|나온|찾아|검색)|기사\s*(검색|찾아)"
)
# The calculator's own narrow pattern (a news question that merely mentions a percent must not match),
# plus unit price x count ("1,550원짜리 22개면 얼마야?"), 할/푼 and powers.
WHEN_CALCULATOR = (
    CALCULATOR_WHEN
    + r"|\d[\d,.]*\s*(?:만|억)?\s*원\S*(?:\s+[가-힣]+){0,2}\s+\d+\s*(?:개|명|장|번|잔|권|병|켤레|인분|시간|달|개월).*(?:얼마|총|합)"
    + r"|\d\s*할(?:\s*\d\s*푼)?|\d\s*의\s*\d+\s*제곱|\d\s*제곱"
)

TOOLS: list[BaseTool] = [
    # Only the time of day forces the call: the date and weekday are already in the system prompt.
    make_tool(current_time, when=WHEN_TIME, direct=True, relevant=RELEVANT_TIME),
    make_tool(
        search_knowledge,
        when=WHEN_SEARCH,
        final=True,
        relevant=RELEVANT_SEARCH,
        args_from_question=search_knowledge_args,
    ),
    make_tool(
        crawl_news,
        when=WHEN_CRAWL_NEWS,
        fetches="source",
        relevant=RELEVANT_FETCH,
        direct_if=asks_only_to_collect,
        args_from_question=crawl_news_args,
    ),
    make_tool(
        summarize,
        when=WHEN_SUMMARIZE,
        fetches="target",
        relevant=RELEVANT_SUMMARIZE,
        paste="target",
        direct=True,
        args_from_question=summarize_args,
    ),
    make_tool(
        crawl, when=WHEN_CRAWL, fetches="urls", relevant=RELEVANT_FETCH, direct_if=asks_only_to_collect
    ),
    make_tool(
        calculator,
        when=WHEN_CALCULATOR,
        when_reads=reads_as_calculation,
        relevant=RELEVANT_CALCULATOR,
        direct=True,
        args_from_question=calculator_args,
    ),
]


def tools_by_name(tools: Sequence[BaseTool]) -> dict[str, BaseTool]:
    """Index tools by the name the model calls them with."""
    return {t.name: t for t in tools}
