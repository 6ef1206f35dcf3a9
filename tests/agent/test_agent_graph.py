"""The agent graph end to end with the scripted fake model: streaming, tools, malformed calls, budgets."""

from __future__ import annotations

from datetime import datetime

import pytest
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage, ToolMessage

from agent.events import Done, Notice, Token, ToolCall, ToolResult
from agent.runner import stream_turn
from config import NuriError, Settings
from tests.fakes import FakeToolCallingModel, ai, fake_handle
from tools import clock
from tools.registry import TOOLS, make_tool

ALL = [t.name for t in TOOLS]

FROZEN = datetime(2026, 11, 24, 14, 5, tzinfo=clock.KST)


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch):
    monkeypatch.setattr(clock, "now_kst", lambda: FROZEN)


def run(handle, question="오늘 며칠이야?", history=(), **kwargs):
    settings = kwargs.pop("settings", None) or Settings()
    return list(stream_turn(handle, list(history), question, settings, **kwargs))


def of(events, kind):
    return [e for e in events if isinstance(e, kind)]


def test_plain_answer_streams_in_several_tokens():
    handle = fake_handle(ai("안녕하세요, 누리입니다. 무엇을 도와드릴까요?"))
    events = run(handle, "안녕")
    tokens = of(events, Token)
    assert len(tokens) > 1
    assert "".join(t.text for t in tokens) == "안녕하세요, 누리입니다. 무엇을 도와드릴까요?"
    done = events[-1]
    assert isinstance(done, Done) and done.backend == "fake" and done.model == "fake-scripted"
    assert done.answer == "안녕하세요, 누리입니다. 무엇을 도와드릴까요?" and done.steps == 1
    assert done.first_token is not None and done.first_token <= done.elapsed
    assert [type(m) for m in done.messages] == [HumanMessage, AIMessage]
    # The model saw today's date (frozen) in the system prompt, and the tools were bound.
    call = handle.model.calls[0]
    assert isinstance(call["messages"][0], SystemMessage)
    assert "2026년 11월 24일 화요일" in call["messages"][0].content
    assert call["tools"] == [t.name for t in TOOLS] and call["tool_choice"] is None


def test_tool_call_runs_the_time_tool_then_answers():
    # Not forced (no time-of-day words): the model chose the tool, so the model answers from its result.
    handle = fake_handle(ai("", ("current_time", {})), ai("지금 서울은 오후 2시 5분입니다."))
    events = run(handle, "서울 시계 좀 봐 줄래?")
    kinds = [type(e) for e in events]
    assert kinds.index(ToolCall) < kinds.index(ToolResult) < kinds.index(Token)
    (call,) = of(events, ToolCall)
    (result,) = of(events, ToolResult)
    assert (call.name, call.args, call.id) == ("current_time", {}, result.id)
    assert result.content == "현재 서울 시각: 2026년 11월 24일 화요일 오후 2시 5분 (14:05, 한국 표준시 UTC+9)"
    assert not result.is_error
    # The second model call saw the tool's answer; the answer streamed after it.
    last_seen = handle.model.calls[1]["messages"][-1]
    assert isinstance(last_seen, ToolMessage) and "오후 2시 5분" in last_seen.content
    assert "".join(t.text for t in of(events, Token)) == "지금 서울은 오후 2시 5분입니다."
    assert events[-1].steps == 2
    assert [c["tool_choice"] for c in handle.model.calls] == [None, None]


def test_a_forced_direct_tool_answers_with_its_own_result_without_a_second_model_call():
    handle = fake_handle(ai("", ("current_time", {})))  # a second model call would exhaust the script
    events = run(handle, "지금 몇 시야?")
    (result,) = of(events, ToolResult)
    assert "".join(t.text for t in of(events, Token)) == result.content == events[-1].answer
    assert events[-1].answer.startswith("현재 서울 시각: 2026년 11월 24일 화요일 오후 2시 5분")
    assert [c["tool_choice"] for c in handle.model.calls] == ["current_time"]
    assert events[-1].steps == 2 and events[-1].first_token is not None


def test_a_failed_direct_tool_leaves_the_answer_to_the_model():
    handle = fake_handle(
        ai("", ("calculator", {"expression": "1/0"})),
        ai("0으로는 나눌 수 없습니다."),
    )
    events = run(handle, "1 나누기 0은?")
    (result,) = of(events, ToolResult)
    assert result.is_error and "0으로 나눌 수 없습니다" in result.content
    assert events[-1].answer == "0으로는 나눌 수 없습니다."


