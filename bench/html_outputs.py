"""Dump what the cleaner and the parser give for a fixed set of pages, and compare two dumps: a
speed change to the HTML path must leave every output as it was.

    python bench/html_outputs.py dump DIR [--sets cleaning,cleaning-text,dates,dev,generated]
    python bench/html_outputs.py compare OLD_DIR NEW_DIR

The pages: the 91 HTML pages of shared/cleaning-bench and their 91 text dumps, the first 150
dated HTML pages of shared/date-bench (as bench/dates.py orders them), the 50 dev articles and
1,500 pages of the bench's generated corpus (what an ingest speed change is measured on). Per page, one JSON line
with the blocks and metadata (`page_blocks`, votes included), the clean output (`clean`) and the
parse output (`parse_article(...).to_dict()`, what `alliance parse --json` prints). Pages without
a file of their own (the benches) get today as their newest possible date, as the scorers do.
"""

from __future__ import annotations

import argparse
import gzip
import json
import tempfile
from collections.abc import Iterator
from dataclasses import asdict, replace
from pathlib import Path

from alliance.clean import clean
from alliance.models import RawDocument
from alliance.parse import clean_and_parse
from alliance.rawfile import decode, read_raw

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
DATE_PAGES = 150
GENERATED_PAGES = 1500


def cleaning_pages() -> Iterator[RawDocument]:
    for src in sorted((SHARED / "cleaning-bench/html").glob("*.html.gz")):
        data = gzip.decompress(src.read_bytes())
        text, encoding = decode(data, is_html=True)
        stem = src.name.removesuffix(".html.gz")
        yield RawDocument(Path(stem + ".html"), stem, data, text, encoding, "html")


def cleaning_text_pages() -> Iterator[RawDocument]:
    for src in sorted((SHARED / "cleaning-bench/text").glob("*.txt")):
        data = src.read_bytes()
        text, encoding = decode(data, is_html=False)
        yield RawDocument(Path(src.name), src.stem, data, text, encoding, "text")


def generated_pages() -> Iterator[RawDocument]:
    from corpus import generate  # bench/corpus.py, beside this script

    with tempfile.TemporaryDirectory() as folder:
        generate(GENERATED_PAGES, Path(folder), seed=11)
        for path in sorted(Path(folder).iterdir()):  # named as written, not by the folder of the day
            yield replace(read_raw(path, Path(folder)), path=Path(path.name))


def date_pages() -> Iterator[RawDocument]:
    bench = SHARED / "date-bench"
    gold = json.loads((bench / "gold.json").read_text())
    for stem in sorted(s for s in gold if gold[s]["date"])[:DATE_PAGES]:
        src = bench / "pages" / f"{stem}.gz"
        data = gzip.decompress(src.read_bytes()) if src.exists() else (bench / "pages" / stem).read_bytes()
        text, encoding = decode(data, is_html=True)
        path = Path(stem).with_suffix(".html")
        yield RawDocument(path, path.stem, data, text, encoding, "html")


def dev_pages() -> Iterator[RawDocument]:
    raw = SHARED / "dev-articles/raw"
    for path in sorted(raw.iterdir()):
        if path.suffix in (".txt", ".html"):
            yield read_raw(path, raw)


SETS = {
    "cleaning": cleaning_pages,
    "cleaning-text": cleaning_text_pages,
    "dates": date_pages,
    "dev": dev_pages,
    "generated": generated_pages,
}


def outputs(raw: RawDocument) -> dict[str, object]:
    """What the pipeline gives for one page; `clean` and `parse` the way the CLI's clean and parse
    (and ingest) call them: `alliance clean` through clean(), the rest through clean_and_parse."""
    blocks, cleaned, article = clean_and_parse(raw)
    return {
        "doc_id": raw.doc_id,
        "blocks": [asdict(b) for b in blocks],
        "meta": cleaned.meta,
        "clean": asdict(clean(raw)),
        "parse": article.to_dict(),
        "parsed_clean": asdict(cleaned),
    }


def dump(out: Path, sets: list[str]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name in sets:
        lines = [json.dumps(outputs(raw), ensure_ascii=False, sort_keys=True) for raw in SETS[name]()]
        (out / f"{name}.jsonl").write_text("".join(f"{line}\n" for line in lines))
        print(f"{name}: {len(lines)} pages -> {out / (name + '.jsonl')}")


def compare(old: Path, new: Path) -> int:
    """Pages whose outputs differ, per set and part; the first difference of each is shown."""
    differ = 0
    for src in sorted(p for p in old.glob("*.jsonl") if (new / p.name).exists()):
        before = [json.loads(line) for line in src.read_text().splitlines()]
        after = [json.loads(line) for line in (new / src.name).read_text().splitlines()]
        counts = dict.fromkeys(("blocks", "meta", "clean", "parse"), 0)
        for a, b in zip(before, after, strict=True):
            for part in counts:
                if a[part] != b[part] or (part == "clean" and a[part] != b.get("parsed_clean", a[part])):
                    counts[part] += 1
                    if counts[part] == 1:
                        print(f"  {src.stem} {a['doc_id'][:24]} {part} differs: {_first_difference(a[part], b[part])}")
        differ += max(counts.values())
        print(f"{src.stem}: {len(before)} pages; differing: {counts}")
    return differ


def _first_difference(a: object, b: object, where: str = "") -> str:
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b)):
            if a.get(key) != b.get(key):
                return _first_difference(a.get(key), b.get(key), f"{where}.{key}")
    if isinstance(a, list) and isinstance(b, list):
        for i, (x, y) in enumerate(zip(a, b, strict=False)):
            if x != y:
                return _first_difference(x, y, f"{where}[{i}]")
        return f"{where}: {len(a)} items -> {len(b)}"
    return f"{where}: {str(a)[:100]!r} -> {str(b)[:100]!r}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    d = sub.add_parser("dump")
    d.add_argument("out", type=Path)
    d.add_argument("--sets", default=",".join(SETS))
    c = sub.add_parser("compare")
    c.add_argument("old", type=Path)
    c.add_argument("new", type=Path)
    args = parser.parse_args()
    if args.command == "dump":
        dump(args.out, args.sets.split(","))
    else:
        raise SystemExit(1 if compare(args.old, args.new) else 0)


if __name__ == "__main__":
    main()
