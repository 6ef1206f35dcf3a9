"""What a crawl reports: one `PageOutcome` per page, and counts for the closing summary."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from crawlers.article import Article

Status = Literal["stored", "updated", "unchanged", "duplicate", "listing", "robots", "error", "skipped"]


@dataclass
class PageOutcome:
    url: str
    status: Status
    reason: str | None = None
    code: str | None = None
    article: Article | None = None
    duplicate_of: str | None = None
    links: int = 0


@dataclass
class CrawlReport:
    outcomes: list[PageOutcome] = field(default_factory=list)

    def count(self, *statuses: Status) -> int:
        return sum(1 for o in self.outcomes if o.status in statuses)

    @property
    def fetched(self) -> int:
        """Pages fetched successfully (articles, listings, unchanged and duplicates)."""
        return self.count("stored", "updated", "unchanged", "duplicate", "listing")

    @property
    def articles(self) -> list[Article]:
        return [
            o.article for o in self.outcomes if o.article is not None and o.status in ("stored", "updated")
        ]

    @property
    def failures(self) -> list[PageOutcome]:
        return [o for o in self.outcomes if o.status in ("robots", "error")]

    def summary(self) -> dict[str, int]:
        return {
            "fetched": self.fetched,
            "stored": self.count("stored"),
            "updated": self.count("updated"),
            "unchanged": self.count("unchanged"),
            "duplicates": self.count("duplicate"),
            "listings": self.count("listing"),
            "blocked_by_robots": self.count("robots"),
            "errors": self.count("error"),
            "skipped": self.count("skipped"),
        }
