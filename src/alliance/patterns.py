"""Regular expressions that skip, in C, the places where a match cannot start.

Python's `re` tries a pattern at every position of the text. A pattern that begins with a word
boundary, or with an alternation of words under IGNORECASE, gets no help from the engine's own
prefix scan, so every position enters every alternative: most of an ingest's pattern time went
there. `fast` puts a lookahead of the characters a match can begin with in front of the pattern
(the same matches, found two to six times sooner), and `words` writes a vocabulary as a trie, so
one try reads each character once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

try:  # the parser behind re.compile; private, so without it patterns are compiled as they are
    from re import _constants as _sre
    from re import _parser as _sre_parse
except ImportError:  # pragma: no cover - every supported Python has them
    _sre = _sre_parse = None  # type: ignore[assignment]

LOOKAHEAD_MAX_CHARS = 64
"""Past this many possible first characters a lookahead filters too little to pay for itself."""


class _Open(Exception):
    """The pattern may start with a character no table lists (a class like \\w, any character)."""


_CLASSES = {"CATEGORY_DIGIT": r"\d", "CATEGORY_SPACE": r"\s"}
"""Classes a first character may be given by that still filter: digits and spaces are rare
places in prose (\\w is most of it, so it does not filter and leaves the list open)."""


def first_chars(pattern: str, flags: int = 0) -> frozenset[str] | None:
    """What a match of the pattern can begin with, as items of a character class: characters as
    written (case is the flags'), and \\d or \\s for those classes. None when that is not a short
    list: a match may be empty, start with any character or another class such as \\w, or the
    pattern changes flags inside."""
    if _sre_parse is None:
        return None
    try:
        return _first_chars(_sre_parse.parse(pattern, flags))
    except (re.error, RecursionError):
        return None


def _first_chars(items: Any) -> frozenset[str] | None:
    """first_chars of a pattern as re's parser read it."""
    found: set[str] = set()
    try:
        if _may_be_empty(items, found):
            return None
    except _Open:
        return None
    return frozenset(found) if len(found) <= LOOKAHEAD_MAX_CHARS else None


def _may_be_empty(items: Any, found: set[str]) -> bool:
    """Add the first characters of a sequence of parsed items; whether it can match nothing."""
    return all(_item_may_be_empty(op, arg, found) for op, arg in items)


def _item_may_be_empty(op: Any, arg: Any, found: set[str]) -> bool:
    if op is _sre.LITERAL:
        found.add(chr(arg))
        return False
    if op is _sre.IN:
        for kind, value in arg:
            if kind is _sre.LITERAL:
                found.add(chr(value))
            elif kind is _sre.RANGE and value[1] - value[0] < LOOKAHEAD_MAX_CHARS:
                found.update(chr(c) for c in range(value[0], value[1] + 1))
            elif kind is _sre.CATEGORY and str(value) in _CLASSES:
                found.add(_CLASSES[str(value)])
            else:  # a negated set, another category (\w, \D, \S) or a wide range
                raise _Open
        return False
    if op in (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT):  # zero width: the next item starts the match
        return True
    if op is _sre.BRANCH:
        return any([_may_be_empty(alternative, found) for alternative in arg[1]])
    if op is _sre.SUBPATTERN:
        _, add_flags, del_flags, items = arg
        if add_flags or del_flags:  # (?i:...) inside: the lookahead would be compiled with other flags
            raise _Open
        return _may_be_empty(items, found)
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT):
        low, _, items = arg
        return _may_be_empty(items, found) or low == 0
    if op is _sre.ATOMIC_GROUP:
        return _may_be_empty(arg, found)
    raise _Open


def fast(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """re.compile(pattern, flags) for `search`, `finditer`, `findall` and `sub`, with a
    lookahead of its first characters when they are a short list. Only for patterns the engine
    cannot scan for by itself: one that starts with a plain literal is faster as it is."""
    return re.compile(with_lookahead(pattern, flags), flags)


def with_lookahead(pattern: str, flags: int = 0) -> str:
    """The pattern text `fast` compiles: the pattern behind a lookahead of its first characters
    when they are a short list, else as it is. Also for each branch of an alternation whose whole
    list is too long: named groups around literals keep `re` from checking a first character
    before it enters them (36 places' Hangul names as groups: 590 µs a search of 400 characters,
    40 without the groups or with a lookahead in front)."""
    try:
        items = _sre_parse.parse(pattern, flags) if _sre_parse is not None else None
    except (re.error, RecursionError):
        items = None  # re.compile says what is wrong with the pattern
    chars = _first_chars(items) if items and not _starts_with_literal(items, flags) else None
    if not chars:
        return pattern
    ahead = "".join(sorted(c if c in _CLASSES.values() else re.escape(c) for c in chars))
    return f"(?=[{ahead}])(?:{pattern})"


def _starts_with_literal(items: Any, flags: int) -> bool:
    """Whether re scans for the parsed pattern's first character by itself (a case-sensitive literal)."""
    return not flags & re.IGNORECASE and items[0][0] is _sre.LITERAL


def words(vocabulary: Iterable[str]) -> str:
    """An alternation matching exactly these strings, written as a trie ('call|called|calls' ->
    'call(?:ed|s)?'), so a try at one position reads each character once."""
    trie: dict[str, Any] = {}
    for word in vocabulary:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _branch(trie)


def _branch(node: dict[str, Any]) -> str:
    ends_here = "" in node
    alternatives = [re.escape(char) + _branch(child) for char, child in sorted(node.items()) if char]
    if not alternatives:
        return ""
    body = alternatives[0] if len(alternatives) == 1 else f"(?:{'|'.join(alternatives)})"
    if ends_here:
        return f"(?:{body})?" if len(alternatives) == 1 and len(body) > 1 else f"{body}?"
    return body