def test_a_raising_tool_becomes_error_text_for_the_model():
    def flaky_lookup(query: str) -> str:
        """Look something up (always fails in this test)."""
        raise ConnectionError("upstream unreachable")

    handle = fake_handle(ai("", ("flaky_lookup", {"query": "서울"})), ai("조회에 실패했습니다."))
    events = run(handle, tools=[make_tool(flaky_lookup)])
    (result,) = of(events, ToolResult)
    assert result.is_error and "flaky_lookup" in result.content and "upstream unreachable" in result.content
    seen = handle.model.calls[1]["messages"][-1]
    assert isinstance(seen, ToolMessage) and seen.status == "error" and "ConnectionError" in seen.content
    assert events[-1].answer == "조회에 실패했습니다."


def test_invalid_call_is_explained_once_then_answered_without_tools():
    handle = fake_handle(
        ai("", ("weather", {"city": "서울"})),  # no such tool
        ai(invalid=[{"name": "current_time", "args": "tz=Asia/Seoul"}]),  # not JSON at all
        ai("도구 없이 답합니다: 정확한 시각은 알 수 없습니다."),
    )
    events = run(handle, "날씨 어때?")
    notices = of(events, Notice)
    assert len(notices) == 2
    assert "weather" in notices[0].text and "다시 시도" in notices[0].text
    assert "도구 없이" in notices[1].text
    assert not of(events, ToolCall) and not of(events, ToolResult)
    calls = handle.model.calls
    assert [c["tools"] for c in calls] == [ALL, ALL, None]
    retry_hint = calls[1]["messages"][-1]
    assert isinstance(retry_hint, ToolMessage) and "unknown tool 'weather'" in retry_hint.content
    # Every call in the history got a reply with a matching id, as chat APIs require.
    final_history = calls[2]["messages"]
    asked = [c["id"] for m in final_history if isinstance(m, AIMessage) for c in m.invalid_tool_calls]
    answered = [m.tool_call_id for m in final_history if isinstance(m, ToolMessage)]
    assert asked == answered and all(asked)
    assert "도구를 쓸 수 없습니다" in final_history[0].content
    assert events[-1].answer.startswith("도구 없이 답합니다")


def test_schema_invalid_arguments_are_caught_and_a_fixed_retry_runs():
    def add(a: int, b: int) -> str:
        """Add two integers."""
        return str(a + b)

    handle = fake_handle(
        ai("", ("add", {"a": "many", "b": 2})), ai("", ("add", {"a": 1, "b": 2})), ai("3입니다.")
    )
    events = run(handle, tools=[make_tool(add)])
    (notice,) = of(events, Notice)
    assert "add" in notice.text and "a:" in notice.text
    (result,) = of(events, ToolResult)
    assert result.content == "3"
    assert [c["tools"] for c in handle.model.calls] == [["add"]] * 3


def test_step_budget_ends_a_model_that_keeps_calling_tools():
    def lookup(page: int) -> str:
        """Read one page of a long list."""
        return f"{page}쪽 내용"

    pages = [ai("", ("lookup", {"page": n})) for n in (1, 2)]
    handle = fake_handle(*pages, ai("", ("lookup", {"page": 3})))  # still calling when tools are withdrawn
    events = run(handle, settings=Settings(agent_max_steps=3), tools=[make_tool(lookup)])
    assert [c["tools"] for c in handle.model.calls] == [["lookup"], ["lookup"], None]
    assert [r.content for r in of(events, ToolResult)] == ["1쪽 내용", "2쪽 내용"]
    assert any("단계 한도(3회)" in n.text for n in of(events, Notice))
    done = events[-1]
    assert done.steps == 3 and done.answer.endswith("2쪽 내용")  # no answer: the latest result is shown


def test_a_repeated_call_is_answered_from_the_result_already_there():
    # Small models often call the same tool again after its result; the agent answers instead.
    handle = fake_handle(
        ai("", ("current_time", {})),
        ai("", ("current_time", {"properties": {"time": "12:00"}})),  # same call once the schema drops extras
        ai("오후 2시 5분입니다."),
    )
    events = run(handle)
    assert len(of(events, ToolCall)) == 1 and len(of(events, ToolResult)) == 1
    assert [c["tools"] for c in handle.model.calls] == [ALL, ALL, None]
    done = events[-1]
    assert done.answer == "오후 2시 5분입니다." and done.steps == 3


