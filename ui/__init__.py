"""The Streamlit app: `ui/app.py` starts `ui.page.main` (the navigation); pages live in `ui/pages/`.

Nothing outside `ui/` imports it. Model and crawled text is shown through `ui.text` (no HTML, no images).
"""

__all__ = [
    "chat", "chat_parts", "crawl_jobs", "crawl_view", "generation", "kb_access", "kb_view", "lab_run",
    "modelfile_edit", "page", "session", "sidebar", "text",
]  # fmt: skip
