"""One real browser: Debian's chromium, headless, types a Korean question and watches the answer stream;
every page renders; Enter while Hangul is being composed does not send a half-typed syllable.

Screenshots go to the test's temp dir; with UI_SCREENSHOTS_DIR set (e.g. docs/screenshots) they are saved
there too, which is how the README's pictures are made.
"""

from __future__ import annotations

import os
import shutil
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


def keep(page, tmp_path: Path, name: str) -> Path:
    """A full-page screenshot in the temp dir (and in UI_SCREENSHOTS_DIR when set)."""
    shot = tmp_path / f"{name}.png"
    page.screenshot(path=str(shot), full_page=True)
    if os.environ.get("UI_SCREENSHOTS_DIR"):
        target = Path(os.environ["UI_SCREENSHOTS_DIR"])
        target.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, target / shot.name)
    return shot


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        try:
            yield launched
        finally:
            launched.close()


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


def test_browser_chat_streams_a_korean_answer(chat_server, browser, tmp_path):
    from playwright.sync_api import expect

    sys.path.insert(0, str(ROOT / "tests" / "ui"))
    from browser_app import ANSWER

    page = browser.new_page(viewport={"width": 1100, "height": 800}, locale="ko-KR")
    page.goto(chat_server, wait_until="domcontentloaded")
    box = page.get_by_placeholder("무엇이든 물어보세요")
    box.wait_for(timeout=30_000)
    box.fill("서울 시각 좀 알려 줄래?")
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
    expect(assistant).to_contain_text("문맥 ")  # the context budget meter
    expect(page.locator('[data-testid="stChatMessage"]').nth(0)).to_contain_text("서울 시각 좀 알려 줄래?")
    saved = page.get_by_role("combobox", name="대화 목록")
    expect(saved).to_have_value("서울 시각 좀 알려 줄래? (1)")  # the thread saved in the data dir
    assert keep(page, tmp_path, "chat").stat().st_size > 10_000


PAGES = [
    ("prompt_lab", "프롬프트 실험실", "프리셋 편집"),
    ("compare", "모델 비교", ""),
    ("knowledge", "지식 베이스", "서울 지하철 기본요금 150원 인상"),
    ("models", "모델", "생성 설정"),
]


@pytest.mark.parametrize(("path", "title", "content"), PAGES, ids=[p[0] for p in PAGES])
def test_every_page_renders_in_the_browser(chat_server, browser, tmp_path, path, title, content):
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 1100, "height": 900}, locale="ko-KR")
    page.goto(f"{chat_server}/{path}", wait_until="domcontentloaded")
    heading = page.locator("h1").first
    expect(heading).to_have_text(title, timeout=60_000)
    if content:
        expect(page.locator('[data-testid="stMain"]')).to_contain_text(content, timeout=60_000)
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)
    page.wait_for_timeout(500)  # let late elements (tables) settle before the picture
    assert keep(page, tmp_path, path).stat().st_size > 10_000


def test_enter_while_composing_hangul_does_not_send_a_half_typed_syllable(chat_server, browser):
    """Chromium's IME composition is driven through CDP (`Input.imeSetComposition`), as an IME would."""
    from playwright.sync_api import expect

    page = browser.new_page(locale="ko-KR")
    page.goto(chat_server, wait_until="domcontentloaded")
    box = page.get_by_placeholder("무엇이든 물어보세요")
    box.wait_for(timeout=30_000)
    box.click()
    cdp = page.context.new_cdp_session(page)
    page.keyboard.insert_text("서울 날")
    cdp.send("Input.imeSetComposition", {"text": "씨", "selectionStart": 1, "selectionEnd": 1})
    page.keyboard.press("Enter")  # keydown Enter with isComposing = true
    page.wait_for_timeout(1_500)
    messages = page.locator('[data-testid="stChatMessage"]')
    assert messages.count() == 0  # nothing was sent while the syllable was still being composed
    cdp.send("Input.insertText", {"text": "씨"})  # the IME commits the syllable
    assert "서울 날씨" in box.input_value()
    page.keyboard.press("Enter")
    expect(messages.nth(0)).to_contain_text("서울 날씨", timeout=20_000)
    assert messages.nth(0).inner_text().strip().endswith("서울 날씨")  # whole, not "서울 날" nor doubled


def test_stop_ends_the_stream_and_keeps_what_was_said(chat_server, browser):
    from playwright.sync_api import expect

    sys.path.insert(0, str(ROOT / "tests" / "ui"))
    from browser_app import ANSWER

    from ui.chat import STOPPED

    page = browser.new_page(locale="ko-KR")
    page.goto(chat_server, wait_until="domcontentloaded")
    box = page.get_by_placeholder("무엇이든 물어보세요")
    box.wait_for(timeout=60_000)
    box.fill("서울 시각 좀 알려 줄래?")
    box.press("Enter")
    assistant = page.locator('[data-testid="stChatMessage"]').nth(1)
    expect(assistant).to_contain_text(ANSWER[:6], timeout=30_000)  # a part of the answer is on screen
    page.get_by_role("button", name="■ 답변 멈추기").click()
    expect(page.get_by_text(STOPPED)).to_be_visible(timeout=30_000)
    kept = page.locator('[data-testid="stChatMessage"]').nth(1).inner_text()
    assert ANSWER not in kept and "▌" not in kept
    assert ANSWER[:6] in kept  # the part said before the stop stays