def test_text_that_looks_like_a_call_is_held_until_its_message_ends():
    handle = fake_handle(
        ai('{"name": "current_time", "arguments": {}}', ("current_time", {})), ai("2시입니다.")
    )
    events = run(handle)
    assert "".join(t.text for t in of(events, Token)) == "2시입니다."

    json_answer = '{"서울": "맑음"} 형식으로 정리했습니다.'
    events = run(fake_handle(ai(json_answer)))
    tokens = of(events, Token)
    assert [t.text for t in tokens] == [json_answer]  # held, then shown whole: it was not a call


def test_tool_call_text_is_never_shown_even_when_not_streamed():
    model = FakeToolCallingModel(
        responses=[
            ai('{"name": "current_time", "arguments": {}}', ("current_time", {})),
            ai("오후 2시입니다."),
        ],
        disable_streaming=True,
    )
    handle = fake_handle()
    handle.model = model
    events = run(handle)
    assert [t.text for t in of(events, Token)] == ["오후 2시입니다."]
    assert len(of(events, ToolCall)) == 1


def test_history_reaches_the_model_and_done_returns_the_new_messages():
    history = [HumanMessage("내 이름은 지수야."), AIMessage("반가워요, 지수 님.")]
    handle = fake_handle(ai("지수 님이라고 하셨어요."))
    done = run(handle, "내 이름이 뭐였지?", history=history)[-1]
    seen = handle.model.calls[0]["messages"]
    assert [m.content for m in seen[1:]] == ["내 이름은 지수야.", "반가워요, 지수 님.", "내 이름이 뭐였지?"]
    assert [m.content for m in done.messages] == ["내 이름이 뭐였지?", "지수 님이라고 하셨어요."]


def test_backend_failure_is_one_korean_line():
    handle = fake_handle(error=ConnectionError("connection refused"))
    with pytest.raises(NuriError) as caught:
        run(handle)
    assert "모델이 답하는 중 오류" in str(caught.value) and "nuri doctor" in str(caught.value)


def test_a_tool_call_without_id_still_runs_and_is_paired():
    handle = fake_handle(
        AIMessage(content="", tool_calls=[{"name": "current_time", "args": {}, "id": None}]),
        ai("오후 2시 5분입니다."),
    )
    events = run(handle)
    (call,) = of(events, ToolCall)
    (result,) = of(events, ToolResult)
    assert call.id and call.id == result.id and "오후 2시 5분" in result.content


def test_repair_model_marker_reason_is_shown_and_the_call_replays_as_json():
    marker = '#invalid: \'query\' is a required property\n{"q": "서울"}'
    handle = fake_handle(ai(invalid=[{"name": "current_time", "args": marker}]), ai("알겠습니다."))
    events = run(handle)
    (notice,) = of(events, Notice)
    assert "'query' is a required property" in notice.text
    retried = handle.model.calls[1]["messages"]
    (call,) = [c for m in retried if isinstance(m, AIMessage) for c in m.invalid_tool_calls]
    assert call["args"] == "{}" and call["id"] and call["error"] == "'query' is a required property"
    assert "'query' is a required property" in retried[-1].content


def test_a_call_written_as_the_answer_without_tools_becomes_the_tool_result():
    handle = fake_handle(
        ai("", ("current_time", {})),
        ai("", ("current_time", {})),
        ai('{"name": "current_time", "arguments": {}}'),  # no tools bound, still "calling"
    )
    events = run(handle)
    text = "".join(t.text for t in of(events, Token))
    assert text == (
        "모델이 답을 정리하지 못해 도구 결과를 그대로 보여 드립니다.\n\n"
        "현재 서울 시각: 2026년 11월 24일 화요일 오후 2시 5분 (14:05, 한국 표준시 UTC+9)"
    )
    assert events[-1].answer == text and "{" not in text
    assert events[-1].first_token is not None


def test_the_tool_less_answer_call_reads_the_results_as_text_not_as_tool_traffic():
    handle = fake_handle(
        ai("", ("current_time", {})), ai("", ("current_time", {})), ai("오후 2시 5분입니다.")
    )
    events = run(handle, "서울 시계 좀 봐 줄래?")
    assert events[-1].answer == "오후 2시 5분입니다."
    answer_call = handle.model.calls[-1]
    assert answer_call["tools"] is None
    last = answer_call["messages"][-1]
    assert isinstance(last, HumanMessage) and last.content.startswith("서울 시계 좀 봐 줄래?")
    assert "[도구 결과]" in last.content and "오후 2시 5분" in last.content
    assert not any(isinstance(m, ToolMessage) for m in answer_call["messages"])
    # The thread itself keeps the real tool messages.
    assert any(isinstance(m, ToolMessage) for m in events[-1].messages)


