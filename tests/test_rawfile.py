from pathlib import Path

import pytest

from alliance.errors import BadInput
from alliance.rawfile import decode, doc_id_for, read_raw

KOREAN = "한미 국방장관이 전화 통화를 했다. 확장억제 강화에 합의했다."


def test_euc_kr_without_declaration_decodes():
    text, encoding = decode(KOREAN.encode("euc-kr"))
    assert text == KOREAN
    assert encoding.lower() in {"cp949", "euc-kr"}


@pytest.mark.parametrize("codec", ["utf-16", "utf-8-sig"])
def test_bom_encodings(codec):
    text, _ = decode(f"Austin and Suh {KOREAN}".encode(codec))
    assert text == f"Austin and Suh {KOREAN}"


def test_truncated_utf8_keeps_the_rest():
    data = f"Seoul {KOREAN}".encode()[:-2]
    text, encoding = decode(data)
    assert encoding == "utf-8"
    assert text.startswith("Seoul 한미 국방장관이")
    assert text.endswith("\ufffd")


def test_invalid_bytes_in_ascii_fall_back_to_a_single_byte_codec():
    text, _ = decode(b"caf\xe9 in Seoul")
    assert text == "café in Seoul"


def test_html_declared_charset_is_honoured():
    page = f'<html><head><meta charset="euc-kr"></head><body><p>{KOREAN}</p></body></html>'
    text, _ = decode(page.encode("euc-kr"), is_html=True)
    assert KOREAN in text


def test_binary_and_empty_files_are_refused(tmp_path):
    pdf = tmp_path / "report.txt"
    pdf.write_bytes(b"%PDF-1.4\n\x00\x01binary")
    empty = tmp_path / "empty.txt"
    empty.write_text("   \n")
    with pytest.raises(BadInput, match="binary"):
        read_raw(pdf)
    with pytest.raises(BadInput, match="empty"):
        read_raw(empty)


def test_doc_id_is_the_relative_path_without_extension(tmp_path):
    assert doc_id_for(tmp_path / "sub" / "a.b.html", tmp_path) == "sub/a.b"
    assert doc_id_for(Path("x/003_2b.txt"), Path("x")) == "003_2b"


def test_html_is_sniffed_even_with_a_txt_suffix(tmp_path):
    page = tmp_path / "saved.txt"
    page.write_text("<!DOCTYPE html><html><body><p>Hello</p></body></html>")
    assert read_raw(page).kind == "html"
