"""UI speed in a real browser (issue 10): server start to the chat page's first paint, and tokens/s seen in the
browser against the tokens/s the app received from the backend, for the same answer.

    .venv/bin/python benchmarks/ui_speed.py [--question "..."] [--gguf PATH]

It starts `streamlit run` on this file in `--serve` mode (the real app, the embedded backend, a temporary
data dir), drives Debian's headless chromium, and prints one table. In `--serve` mode this file is the
Streamlit script: it wraps `Conversation._run` so every answer token is stamped when the app receives it
from the backend (before Streamlit sends it to the browser), then runs the product's `ui.page.main`.
The browser side stamps each change of the answer's text with a MutationObserver. Both clocks are the
same machine's wall clock (ms).
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]  # fmt: skip
QUESTION = "봄과 가을 중 어느 계절이 산책하기 좋은지 이유와 함께 말해 줘."
OBSERVER = """() => {
  window.__paints = [];
  const seen = () => {
    const all = document.querySelectorAll('[data-testid="stChatMessage"]');
    if (all.length < 2) return;
    const box = all[all.length - 1].querySelector('[data-testid="stMarkdownContainer"]');
    const text = box ? box.innerText : '';
    const last = window.__paints[window.__paints.length - 1];
    if (!last || last[1] !== text) window.__paints.push([Date.now(), text]);
  };
  new MutationObserver(seen).observe(document.body, {subtree: true, childList: true, characterData: true});
}"""


def serve(log_path: str) -> None:
    """The Streamlit side: stamp every answer token as it arrives from the backend, then run the app."""
    sys.path.insert(0, str(ROOT))
    import agent.conversation as conversation
    from agent.events import Token

    if not getattr(conversation.Conversation._run, "stamped", False):
        original = conversation.Conversation._run

        def stamped(self, *args, **kwargs):
            tokens = []
            for event in original(self, *args, **kwargs):
                if isinstance(event, Token):
                    tokens.append([time.time() * 1000, event.text])
                    if len(tokens) % 10 == 1:
                        print(f"ui_speed: {len(tokens)} tokens", flush=True)  # progress in streamlit.log
                else:
                    print(f"ui_speed: {type(event).__name__}", flush=True)
                yield event
            Path(log_path).write_text(json.dumps(tokens, ensure_ascii=False), encoding="utf-8")

        stamped.stamped = True
        conversation.Conversation._run = stamped
    from ui.page import main

    main()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _rate(stamps: list[float], count: int) -> float:
    """Tokens per second between the first and the last stamp (the first token opens the clock)."""
    span = (stamps[-1] - stamps[0]) / 1000
    return (count - 1) / span if span > 0 else float("nan")


def measure(question: str, gguf: Path) -> dict:
    from playwright.sync_api import sync_playwright

    home = Path(tempfile.mkdtemp(prefix="nuri-ui-bench-"))
    log = home / "tokens.json"
    port = free_port()
    env = {**os.environ, "NURI_HOME": str(home), "NURI_GGUF": str(gguf), "NURI_PROVIDER": "embedded",
           "NURI_TEMPERATURE": "0", "NURI_NUM_PREDICT": "96", "NURI_NUM_CTX": "4096"}  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)  # ready before t0
        page = browser.new_page(viewport={"width": 1100, "height": 800}, locale="ko-KR")
        started = time.perf_counter()
        server = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", __file__, "--server.headless", "true",
             "--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none", "--", "--serve", str(log)],
            cwd=ROOT, env=env, stdout=(home / "streamlit.log").open("w"), stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            while True:
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1):
                        break
                except OSError:
                    if server.poll() is not None:
                        raise SystemExit((home / "streamlit.log").read_text()[-2000:]) from None
                    time.sleep(0.05)
            health = time.perf_counter() - started
            page.goto(url, wait_until="domcontentloaded")
            page.locator('[data-testid="stSidebarNav"]').wait_for(timeout=120_000)
            shell = time.perf_counter() - started
            box = page.get_by_placeholder("무엇이든 물어보세요")
            box.wait_for(timeout=600_000)
            chat = time.perf_counter() - started
            page.evaluate(OBSERVER)
            box.fill(question)
            box.press("Enter")
            page.locator('[data-testid="stChatMessage"] [data-testid="stCaptionContainer"]').last.wait_for(
                timeout=900_000
            )  # the badge: the answer is complete
            page.wait_for_timeout(300)
            paints = page.evaluate("window.__paints")
        finally:
            browser.close()
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
    tokens = json.loads(log.read_text(encoding="utf-8"))
    answer = "".join(text for _, text in tokens)
    final = paints[-1][1].strip()
    # Paints of the answer's text, from its first visible character to the full text without the cursor.
    shown = [(t, text) for t, text in paints if text.strip("▌ \n")]
    done_at = next(t for t, text in shown if text.strip() == final and "▌" not in text)
    visible = [t for t, _ in shown if t <= done_at]
    return {
        "health": health, "shell": shell, "chat": chat, "tokens": len(tokens), "chars": len(answer),
        "backend_rate": _rate([t for t, _ in tokens], len(tokens)),
        "browser_rate": (len(tokens) - 1) / ((visible[-1] - visible[0]) / 1000),
        "paints": len(visible), "lag_last_ms": visible[-1] - tokens[-1][0],
        "lag_first_ms": visible[0] - tokens[0][0], "same_text": final.replace("\n", "") in answer.replace("\n", "")
        or answer.strip()[:20] in final,
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--question", default=QUESTION)
    parser.add_argument(
        "--gguf", type=Path, default=Path.home() / ".nuri/models/qwen2.5-coder-0.5b-instruct-q4_k_m.gguf"
    )
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve)
        return
    if not args.gguf.is_file():
        raise SystemExit(f"GGUF not found: {args.gguf} (run `nuri model prepare` first)")
    r = measure(args.question, args.gguf)
    print("| measure | result |")
    print("|---|---|")
    print(f"| server start -> /_stcore/health answers | {r['health']:.2f} s |")
    print(f"| server start -> first paint (page shell with the navigation) | {r['shell']:.2f} s |")
    print(f"| server start -> chat page ready (model opened, input shown) | {r['chat']:.2f} s |")
    print(f"| answer | {r['tokens']} tokens, {r['chars']} characters, {r['paints']} paints |")
    print(f"| tokens/s received from the backend by the app | {r['backend_rate']:.1f} |")
    print(f"| tokens/s seen in the browser | {r['browser_rate']:.1f} |")
    print(f"| ratio browser / backend | **{r['browser_rate'] / r['backend_rate']:.3f}** (goal >= 0.9) |")
    print(f"| first token: backend -> browser paint | {r['lag_first_ms']:.0f} ms |")
    print(f"| last token: backend -> browser paint | {r['lag_last_ms']:.0f} ms |")
    print(f"| browser text matches the streamed answer | {r['same_text']} |")


if __name__ == "__main__":
    if "--serve" in sys.argv:
        serve(sys.argv[sys.argv.index("--serve") + 1])
    else:
        main()
