"""Reading raw files: which files count, what they are called, and how their bytes become text.

Raw files are only ever opened for reading; nothing here writes to disk.
"""

from __future__ import annotations

import codecs
import os
import stat
from collections.abc import Iterator
from pathlib import Path

from .errors import BadInput
from .models import Kind, RawDocument

TEXT_SUFFIXES = {".txt": "txt", ".text": "txt", ".html": "html", ".htm": "html"}
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
"""Files above this are skipped with a reason, so one huge dump cannot exhaust memory."""

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_BINARY_MAGIC = (
    b"%PDF",
    b"\x89PNG",
    b"GIF8",
    b"\xff\xd8\xff",
    b"PK\x03\x04",
    b"\x1f\x8b",
    b"\x7fELF",
)


def raw_files(root: Path) -> Iterator[tuple[str, str]]:
    """(path, doc_id) of each file under root with a known suffix, sorted; symlinks are followed
    only inside root. String work only, the folder's part of the doc_id made once per folder: an
    unchanged ingest of 100,000 files is this walk and one stat per file."""
    if root.is_file():
        yield str(root), doc_id_for(root, root)
        return
    top, root_real = str(root), str(root.resolve())
    seen_dirs: set[str] = set()
    for dirpath, dirnames, filenames in os.walk(root, followlinks=True):
        real = os.path.realpath(dirpath)
        inside = real == root_real or real.startswith(root_real + os.sep)
        if real in seen_dirs or not inside:
            dirnames[:] = []  # a symlink loop or a link leading out of the folder
            continue
        seen_dirs.add(real)
        dirnames.sort()
        folder = dirpath[len(top) :].strip(os.sep).replace(os.sep, "/")
        prefix, base = f"{folder}/" if folder else "", os.path.join(dirpath, "")
        for name in sorted(filenames):
            stem = raw_stem(name)
            if stem is not None:
                yield base + name, printable(prefix + stem)


def raw_stem(name: str) -> str | None:
    """A file name without its suffix when the suffix is one of TEXT_SUFFIXES, else None; split
    where os.path.splitext splits (a name of only leading dots before the last has no suffix)."""
    dot = name.rfind(".")
    if dot <= 0 or name[dot:].lower() not in TEXT_SUFFIXES:
        return None
    stem = name[:dot]
    return None if stem[0] == "." and not stem.lstrip(".") else stem


def doc_id_for(path: Path, root: Path) -> str:
    """Path relative to the ingested folder, without extension, with '/' separators (bytes of
    a name that are not UTF-8 spelt \\xNN, see `printable`)."""
    try:
        rel = path.relative_to(root) if root.is_dir() else Path(path.name)
    except ValueError:
        rel = Path(path.name)
    return printable(rel.with_suffix("").as_posix())


def printable(path: str | os.PathLike[str]) -> str:
    """A path as text that can be stored, printed and sent as JSON: the bytes of a name that is
    not UTF-8 (zip and Windows dumps often have such names) as \\xNN; other names unchanged
    (an ASCII name is returned as it is: its bytes are UTF-8, and it is every doc_id of a corpus
    an unchanged ingest walks)."""
    if isinstance(path, str) and path.isascii():
        return path
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def name_is_utf8(path: Path) -> bool:
    return printable(path) == str(path)


FILE_TYPES = (
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISDIR, "a folder"),
)


def not_regular(mode: int) -> str | None:
    """Why a file that is not a regular file is skipped: reading a FIFO or device blocks forever."""
    if stat.S_ISREG(mode):
        return None
    kind = next((name for test, name in FILE_TYPES if test(mode)), "not a regular file")
    return f"{kind}, not a regular file"


def link_escapes(path: Path, root: Path) -> bool:
    """True for a symlinked file that points outside the ingested folder."""
    if not root.is_dir():
        return False
    real, root_real = path.resolve(), root.resolve()
    return real != root_real and root_real not in real.parents


def sniff_kind(path: Path, head: str) -> Kind:
    """Trust markup over the suffix: saved pages are often named .txt."""
    probe = head[:2048].lstrip().lower()
    if probe.startswith(("<!doctype html", "<html")) or ("<body" in probe and "</" in probe):
        return "html"
    return "html" if TEXT_SUFFIXES.get(path.suffix.lower()) == "html" else "txt"


def decode(data: bytes, is_html: bool = False) -> tuple[str, str]:
    """Bytes to text and the encoding used: BOM, then UTF-8 (repairing stray cp1252 or a cut-off
    tail), then the page's declaration and Korean legacy encodings through UnicodeDammit."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace").lstrip("\ufeff"), encoding
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    loose = data.decode("utf-8", errors="replace")
    bad = loose.count("\ufffd")
    multibyte = sum(1 for ch in loose if ord(ch) > 0x7F and ch != "\ufffd")
    from bs4 import UnicodeDammit

    if multibyte > bad:
        fixed = UnicodeDammit.detwingle(data)
        return fixed.decode("utf-8", errors="replace"), "utf-8"
    # windows-1252 last among ours: otherwise bs4 asks whichever detector happens to be installed
    # (charset-normalizer comes with trafilatura) and reads "caf\xe9" as Arabic
    dammit = UnicodeDammit(data, user_encodings=["cp949", "windows-1252"], is_html=is_html)
    if dammit.unicode_markup is None:
        return loose, "utf-8"
    return dammit.unicode_markup, dammit.original_encoding or "unknown"


def read_raw(path: Path, root: Path | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> RawDocument:
    """Read and decode one raw file; raises BadInput with the reason a file cannot be used."""
    root = root or path.parent
    shown = printable(path)
    try:
        info = path.stat()
        size = info.st_size
        if reason := not_regular(info.st_mode):
            raise BadInput(f"{shown}: {reason}")
        if size > max_bytes:
            raise BadInput(f"{shown}: {size:,} bytes is over the {max_bytes:,}-byte limit (--max-bytes)")
        with path.open("rb") as handle:
            data = handle.read()
    except PermissionError as exc:
        raise BadInput(f"{shown}: cannot read ({exc.strerror})") from exc
    except IsADirectoryError as exc:
        raise BadInput(f"{shown}: is a folder") from exc
    except FileNotFoundError as exc:
        raise BadInput(f"{shown}: no such file") from exc
    except OSError as exc:
        raise BadInput(f"{shown}: cannot read ({exc.strerror or exc})") from exc
    if not data.strip():
        raise BadInput(f"{shown}: empty file")
    if data.startswith(_BINARY_MAGIC) or (
        b"\x00" in data[:4096]
        and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE))
    ):
        raise BadInput(f"{shown}: binary file, not text or HTML")
    kind = sniff_kind(path, data[:2048].decode("latin-1"))
    text, encoding = decode(data, is_html=kind == "html")
    if not text.strip():
        raise BadInput(f"{shown}: no text after decoding")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return RawDocument(path, doc_id_for(path, root), data, text, encoding, kind)
