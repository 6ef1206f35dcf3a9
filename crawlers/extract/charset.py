"""Turn the bytes of a Korean web page into text, never into mojibake.

Order, as the HTML standard sniffs: a byte-order mark, then the HTTP header's charset, then the first
valid `<meta charset>` / `http-equiv` in the page head, then detection. Every candidate must decode
strictly; the result is checked for replacement characters and UTF-8-read-as-Latin-1 runs. EUC-KR and
its aliases decode as cp949 (its superset), because EUC-KR has no code for 똠, 햏 or 뷁.
"""

from __future__ import annotations

import codecs
import logging
import re

from config import NuriError

__all__ = ["decode_html", "normalize_charset", "hangul_ratio"]

log = logging.getLogger(__name__)

# Labels that mean "Korean Windows code page" in practice; cp949 decodes everything EUC-KR does and more.
_KOREAN_LABELS = frozenset(
    {
        "euc-kr",
        "euc_kr",
        "euckr",
        "ks_c_5601-1987",
        "ks_c_5601-1989",
        "ks_c_5601",
        "ksc_5601",
        "ksc5601",
        "ks_x_1001",
        "csksc56011987",
        "iso-ir-149",
        "korean",
        "windows-949",
        "x-windows-949",
        "cp949",
        "ms949",
        "uhc",
        "x-uhc",
    }
)
# The HTML standard maps these labels to windows-1252.
_LATIN1_LABELS = frozenset({"iso-8859-1", "iso8859-1", "latin1", "l1", "ascii", "us-ascii", "cp819"})

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?([\w.:-]+)""", re.IGNORECASE)
_META_TAG = re.compile(rb"<meta\b[^>]*>", re.IGNORECASE)
_META_CHARSET = re.compile(rb"""charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
# UTF-8 bytes of Hangul read as Latin-1/cp1252: a lead byte (ê, ë, ì, í) and continuation bytes.
_MOJIBAKE = re.compile(
    r"[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6"
    r"\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]{1,3}"
)
_PRESCAN_BYTES = 4096


def normalize_charset(label: str | None) -> str | None:
    """A Python codec name for a charset label, or None when the label is unknown.

    >>> normalize_charset("EUC-KR"), normalize_charset("ks_c_5601-1987"), normalize_charset('"UTF8"')
    ('cp949', 'cp949', 'utf-8')
    >>> normalize_charset("latin1"), normalize_charset("no-such-charset")
    ('cp1252', None)
    """
    if not label:
        return None
    name = label.strip().strip("\"'").lower()
    if name in _KOREAN_LABELS:
        return "cp949"
    if name in _LATIN1_LABELS:
        return "cp1252"
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    if codec in ("utf-16", "utf-16-le", "utf-16-be"):
        return "utf-8"  # a meta can't really say UTF-16 (the standard reads it as UTF-8)
    return "cp949" if codec == "euc_kr" else codec


def hangul_ratio(text: str) -> float:
    """Share of Hangul syllables among the non-ASCII, non-space characters.

    >>> hangul_ratio("abc 한국어 뉴스")
    1.0
    >>> round(hangul_ratio("中文新聞 한"), 2)
    0.2
    """
    wide = [ch for ch in text if ord(ch) > 0x7F and not ch.isspace()]
    if not wide:
        return 0.0
    return sum(1 for ch in wide if "\uac00" <= ch <= "\ud7a3") / len(wide)


def _header_charset(content_type: str | None) -> str | None:
    if not content_type:
        return None
    match = _HEADER_CHARSET.search(content_type)
    return normalize_charset(match.group(1)) if match else None


def _meta_charset(head: bytes) -> str | None:
    """The first valid charset declared by a meta tag (charset= or http-equiv content=)."""
    for tag in _META_TAG.finditer(head):
        match = _META_CHARSET.search(tag.group(0))
        if match:
            codec = normalize_charset(match.group(1).decode("ascii", "replace"))
            if codec:
                return codec
    return None


def _strict(body: bytes, codec: str) -> str | None:
    try:
        return body.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _mojibake_runs(text: str) -> int:
    return len(_MOJIBAKE.findall(text))


