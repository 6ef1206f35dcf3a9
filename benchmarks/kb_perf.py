"""Knowledge-base performance: ingestion speed, store growth to 100k chunks, query latency, memory.

1. Ingestion with the real embedders (e5 and USE), measured on its own: articles of the Korean retrieval set
   go through `KnowledgeBase.add` (chunking, embedding, Chroma, SQLite); chunks/s and the embedding share.
2. Growth 1k -> 10k -> 100k chunks with generated Korean text and random unit vectors (a real embedder
   would need hours for 100k): ingestion chunks/s without the model, disk size, query latency p50/p95 for
   hybrid, dense and BM25, interleaved in one run so the hybrid/dense ratio is robust to machine load;
   RSS at the end. `hybrid (before)` is the hybrid without the number-agreement bonus (w=0.7, a=0), timed
   in the same loop; half of the questions name a year or a quarter, so the bonus has work to do.

    .venv/bin/python benchmarks/kb_perf.py                  # all of it (about 10-15 min on 2 cores)
    .venv/bin/python benchmarks/kb_perf.py --max-chunks 10000 --real-articles 20   # quick look
    .venv/bin/python benchmarks/kb_perf.py --real-articles 0   # growth only
"""

from __future__ import annotations

import argparse
import hashlib
import random
import re
import resource
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from config import Settings  # noqa: E402
from crawlers.article import Article  # noqa: E402
from vectorstore import KnowledgeBase, make_embedder  # noqa: E402

DATA = ROOT / "benchmarks" / "data" / "retrieval" / "articles.jsonl"

# Vocabulary for generated articles: enough distinct content words for realistic BM25 posting lists.
SUBJECTS = (
    "서울시 부산시 정부 국회 한국은행 교육청 환경부 국토교통부 소방청 기상청 경찰청 병원 대학교 "
    "구청 시민단체 노동조합 협회 연구소 법원 검찰 보건소 항만공사 철도공사 도서관 박물관 공항"
).split()
OBJECTS = (
    "지하철 요금 버스 노선 전세 대출 금리 물가 쌀값 반도체 수출 배터리 태풍 폭우 미세먼지 산불 "
    "백신 독감 병상 학교 급식 교사 입시 야구 축구 올림픽 도서관 공연 축제 관광객 항공편 선박 "
    "어선 항만 고속도로 터널 교량 아파트 재건축 청년 일자리 최저임금 연금 보험료 세금 예산 "
    "전기요금 가스요금 수돗물 하천 댐 녹조 철새 산림 농가 과수원 한우 수산물 환율 주가 채권"
).split()
VERBS = (
    "발표했다 밝혔다 결정했다 검토하고 있다 요구했다 반대했다 늘렸다 줄였다 연기했다 승인했다 "
    "조사하고 있다 설명했다 경고했다 지원하기로 했다 중단했다 재개했다"
).split()


# Made-up nouns (two or three syllables) drawn with Zipf weights, so that term frequencies look like real
# text: a few words everywhere, most words rare. A tiny vocabulary would make every BM25 posting list huge.
_SYLLABLES = "가나다라마바사아자차카타파하고노도로모보소오조초코토포호구누두루무부수우주추쿠투푸후"
_VOCAB_RNG = random.Random(7)
NOUNS = list(
    dict.fromkeys(
        "".join(_VOCAB_RNG.choice(_SYLLABLES) for _ in range(_VOCAB_RNG.choice((2, 3)))) for _ in range(6000)
    )
)
_ZIPF = [1.0 / (rank + 1) for rank in range(len(NOUNS))]


def noun(rng: random.Random) -> str:
    return rng.choices(NOUNS, weights=_ZIPF)[0]


def generated_article(i: int, rng: random.Random) -> Article:
    """A made-up Korean article of about 1,400 characters (3 chunks of 256 e5-like tokens)."""
    paragraphs = []
    for _ in range(6):
        sentences = []
        for _ in range(4):
            subject, obj, obj2 = rng.choice(SUBJECTS), noun(rng) + rng.choice(OBJECTS), noun(rng)
            amount = rng.randint(2, 9000)
            sentences.append(
                f"{subject}는 {obj} 문제와 관련해 {obj2} 대책 {amount}억 원 규모를 {rng.choice(VERBS)}."
            )
        paragraphs.append(" ".join(sentences))
    url = f"https://bench.example.kr/{i}"
    published = datetime(2024, 1, 1, 9, tzinfo=timezone(timedelta(hours=9))) + timedelta(
        days=rng.randrange(1000)
    )
    return Article(
        url=url,
        canonical_url=url,
        title=f"{rng.choice(SUBJECTS)} {rng.choice(OBJECTS)} {rng.choice(OBJECTS)} 대책",
        text="\n\n".join(paragraphs),
        outlet=rng.choice(["누리일보", "한결경제", "새벽방송", "남녘일보"]),
        published=published,
    )


