"""Retrieval quality on the Korean sets: recall@1, recall@5 and MRR@10 for dense, BM25 and hybrid.

Two sets in `benchmarks/data/retrieval/`: `main` (articles.jsonl, questions.jsonl: 110 articles in topic
clusters) and `neardup` (neardup_*.jsonl: 32 pairs of near-duplicate stories, each question answered by
one side only, split by pair into `tune` and `heldout`). For each embedder and set the articles go into a
fresh knowledge base in a temporary data dir; then every question is searched with
`kb.search(question, k=10, mode=m, group_by_article=True)` for each mode. A question is a hit at 5 when any
of its relevant canonical URLs is among the first 5 articles; its reciprocal rank counts the first relevant
article within the top 10 (0 when none). One markdown table goes to stdout.

    .venv/bin/python benchmarks/retrieval_quality.py                       # e5 and use, both sets
    .venv/bin/python benchmarks/retrieval_quality.py --embedders e5 --sets neardup --baseline
    .venv/bin/python benchmarks/retrieval_quality.py --dense-weights 0.5,0.7,0.9 --json out.json

`--dense-weights` adds one hybrid row per weight and `--agreement-weights` one per number-agreement bonus
(same store, no re-ingestion); `--baseline` adds the hybrid as it was before the bonus (e5 w=0.7, USE w=0.5, no bonus).
`--embedders hash` uses the model-free test embedder, for a quick check of the script itself.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from config import Settings  # noqa: E402
from crawlers.article import Article  # noqa: E402
from vectorstore import HashingEmbedder, KnowledgeBase  # noqa: E402

DATA = ROOT / "benchmarks" / "data" / "retrieval"
MODES = ("dense", "bm25", "hybrid")
SETS = {"main": "", "neardup": "neardup_"}
# The hybrid before issue 9 (no number-agreement bonus), for --baseline rows.
BEFORE_DENSE_WEIGHT = {"e5": 0.7, "use": 0.5}
EMBEDDERS = ("e5", "use", "hash")
SEARCH_K = 10
RECALL_K = 5


def first_relevant_rank(found: list[str], relevant: set[str]) -> int | None:
    """1-based rank of the first relevant URL in `found`, or None.

    >>> first_relevant_rank(["u3", "u1", "u2"], {"u1", "u2"})
    2
    >>> first_relevant_rank(["u3"], {"u1"}) is None
    True
    """
    for rank, url in enumerate(found, 1):
        if url in relevant:
            return rank
    return None


def recall_at(rank: int | None, k: int = RECALL_K) -> float:
    """1.0 when the first relevant result sits within the top k.

    >>> recall_at(5), recall_at(6), recall_at(None)
    (1.0, 0.0, 0.0)
    """
    return 1.0 if rank is not None and rank <= k else 0.0


def reciprocal_rank(rank: int | None, cutoff: int = SEARCH_K) -> float:
    """1/rank within the cut-off, else 0.

    >>> reciprocal_rank(1), reciprocal_rank(4), reciprocal_rank(11), reciprocal_rank(None)
    (1.0, 0.25, 0.0, 0.0)
    """
    return 1.0 / rank if rank is not None and rank <= cutoff else 0.0


@dataclass
class Row:
    """One embedder x mode (x dense weight) result."""

    embedder: str
    mode: str
    dense_weight: float | None  # the hybrid weight actually used; None for dense and bm25
    swept: bool  # True for the extra sweep rows, False for the knowledge base's own default
    recall5: float
    mrr10: float
    recall1: float
    qps: float
    ingest_s: float
    chunks: int
    by_type: dict[str, float] = field(default_factory=dict)
    ranks: dict[str, int | None] = field(default_factory=dict)
    qset: str = "main"  # the question set, or one split of it ("neardup/heldout")
    agreement: float | None = None  # the number-agreement bonus used by the hybrid

    @property
    def label(self) -> str:
        if self.dense_weight is None:
            return self.mode
        bonus = f", a={self.agreement:g}" if self.agreement is not None else ""
        return f"{self.mode} (w={self.dense_weight:g}{bonus}{'' if self.swept else ', default'})"


def load_set(limit: int | None = None, name: str = "main") -> tuple[list[Article], list[dict]]:
    prefix = SETS[name]
    articles = [
        Article.from_json_line(line)
        for line in (DATA / f"{prefix}articles.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    questions = [
        json.loads(line)
        for line in (DATA / f"{prefix}questions.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    return articles, questions[:limit] if limit else questions


def evaluate(kb: KnowledgeBase, questions: list[dict], mode: str) -> tuple[dict[str, int | None], float]:
    """Rank of the first relevant article per question, and queries per second."""
    ranks: dict[str, int | None] = {}
    started = time.perf_counter()
    for q in questions:
        results = kb.search(q["question"], k=SEARCH_K, mode=mode, group_by_article=True)
        ranks[q["id"]] = first_relevant_rank([r.canonical_url for r in results], set(q["relevant"]))
    elapsed = time.perf_counter() - started
    return ranks, len(questions) / elapsed if elapsed > 0 else float("inf")


def summarise(
    ranks: dict[str, int | None], questions: list[dict]
) -> tuple[float, float, float, dict[str, float]]:
    """recall@5, MRR@10, recall@1 (right article first) and recall@5 per question type."""
    n = len(questions)
    recall = sum(recall_at(ranks[q["id"]]) for q in questions) / n
    mrr = sum(reciprocal_rank(ranks[q["id"]]) for q in questions) / n
    top1 = sum(recall_at(ranks[q["id"]], 1) for q in questions) / n
    hits: dict[str, list[float]] = defaultdict(list)
    for q in questions:
        hits[q["type"]].append(recall_at(ranks[q["id"]]))
    return recall, mrr, top1, {t: sum(v) / len(v) for t, v in sorted(hits.items())}


def splits(name: str, questions: list[dict]) -> dict[str, list[dict]]:
    """The question groups reported for a set: all of it, then each split it declares.

    >>> sorted(splits("neardup", [{"split": "tune"}, {"split": "heldout"}]))
    ['neardup', 'neardup/heldout', 'neardup/tune']
    """
    groups = {name: questions}
    for split in sorted({q["split"] for q in questions if "split" in q}):
        groups[f"{name}/{split}"] = [q for q in questions if q.get("split") == split]
    return groups


def run(
    embedders: list[str],
    modes: list[str],
    limit: int | None = None,
    dense_weights: list[float] | None = None,
    log=print,
    sets: tuple[str, ...] = ("main",),
    agreement_weights: list[float] | None = None,
    baseline: bool = False,
) -> list[Row]:
    rows: list[Row] = []
    for name in embedders:
        for set_name in sets:
            rows += _run_one(name, set_name, modes, limit, dense_weights, agreement_weights, baseline, log)
    return rows


def _run_one(name, set_name, modes, limit, dense_weights, agreement_weights, baseline, log) -> list[Row]:
    articles, questions = load_set(limit, set_name)
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="nuri-retrieval-") as tmp:
        settings = Settings(home=Path(tmp), embedder="e5" if name == "hash" else name)
        kb = KnowledgeBase(settings, embedder=HashingEmbedder() if name == "hash" else None)
        started = time.perf_counter()
        kb.embedder  # load the model outside the ingestion timing  # noqa: B018
        load_s = time.perf_counter() - started
        started = time.perf_counter()
        report = kb.add(articles)
        ingest_s = time.perf_counter() - started
        if report.rejected:
            raise SystemExit(f"articles rejected: {report.rejected}")
        log(
            f"[{name}/{set_name}] model load {load_s:.1f} s; ingested {len(articles)} articles, "
            f"{report.chunks} chunks in {ingest_s:.1f} s"
        )
        # (mode, settings overrides); no overrides = the knowledge base's own defaults, as in use.
        plan: list[tuple[str, dict]] = [(m, {}) for m in modes]
        if "hybrid" in modes:
            plan += [("hybrid", {"kb_dense_weight": w}) for w in dense_weights or []]
            plan += [("hybrid", {"kb_agreement_weight": a}) for a in agreement_weights or []]
            if baseline:
                before = {"kb_agreement_weight": 0.0}
                if name in BEFORE_DENSE_WEIGHT:
                    before["kb_dense_weight"] = BEFORE_DENSE_WEIGHT[name]
                plan.append(("hybrid", before))
        for mode, update in plan:
            kb.settings = settings.model_copy(update=update) if update else settings
            used = kb.dense_weight if mode == "hybrid" else None
            bonus = kb.settings.kb_agreement_weight if mode == "hybrid" else None
            ranks, qps = evaluate(kb, questions, mode)
            for group, subset in splits(set_name, questions).items():
                recall, mrr, top1, by_type = summarise(ranks, subset)
                row = Row(
                    name, mode, used, bool(update), recall, mrr, top1, qps, ingest_s, report.chunks,
                    by_type, {q["id"]: ranks[q["id"]] for q in subset}, group, bonus,
                )  # fmt: skip
                rows.append(row)
                log(
                    f"[{name}/{group}] {row.label}: recall@1 {top1:.3f}, recall@5 {recall:.3f}, "
                    f"MRR@10 {mrr:.3f}, {qps:.1f} q/s"
                )
        kb.close()
    return rows


def markdown(rows: list[Row]) -> str:
    lines = [
        "w = dense weight of the hybrid fusion, a = number-agreement bonus "
        "(default = the knowledge base's own choice for that embedder).",
        "",
        "| embedder | set | questions | mode | recall@1 | recall@5 | MRR@10 | queries/s | ingestion (s) | chunks |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r.embedder} | {r.qset} | {len(r.ranks)} | {r.label} | {r.recall1:.3f} | {r.recall5:.3f} "
            f"| {r.mrr10:.3f} | {r.qps:.1f} | {r.ingest_s:.1f} | {r.chunks} |"
        )
    types = sorted({t for r in rows for t in r.by_type})
    lines += ["", "recall@5 by question type:", ""]
    lines.append("| embedder | set | mode | " + " | ".join(types) + " |")
    lines.append("|---|---|---|" + "---|" * len(types))
    for r in rows:
        if "/" in r.qset:
            continue
        lines.append(
            f"| {r.embedder} | {r.qset} | {r.label} | "
            + " | ".join(f"{r.by_type[t]:.2f}" if t in r.by_type else "-" for t in types)
            + " |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--embedders", default="e5,use", help="comma-separated: e5, use, hash")
    parser.add_argument("--sets", default="main,neardup", help="comma-separated: main, neardup")
    parser.add_argument("--modes", default=",".join(MODES), help="comma-separated: dense, bm25, hybrid")
    parser.add_argument("--limit", type=int, default=None, help="only the first N questions")
    parser.add_argument("--dense-weights", default="", help="extra hybrid rows, e.g. 0.5,0.7,0.9")
    parser.add_argument("--agreement-weights", default="", help="extra hybrid rows, e.g. 0,0.1,0.3")
    parser.add_argument("--baseline", action="store_true", help="add the hybrid before the bonus")
    parser.add_argument("--json", type=Path, default=None, help="write rows and per-question ranks here")
    args = parser.parse_args(argv)
    embedders = [e.strip() for e in args.embedders.split(",") if e.strip()]
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    sets = tuple(x.strip() for x in args.sets.split(",") if x.strip())
    bad = [e for e in embedders if e not in EMBEDDERS] + [m for m in modes if m not in MODES]
    bad += [x for x in sets if x not in SETS]
    if bad:
        parser.error(f"unknown embedder, set or mode: {', '.join(bad)}")
    weights = [float(w) for w in args.dense_weights.split(",") if w.strip()]
    bonuses = [float(w) for w in args.agreement_weights.split(",") if w.strip()]
    logging.basicConfig(level=logging.WARNING)

    def progress(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    rows = run(embedders, modes, args.limit, weights, progress, sets, bonuses, args.baseline)
    print(markdown(rows))
    if args.json:
        args.json.write_text(
            json.dumps(
                {"rows": [r.__dict__ | {"label": r.label, "questions": len(r.ranks)} for r in rows]},
                ensure_ascii=False,
                indent=1,
            ),
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
