"""The prompt of a turn's last, tool-less call: this turn's tool results as plain text in the question.

A chat template renders tool traffic as call JSON and tool-response blocks. Shown that format with no tools
bound, the small default model copies it and writes another call instead of an answer (measured on the agent
task suite, docs/benchmarks/agent.md). So the answer call gets the question with the results under it, as a
person would paste them, and an instruction to answer from them. The thread keeps the real tool messages.
"""

from __future__ import annotations

from collections.abc import Sequence

from langchain_core.messages import AIMessage, AnyMessage, HumanMessage, ToolMessage

RESULTS_HEADER = "[도구 결과]"
ANSWER_INSTRUCTION = (
    "위 도구 결과만 근거로 질문에 한국어로 답하세요. 도구를 다시 부르지 말고, JSON 없이 문장으로 쓰세요. "
    "결과에 [1], [2] 같은 출처 번호가 있으면 그 번호를 답에 붙이세요."
)


def _result_block(message: ToolMessage) -> str:
    status = " (오류)" if message.status == "error" else ""
    return f"- {message.name or '도구'}{status}:\n{message.text.strip()}"


def inline_tool_results(prompt: Sequence[AnyMessage]) -> list[AnyMessage]:
    """`prompt` with its trailing question + tool traffic folded into one user message.

    >>> from langchain_core.messages import SystemMessage
    >>> call = AIMessage("", tool_calls=[{"name": "calculator", "args": {"expression": "1+1"}, "id": "c1"}])
    >>> result = ToolMessage("1 + 1 = 2", tool_call_id="c1", name="calculator")
    >>> out = inline_tool_results([SystemMessage("sys"), HumanMessage("1+1은?"), call, result])
    >>> [type(m).__name__ for m in out]
    ['SystemMessage', 'HumanMessage']
    >>> print(out[-1].content.split("\\n\\n위 도구")[0])
    1+1은?
    <BLANKLINE>
    [도구 결과]
    - calculator:
    1 + 1 = 2
    """
    messages = list(prompt)
    start = max((i for i, m in enumerate(messages) if isinstance(m, HumanMessage)), default=-1)
    tail = messages[start + 1 :]
    results = [m for m in tail if isinstance(m, ToolMessage)]
    if start < 0 or not results:
        return messages
    said = [m.text.strip() for m in tail if isinstance(m, AIMessage) and m.text.strip()]
    blocks = "\n\n".join(_result_block(m) for m in results)
    notes = "".join(f"\n\n(앞서 쓴 메모: {text})" for text in said)
    question = messages[start]
    content = f"{question.text}\n\n{RESULTS_HEADER}\n{blocks}{notes}\n\n{ANSWER_INSTRUCTION}"
    return [*messages[:start], question.model_copy(update={"content": content})]