def test_tools_read_the_settings_from_the_runtime_context(tmp_path):
    from langgraph.runtime import get_runtime

    def data_dir() -> str:
        """Return the data directory (for this test)."""
        return str(get_runtime().context.settings.home)

    handle = fake_handle(ai("", ("data_dir", {})), ai("확인했습니다."))
    events = run(handle, settings=Settings(home=tmp_path / "kb"), tools=[make_tool(data_dir)])
    assert of(events, ToolResult)[0].content == str(tmp_path / "kb")


def test_a_call_to_an_unknown_tool_written_as_the_last_answer_is_not_shown():
    handle = fake_handle(
        ai(invalid=[{"name": "current_time", "args": "tz=Seoul"}]),
        ai(invalid=[{"name": "current_time", "args": "tz=Seoul"}]),
        ai('{"name": "tool_response", "arguments": {"tool": "bad"}}'),
    )
    events = run(handle, "안녕")
    text = "".join(t.text for t in of(events, Token))
    assert text.startswith("죄송합니다. 답을 만들지 못했습니다") and "{" not in text


def test_a_forced_calculator_reads_the_question_itself_and_its_result_is_the_answer():
    handle = fake_handle(
        ai("", ("calculator", {"expression": "350000000 * 0.15 = 0.455억"})),  # a small model's sloppy copy
    )
    events = run(handle, "3억 5천만 원의 15%는 얼마야?")
    (result,) = of(events, ToolResult)
    assert result.content.startswith("3억 5천만 원의 15% = 52,500,000") and not result.is_error
    assert [c["tools"] for c in handle.model.calls] == [ALL]  # one model call: the result is the answer
    assert events[-1].answer == result.content


def test_a_forced_fetch_uses_the_url_the_user_typed_not_a_mangled_copy(monkeypatch):
    seen = []

    def crawl(urls: list[str], max_pages: int = 1) -> str:
        """Fetch article pages (recorded in this test)."""
        seen.append(urls)
        return "수집했습니다."

    from tools import registry

    tool = make_tool(crawl, when=registry.WHEN_CRAWL, fetches="urls")
    handle = fake_handle(ai("", ("crawl", {"urls": ["https://news.test/a/1"]})), ai("저장했습니다."))
    events = run(handle, "http://news.test/a/1 이 기사 저장해 줘", tools=[tool])
    assert seen == [["http://news.test/a/1"]] and not of(events, Notice)


def test_a_forced_feed_collection_uses_the_typed_url_when_the_model_copies_only_a_file_name():
    seen = []

    def crawl_news(source: str, limit: int = 5) -> str:
        """Collect the latest articles of a feed (recorded in this test)."""
        seen.append((source, limit))
        return "기사 2건을 모았습니다."

    from tools import registry
    from tools.crawl import crawl_news_args

    tool = make_tool(
        crawl_news, when=registry.WHEN_CRAWL_NEWS, fetches="source", args_from_question=crawl_news_args
    )
    handle = fake_handle(ai("", ("crawl_news", {"source": "society.xml", "limit": 5})), ai("모았습니다."))
    run(handle, "이 피드에서 최신 기사 2건 수집해 줘 http://news.test/rss/society.xml", tools=[tool])
    assert seen == [("http://news.test/rss/society.xml", 2)]


def test_words_that_only_describe_the_numbers_are_dropped_and_the_call_shows_what_ran():
    handle = fake_handle(ai("", ("calculator", {"expression": "1550 * 2"})))  # a wrong copy
    events = run(handle, "1,550원짜리 물건 22개를 사면 모두 얼마야?")
    (call,) = of(events, ToolCall)
    (result,) = of(events, ToolResult)
    assert call.args == {"expression": "1,550원짜리 22개를 모두 얼마야?"}  # the arguments that ran
    assert "= 34,100" in result.content and not result.is_error
    assert events[-1].answer == result.content


def test_a_question_with_a_word_that_changes_the_math_falls_back_to_the_models_expression():
    handle = fake_handle(ai("", ("calculator", {"expression": "(80 + 90 + 100) / 3"})))
    events = run(handle, "80점, 90점, 100점의 평균을 계산해 줘")
    (result,) = of(events, ToolResult)
    assert result.content.startswith("(80 + 90 + 100) / 3 = 90") and not result.is_error
    assert events[-1].answer == result.content