class RandomEmbedder:
    """Random unit vectors of e5's size; counts tokens like e5 does for Korean (about 0.5 per character)."""

    name = "random-384"
    dim = 384
    max_tokens = 512

    def __init__(self) -> None:
        self._rng = np.random.default_rng(0)

    def _unit(self, n: int) -> np.ndarray:
        m = self._rng.standard_normal((n, self.dim)).astype(np.float32)
        return m / np.linalg.norm(m, axis=1, keepdims=True)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self._unit(len(texts))

    def embed_query(self, text: str) -> np.ndarray:
        seed = int.from_bytes(hashlib.blake2b(text.encode(), digest_size=4).digest(), "little")
        m = np.random.default_rng(seed).standard_normal(self.dim).astype(np.float32)
        return m / np.linalg.norm(m)

    def count_tokens(self, text: str) -> int:
        return len(text) // 2 + 4


_SENTENCE = re.compile(r"[^.?!]+[.?!]?")
_WORD = re.compile(r"\S+")


def fast_analyze(text: str):
    """Stand-in for the Kiwi pass on generated text: regex sentences, words as terms.

    Kiwi costs about 15-30 ms per article on 2 cores (it is in the real-embedder table); at 100k chunks
    that alone would take over 15 minutes, and the growth rows measure the stores, not the analyser.
    """
    from vectorstore.korean import Analysis, Sentence

    sentences = [
        Sentence(m.group().strip(), m.start() + len(m.group()) - len(m.group().lstrip()), m.end())
        for m in _SENTENCE.finditer(text)
        if m.group().strip()
    ]
    return Analysis(sentences, [(m.start(), m.group().rstrip(".,")) for m in _WORD.finditer(text)])


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def disk_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def real_ingestion(n_articles: int) -> list[str]:
    articles = [
        Article.from_json_line(line) for line in DATA.read_text(encoding="utf-8").splitlines()[:n_articles]
    ]
    lines = [
        "| embedder | articles | chunks | total s | chunks/s | embedding share |",
        "|---|---|---|---|---|---|",
    ]
    for name in ("use", "e5"):
        with tempfile.TemporaryDirectory(prefix="nuri-perf-") as tmp:
            settings = Settings(home=Path(tmp), embedder=name)
            embedder = make_embedder(settings)
            embedder.embed_passages(["준비 운동"])  # load the model outside the timing
            spent = [0.0]
            original = embedder.embed_passages

            def timed(texts, _original=original, spent=spent):
                started = time.perf_counter()
                try:
                    return _original(texts)
                finally:
                    spent[0] += time.perf_counter() - started

            embedder.embed_passages = timed
            kb = KnowledgeBase(settings, embedder=embedder)
            kb.stats()  # open the stores and load Kiwi outside the timing
            started = time.perf_counter()
            report = kb.add(articles)
            total = time.perf_counter() - started
            embedder.embed_passages = original
            kb.close()
            print(f"[ingest] {name}: {report.chunks} chunks in {total:.1f} s", file=sys.stderr, flush=True)
            lines.append(
                f"| {embedder.name} | {len(articles)} | {report.chunks} | {total:.1f} | "
                f"{report.chunks / total:.1f} | {spent[0] / total:.0%} |"
            )
    return lines


