"""One real browser: Debian's chromium, headless, types a Korean question and watches the answer stream."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
LAUNCHER = ROOT / "tests" / "ui" / "browser_app.py"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed (make browser)"),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def chat_server(tmp_path):
    port = free_port()
    log = (tmp_path / "streamlit.log").open("w")
    env = {**os.environ, "PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD": "1"}
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(LAUNCHER), "--server.headless", "true",
         "--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as reply:
                    if reply.status == 200:
                        break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(
                        f"streamlit did not start: {(tmp_path / 'streamlit.log').read_text()[-2000:]}"
                    )
                time.sleep(0.3)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def test_browser_chat_streams_a_korean_answer(chat_server, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    sys.path.insert(0, str(ROOT / "tests" / "ui"))
    from browser_app import ANSWER

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 800}, locale="ko-KR")
            page.goto(chat_server, wait_until="domcontentloaded")
            box = page.get_by_placeholder("무엇이든 물어보세요")
            box.wait_for(timeout=30_000)
            box.fill("지금 서울은 몇 시야?")
            box.press("Enter")
            assistant = page.locator('[data-testid="stChatMessage"]').nth(1)
            # While streaming, a part of the answer is shown with the cursor; then the whole answer without it.
            expect(assistant).to_contain_text("▌", timeout=20_000)
            partial = assistant.inner_text()
            assert ANSWER not in partial
            expect(assistant).to_contain_text(ANSWER, timeout=20_000)
            expect(assistant).not_to_contain_text("▌")
            expect(assistant).to_contain_text("도구 사용 1회")
            expect(assistant).to_contain_text("fake · fake-scripted")
            expect(page.locator('[data-testid="stChatMessage"]').nth(0)).to_contain_text(
                "지금 서울은 몇 시야?"
            )
            shot = tmp_path / "chat.png"
            page.screenshot(path=str(shot), full_page=True)
            assert shot.stat().st_size > 10_000
        finally:
            browser.close()
