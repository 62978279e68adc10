"""The alliance thesaurus: concept groups of written forms, found in a query and expanded.

`data/concepts.csv` holds one concept a row (`concept,terms`, terms ;-separated); a row of
`DATA/concepts.csv` with the same concept name replaces the package row, a new name adds one.
"@name" in a row includes the forms of another row (a narrower concept). English forms are
compared as the analyzer stems them, so "tabletop exercises" is "tabletop exercise"; Korean
forms are compared without spaces, as substrings of the query ("전작권을" contains 전작권).
"""

from __future__ import annotations

import marshal
import os
import sys
import zlib
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from pathlib import Path

from .errors import BadInput
from .index import ANALYZER_VERSION, HANGUL_WORD, Part, analyse, hangul_part
from .packagedata import package_text


@dataclass(frozen=True)
class Term:
    """One written form: its stemmed tokens (the FTS phrase for English), and for Korean its
    spacing-free form and the pieces a document may space apart."""

    text: str
    stems: tuple[str, ...]
    hangul: str | None = None
    parts: tuple[Part, ...] = ()
    gap: int = 6
    """Tokens allowed between parts: a Korean compound's pieces, or the sides of "a ~ b"."""

    @property
    def near(self) -> bool:
        """A co-occurrence form ("guidelines ~ ballistic missiles"): found in documents only."""
        return "~" in self.text


NEAR_FORM_GAP = 10
"""Tokens allowed between the sides of "a ~ b": within a sentence."""


@dataclass(frozen=True)
class Concept:
    """One concept group: its name and every written form."""

    name: str
    terms: tuple[Term, ...]


def make_term(text: str) -> Term | None:
    stems = tuple(analyse(text)[0].split())  # the analyzer's fast path: no offsets needed
    if not stems:
        return None
    if "~" in text:
        sides = [make_term(side.strip()) for side in text.split("~")]
        if any(side is None for side in sides):
            return None
        parts = [p for side in sides if side for p in (side.parts or (Part(side.stems, False),))]
        return Term(text, (*stems, "~"), None, tuple(parts), NEAR_FORM_GAP)
    pieces = text.split()
    if not all(HANGUL_WORD.fullmatch(p) for p in pieces):
        return Term(text, stems)
    # Pieces of one syllable only exist in the index standing alone: keep the plain phrase.
    parts = tuple(hangul_part(p) for p in pieces) if all(len(p) > 1 for p in pieces) else ()
    return Term(text, stems, "".join(pieces), parts)


@dataclass(frozen=True, eq=False)
class Thesaurus:
    """Concepts by name (hashed by identity: one object per state of the files)."""

    concepts: dict[str, Concept]

    @property
    def latin(self) -> dict[tuple[str, ...], list[str]]:
        return _latin_index(self)

    @property
    def hangul(self) -> list[tuple[str, str]]:
        return _hangul_index(self)


@cache
def _latin_index(thesaurus: Thesaurus) -> dict[tuple[str, ...], list[str]]:
    index: dict[tuple[str, ...], list[str]] = {}
    for concept in thesaurus.concepts.values():
        for term in concept.terms:
            if term.hangul is None and not term.near and concept.name not in index.setdefault(term.stems, []):
                index[term.stems].append(concept.name)
    return index


@cache
def _hangul_index(thesaurus: Thesaurus) -> list[tuple[str, str]]:
    """(spacing-free form, concept), longest form first so a compound wins over its parts."""
    pairs = {(t.hangul, c.name) for c in thesaurus.concepts.values() for t in c.terms if t.hangul}
    return sorted(pairs, key=lambda pair: (-len(pair[0]), pair))


def _rows(text: str, source: str) -> dict[str, list[str]]:
    import csv  # only when the compiled copy is missing or stale
    import io

    rows: dict[str, list[str]] = {}
    lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    try:
        for row in csv.DictReader(io.StringIO("\n".join(lines))):
            name = (row.get("concept") or "").strip()
            if name:
                rows[name] = [t.strip() for t in (row.get("terms") or "").split(";") if t.strip()]
    except csv.Error as exc:
        raise BadInput(f"{source}: cannot read concepts ({exc})") from exc
    return rows


def _build(rows: dict[str, list[str]]) -> Thesaurus:
    concepts: dict[str, Concept] = {}
    for name, forms in rows.items():
        texts: list[str] = []
        for form in forms:  # "@other" includes another row's forms, one level deep
            texts += [f for f in rows.get(form[1:], []) if not f.startswith("@")] if form.startswith("@") else [form]
        terms = {}
        for text in texts:
            term = make_term(text)
            if term is not None:
                terms.setdefault(term.stems, term)
        concepts[name] = Concept(name, tuple(terms.values()))
    return Thesaurus(concepts)


CACHE_FORMAT = (ANALYZER_VERSION, marshal.version, sys.version_info[:2])
"""What the compiled copy depends on besides the files: the analyzer, and marshal's format."""


