"""Knowledge-base fixtures: a small Korean corpus we wrote, a KB on the fake embedder, a Chroma server."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from config import Settings
from crawlers.article import Article
from vectorstore import HashingEmbedder, KnowledgeBase

KST = timezone(timedelta(hours=9))
ROOT = Path(__file__).resolve().parents[2]
WORKER = Path(__file__).with_name("kb_worker.py")

# (slug, outlet, date, title, body): short articles written for these tests.
CORPUS = [
    (
        "subway",
        "한빛일보",
        "2026-03-02",
        "서울 지하철 기본요금 150원 인상",
        "서울시는 다음 달부터 지하철 기본요금을 1,400원에서 1,550원으로 올린다고 2일 밝혔다. "
        "시는 수년째 이어진 운송 적자를 인상 이유로 들었다.\n\n"
        "청소년과 어린이 요금은 동결된다. 시민단체는 물가 부담이 커진다며 반대 성명을 냈다.",
    ),
    (
        "baseball",
        "바다신문",
        "2026-03-20",
        "프로야구 정규시즌 다음 주 개막",
        "프로야구 정규시즌이 다음 주 토요일 다섯 개 구장에서 동시에 개막한다. "
        "올해는 열 개 구단이 팀당 144경기를 치른다.\n\n"
        "지난해 우승팀 감독은 외국인 투수 영입으로 마운드가 단단해졌다고 말했다.",
    ),
    (
        "rice",
        "한빛일보",
        "2026-04-10",
        "쌀값 두 달 연속 하락",
        "산지 쌀값이 두 달 연속 떨어졌다. 80킬로그램 한 가마에 18만 원 선이 무너졌다. "
        "농민 단체는 정부가 남는 쌀을 사들여야 한다고 요구했다.\n\n"
        "농림축산식품부는 공공비축 물량을 늘리는 방안을 검토하고 있다고 답했다.",
    ),
    (
        "chip",
        "누리경제",
        "2026-04-15",
        "반도체 수출 석 달 만에 반등",
        "지난달 반도체 수출액이 120억 달러로 석 달 만에 증가세로 돌아섰다. "
        "인공지능 서버용 고대역폭 메모리 주문이 늘어난 덕분이다.\n\n"
        "산업통상자원부는 하반기에도 메모리 가격이 오를 것으로 내다봤다.",
    ),
    (
        "dust",
        "바다신문",
        "2026-02-11",
        "수도권 미세먼지 비상저감조치 발령",
        "수도권에 초미세먼지 농도가 치솟아 비상저감조치가 내려졌다. "
        "노후 경유차 운행이 제한되고 공공기관 주차장이 폐쇄된다.\n\n"
        "환경부는 중국발 스모그와 대기 정체가 겹친 탓이라고 설명했다.",
    ),
    (
        "library",
        "누리경제",
        "2026-05-05",
        "작은 도서관 주말 운영 확대",
        "구립 작은 도서관 스무 곳이 이달부터 일요일에도 문을 연다. "
        "맞벌이 가정의 요구가 많았다는 것이 구청의 설명이다.\n\n"
        "도서관마다 어린이 독서 교실과 어르신 디지털 교육도 새로 열린다.",
    ),
]


def article(slug: str, outlet: str, day: str, title: str, body: str) -> Article:
    url = f"https://news.example.kr/{slug}"
    published = datetime.fromisoformat(day).replace(hour=9, tzinfo=KST)
    return Article(
        url=url + "?utm_source=test",
        canonical_url=url,
        title=title,
        text=body,
        outlet=outlet,
        published=published,
    )


@pytest.fixture
def corpus() -> list[Article]:
    return [article(*row) for row in CORPUS]


@pytest.fixture
def settings(nuri_home) -> Settings:
    return Settings(home=nuri_home, kb_lock_timeout=2)


@pytest.fixture
def kb(settings) -> KnowledgeBase:
    base = KnowledgeBase(settings, embedder=HashingEmbedder())
    yield base
    base.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run_worker(*args: str, home: Path, timeout: float = 60, **popen) -> subprocess.CompletedProcess:
    """Run tests/vectorstore/kb_worker.py in a fresh interpreter on the given data dir."""
    env = {**os.environ, "NURI_HOME": str(home), "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, str(WORKER), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        **popen,
    )


def start_worker(*args: str, home: Path) -> subprocess.Popen:
    env = {**os.environ, "NURI_HOME": str(home), "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, str(WORKER), *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture
def chroma_server(tmp_path):
    """A real `chroma run` on a free loopback port; yields its URL."""
    port = free_port()
    chroma = Path(sys.executable).with_name("chroma")
    log = open(tmp_path / "chroma.log", "w")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [
            str(chroma),
            "run",
            "--path",
            str(tmp_path / "server-data"),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
        except OSError:
            if process.poll() is not None:
                raise RuntimeError((tmp_path / "chroma.log").read_text())
            time.sleep(0.1)
    else:
        process.kill()
        raise RuntimeError("chroma server did not start")
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


@pytest.fixture
def make_article():
    return article


class Workers:
    """Start kb_worker.py processes (fresh interpreters) against a data dir."""

    run = staticmethod(run_worker)
    start = staticmethod(start_worker)


@pytest.fixture
def workers() -> Workers:
    return Workers()
