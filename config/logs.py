"""Logging set-up: details and tracebacks go to the log file, the user sees one Korean line."""

from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler

from config.settings import Settings

_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def setup_logging(settings: Settings) -> None:
    """Send all logs to `<home>/nuri.log` (rotated); idempotent."""
    root = logging.getLogger()
    if any(getattr(h, "_nuri", False) for h in root.handlers):
        return
    try:
        settings.home.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = RotatingFileHandler(
            settings.log_file, maxBytes=5_000_000, backupCount=2, encoding="utf-8"
        )
    except OSError:
        # A read-only data dir must not stop the app; the error surfaces where data is written.
        handler = logging.NullHandler()
    handler.setFormatter(logging.Formatter(_FORMAT))
    handler._nuri = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(settings.log_level.upper())