# cp1252's printable characters back to their bytes; other code points below 256 are Latin-1 bytes.
_CP1252_BYTES = {
    bytes([b]).decode("cp1252"): b for b in range(0x80, 0xA0) if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)
}


def _repair_mojibake(text: str) -> str | None:
    """Undo UTF-8 that was read as cp1252 or Latin-1 (either mapping, or a mix), if that is what happened."""
    raw = bytearray()
    for ch in text:
        code = _CP1252_BYTES.get(ch, ord(ch))
        if code > 0xFF:
            return None
        raw.append(code)
    try:
        fixed = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return fixed if _mojibake_runs(fixed) == 0 else None


def _detect(body: bytes) -> str | None:
    """Guess the charset of undeclared bytes, preferring UTF-8 and cp949 when the Hangul says so."""
    if _strict(body, "utf-8") is not None:
        return "utf-8"
    korean = _strict(body, "cp949")
    if korean is not None and hangul_ratio(korean) >= 0.6:
        return "cp949"
    from charset_normalizer import from_bytes

    best = from_bytes(body[:200_000]).best()
    guess = normalize_charset(best.encoding) if best else None
    if korean is not None and guess not in ("utf-8", "cp949") and hangul_ratio(korean) >= 0.3:
        # Short Korean pages fool detectors into Big5 or Latin-1; a clean cp949 decode wins then.
        log.debug("detector said %s; cp949 decodes cleanly, using cp949", guess)
        return "cp949"
    return guess


def _finish(text: str, codec: str) -> str:
    """Reject or repair text that still shows decoding damage."""
    if _mojibake_runs(text) >= 3 and not _HANGUL.search(text):
        fixed = _repair_mojibake(text)
        if fixed is None:
            raise NuriError(
                "페이지의 글자가 깨져 있어 읽을 수 없습니다. 다른 주소나 저장된 페이지로 시도하세요."
            )
        log.info("repaired UTF-8 text that had been read as %s", codec)
        text = fixed
    bad = text.count("\ufffd")
    if bad:
        # A stray broken byte in a long page is dropped; more means the charset is wrong: refuse.
        if bad > max(1, len(text) // 20_000):
            raise NuriError(
                "페이지의 문자 인코딩을 알아내지 못했습니다. 브라우저에서 페이지를 저장한 뒤 파일로 시도하세요."
            )
        log.warning("dropped %d undecodable characters (%s)", bad, codec)
        text = text.replace("\ufffd", "")
    return text


def decode_html(body: bytes, content_type: str | None = None) -> str:
    """Decode an HTML page: BOM, HTTP header charset, first valid meta charset, then detection.

    Raises `NuriError` when no charset yields clean text.

    >>> decode_html("<meta charset='euc-kr'><p>똠방각하</p>".encode("cp949"))
    "<meta charset='euc-kr'><p>똠방각하</p>"
    >>> decode_html("<p>뉴스</p>".encode("utf-8"), "text/html; charset=EUC-KR")
    '<p>뉴스</p>'
    """
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return _finish(body[len(bom) :].decode(codec, errors="replace"), codec)
    header = _header_charset(content_type)
    meta = _meta_charset(body[:_PRESCAN_BYTES])
    declared = [codec for codec in (header, meta) if codec]
    utf8 = _strict(body, "utf-8")
    for codec in declared:
        if codec != "utf-8" and utf8 is not None and not body.isascii():
            # Valid multi-byte UTF-8 is almost never legacy text: the declaration is stale.
            log.info("page declared %s but is valid UTF-8", codec)
            return _finish(utf8, "utf-8")
        text = _strict(body, codec)
        if text is not None and (codec != "cp1252" or _mojibake_runs(text) < 3):
            return _finish(text, codec)
        log.info("page declared %s but does not decode as it; trying the next source", codec)
    codec = _detect(body)
    if codec:
        text = _strict(body, codec)
        if text is not None:
            return _finish(text, codec)
    fallback = declared[0] if declared else (codec or "utf-8")
    return _finish(body.decode(fallback, errors="replace"), fallback)
