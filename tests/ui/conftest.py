"""UI test helpers: a knowledge base on the fake embedder in the test's data dir, and AppTest starters."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from config import Settings
from tests.crawlers.conftest import http_server  # noqa: F401 - a fixture for the crawl tests
from tests.crawlers.crawlfixtures import HTML, article_page
from tests.crawlers.httpfixture import Route
from tests.vectorstore.conftest import CORPUS, article
from vectorstore import HashingEmbedder, KnowledgeBase

APP = str(Path(__file__).resolve().parents[2] / "ui" / "app.py")


ROBOTS = (200, {"Content-Type": "text/plain"}, "User-agent: *\nAllow: /\n")


@pytest.fixture
def gate():
    """Opened by the test: until then the site's /slow page does not answer."""
    event = threading.Event()
    yield event
    event.set()


@pytest.fixture
def site(http_server, gate):  # noqa: F811 - the fixture imported above
    """Fixture news pages on 127.0.0.1: two articles, one held until `gate` opens, one server error."""

    def held(_request):
        gate.wait(20)
        return Route(200, HTML, article_page("rice"))

    return http_server(
        {
            "/robots.txt": ROBOTS,
            "/a/1": (200, HTML, article_page("subway")),
            "/a/2": (200, HTML, article_page("typhoon")),
            "/slow": held,
            "/broken": (500, HTML, "<p>서버 오류</p>"),
        }
    )


@pytest.fixture
def ui_settings(nuri_home) -> Settings:
    return Settings(home=nuri_home, kb_lock_timeout=5)


@pytest.fixture
def empty_kb(ui_settings):
    base = KnowledgeBase(ui_settings, embedder=HashingEmbedder())
    yield base
    base.close()


@pytest.fixture
def filled_kb(empty_kb):
    empty_kb.add([article(*row) for row in CORPUS])
    return empty_kb


def open_page(page: str | None, settings: Settings, **state) -> AppTest:
    """The real app (navigation included) on `page` ('pages/knowledge.py'), with session state seeded."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["settings"] = settings
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    if page is not None:
        at.switch_page(page).run()
    return at
