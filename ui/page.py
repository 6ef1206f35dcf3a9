"""The app's navigation (`st.navigation`): chat first, then the lab, comparison, knowledge base and models.

`main()` is what `ui/app.py` (and the browser test's launcher) runs. Each page is a file under `ui/pages/`
with a `render()` function; the model-comparison page belongs to the model lab and is loaded guarded, so a
missing or broken module shows a Korean notice instead of taking the app down.
"""

from __future__ import annotations

import importlib
import logging
from pathlib import Path

import streamlit as st

from ui import session

log = logging.getLogger("nuri.ui")

PAGES = Path(__file__).resolve().parent / "pages"


def compare_page() -> None:
    """The model lab's comparison page, or a Korean notice when it cannot be loaded."""
    try:
        render = importlib.import_module("ui.pages.compare").render
    except Exception as error:  # noqa: BLE001 - any import problem: the other pages keep working
        log.warning("compare page unavailable: %r", error)
        st.title("모델 비교")
        st.info("모델 비교 페이지를 지금은 불러올 수 없습니다. 다른 페이지는 그대로 쓸 수 있습니다.")
        st.caption(f"원인: {type(error).__name__}. 자세한 내용은 데이터 폴더의 nuri.log를 보세요.")
        return
    try:
        render()
    except Exception as error:  # noqa: BLE001 - one Korean line on screen, the traceback in the log
        st.error(session.describe_error(error))


# (page file under ui/pages/ or a callable, menu title, icon, URL path); the first is the default page.
PAGE_SPECS: tuple[tuple[object, str, str, str], ...] = (
    ("chat.py", "채팅", ":material/chat:", "chat"),
    ("prompt_lab.py", "프롬프트 실험실", ":material/science:", "prompt_lab"),
    (compare_page, "모델 비교", ":material/compare_arrows:", "compare"),
    ("knowledge.py", "지식 베이스", ":material/library_books:", "knowledge"),
    ("models.py", "모델", ":material/settings:", "models"),
)


def navigation() -> list[st.Page]:
    """The pages in menu order; the chat is the default."""
    return [
        st.Page(PAGES / target if isinstance(target, str) else target, title=title, icon=icon, url_path=url,
                default=n == 0)
        for n, (target, title, icon, url) in enumerate(PAGE_SPECS)
    ]  # fmt: skip


def main() -> None:
    st.set_page_config(page_title="누리", page_icon="💬", layout="centered")
    session.get_settings()  # read the environment once per browser session, before any page
    st.navigation(navigation()).run()