def _compiled(user_file: str, mtime: float, cache: str) -> Thesaurus:
    """The thesaurus built from the files, through a compiled copy beside the index: stemming its
    ~800 forms costs tens of milliseconds, a large part of a one-shot search. The copy is plain
    tuples in marshal's format (built in, where importing pickle costs a few milliseconds)."""
    package = package_text("concepts.csv")
    key = (*CACHE_FORMAT, zlib.crc32(package.encode()), user_file, mtime)
    if cache:
        try:
            with open(cache, "rb") as f:  # loads of the bytes: load(f) reads item by item, 5x slower
                stored_key, rows = marshal.loads(f.read())
            if stored_key == key:
                return _thaw(rows)
        except (OSError, EOFError, ValueError, TypeError):
            pass
    rows = _rows(package, "concepts.csv")
    if user_file:
        try:
            text = Path(user_file).read_text("utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise BadInput(f"{user_file}: cannot read concepts ({exc})") from exc
        rows.update(_rows(text, user_file))
    thesaurus = _build(rows)
    if cache:
        tmp = f"{cache}.{os.getpid()}.tmp"
        try:  # a cache: a read-only index folder just means building it each time
            with open(tmp, "wb") as f:
                f.write(marshal.dumps((key, _freeze(thesaurus))))
            os.replace(tmp, cache)
        except OSError:
            Path(tmp).unlink(missing_ok=True)
    return thesaurus


Frozen = dict[str, list[tuple[str, tuple[str, ...], str | None, tuple[tuple[tuple[str, ...], bool], ...], int]]]


def _freeze(thesaurus: Thesaurus) -> Frozen:
    return {
        c.name: [(t.text, t.stems, t.hangul, tuple((p.words, p.prefix) for p in t.parts), t.gap) for t in c.terms]
        for c in thesaurus.concepts.values()
    }


def _thaw(rows: Frozen) -> Thesaurus:
    return Thesaurus(
        {
            name: Concept(
                name,
                tuple(
                    Term(text, stems, hangul, tuple(Part(*p) for p in parts), gap)
                    for text, stems, hangul, parts, gap in terms
                ),
            )
            for name, terms in rows.items()
        }
    )


@cache
def _cached(user_file: str, mtime: float, cache: str = "") -> Thesaurus:
    return _compiled(user_file, mtime, cache)


def load_thesaurus(data_dir: Path | None = None) -> Thesaurus:
    """The package thesaurus, extended and overridden by DATA_DIR/concepts.csv when it exists."""
    index = data_dir / "index" if data_dir else None
    cache = str(index / "concepts.marshal") if index is not None and index.is_dir() else ""
    user = data_dir / "concepts.csv" if data_dir else None
    if user is not None and user.is_file():
        return _cached(str(user), user.stat().st_mtime, cache)
    return _cached("", 0.0, cache)


@dataclass(frozen=True)
class Found:
    """A concept found in the query: which bare-word items (by position) spell it."""

    concept: str
    items: tuple[int, ...]


def find_concepts(thesaurus: Thesaurus, words: list[tuple[tuple[str, ...], str | None]]) -> list[Found]:
    """Concepts spelled by the query's bare words, each given as (stems, Korean text or None),
    longest form first and without overlaps; one Found per concept."""
    covered: dict[str, set[int]] = {}
    # English: runs of stems across consecutive words
    flat = [(stem, i) for i, (stems, hangul) in enumerate(words) if hangul is None for stem in stems]
    latin = thesaurus.latin
    longest = max((len(k) for k in latin), default=0)
    pos = 0
    while pos < len(flat):
        for n in range(min(longest, len(flat) - pos), 0, -1):
            window = flat[pos : pos + n]
            if any(b[1] - a[1] > 1 for a, b in pairwise(window)):
                continue  # the words must be consecutive in the query
            names = latin.get(tuple(stem for stem, _ in window))
            if names:
                for name in names:
                    covered.setdefault(name, set()).update(i for _, i in window)
                pos += n
                break
        else:
            pos += 1
    # Korean: forms as substrings of each run of consecutive Korean words, spaces removed
    runs: list[list[int]] = []
    for i, (_, hangul) in enumerate(words):
        if hangul is None:
            continue
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    for run in runs:
        text = "".join(words[i][1] or "" for i in run)
        owner = [i for i in run for _ in words[i][1] or ""]
        used = [False] * len(text)
        for form, name in thesaurus.hangul:
            start = text.find(form)
            while start >= 0:
                if not any(used[start : start + len(form)]):
                    used[start : start + len(form)] = [True] * len(form)
                    covered.setdefault(name, set()).update(owner[start : start + len(form)])
                start = text.find(form, start + 1)
    return [Found(name, tuple(sorted(items))) for name, items in covered.items()]
