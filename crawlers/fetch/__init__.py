"""Fetching: URL in, bytes and headers out, behind the SSRF guard, robots.txt, pacing and size/time limits."""

from crawlers.fetch.errors import (
    BlockedURL,
    FetchError,
    FetchTimeout,
    HTTPStatusError,
    NetworkError,
    RobotsDisallowed,
    TooLarge,
    TooManyRedirects,
)
from crawlers.fetch.fetcher import Fetcher, FetchResult
from crawlers.fetch.guard import Guard, HostNotFound, forbid_port, forbidden_ports, is_public, parse_ip_loose
from crawlers.fetch.polite import Pacer
from crawlers.fetch.robots import RobotsCache

__all__ = [
    "BlockedURL",
    "FetchError",
    "FetchResult",
    "FetchTimeout",
    "Fetcher",
    "Guard",
    "HTTPStatusError",
    "HostNotFound",
    "NetworkError",
    "Pacer",
    "RobotsCache",
    "RobotsDisallowed",
    "TooLarge",
    "TooManyRedirects",
    "forbid_port",
    "forbidden_ports",
    "is_public",
    "parse_ip_loose",
]
