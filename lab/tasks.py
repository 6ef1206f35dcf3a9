"""The Korean task suite: load and check task files (JSON Lines), one task per line.

Kinds and their fields (besides `id` and `kind`):
  qa       question, answers (accepted forms)
  rag      question, facts (accepted forms), source (article id)
  summary  article (article id), key_facts (a list of accepted-form lists)
  calc     question, expected (a number)
Articles (`articles.jsonl`): id, title, outlet, url, published, text. A bad line is reported in Korean with
its file and line number; nothing is run from a file with errors.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from config import NuriError

SUITE_DIR = Path(__file__).parent / "suite"
KINDS = ("qa", "rag", "summary", "calc")
_REQUIRED: dict[str, dict[str, type | tuple[type, ...]]] = {
    "qa": {"question": str, "answers": list},
    "rag": {"question": str, "facts": list, "source": str},
    "summary": {"article": str, "key_facts": list},
    "calc": {"question": str, "expected": (int, float)},
}
_ARTICLE_FIELDS = ("id", "title", "outlet", "url", "published", "text")
SUMMARY_PROMPT = "다음 기사를 한국어 세 줄로 요약하세요. 각 줄은 한 문장입니다.\n\n제목: {title}\n\n{text}"


@dataclass(frozen=True)
class Task:
    """One question of the suite."""

    id: str
    kind: str
    question: str
    data: dict[str, Any] = field(default_factory=dict, repr=False)  # the kind's own fields

    @property
    def reference(self) -> str:
        """What a right answer holds, in one line for the report."""
        data = self.data
        if self.kind == "qa":
            return " / ".join(data["answers"])
        if self.kind == "rag":
            return f"{' / '.join(data['facts'])} (출처 {data['source']})"
        if self.kind == "calc":
            return _number(data["expected"])
        return "; ".join(forms[0] for forms in data["key_facts"])


@dataclass(frozen=True)
class Article:
    """A fixture news article that RAG tasks search and summary tasks summarise."""

    id: str
    title: str
    outlet: str
    url: str
    published: str
    text: str


def _number(value: float) -> str:
    return f"{int(value):,}" if float(value).is_integer() else str(value)


def _error(path: Path, line: int, what: str) -> NuriError:
    return NuriError(
        f"과제 파일 {path}의 {line}번째 줄이 잘못되었습니다: {what}.",
        hint="그 줄을 고치거나 지운 뒤 다시 실행하세요 (형식: lab/tasks.py 설명).",
    )


def _records(path: Path) -> list[tuple[int, dict[str, Any]]]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise NuriError(f"과제 파일을 읽을 수 없습니다: {path} ({error.strerror}).") from error
    except UnicodeDecodeError as error:
        raise NuriError(f"과제 파일이 UTF-8이 아닙니다: {path}.", hint="UTF-8로 저장하세요.") from error
    records = []
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise _error(path, number, f"JSON이 아닙니다 ({error.msg}, {error.colno}번째 글자)") from error
        if not isinstance(record, dict):
            raise _error(path, number, "한 줄에 JSON 객체 하나가 있어야 합니다")
        records.append((number, record))
    return records


def _check_task(path: Path, line: int, record: dict[str, Any]) -> Task:
    task_id, kind = record.get("id"), record.get("kind")
    if not isinstance(task_id, str) or not task_id:
        raise _error(path, line, "'id'(문자열)가 없습니다")
    if kind not in _REQUIRED:
        raise _error(path, line, f"'kind'는 {', '.join(KINDS)} 중 하나여야 합니다 (받은 값: {kind!r})")
    for name, kind_type in _REQUIRED[kind].items():
        value = record.get(name)
        if not isinstance(value, kind_type) or isinstance(value, bool) or value in ("", []):
            raise _error(path, line, f"{kind} 과제 {task_id}에 '{name}' 값이 없거나 형식이 틀립니다")
    for name in ("answers", "facts"):
        if name in record and not all(isinstance(v, str) and v for v in record[name]):
            raise _error(path, line, f"'{name}'는 비어 있지 않은 문자열 목록이어야 합니다")
    if kind == "summary" and not all(
        isinstance(forms, list) and forms and all(isinstance(v, str) and v for v in forms)
        for forms in record["key_facts"]
    ):
        raise _error(path, line, "'key_facts'는 문자열 목록들의 목록이어야 합니다")
    data = {k: v for k, v in record.items() if k not in ("id", "kind", "question")}
    return Task(task_id, kind, str(record.get("question", "")), data)


def load_articles(path: Path | None = None) -> dict[str, Article]:
    """The fixture articles by id."""
    path = path or SUITE_DIR / "articles.jsonl"
    articles: dict[str, Article] = {}
    for line, record in _records(path):
        missing = [
            name for name in _ARTICLE_FIELDS if not isinstance(record.get(name), str) or not record[name]
        ]
        if missing:
            raise _error(path, line, f"기사에 {', '.join(missing)} 값이 없습니다")
        articles[record["id"]] = Article(**{name: record[name] for name in _ARTICLE_FIELDS})
    return articles


def load_task_file(path: Path, articles: dict[str, Article]) -> list[Task]:
    """Tasks of one file, checked; summary tasks get their prompt from the article."""
    tasks: list[Task] = []
    seen: set[str] = set()
    for line, record in _records(path):
        task = _check_task(path, line, record)
        if task.id in seen:
            raise _error(path, line, f"과제 id {task.id}가 두 번 나옵니다")
        seen.add(task.id)
        article_id = task.data.get("article") or task.data.get("source")
        if task.kind in ("summary", "rag") and article_id not in articles:
            raise _error(path, line, f"기사 {article_id!r}가 articles.jsonl에 없습니다")
        if task.kind == "summary":
            article = articles[article_id]
            task = Task(
                task.id, task.kind, SUMMARY_PROMPT.format(title=article.title, text=article.text), task.data
            )
        tasks.append(task)
    if not tasks:
        raise NuriError(f"과제 파일에 과제가 없습니다: {path}.", hint="한 줄에 과제 하나씩 JSON으로 쓰세요.")
    return tasks


def load_suite(selection: str = "qa,rag,summary,calc", *, limit: int | None = None) -> list[Task]:
    """Tasks for a comma-separated selection of kinds (shipped files) or paths to task files.

    `limit` keeps the first N tasks of each selected file.
    """
    articles = load_articles()
    tasks: list[Task] = []
    for item in (part.strip() for part in selection.split(",")):
        if not item:
            continue
        if item in KINDS:
            path = SUITE_DIR / f"{item}.jsonl"
        else:
            path = Path(item).expanduser()
            if not path.is_file():
                raise NuriError(
                    f"과제 종류나 파일을 찾을 수 없습니다: {item}.",
                    hint=f"{', '.join(KINDS)} 중에서 고르거나 .jsonl 과제 파일 경로를 주세요.",
                )
        chosen = load_task_file(path, articles)
        tasks.extend(chosen[:limit] if limit else chosen)
    ids = [task.id for task in tasks]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise NuriError(f"과제 id가 겹칩니다: {', '.join(duplicates)}.", hint="파일마다 다른 id를 쓰세요.")
    return tasks
