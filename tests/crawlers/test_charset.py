"""Charset sniffing: BOM, header, meta, detection; Korean pages must never come back as mojibake."""

from __future__ import annotations

import codecs

import pytest

from config import NuriError
from crawlers.extract import decode_html, extract_article

RARE = "똠방각하가 햏자를 만나 뷁을 외쳤다."  # none of 똠, 햏, 뷁 exists in EUC-KR (KS X 1001)
BODY = (
    "서울시가 내년부터 전통시장 주차장을 무료로 개방하기로 했다. 시는 주말 방문객이 늘어날 것으로 기대한다고 밝혔다. "
    * 3
)


def page(meta: str = "", body: str = BODY) -> str:
    return f"<html><head>{meta}<title>시장 주차장 무료 개방</title></head><body><p>{RARE}</p><p>{body}</p></body></html>"


def test_euc_kr_meta_without_header_decodes_rare_syllables_exactly():
    raw = page('<meta charset="euc-kr">').encode("cp949")
    with pytest.raises(UnicodeDecodeError):
        raw.decode("euc-kr")  # the point of the test: strict EUC-KR cannot hold these syllables
    text = decode_html(raw)
    assert RARE in text
    assert "\ufffd" not in text


@pytest.mark.parametrize("label", ["EUC-KR", "ks_c_5601-1987", "KS_C_5601", "x-windows-949", "euc_kr"])
def test_korean_labels_in_the_header_decode_as_cp949(label):
    raw = page().encode("cp949")
    text = decode_html(raw, f"text/html; charset={label}")
    assert RARE in text and "\ufffd" not in text


def test_http_equiv_meta_is_read():
    raw = page('<meta http-equiv="Content-Type" content="text/html; charset=euc-kr">').encode("cp949")
    assert RARE in decode_html(raw)


def test_short_cp949_page_without_declaration_is_not_big5_or_latin1():
    raw = "<p>오늘 날씨 맑음. 똠얌꿍 먹자.</p>".encode("cp949")
    text = decode_html(raw)
    assert text == "<p>오늘 날씨 맑음. 똠얌꿍 먹자.</p>"
    assert raw.decode("big5", errors="replace") != text  # what a naive detector might have said


def test_header_says_utf8_but_body_is_cp949():
    raw = page().encode("cp949")
    text = decode_html(raw, "text/html; charset=utf-8")
    assert RARE in text and "\ufffd" not in text


def test_header_says_euc_kr_but_body_is_utf8():
    raw = page().encode("utf-8")
    assert RARE in decode_html(raw, "text/html; charset=euc-kr")


@pytest.mark.parametrize(
    ("bom", "codec"),
    [(codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")],
)
def test_bom_wins_over_header_and_meta(bom, codec):
    raw = bom + page('<meta charset="euc-kr">').encode(codec)
    text = decode_html(raw, "text/html; charset=euc-kr")
    assert RARE in text and not text.startswith("\ufeff")


def test_two_conflicting_metas_follow_the_first():
    # The first meta says cp949 (EUC-KR label); the second, wrong one says UTF-8. The first wins.
    raw = page('<meta charset="euc-kr"><meta charset="utf-8">').encode("cp949")
    assert RARE in decode_html(raw)
    # And the other way round: the first (UTF-8) wins over a stale EUC-KR meta.
    raw = page('<meta charset="utf-8"><meta http-equiv="content-type" content="text/html; charset=euc-kr">')
    assert RARE in decode_html(raw.encode("utf-8"))


def test_invalid_first_meta_label_is_skipped():
    raw = page('<meta charset="x-made-up"><meta charset="euc-kr">').encode("cp949")
    assert RARE in decode_html(raw)


def misread(data: bytes, wrong: str) -> str:
    """Decode with the wrong codec, keeping bytes cp1252 leaves undefined as C1 controls (as browsers do)."""
    if wrong == "latin-1":
        return data.decode("latin-1")
    return "".join(
        chr(b) if b in (0x81, 0x8D, 0x8F, 0x90, 0x9D) else bytes([b]).decode("cp1252") for b in data
    )


@pytest.mark.parametrize("wrong", ["latin-1", "cp1252"])
def test_utf8_read_as_latin1_is_repaired(wrong):
    # A page that was once decoded with the wrong codec and saved again as UTF-8 ("ì‹œìž¥").
    damaged = misread(page().encode("utf-8"), wrong)
    assert "ì" in damaged
    assert decode_html(damaged.encode("utf-8"), "text/html; charset=utf-8") == page()


def test_mojibake_that_cannot_be_repaired_is_rejected():
    broken = ("<p>" + "ì‹œìž¥ ì£¼ì°¨ìž¥ ë¬´ë£Œ ê°œë°© ★ " * 5 + "</p>").encode("utf-8")
    with pytest.raises(NuriError):
        decode_html(broken)


def test_undecodable_bytes_are_rejected_in_korean():
    raw = bytes(range(0x80, 0x100)) * 40
    with pytest.raises(NuriError) as caught:
        decode_html(raw, "text/html; charset=utf-8")
    assert "인코딩" in str(caught.value) or "깨져" in str(caught.value)


def test_extract_article_from_cp949_bytes_has_no_replacement_characters():
    raw = page('<meta charset="euc-kr">').encode("cp949")
    article = extract_article(raw, "https://local.example/news/1")
    assert RARE in article.text
    assert "\ufffd" not in article.text + article.title


def test_chinese_big5_page_is_not_forced_into_cp949():
    chinese = "<p>台北市政府今天宣布，明年起將擴大公共運輸補助，通勤族每月可節省約一千元。市長表示，這項政策將有助於減少交通壅塞。</p>"
    assert decode_html(chinese.encode("big5")) == chinese
