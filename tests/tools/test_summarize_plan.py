"""Properties of the pure summarizer plan: chunks fit, keep every character in order, and work stays linear."""

from __future__ import annotations

import string

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.tools.fake_llamacpp import fake_count
from tools.summarize_plan import (
    JOIN_TOKENS,
    group_for_reduce,
    hard_cut,
    pack_chunks,
    planned_calls,
    request_budget,
)

HANGUL = "".join(chr(c) for c in range(0xAC00, 0xAC00 + 200))
words = st.text(alphabet=HANGUL + string.ascii_letters + string.digits, min_size=1, max_size=12)
sentence = st.lists(words, min_size=1, max_size=12).map(lambda ws: " ".join(ws) + st_end(ws))
paragraph = st.lists(sentence, min_size=1, max_size=8).map(" ".join)
document = st.lists(paragraph, min_size=0, max_size=8).map("\n\n".join)


def st_end(ws: list[str]) -> str:
    return "." if len(ws) % 3 else "!"


def squash(text: str) -> str:
    return "".join(text.split())


@settings(max_examples=150, deadline=None)
@given(document, st.integers(min_value=3, max_value=120))
def test_chunks_fit_the_budget_and_keep_every_character_in_order(text, budget):
    chunks = pack_chunks(text, fake_count, budget)
    assert squash("".join(chunks)) == squash(text)
    # The fake tokenizer is additive, so each chunk's own count is within its budget.
    assert all(fake_count(chunk) <= budget for chunk in chunks)
    assert all(chunk == chunk.strip() and chunk for chunk in chunks)


@settings(max_examples=100, deadline=None)
@given(document, st.integers(min_value=10, max_value=80))
def test_packing_stays_near_the_fewest_chunks(text, budget):
    chunks = pack_chunks(text, fake_count, budget)
    # Greedy packing: each chunk plus the next piece would overflow, so at most about twice the minimum
    # (the join tokens counted are at most one per run of white space).
    joins = len(text.split()) - 1
    assert len(chunks) <= 2 * (fake_count(text) + max(0, joins)) / budget + 1


@given(st.text(alphabet=HANGUL + " ", min_size=1, max_size=400), st.integers(min_value=1, max_value=50))
def test_hard_cut_pieces_fit_and_lose_nothing(text, budget):
    pieces = hard_cut(text, fake_count, budget)
    assert all(n == fake_count(p) <= budget for p, n in pieces)
    assert squash("".join(p for p, _ in pieces)) == squash(text)


@given(
    st.lists(st.integers(min_value=1, max_value=40), max_size=60), st.integers(min_value=40, max_value=200)
)
def test_reduce_groups_are_consecutive_and_fit(sizes, budget):
    groups = group_for_reduce(sizes, budget)
    assert [i for g in groups for i in g] == list(range(len(sizes)))
    for group in groups:
        assert sum(sizes[i] for i in group) + JOIN_TOKENS * (len(group) - 1) <= budget
    # Items of at most a third of the budget: every group but the last merges at least three.
    if all(s <= budget // 3 - 1 for s in sizes):
        assert all(len(g) >= 3 for g in groups[:-1])


@given(st.integers(min_value=512, max_value=131_072), st.integers(min_value=1, max_value=8192))
def test_request_budget_never_exceeds_the_window(window, num_predict):
    budget = request_budget(window, num_predict, fixed=150)
    assert budget.answer <= max(16, window // 4)
    assert budget.answer + budget.safety + budget.fixed + budget.source <= window


def test_planned_calls_grow_linearly_with_chunks():
    calls = [planned_calls(n, 120, 1250) for n in (20, 40, 80, 160)]
    ratios = [b / a for a, b in zip(calls, calls[1:], strict=False)]
    assert all(1.9 <= r <= 2.1 for r in ratios), calls


def test_counting_work_is_linear_in_the_text():
    counted = []

    def count(text: str) -> int:
        counted.append(len(text))
        return fake_count(text)

    paragraph_text = " ".join(f"{i}번 문장에서 시는 요금을 올린다고 밝혔다." for i in range(6))
    for n in (50, 200):
        counted.clear()
        pack_chunks("\n\n".join([paragraph_text] * n), count, 400)
        assert sum(counted) <= 1.05 * n * len(paragraph_text)  # each paragraph counted about once


def test_one_endless_line_is_cut_with_linear_counting():
    counted = []

    def count(text: str) -> int:
        counted.append(len(text))
        return fake_count(text)

    text = "가나다라마바사아자차" * 30_000  # 300,000 characters, no space, no sentence end
    chunks = pack_chunks(text, count, 1000)
    assert "".join(chunks) == text and all(fake_count(c) <= 1000 for c in chunks)
    assert len(chunks) == 300 and sum(counted) <= 4 * len(text)
