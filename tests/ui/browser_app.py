"""Test-only launcher: the real chat page with a scripted fake model seeded into each browser session.

`streamlit run tests/ui/browser_app.py` cannot receive a Python object from the test, so this file builds
the fake itself and then runs the product's own `ui.page.main`; the product has no switch for it.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repo root, for `tests.fakes`

import streamlit as st  # noqa: E402

from tests.fakes import ai, fake_handle  # noqa: E402
from ui.page import main  # noqa: E402

ANSWER = "지금 서울은 오후 세 시 반이에요. 좋은 하루 보내세요!"

if __name__ == "__main__":
    if "chat_handle" not in st.session_state:
        st.session_state["chat_handle"] = fake_handle(
            ai("", ("current_time", {})), ai(ANSWER), chunk_chars=2, chunk_delay=0.12
        )
    main()
