"""Agent task suite: Korean requests through the real agent on the embedded default model (issue 7).

Run: .venv/bin/python benchmarks/agent_tasks.py [--tasks FILE] [--gguf PATH] [--only CATEGORY] [--limit N]
     [--json OUT]

Tasks are data (`benchmarks/data/agent_tasks/tasks.jsonl`, the suite tuned against; `heldout.jsonl`, 25
requests and two pages written after the tuning, run as they are): a question, the tools whose call is right first
(none for chit-chat), argument checks and facts the answer must hold. Fixture pages and feeds of a made-up
outlet (누리일보) are served on 127.0.0.1; "누리일보" resolves to those feeds (the outlet table is extended
inside this process only); the knowledge base of a temporary data dir is filled with six fixture articles
first. Each task runs through `agent.runner.stream_turn`. Prints per task, then per category and overall:
right tool %, right answer % (right tool, right arguments and every fact), Korean-only % (no word found by
`agent.language.english_drift`) and seconds per request, then the failed tasks with the reason.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import threading
import time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.agent_task_scoring import (  # noqa: E402
    CATEGORIES,
    DATA,
    PREFILL,
    SITE,
    Outcome,
    Task,
    load_tasks,
    outcome_from_row,
    outcome_row,
    score,
    table,
    task_problems,
)


class _Site(SimpleHTTPRequestHandler):
    """Serves the fixture site with {BASE} replaced by the server's own address."""

    base = ""

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        path = SITE / self.path.split("?")[0].lstrip("/")
        if not path.is_file():
            self.send_error(404)
            return
        body = path.read_bytes().replace(b"{BASE}", self.base.encode())
        kind = {".html": "text/html", ".xml": "application/rss+xml"}.get(path.suffix, "text/plain")
        self.send_response(200)
        self.send_header("Content-Type", f"{kind}; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


def serve_site() -> tuple[ThreadingHTTPServer, str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Site, directory=str(SITE)))
    _Site.base = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, _Site.base


def _extend_outlets(base: str, home: Path) -> None:
    """Make "누리일보" a known outlet whose feeds are the loopback fixtures (this process only)."""
    import tools.news_sources as sources

    extra = (DATA / "outlets.toml").read_text(encoding="utf-8").replace("{BASE}", base)
    table = home / "news_sources.toml"
    table.write_text(sources._TABLE.read_text(encoding="utf-8") + "\n" + extra, encoding="utf-8")
    sources._TABLE = table
    sources.known_outlets.cache_clear()


def _prefill(handle: Any, settings: Any, base: str) -> str:
    from tools.context import ToolEnv, using_env
    from tools.crawl import crawl

    env = ToolEnv(settings=settings, model=handle.model, count_tokens=handle.count_tokens,
                  context_length=handle.context_length)  # fmt: skip
    with using_env(env):
        output = crawl([f"{base}/news/{slug}.html" for slug in PREFILL], max_pages=len(PREFILL))
    return output.text


def run_task(task: Task, handle: Any, settings: Any, base: str) -> Outcome:
    from agent.events import Done, ToolCall
    from agent.runner import stream_turn

    question = task.question.replace("{BASE}", base)
    calls: list[dict[str, Any]] = []
    answer, error = "", None
    started = time.perf_counter()
    try:
        for event in stream_turn(handle, [], question, settings, confirm=lambda request: True):
            if isinstance(event, ToolCall):
                calls.append({"name": event.name, "args": event.args})
            elif isinstance(event, Done):
                answer = event.answer
    except Exception as failure:  # noqa: BLE001 - one failed task must not end the suite
        error = f"{type(failure).__name__}: {failure}"
    outcome = score(task, calls, answer, base)
    outcome.seconds, outcome.error = time.perf_counter() - started, error
    if error:
        outcome.reasons.insert(0, f"error: {error[:160]}")
    return outcome


def report(outcomes: list[Outcome]) -> None:
    """The per-category table and the failed tasks with their reasons."""
    print("\n".join(table(outcomes)))
    failed = [o for o in outcomes if not (o.right_tool and o.right_answer and o.korean_only)]
    print(f"\nfailed tasks ({len(failed)}):")
    for o in failed:
        print(f"- {o.task.id} ({o.task.category}): {'; '.join(o.reasons)}")


