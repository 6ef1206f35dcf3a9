"""Whether a model's summary is about the text at all, and the text's own lead when it is not.

The 0.5B default model sometimes answers a summary request with a sentence about the request ("다음 글은
한국어 한 문장으로 요약합니다.", "자료를 한국어 세 문장으로 요약해 드릴 수 있습니다." x3): 2 of 3 pasted-text
tasks in one run of the agent suite (docs/benchmarks/agent.md). A summary reuses the text's words; such a
reply does not. The check counts Hangul syllable pairs of the reply that also occur in the text.
"""

from __future__ import annotations

import re

__all__ = [
    "MIN_OVERLAP",
    "draws_on",
    "is_summary_of",
    "lead_sentences",
    "without_label_word",
    "without_repeats",
    "without_request",
]

# Real summaries measured 0.8-1.0 (they copy the text's words); the replies above 0.23-0.27.
MIN_OVERLAP = 0.45
_HANGUL_WORD = re.compile(r"[가-힣]{2,}")
_SENTENCE_END = re.compile(r"(?<=[.!?。])\s+|\n+")
# A line that asks for the summary ("이 글 요약해 줘."), pasted together with the text.
_REQUEST = re.compile(r"(요약|줄여|간추려|정리)\S*\s*(해\s*)?(줘|주세요|줄래|부탁|바랍니다)")


def _is_request(line: str) -> bool:
    return len(line) < 80 and _REQUEST.search(line) is not None


def without_request(text: str) -> str:
    r"""A pasted text without the request line above or below it ("이 글 요약해 줘."): the model would
    otherwise summarize the request too ("이 글 요약해 줘. 이 글은 교육청이 ...").

    >>> without_request("이 글 요약해 줘.\n\n교육청이 코딩 교실을 연다.\n\n세 줄로 정리해 주세요")
    '교육청이 코딩 교실을 연다.'
    >>> without_request("이 글 요약해 줘.")
    '이 글 요약해 줘.'
    """
    lines = text.strip().splitlines()
    while len(lines) > 1 and (not lines[0].strip() or _is_request(lines[0].strip())):
        lines.pop(0)
    while len(lines) > 1 and (not lines[-1].strip() or _is_request(lines[-1].strip())):
        lines.pop()
    return "\n".join(lines).strip()


def _pairs(text: str) -> set[str]:
    return {w[i : i + 2] for w in _HANGUL_WORD.findall(text) for i in range(len(w) - 1)}


def draws_on(answer: str, text: str) -> float:
    """The share of the answer's Hangul syllable pairs that occur in `text` (1.0 when it has none).

    >>> text = "누리구는 내년 봄부터 공원 세 곳에 주민 텃밭을 만든다고 밝혔다."
    >>> draws_on("누리구가 내년 봄 공원에 주민 텃밭을 만든다.", text) > 0.8
    True
    >>> draws_on("다음 글은 한국어 한 문장으로 요약합니다.", text) < 0.3
    True
    """
    pairs = _pairs(answer)
    return len(pairs & _pairs(text)) / len(pairs) if pairs else 1.0


def is_summary_of(answer: str, text: str) -> bool:
    """Whether `answer` reads as a summary of `text` rather than a remark about the request. A text that
    is not mostly Korean (an English article summarized in Korean shares no syllables) is not judged.

    >>> is_summary_of("정부가 금리를 내렸다.", "The government cut interest rates on Monday.")
    True
    """
    letters = re.findall(r"[가-힣A-Za-z]", text)
    if len(letters) < 20 or sum(c >= "가" for c in letters) < 0.5 * len(letters):
        return True
    return draws_on(answer, text) >= MIN_OVERLAP


def lead_sentences(text: str, count: int) -> list[str]:
    """The first `count` sentences of `text`, without a request line pasted with it (news puts the
    facts first, so the lead is the honest stand-in for a summary the model could not write).

    >>> lead_sentences("이 글 요약해 줘.\\n\\n시가 요금을 올린다. 적자 때문이다. 시민은 반대한다.", 2)
    ['시가 요금을 올린다.', '적자 때문이다.']
    """
    sentences = [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]
    body = [s for s in sentences if not _is_request(s)]
    return body[:count]


def without_repeats(summary: str) -> str:
    r"""The summary without a line that repeats an earlier one (small models write a sentence twice).

    >>> without_repeats("한도를 10권으로 늘린다.\n대출 기간도 21일로 길어진다.\n대출 기간도 21일로 길어진다")
    '한도를 10권으로 늘린다.\n대출 기간도 21일로 길어진다.'
    """
    kept, seen = [], set()
    for line in summary.splitlines():
        key = re.sub(r"[\W_]+", "", line)
        if key and key in seen:
            continue
        seen.add(key)
        kept.append(line)
    return "\n".join(kept).strip()


_LABEL_WORD = re.compile(
    r"^(\s*(?:[-•*]|\d+[.)])?\s*)자료(?:에서는|에서|에는|는|를|가|의|에|은|이)?\s+", re.MULTILINE
)


def without_label_word(summary: str, text: str) -> str:
    r"""The summary without "자료" put in place of a sentence's subject, when the text never says 자료: the word
    comes from the data delimiters' label (the 0.5B model wrote "자료는 출품작 1,130편 가운데 ...").

    >>> without_label_word("자료는 출품작 1,130편 가운데 24편이 올랐다.\n- 자료를 무료로 준다.", "올해는 출품작 ...")
    '출품작 1,130편 가운데 24편이 올랐다.\n- 무료로 준다.'
    >>> without_label_word("자료는 공개된다.", "시는 자료를 공개한다.")
    '자료는 공개된다.'
    """
    return summary if "자료" in text else _LABEL_WORD.sub(r"\1", summary)
