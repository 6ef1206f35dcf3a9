"""Run one task on one opened model and score it: a result row for `results.jsonl`.

QA and summaries are plain streamed completions (server timings); calculator and RAG tasks go through the
agent (`agent.runner.stream_turn`) with only the tool the task is about, so the row records whether the
model called it and what the turn cost end to end.
"""

from __future__ import annotations

import logging
import re
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from config import NuriError
from lab import scoring
from lab.client import chat_messages
from lab.session import Session
from lab.tasks import Article, Task, load_articles

log = logging.getLogger(__name__)

MAX_TOKENS = {"qa": 64, "summary": 160}
TOOL_FOR = {"calc": "calculator", "rag": "search_knowledge"}


def find_tool(name: str) -> Any | None:
    """The registered agent tool called `name`, or None while it has not landed."""
    from tools.registry import TOOLS

    return next((tool for tool in TOOLS if tool.name == name), None)


@dataclass
class RagFixture:
    """A throw-away data dir whose knowledge base holds the fixture articles (built once per worker)."""

    articles: dict[str, Article]
    home: Path
    kb: Any = None
    _tmp: Any = field(default=None, repr=False)

    @classmethod
    def build(cls, session: Session, embedder: Any = None) -> RagFixture:
        from datetime import datetime

        from crawlers.article import Article as NewsArticle
        from vectorstore import KnowledgeBase

        tmp = tempfile.TemporaryDirectory(prefix="nuri-lab-kb-")
        home = Path(tmp.name)
        articles = load_articles()
        kb = KnowledgeBase(session.settings.model_copy(update={"home": home}), embedder=embedder)
        kb.add(
            [
                NewsArticle(
                    url=a.url,
                    canonical_url=a.url,
                    title=a.title,
                    text=a.text,
                    outlet=a.outlet,
                    published=datetime.fromisoformat(a.published + "T09:00:00+09:00"),
                )
                for a in articles.values()
            ]
        )
        return cls(articles, home, kb, tmp)


def _base_row(session: Session, task: Task) -> dict[str, Any]:
    return {
        "type": "cell",
        "model": session.target.label,
        "task": task.id,
        "kind": task.kind,
        "question": task.question if task.kind != "summary" else task.data["article"],
        "reference": task.reference,
    }


def run_cell(session: Session, task: Task, rag: RagFixture | None = None) -> dict[str, Any]:
    """One task's row: answer, score, timings; status `error`/`skipped` with a Korean reason."""
    row = _base_row(session, task)
    try:
        if task.kind in ("qa", "summary"):
            row.update(_plain(session, task))
        else:
            row.update(_agent(session, task, rag))
    except NuriError as error:
        row.update(status="error", error=str(error))
    except Exception as error:  # noqa: BLE001 - one bad cell must not end the run; the log keeps the trace
        log.exception("cell %s on %s failed", task.id, session.target.label)
        row.update(status="error", error=f"이 과제를 실행하지 못했습니다 ({type(error).__name__}: {error}).")
    return row


def _plain(session: Session, task: Task) -> dict[str, Any]:
    done = session.complete(chat_messages(task.question), MAX_TOKENS[task.kind])
    answer = done.text.strip()
    if task.kind == "qa":
        score = scoring.score_qa(answer, task.data["answers"])
    else:
        score = scoring.score_summary(answer, task.data["key_facts"])
    return {
        "status": "ok",
        "answer": answer,
        "score": score.value,
        "passed": score.passed,
        "detail": score.detail,
        "korean": scoring.korean_only(answer),
        "seconds": done.seconds,
        "ttft": done.ttft,
        **{k: v for k, v in done.timings.as_row().items() if k != "load_seconds"},
    }


def _agent(session: Session, task: Task, rag: RagFixture | None) -> dict[str, Any]:
    from agent.events import Done, ToolCall
    from agent.runner import stream_turn
    from tools.context import ToolEnv, using_env

    tool = find_tool(TOOL_FOR[task.kind])
    if tool is None:
        return {"status": "skipped", "error": f"{TOOL_FOR[task.kind]} 도구가 아직 등록되어 있지 않습니다."}
    handle = session.handle()
    settings = session.settings
    if task.kind == "rag":
        if rag is None:
            raise NuriError("RAG 과제에 필요한 지식 베이스가 준비되지 않았습니다.")
        settings = settings.model_copy(update={"home": rag.home})
    env = ToolEnv(
        settings,
        model=handle.model,
        count_tokens=handle.count_tokens,
        context_length=handle.context_length,
        knowledge=rag.kb if rag else None,
    )
    called: list[str] = []
    done: Done | None = None
    started = time.perf_counter()
    with using_env(env):
        turn = stream_turn(handle, [], task.question, settings, tools=[tool], knowledge=env.knowledge)
        for event in turn:
            if isinstance(event, ToolCall):
                called.append(event.name)
            elif isinstance(event, Done):
                done = event
    answer = (done.answer if done else "").strip()
    if task.kind == "calc":
        score = scoring.score_calc(answer, float(task.data["expected"]), tool.name in called)
    else:
        article = rag.articles[task.data["source"]] if rag else None
        score = scoring.score_rag(answer, task.data["facts"], _cites(answer, done, article))
    return {
        "status": "ok",
        "answer": answer,
        "score": score.value,
        "passed": score.passed,
        "detail": score.detail,
        "korean": scoring.korean_only(answer),
        "seconds": time.perf_counter() - started,
        "ttft": done.first_token if done else None,
        "tools": called,
        "steps": done.steps if done else 0,
    }


def _cites(answer: str, done: Any, article: Article | None) -> bool:
    """Whether the answer points at `article`: a [n] marker for its citation, or its title/outlet/URL."""
    if article is None:
        return False
    for citation in getattr(done, "citations", None) or []:
        if getattr(citation, "url", None) == article.url and re.search(rf"\[{citation.n}\]", answer):
            return True
    return any(mark and mark in answer for mark in (article.url, article.title, article.outlet))
