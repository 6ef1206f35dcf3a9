"""`Article`: what the crawler hands to the knowledge base, and what `nuri extract --json` prints."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class Source(BaseModel):
    """One outlet that published (a copy of) the article."""

    outlet: str | None = None
    url: str


class Article(BaseModel):
    """A clean news article. Dates are timezone-aware (KST when the page gives no zone)."""

    url: str = Field(description="The URL the article was fetched from (or given for a saved page).")
    canonical_url: str = Field(
        description="Canonical URL: tracking parameters dropped, portal URLs normalised."
    )
    title: str
    text: str = Field(description="Body paragraphs separated by blank lines; no menus, captions or bylines.")
    published: datetime | None = None
    updated: datetime | None = None
    authors: list[str] = Field(default_factory=list)
    outlet: str | None = None
    section: str | None = None
    language: str | None = None
    captions: list[str] = Field(default_factory=list, description="Photo captions, kept apart from text.")
    sources: list[Source] = Field(
        default_factory=list, description="Every outlet and URL where this same story was found."
    )

    def to_json_line(self) -> str:
        """One line of JSON, as `nuri extract --json` prints and `nuri kb add` reads."""
        return self.model_dump_json()

    @classmethod
    def from_json_line(cls, line: str) -> Article:
        return cls.model_validate_json(line)
