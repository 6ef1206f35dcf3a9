"""The shipped suite loads and is big enough; a bad task file gets a Korean error naming file and line."""

from __future__ import annotations

from collections import Counter

import pytest

from config import NuriError
from lab.tasks import load_articles, load_suite, load_task_file


def test_shipped_suite_sizes():
    kinds = Counter(task.kind for task in load_suite())
    assert kinds["qa"] >= 20 and kinds["rag"] >= 6 and kinds["summary"] >= 4 and kinds["calc"] >= 6
    assert len(load_articles()) >= 4
    summary = next(task for task in load_suite("summary"))
    assert "세 줄" in summary.question and "1550원" in summary.question


def test_limit_keeps_the_first_tasks_of_each_file():
    tasks = load_suite("qa,calc", limit=2)
    assert [t.id for t in tasks] == ["qa-01", "qa-02", "calc-01", "calc-02"]


@pytest.mark.parametrize(
    ("content", "line", "words"),
    [
        (
            '{"id": "a", "kind": "qa", "question": "q", "answers": ["x"]}\n{"id": "b", "kind": "qa",\n',
            2,
            "JSON",
        ),
        ('\n{"id": "a", "kind": "quiz", "question": "q"}\n', 2, "kind"),
        ('{"id": "a", "kind": "qa", "question": "q"}\n', 1, "answers"),
        ('{"id": "a", "kind": "calc", "question": "q", "expected": "12"}\n', 1, "expected"),
        ('{"id": "a", "kind": "rag", "question": "q", "facts": ["x"], "source": "nowhere"}\n', 1, "nowhere"),
        (
            '{"id": "a", "kind": "summary", "article": "seoul-fare", "key_facts": ["1550원"]}\n',
            1,
            "key_facts",
        ),
        ('{"id": "a", "kind": "qa", "question": "q", "answers": ["x"]}\n' * 2, 2, "두 번"),
        ("[1, 2]\n", 1, "객체"),
    ],
)
def test_bad_task_file_names_file_and_line(tmp_path, content, line, words):
    path = tmp_path / "my-tasks.jsonl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(NuriError) as caught:
        load_task_file(path, load_articles())
    message = str(caught.value)
    assert str(path) in message and f"{line}번째 줄" in message and words in message


def test_unknown_selection_and_empty_file(tmp_path):
    with pytest.raises(NuriError, match="찾을 수 없습니다"):
        load_suite("qa,nosuch")
    empty = tmp_path / "empty.jsonl"
    empty.write_text("# only a comment\n", encoding="utf-8")
    with pytest.raises(NuriError, match="과제가 없습니다"):
        load_suite(str(empty))
