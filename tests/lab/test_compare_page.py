"""The Compare page (AppTest): models and tasks chosen in the form, the lab engine runs, answers side by side."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from config import Settings
from tests.lab.fake_openai import FakeOpenAI

PAGE = str(Path(__file__).resolve().parents[2] / "ui" / "pages" / "compare.py")


def _open(settings: Settings) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=120)
    at.session_state["settings"] = settings
    return at.run()


def test_compare_two_endpoints_on_the_page(tmp_path, closed_port):
    out = tmp_path / "bench"
    with FakeOpenAI({"수도는": "서울입니다.", "한글": "세종대왕입니다."}) as server:
        at = _open(Settings(request_timeout=10))
        assert not at.exception and at.title[0].value == "모델 비교"
        at.text_area[0].set_value(f"openai:{server.url}#fake\nopenai:http://127.0.0.1:{closed_port}/v1#down")
        at.number_input[0].set_value(2)
        at.text_input[0].set_value(str(out))
        at = at.button[0].click().run()
    assert not at.exception
    table = at.dataframe[0].value
    assert list(table["모델"]) == ["fake@127.0.0.1", "down@127.0.0.1"]
    assert table["품질"].iloc[0] == 1.0
    assert any("down@127.0.0.1" in w.value and "연결할 수 없습니다" in w.value for w in at.warning)
    assert any("서울입니다" in m.value for m in at.markdown)
    assert any("연결할 수 없습니다" in e.value for e in at.error)  # the unreachable model's answer cell
    assert (out / "report.md").is_file() and (out / "speed_vs_quality.png").stat().st_size > 5_000


def test_empty_model_list_is_a_korean_error(tmp_path):
    at = _open(Settings())
    at.text_area[0].set_value("  \n")
    at.text_input[0].set_value(str(tmp_path / "b"))
    at = at.button[0].click().run()
    assert not at.exception
    assert any("한 줄에 하나씩" in e.value for e in at.error)
