"""Fetch web pages politely and safely and turn Korean news pages into clean `Article`s.

No LLM code here: this package knows nothing of the agent or the UI.
"""

from crawlers.article import Article, Source
from crawlers.extract import decode_html, extract_article, extract_text_paste
from crawlers.fetch import Fetcher, FetchError, FetchResult
from crawlers.pipeline import CrawlReport, PageOutcome, crawl

__all__ = [
    "Article",
    "Source",
    "decode_html",
    "extract_article",
    "extract_text_paste",
    "Fetcher",
    "FetchError",
    "FetchResult",
    "CrawlReport",
    "PageOutcome",
    "crawl",
]