def growth(max_chunks: int, queries: int) -> list[str]:
    rng = random.Random(42)
    lines = [
        "| chunks | articles | ingest chunks/s (no model, no Kiwi) | disk MB | hybrid p50 / p95 ms "
        "| hybrid (before) p50 / p95 ms | dense p50 / p95 ms "
        "| bm25 p50 / p95 ms | hybrid / dense (p50) | RSS MB (+ since the empty store) |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    cues = ("2025년", "3분기", "2024년 7월", "26년")
    questions = [
        f"{rng.choice(SUBJECTS)} {noun(rng)} {rng.choice(OBJECTS)} {noun(rng)} 대책은?"
        + (f" {cues[n % len(cues)]} 기준" if n % 2 else "")
        for n in range(queries)
    ]
    targets = [t for t in (1_000, 10_000, 100_000) if t <= max_chunks] or [max_chunks]
    import vectorstore.ingest

    real_analyze, vectorstore.ingest.analyze = vectorstore.ingest.analyze, fast_analyze
    with tempfile.TemporaryDirectory(prefix="nuri-perf-") as tmp:
        settings = Settings(home=Path(tmp))
        before = settings.model_copy(update={"kb_dense_weight": 0.7, "kb_agreement_weight": 0.0})
        kb = KnowledgeBase(settings, embedder=RandomEmbedder())
        kb.stats()
        baseline = rss_mb()
        chunks = articles = 0
        for target in targets:
            started = time.perf_counter()
            added = 0
            while chunks < target:
                batch = [generated_article(articles + j, rng) for j in range(128)]
                report = kb.add(batch)
                chunks += report.chunks
                added += report.chunks
                articles += len(batch)
            ingest_rate = added / (time.perf_counter() - started)
            timings: dict[str, list[float]] = {"hybrid": [], "before": [], "dense": [], "bm25": []}
            for question in questions:  # interleaved: load changes hit every mode alike
                for mode in timings:
                    kb.settings = before if mode == "before" else settings
                    started = time.perf_counter()
                    kb.search(question, k=5, mode="hybrid" if mode == "before" else mode)
                    timings[mode].append((time.perf_counter() - started) * 1000)
            kb.settings = settings
            p50 = {m: statistics.median(v) for m, v in timings.items()}
            p95 = {m: percentile(v, 0.95) for m, v in timings.items()}
            size = disk_mb(Path(tmp))
            lines.append(
                f"| {chunks:,} | {articles:,} | {ingest_rate:.0f} | {size:.0f} | "
                f"{p50['hybrid']:.1f} / {p95['hybrid']:.1f} | {p50['before']:.1f} / {p95['before']:.1f} | "
                f"{p50['dense']:.1f} / {p95['dense']:.1f} | "
                f"{p50['bm25']:.1f} / {p95['bm25']:.1f} | {p50['hybrid'] / p50['dense']:.2f} | {rss_mb():.0f} (+{rss_mb() - baseline:.0f}) |"
            )
            print(f"[growth] {lines[-1]}", file=sys.stderr, flush=True)
        kb.close()
    vectorstore.ingest.analyze = real_analyze
    return lines


def agreement_cost(rounds: int = 200) -> str:
    """The number-agreement bonus on its own, over the most candidates one hybrid query scores.

    Its cost does not depend on the store's size: a query with k=5 scores at most 100 candidates (60 dense
    + 40 BM25), each a chunk of about 470 characters, whatever the number of chunks stored.
    """
    from vectorstore.agreement import agreement, passage_keys, query_cues

    rng = random.Random(3)
    chunks = [generated_article(i, rng) for i in range(34)]
    texts = [
        (a.text[j * 470 : (j + 1) * 470], a.title, a.published.isoformat()) for a in chunks for j in range(3)
    ]
    texts = texts[:100]
    timings = []
    cpu_started = time.process_time()
    for n in range(rounds):
        started = time.perf_counter()
        cues = query_cues(f"서울시 지하철 대책 {2024 + n % 3}년 {1 + n % 4}분기 예산은?")
        for text, title, published in texts:
            agreement(cues, passage_keys(text, title, published))
        timings.append((time.perf_counter() - started) * 1000)
    cpu_ms = (time.process_time() - cpu_started) / rounds * 1000
    return (
        f"Number-agreement bonus over {len(texts)} candidates: wall p50 {statistics.median(timings):.2f} ms, "
        f"p95 {percentile(timings, 0.95):.2f} ms; CPU {cpu_ms:.2f} ms per query (independent of the store's size)."
    )


def query_embedding_cost(n: int = 20) -> str:
    """What the real e5 adds to every dense or hybrid query (the same for both)."""
    embedder = make_embedder(Settings(embedder="e5"))
    embedder.embed_query("준비")
    started = time.perf_counter()
    for i in range(n):
        embedder.embed_query(f"서울 지하철 요금은 얼마나 오르나요 {i}")
    return f"e5 query embedding: {(time.perf_counter() - started) / n * 1000:.0f} ms per query (added to dense and hybrid)."


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--max-chunks", type=int, default=100_000)
    parser.add_argument("--real-articles", type=int, default=40, help="articles for the real-embedder run")
    parser.add_argument("--queries", type=int, default=60, help="queries per mode at each size")
    args = parser.parse_args(argv)
    # Growth first, in a process that has not loaded the real models, so its RSS is the store's.
    out = ["## Growth with generated text and random vectors", "", f"RSS before: {rss_mb():.0f} MB", ""]
    out += growth(args.max_chunks, args.queries)
    out += ["", agreement_cost()]
    if args.real_articles > 0:
        out += ["", "## Ingestion with the real embedders", ""]
        out += real_ingestion(args.real_articles)
        out += ["", query_embedding_cost()]
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
