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


def test_the_walk_names_files_as_doc_id_for_does(tmp_path):
    """raw_files builds each doc_id from strings, once per folder: it must agree with doc_id_for
    (pathlib) on nested folders, names with several dots or leading dots, suffixes in capitals,
    names that are not UTF-8, and leave out what has no known suffix as os.path.splitext splits it."""
    import os

    from alliance.rawfile import TEXT_SUFFIXES, raw_files

    names = ["a.txt", "b.c.HTML", ".txt", "..txt", "...x.htm", "a..text", "notes.md", "README", "x.txt.bak"]
    for folder in ("", "sub", "sub/deeper.d"):
        (tmp_path / folder).mkdir(parents=True, exist_ok=True)
        for name in names:
            (tmp_path / folder / name).write_text("x")
    odd = os.fsdecode(b"caf\xe9.txt")  # a Latin-1 name: not UTF-8
    (tmp_path / "sub" / odd).write_text("x")

    found = list(raw_files(tmp_path))
    expected = sorted(
        str(p) for p in tmp_path.rglob("*") if p.is_file() and os.path.splitext(p.name)[1].lower() in TEXT_SUFFIXES
    )
    assert sorted(name for name, _ in found) == expected
    assert [doc_id for _, doc_id in found] == [doc_id_for(Path(name), tmp_path) for name, _ in found]
    assert "sub/caf\\xe9" in {doc_id for _, doc_id in found}
    assert {"a", "b.c", "...x", "a.", "sub/deeper.d/a"} <= {doc_id for _, doc_id in found}
    assert not {".txt", "..txt", "notes", "README", "x.txt"} & {doc_id for _, doc_id in found}
