"""Fetch web pages politely and safely and turn Korean news pages into clean `Article`s.

No LLM code here: this package knows nothing of the agent or the UI.
"""

from crawlers.article import Article, Source

__all__ = ["Article", "Source"]
