"""Small lxml helpers: parse once, select by 'css' or 'css@attribute', turn an element into paragraphs."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

import lxml.html
from lxml import etree
from lxml.cssselect import CSSSelector

__all__ = ["parse_html", "select_values", "select_first", "select_all", "paragraphs_of", "drop", "text_of"]

_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_SPACE = re.compile(r"[\s\u00a0\u200b\u3000]+")
# Elements whose text is never article prose.
_SKIP = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "iframe",
        "object",
        "embed",
        "svg",
        "button",
        "select",
        "textarea",
        "input",
        "form",
        "video",
        "audio",
        "canvas",
        "head",
    }
)
_BLOCK = frozenset(
    {
        "p",
        "div",
        "section",
        "article",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "blockquote",
        "table",
        "tr",
        "td",
        "th",
        "figure",
        "figcaption",
        "header",
        "footer",
        "main",
        "pre",
        "hr",
        "aside",
        "nav",
        "address",
    }
)


def parse_html(html: str) -> lxml.html.HtmlElement:
    """Parse a decoded page (an XML declaration would make lxml refuse a str, so it goes)."""
    html = _XML_DECL.sub("", html, count=1)
    if not html.strip():
        html = "<html><body></body></html>"
    try:
        return lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return lxml.html.document_fromstring(f"<html><body>{html}</body></html>")


@functools.lru_cache(maxsize=512)
def _compiled(css: str) -> CSSSelector:
    return CSSSelector(css, translator="html")


def _split(spec: str) -> tuple[str, str | None]:
    css, _, attribute = spec.partition("@")
    return css.strip(), (attribute.strip() or None)


def text_of(element) -> str:
    """The visible text of an element on one line."""
    return _SPACE.sub(" ", element.text_content()).strip()


def select_values(tree, specs: Iterable[str]) -> list[str]:
    """Values of the first spec that matches: text, or an attribute with 'css@attr'."""
    for spec in specs:
        css, attribute = _split(spec)
        values = []
        for element in _compiled(css)(tree):
            value = element.get(attribute) if attribute else text_of(element)
            if value and value.strip():
                values.append(_SPACE.sub(" ", value).strip())
        if values:
            return values
    return []


def select_first(tree, specs: Iterable[str]):
    """The first element matched by the first spec that matches anything."""
    for spec in specs:
        css, _ = _split(spec)
        found = _compiled(css)(tree)
        if found:
            return found[0]
    return None


def select_all(root, selectors: Iterable[str]) -> list:
    """Every element matched by any of the CSS selectors, in selector order."""
    found = []
    for css in selectors:
        found.extend(_compiled(_split(css)[0])(root))
    return found


def drop(root, selectors: Iterable[str]) -> None:
    """Remove matching elements (their tails stay)."""
    for css in selectors:
        for element in _compiled(css)(root):
            if element is not root and element.getparent() is not None:
                element.drop_tree()


def _walk(element, out: list[str]) -> None:
    tag = element.tag if isinstance(element.tag, str) else None
    if tag is None:  # comment or processing instruction
        return
    tag = tag.lower()
    if tag in _SKIP:
        return
    if tag == "br":
        out.append("\n")
        return
    block = tag in _BLOCK
    if block:
        out.append("\n")
    if element.text:
        out.append(element.text)
    for child in element:
        _walk(child, out)
        if child.tail:
            out.append(child.tail)
    if block:
        out.append("\n")


def paragraphs_of(element) -> list[str]:
    """Paragraphs of an element: block elements and <br> break lines; whitespace collapsed.

    >>> paragraphs_of(lxml.html.fragment_fromstring("<div>첫 줄<br><br>둘째 <b>줄</b><p>셋째</p></div>"))
    ['첫 줄', '둘째 줄', '셋째']
    """
    out: list[str] = []
    _walk(element, out)
    lines = (_SPACE.sub(" ", line).strip() for line in "".join(out).split("\n"))
    return [line for line in lines if line]