def test_a_forced_crawl_news_takes_the_outlet_section_and_count_the_question_names():
    seen = []

    def crawl_news(source: str, limit: int = 5) -> str:
        """Collect an outlet's latest articles (recorded in this test)."""
        seen.append((source, limit))
        return "기사 3건을 모았습니다."

    from tools import registry
    from tools.crawl import crawl_news_args

    tool = make_tool(crawl_news, when=registry.WHEN_CRAWL_NEWS, args_from_question=crawl_news_args)
    handle = fake_handle(ai("", ("crawl_news", {"source": "연합뉴스 경제", "limit": 5})), ai("모았습니다."))
    run(handle, "한겨레 경제 기사 3건 모아 줘", tools=[tool])
    assert seen == [("한겨레 경제", 3)]


def test_a_short_paste_with_a_summary_request_goes_to_summarize_whole_in_the_style_asked():
    seen = []

    def summarize(target: str, style: str = "3줄") -> str:
        """Summarize a text (recorded in this test)."""
        seen.append((target, style))
        return "요약: 텃밭 120구획을 분양한다."

    from tools import registry
    from tools.summarize import summarize_args

    tool = make_tool(
        summarize,
        when=registry.WHEN_SUMMARIZE,
        paste="target",
        direct=True,
        args_from_question=summarize_args,
    )
    text = "누리구는 내년 봄부터 동네 공원 세 곳에 주민 텃밭을 만든다고 밝혔다. " * 5
    question = f"다음 글을 한 줄로 요약해 줘.\n\n{text}"
    handle = fake_handle(ai("", ("summarize", {"target": "다음 글", "style": "3줄"})))
    events = run(handle, question, tools=[tool])
    assert seen == [(question, "한 줄")]
    assert events[-1].answer == "요약: 텃밭 120구획을 분양한다."


def test_a_forced_search_drops_the_outlet_and_date_the_question_never_named():
    seen = []

    def search_knowledge(query: str, k: int = 5, outlet: str | None = None, since: str | None = None) -> str:
        """Search stored articles (recorded in this test)."""
        seen.append((query, outlet, since))
        return "[1] 쌀값 1년 새 8% 올라 (누리일보, 2026-11-29)"

    from tools import registry
    from tools.knowledge import search_knowledge_args

    tool = make_tool(
        search_knowledge, when=registry.WHEN_SEARCH, final=True, args_from_question=search_knowledge_args
    )
    copied = {"query": "팀값", "outlet": "연합뉴스", "since": "2026-11-01"}  # the docstring's examples
    handle = fake_handle(ai("", ("search_knowledge", copied)), ai("쌀값은 1년 새 8% 올랐습니다 [1]."))
    events = run(handle, "모아 둔 기사에서 쌀값이 1년 새 몇 % 올랐는지 찾아 줘", tools=[tool])
    assert seen == [("쌀값이 1년 새 몇 % 올랐는지", None, None)]
    assert events[-1].answer == "쌀값은 1년 새 8% 올랐습니다 [1]."


@pytest.mark.parametrize("empty_answer", ["[1] [2]", "[1] 쌀값이 몇 % 올랐나요?", "…"])
def test_an_answer_holding_nothing_of_the_results_gives_way_to_the_results(empty_answer):
    def lookup(topic: str) -> str:
        """Look a topic up (fixed text in this test)."""
        return "[1] 쌀값 1년 새 8% 올라 (누리일보, 2026-11-29)\n산지 쌀값이 1년 전보다 8% 올랐다."

    handle = fake_handle(ai("", ("lookup", {"topic": "쌀값"})), ai(empty_answer))
    events = run(handle, "쌀값이 몇 % 올랐나요?", tools=[make_tool(lookup)])
    assert events[-1].answer.startswith("모델이 답을 정리하지 못해 도구 결과를 그대로 보여 드립니다.")
    assert "1년 전보다 8% 올랐다" in events[-1].answer


def test_a_clock_call_the_question_gives_no_reason_for_is_dropped_and_answered_plainly():
    # "좋은 하루 보내!" made the 0.5B model call current_time (agent task suite, none-06).
    handle = fake_handle(ai("", ("current_time", {})), ai("고마워요, 좋은 하루 보내세요!"))
    events = run(handle, "좋은 하루 보내!")
    assert not of(events, ToolCall) and events[-1].answer == "고마워요, 좋은 하루 보내세요!"