def merge(paths: list[Path], task_file: Path) -> None:
    """Report on the tasks recorded in several --json files (e.g. two runs from both ends of the list)."""
    tasks = {t.id: t for t in load_tasks(task_file)}
    seen: dict[str, Outcome] = {}
    for path in paths:
        for row in json.loads(path.read_text(encoding="utf-8")):
            seen.setdefault(row["id"], outcome_from_row(row, tasks))
    order = list(tasks)
    outcomes = sorted(seen.values(), key=lambda o: order.index(o.task.id))
    print(f"{len(outcomes)} of {len(tasks)} tasks recorded in {', '.join(map(str, paths))}\n")
    report(outcomes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--tasks",
        type=Path,
        default=DATA / "tasks.jsonl",
        help="task file (default: the suite; heldout.jsonl is the set written after tuning)",
    )
    parser.add_argument("--gguf", type=Path, help="another GGUF than the default model (e.g. the 1.5B)")
    parser.add_argument("--only", choices=CATEGORIES, help="run one category")
    parser.add_argument("--limit", type=int, help="first N tasks (after --only)")
    parser.add_argument("--json", type=Path, help="write every task's calls, answer and verdict here")
    parser.add_argument("--reverse", action="store_true", help="run the task order from its end")
    parser.add_argument("--report", type=Path, nargs="+", help="only report on these --json files, no model")
    parser.add_argument(
        "--num-ctx", type=int, default=8192, help="embedded context window (Settings' default)"
    )
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds one model request may take")
    parser.add_argument("--num-predict", type=int, default=1024, help="most tokens per model call")
    parser.add_argument(
        "--threads",
        type=int,
        help="llama.cpp threads (default: all; 1 is faster while other jobs load the CPU)",
    )
    args = parser.parse_args()

    from agent.llm import open_chat_model
    from agent.llm.assets import default_model_path
    from config import Settings

    if args.report:
        merge(args.report, args.tasks)
        return
    tasks = load_tasks(args.tasks)
    problems = task_problems(tasks)
    if problems:
        sys.exit("task data problems:\n" + "\n".join(problems))
    tasks = [t for t in tasks if not args.only or t.category == args.only][: args.limit]
    # Round-robin over categories, so a run stopped early still covers every category.
    queues = [[t for t in tasks if t.category == c] for c in CATEGORIES]
    tasks = [q[i] for i in range(max(map(len, queues), default=0)) for q in queues if i < len(q)]
    tasks = tasks[::-1] if args.reverse else tasks
    server, base = serve_site()
    home = Path(tempfile.mkdtemp(prefix="nuri-agent-tasks-"))
    settings = Settings(
        home=home, provider="embedded", gguf=args.gguf or default_model_path(Settings()), num_ctx=args.num_ctx,
        allow_private=[f"127.0.0.1:{server.server_address[1]}"], crawl_delay=0.0,
        request_timeout=args.timeout, threads=args.threads, num_predict=args.num_predict,
    )  # fmt: skip
    _extend_outlets(base, home)
    started = time.perf_counter()
    handle = open_chat_model(settings)
    print(f"model {handle.badge()}, temperature {settings.temperature}, data dir {home}", flush=True)
    if any(t.category == "search_knowledge" for t in tasks):
        stored = _prefill(handle, settings, base)
        print(f"knowledge base filled ({time.perf_counter() - started:.0f} s): {stored[:80]!r}", flush=True)
    outcomes: list[Outcome] = []
    for task in tasks:
        outcome = run_task(task, handle, settings, base)
        outcomes.append(outcome)
        first = outcome.calls[0]["name"] if outcome.calls else "-"
        marks = "".join(
            "✓" if f else "✗" for f in (outcome.right_tool, outcome.right_answer, outcome.korean_only)
        )
        print(
            f"{task.id:<12} {marks} {outcome.seconds:5.1f}s {first:<16} {outcome.answer[:70]!r}", flush=True
        )
        if outcome.reasons:
            print(f"{'':<12} {'; '.join(outcome.reasons)[:300]}", flush=True)
        if args.json:  # after every task, so a run stopped early keeps what it measured
            rows = [outcome_row(o) for o in outcomes]
            args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"\n{len(outcomes)} tasks, {time.perf_counter() - started:.0f} s in all\n")
    report(outcomes)
    server.shutdown()


if __name__ == "__main__":
    main()
