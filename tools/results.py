"""What a tool hands back besides its text: the sources an answer may cite."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = ["Citation", "ToolOutput"]


@dataclass(frozen=True)
class Citation:
    """One numbered source: `[n] 제목 (언론사, 날짜) URL`."""

    n: int
    title: str
    url: str
    outlet: str | None = None
    published: str | None = None  # ISO date (YYYY-MM-DD) when known

    def line(self) -> str:
        """The source as one line for the model and the user.

        >>> Citation(1, "지하철 요금 인상", "https://news.test/a", "누리일보", "2026-11-23").line()
        '[1] 지하철 요금 인상 (누리일보, 2026-11-23) https://news.test/a'
        >>> Citation(2, "제목", "https://x.test/").line()
        '[2] 제목 https://x.test/'
        """
        meta = ", ".join(p for p in (self.outlet, self.published) if p)
        return f"[{self.n}] {self.title}{f' ({meta})' if meta else ''} {self.url}"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class ToolOutput:
    """A tool's text for the model plus the citations it carries (shown under the answer, in `--json`)."""

    text: str
    citations: list[Citation] = field(default_factory=list)
    # What the user reads when this result is the whole answer (a crawl's receipt): no excerpts, no notes
    # addressed to the model.
    receipt: str | None = None

    def artifact(self) -> dict[str, Any]:
        artifact: dict[str, Any] = {"citations": [c.to_dict() for c in self.citations]}
        if self.receipt is not None:
            artifact["receipt"] = self.receipt
        return artifact