def test_a_clock_call_on_a_date_question_still_runs():
    handle = fake_handle(ai("", ("current_time", {})), ai("오늘은 11월 24일 화요일입니다."))
    events = run(handle, "오늘 무슨 요일이야?")
    assert [c.name for c in of(events, ToolCall)] == ["current_time"]


def test_a_model_chosen_first_call_also_reads_its_arguments_from_the_question():
    # Not forced ("연봉" keeps the question from being read as a sum); the model's unforced search copied the
    # docstring's outlet and date, which hid every stored article (held-out suite, ho-none-03's search).
    handle = fake_handle(
        ai("", ("search_knowledge", {"query": "반도체", "outlet": "연합뉴스", "since": "2026-11-01"})),
        ai("반도체 수출은 142억 달러입니다 [1]."),
    )
    events = run(handle, "반도체 수출은 얼마나 늘었어?")
    (call,) = of(events, ToolCall)
    assert call.name == "search_knowledge" and "outlet" not in call.args and "since" not in call.args


@pytest.mark.parametrize(
    ("remark", "call"),
    [
        ("오늘 좀 피곤하네.", ("search_knowledge", {"query": "피곤하네"})),
        ("오늘 좀 피곤하네.", ("current_time", {})),
        ("오늘 좀 피곤하네.", ("calculator", {"expression": "1550 * 22"})),
        ("연봉이 4,800만 원이면 한 달에 얼마씩 받는 거야", ("summarize", {"target": "4800000"})),
        ("고마워, 많이 배웠어", ("crawl_news", {"source": "연합뉴스"})),
    ],
)
def test_an_unforced_call_the_message_gives_no_reason_for_is_dropped(remark, call):
    handle = fake_handle(ai("", call), ai("네, 알겠습니다."))
    events = run(handle, remark)
    assert not of(events, ToolCall) and events[-1].answer == "네, 알겠습니다."


def test_a_question_that_reads_as_a_sum_is_calculated_as_asked_without_a_pattern_for_it():
    # "깎아 주면 얼마에 살 수 있어?" matches no calculator pattern; the calculator reads the question itself.
    handle = fake_handle(ai("", ("calculator", {"expression": "18만 원짜리 * 15% = 27,000원"})))
    events = run(handle, "18만 원짜리 운동화를 15% 깎아 주면 얼마에 살 수 있어?")
    (result,) = of(events, ToolResult)
    assert "= 153,000" in result.content and events[-1].answer == result.content


def test_fetching_the_same_source_again_with_another_limit_is_a_repeat():
    seen = []

    def crawl_news(source: str, limit: int = 5) -> str:
        """Collect an outlet's latest articles (recorded in this test)."""
        seen.append((source, limit))
        return f"기사 {limit}건을 모았습니다: 반도체 수출 증가."

    tool = make_tool(crawl_news, fetches="source", relevant=r"기사")
    handle = fake_handle(
        ai("", ("crawl_news", {"source": "http://news.test/rss.xml", "limit": 2})),
        ai("", ("crawl_news", {"source": "http://news.test/rss.xml", "limit": 8})),
        ai("반도체 수출 기사 2건을 모았습니다."),
    )
    events = run(handle, "http://news.test/rss.xml 이 피드 기사 2건 모아 줘", tools=[tool])
    assert seen == [("http://news.test/rss.xml", 2)]
    assert events[-1].answer == "반도체 수출 기사 2건을 모았습니다."


def test_an_answer_that_runs_into_a_loop_keeps_the_phrase_once_and_says_so():
    looped = "월급은 400만 원입니다. " + "1,000만 원을 받는 달에 " * 6
    handle = fake_handle(ai(looped))
    events = run(handle, "월급이 얼마쯤 될까?", tools=[])
    assert events[-1].answer.startswith("월급은 400만 원입니다. 1,000만 원을 받는 달에")
    assert events[-1].answer.count("받는 달에") == 1 and "되풀이되어" in events[-1].answer


def test_an_english_word_with_a_common_korean_form_is_put_back_into_korean():
    # "한국의 수도는 Seoul입니다." (agent task suite, none-04, 2026-12-06).
    handle = fake_handle(ai("한국의 수도는 Seoul입니다."))
    events = run(handle, "한국의 수도는 어디야?", tools=[])
    assert events[-1].answer == "한국의 수도는 서울입니다."
