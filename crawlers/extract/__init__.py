"""Pure extraction: bytes or text of a page in, a clean `Article` out. No network here.

`decode_html` turns bytes into text (Korean charsets handled), `extract_article` reads an HTML page
with a site rule or the generic path, `extract_text_paste` finds the article in text pasted from a
browser. Site rules live as data in `sites.toml`.
"""

from crawlers.extract.charset import decode_html
from crawlers.extract.extractor import extract_article
from crawlers.extract.paste import extract_text_paste
from crawlers.extract.rules import SiteRule, rule_for, site_rules

__all__ = ["decode_html", "extract_article", "extract_text_paste", "SiteRule", "rule_for", "site_rules"]
