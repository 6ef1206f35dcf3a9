"""The Streamlit UI: `ui/app.py` starts `ui.page.main`; `chat`, `sidebar` and `session` hold the parts."""

__all__ = ["chat", "page", "session", "sidebar"]
