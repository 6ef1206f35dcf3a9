"""The error every layer raises when a person must act: its message is one Korean line."""

from __future__ import annotations


class NuriError(Exception):
    """An error with a one-line Korean message that says what to do next.

    The CLI prints `str(error)` and exits non-zero; the UI shows it; the traceback goes to the log only.
    """

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        self.message = message
        self.hint = hint
        super().__init__(f"{message} {hint}" if hint else message)
