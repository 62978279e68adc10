"""Keep the article body, drop the site around it — one scoring model for text dumps and HTML.

Each block gets a signed score: positive for prose (long, full of stopwords, ending like a
sentence), negative for furniture (short lines, links, boilerplate containers, known phrases,
lines the site repeats on every page). The body is the contiguous run of blocks with the
largest total score (the maximum-subarray idea of Finn et al.'s Body Text Extraction), so a
short line between two paragraphs stays and a menu between two articles splits them. Within
that run, headline, byline, dateline, captions and credits move to `credits` for the parser.
"""

from __future__ import annotations

import hashlib
import os
import re
from array import array
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from pathlib import Path
from stat import S_ISREG
from typing import NamedTuple

from .blocks import as_ascii, html_blocks, text_blocks, word_list
from .index import stopword_lists
from .models import Block, CleanedArticle, Credit, RawDocument, Removed
from .packagedata import csv_rows, package_text
from .patterns import _sre, _sre_parse, fast, first_chars  # the parser behind re, where there is one


@dataclass(frozen=True)
class Settings:
    """The cleaner's tunables, in one place so that `bench/cleaning.py --cv` can fit them on one
    half of shared/cleaning-bench and score them on the other. The defaults are the values that
    grid search chose on all 91 pages, kept only where the held-out figure agreed (see
    bench/cleaning.py and README "Cleaning quality")."""

    long_words: int = 12
    """A block of this many words with prose-like stopword density counts as body."""
    min_stopword_density: float = 0.22
    """Share of function words above which a block reads as prose, not a list or a menu."""
    korean_min_share: float = 0.25
    """Hangul lines: share of words ending in a particle or verb ending above which a long line
    without a full stop still reads as prose (prose runs 0.3-1.0, menus and headlines 0-0.3)."""
    short_line_score: float = -4.0
    """What a short line that is not a sentence costs the run it sits in."""
    link_density_max: float = 0.5
    """A block with more of its text in links than this is navigation."""
    after_end_factor: float = 0.3
    """Prose after an end-of-article marker (comments, related stories) counts for this much."""
    menu_lines: bool = True
    """Text dumps: a line made of short items between separators ('Home > Press', tag lists) is
    navigation, however many function words it holds."""
    closing_lists: bool = True
    """Text dumps: a dated or numbered list right after the run (tour dates, standings) is body."""
    extractor_weight: float = 0.0
    """HTML: what each word of a block costs when trafilatura's article text leaves it out."""
    extractor_floor: float = 0.0
    """HTML: the least a block trafilatura keeps scores (a table cell, a list item, a subhead),
    unless a boilerplate phrase or the site template marks it."""
    extractor_trim: bool = True
    """HTML: inside the chosen run, a non-prose block trafilatura left out is dropped, and the
    run is not widened over one."""


DEFAULT_SETTINGS = Settings()
CONTAINER_FACTOR = {"nav": -1.0, "footer": -1.0, "aside": -1.0, "form": -1.0, "header": -0.5}
"""Multiplier for blocks inside a boilerplate container; class words count half."""
CLASS_WORD_FACTOR = -0.3
TEMPLATE_MIN_FILES = 3
"""A line that repeats in this many files of a folder is the site's template."""

_HANGUL = re.compile(r"[\uac00-\ud7a3\u3040-\u30ff\u4e00-\u9fff]")
"""Hangul, kana and CJK ideographs: scripts where a character, not a space, marks a word."""
_SENTENCE_END = re.compile(r"[.!?。…:;][\"'”’)\]]*$|다\.?$|[\"”]$")
_NORMALISE = re.compile(r"[\W\d_]+", re.UNICODE)
_ASCII_KEY_GAPS = str.maketrans({chr(c): " " for c in range(128) if not chr(c).isalpha()})
"""ASCII text: what _NORMALISE folds becomes a space."""
SENTENCE_TAIL_CHARS = 16
_CLOSERS = "\"'”’)]\n"


def _ends_sentence(text: str) -> bool:
    """_SENTENCE_END.search(text), read on the last characters only: a match ends the text, and
    it is short unless the text ends in a run of closing quotes and brackets (then all is read)."""
    start = len(text) - SENTENCE_TAIL_CHARS
    if start > 0 and text[start:].strip(_CLOSERS):
        return _SENTENCE_END.search(text, start) is not None
    return _SENTENCE_END.search(text) is not None


CREDIT_PATTERNS = {
    "byline": re.compile(
        r"^(by|written by|reporting by|reported by|posted by|author:?)\s+[\w .,'’&@<>-]{2,80}$|"
        r"^[\w .'-]{2,40}\s*(reporter|correspondent|staff writer|기자)\s*[\w@.<>-]*$",
        re.I,
    ),
    "dateline": re.compile(
        r"^(published|updated|posted|date|last updated|modified|입력|수정)\s*:?\s*"
        r"[\w ,.:/+-]{4,80}$|"
        r"^(mon|tue|wed|thu|fri|sat|sun)[a-z]*,? [\w ,.:]{6,40}$|"
        r"^(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d{1,2},? \d{4}[\w ,.:|-]{0,30}$|"
        r"^\d{1,2} (jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]* \d{4}[\w ,.:|-]{0,30}$|"
        r"^\d{4}[.-]\d{1,2}[.-]\d{1,2}[\w ,.:|-]{0,30}$",
        re.I,
    ),
    "caption": fast(  # searched in every short block: a lookahead skips where no caption can start
        r"[(\[](?:[^()\[\]]*\b(?:photo|image|credit|courtesy|getty|file|captured)\b[^()\[\]]*|"
        r"[^()\[\]]*(?:제공|사진)\s*|"
        r"[^()\s]*[A-Za-z][-/][A-Z][^()]*)[)\]]\s*$|"
        r"\b(?:provided by|courtesy of|photo by|image credit)\b[^.]{0,80}\.?$|"
        r"\((?:far |second from |third from )?(?:left|right|center|centre)\)|"  # who stands where: a photo
        r"\.\s*/\s?[A-Z][\w&. ]{1,30}$",  # '... in Washington on Aug. 30. /Yonhap
        re.I,
    ),
}
"""Lines that are not body but carry metadata; the parser reads them from `credits`."""


@cache
def _wire_credit() -> re.Pattern[str]:
    """'(Yonhap)', '(Seoul=Newsis)' at the end of a paragraph, for every wire in data/outlets.csv."""
    from .outlets import outlet_table

    wires = sorted({alias for alias, s in outlet_table().items() if s.kind in ("wire", "both")}, key=len, reverse=True)
    names = "|".join(re.escape(w) for w in wires if "." not in w)
    return re.compile(rf"\s*\((?:[\w ]{{2,20}}=)?(?:{names})\)\s*$", re.I)


LEADING_DATELINE = re.compile(r"^((?:[A-Z][A-Za-z.]++[ /,]*+){1,3})\s*+(?:\(([A-Za-z ]+)\)\s*)?[-—–:]+\s+(?=\S)")
"""`SEOUL (Yonhap) --`, `Seoul/UNI:`, `WASHINGTON —`: moved from the first paragraph to the credits."""


@dataclass(frozen=True)
class Rule:
    pattern: re.Pattern[str]
    role: str
    note: str


@cache
def stopwords() -> frozenset[str]:
    """Function words of the languages in data/stopwords.txt, pooled: menus have none in any."""
    return frozenset(w for code, words in stopword_lists().items() if "-" not in code for w in words)


@cache
def korean_endings() -> tuple[str, ...]:
    """Particles and verb endings (data/stopwords.txt, ko-endings) that mark a Korean word's role."""
    return stopword_lists().get("ko-endings", ())


_TRAILING_PUNCT = ".,!?\"'”’)]…·"


def korean_function_share(text: str) -> float:
    """Share of the line's words that are function words or end in a particle or verb ending:
    Korean prose is full of them, menus and headlines of bare nouns are not."""
    words = [w.rstrip(_TRAILING_PUNCT) for w in text.split()]
    stops, endings = stopwords(), korean_endings()
    return sum(w in stops or w.endswith(endings) for w in words) / max(1, len(words))


def load_rules(extra: Path | None = None) -> RuleSet:
    """Boilerplate phrases from the package table plus a user's `boilerplate.csv`, if given.
    The file is looked at on every call (an ingest calls once a page): one stat, so that an
    edit takes effect at the next page, and the table is read again only when its mtime moved."""
    if extra is not None:
        try:
            status = os.stat(extra)
        except (FileNotFoundError, NotADirectoryError, ValueError):  # what Path.is_file() calls absent
            status = None
        if status is not None and S_ISREG(status.st_mode):
            return _rules(str(extra), status.st_mtime)
    return _rules("", 0.0)


@cache
def _rules(extra: str, mtime: float) -> RuleSet:
    texts = [package_text("boilerplate.csv")]
    if extra:
        texts.append(Path(extra).read_text("utf-8"))
    rules = []
    for text in texts:
        rows = csv_rows(text)
        for row in rows:
            pattern = re.compile(row["pattern"].strip(), re.I)
            rules.append(Rule(pattern, row.get("role") or "drop", row.get("note") or ""))
    return RuleSet(rules)


TEMPLATE_REASON = "repeated on other pages of the site"


LINES_REMEMBERED = 4096
"""Line texts whose key, fingerprint, boilerplate rule, prose score and credit kind are
remembered: a site's template lines recur on every page (7 in 10 of a bench page's lines), and
every line of a copy."""


@lru_cache(maxsize=LINES_REMEMBERED)  # the cleaner and the template counter ask for the same lines
def line_key(text: str) -> str:
    """Case, digits and punctuation folded: how lines are compared within and across files."""
    plain = as_ascii(text)
    if plain is not None:  # the same key, by a table and str.split (a third of the regex's time)
        return " ".join(plain.lower().translate(_ASCII_KEY_GAPS).split())
    return _NORMALISE.sub(" ", text.lower()).strip()


def line_print(text: str) -> int:
    """A 56-bit fingerprint of the line's key (fits an SQLite integer): a site template of a
    large corpus is counted and kept as numbers, not as every line's text."""
    return _key_print(line_key(text))


@lru_cache(maxsize=LINES_REMEMBERED)
def _key_print(key: str) -> int:
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=7).digest(), "big")


def page_prints(texts: Iterable[str]) -> dict[str, int]:
    """Each distinct line text of a page (with a non-empty key) -> its fingerprint."""
    keys = {text: line_key(text) for text in texts}
    return {text: _key_print(key) for text, key in keys.items() if key}


def template_lines(pages: Iterable[Iterable[Block]], min_files: int = TEMPLATE_MIN_FILES) -> frozenset[int]:
    """Fingerprints of the lines that occur in at least `min_files` of the given pages."""
    prints = array("q")
    for blocks in pages:
        prints.extend(set(page_prints(b.text for b in blocks).values()))
    return repeated(prints, min_files)


def repeated(values: array[int], times: int) -> frozenset[int]:
    """The values that occur at least `times` times (each page contributes a line once); an
    array and a sort, so a large corpus's lines are counted in 8 bytes each."""
    ordered = sorted(values)
    return frozenset(ordered[i] for i in range(len(ordered) - times + 1) if ordered[i] == ordered[i + times - 1])


class _Scored(NamedTuple):  # one per block of every page: a tuple is built in a third of a dataclass's time
    block: Block
    score: float
    reason: str
    end_marker: bool = False


class RuleSet(tuple[Rule, ...]):
    """The boilerplate rules, with all their phrases as one alternation: one regex call per
    block instead of one per rule. Each phrase is a named group, so the match says which rule
    it was (the first that matches, as trying them in turn would find).

    Two cuts keep that answer and skip most of the work (the alternation was a third of the
    cleaner's time): a rule whose match must begin with one of a few characters
    (patterns.first_chars) joins only the alternation of the texts that begin with one of them,
    and a "contains" rule (`.*PHRASE`, the table's idiom) is asked only when one search for all
    their phrases, ending the text, finds one: on a line without a line break `.*R` matches the
    whole of it exactly when `R` matches an ending of it."""

    @cached_property
    def any_phrase(self) -> re.Pattern[str]:
        return self._alternation(range(len(self)))

    def _alternation(self, indices: Iterable[int]) -> re.Pattern[str]:
        return re.compile("|".join(f"(?P<_rule{i}>{self[i].pattern.pattern})" for i in indices) or "(?!)", re.I)

    @cached_property
    def _plan(self) -> tuple[list[tuple[int, re.Pattern[str] | None]], list[int], re.Pattern[str] | None] | None:
        """Per rule, the class of its possible first characters (None: any); the "contains"
        rules; one search for all their phrases. None when a rule refers to its own groups: in a
        smaller alternation the group numbers would change, so such rules are only run whole."""
        if any(_OWN_GROUP_REFERENCE.search(r.pattern.pattern) for r in self):
            return None
        heads: list[tuple[int, re.Pattern[str] | None]] = []
        contains: list[int] = []
        for i, rule in enumerate(self):
            if _contains_phrase(rule.pattern.pattern) is not None:
                contains.append(i)
                continue
            chars = first_chars(rule.pattern.pattern, re.I)
            items = sorted(c if len(c) > 1 else re.escape(c) for c in chars or ())  # \d, \s come as written
            heads.append((i, re.compile(f"[{''.join(items)}]", re.I) if items else None))
        phrases = "|".join(f"(?:{_contains_phrase(self[i].pattern.pattern)})\\Z" for i in contains)
        return heads, contains, fast(phrases, re.I) if phrases else None

    @cached_property
    def _by_first_char(self) -> dict[str, re.Pattern[str]]:
        return {}

    @cached_property
    def _shared(self) -> dict[tuple[int, ...], re.Pattern[str]]:
        return {}

    def _for_first_char(self, char: str) -> re.Pattern[str]:
        """The alternation of the rules (not "contains" ones) a text beginning with `char` may match."""
        pattern = self._by_first_char.get(char)
        if pattern is None:
            plan = self._plan
            assert plan is not None
            indices = tuple(i for i, head in plan[0] if head is None or (char and head.match(char)))
            pattern = self._shared.get(indices)
            if pattern is None:
                pattern = self._shared[indices] = self._alternation(indices)
            self._by_first_char[char] = pattern
        return pattern

    def matching(self, text: str) -> Rule | None:
        """The first rule whose phrase is the whole text, if any (remembered for the last
        LINES_REMEMBERED lines: a site's menus and footers, and every line of a copy, recur)."""
        return self._remembered(text)

    @cached_property
    def _remembered(self) -> Callable[[str], Rule | None]:
        return lru_cache(maxsize=LINES_REMEMBERED)(self._first_matching)

    def _first_matching(self, text: str) -> Rule | None:
        plan = self._plan
        if plan is None or "\n" in text:
            match = self.any_phrase.fullmatch(text)
            return self[int(match.lastgroup[5:])] if match and match.lastgroup else None
        match = self._for_first_char(text[:1]).fullmatch(text)
        first = int(match.lastgroup[5:]) if match and match.lastgroup else len(self)
        _, contains, phrases = plan
        if phrases is not None and contains[0] < first and phrases.search(text):
            first = next((i for i in contains if i < first and self[i].pattern.fullmatch(text)), first)
        return self[first] if first < len(self) else None


_OWN_GROUP_REFERENCE = re.compile(r"\\[1-9]|\(\?P=|\(\?\(")
"""A back reference or a conditional on a group: such a rule's group numbers must not move."""


def _contains_phrase(pattern: str) -> str | None:
    """R for a rule written `.*R` (a greedy or lazy `.*` first, then more, no `|` around it)."""
    if not pattern.startswith(".*") or pattern[2:3] in ("+", "{") or _sre_parse is None:
        return None
    rest = pattern[3:] if pattern[2:3] == "?" else pattern[2:]
    try:
        items = _sre_parse.parse(pattern, re.I)
    except re.error:
        return None
    first = items[0] if len(items) > 1 else None
    any_char = [(_sre.ANY, None)]
    if first is None or first[0] not in (_sre.MAX_REPEAT, _sre.MIN_REPEAT) or first[1][:2] != (0, _sre.MAXREPEAT):
        return None
    return rest if list(first[1][2]) == any_char else None


@lru_cache(maxsize=LINES_REMEMBERED)
def _prose_score(text: str, settings: Settings) -> tuple[float, str]:
    words = word_list(text, lower=True)
    n = len(words)
    hangul = 0 if text.isascii() else len(_HANGUL.findall(text))
    sentence = _ends_sentence(text)
    if hangul > n:  # Korean, Japanese, Chinese: count characters in place of words
        size = hangul / 3
        if not sentence and size >= settings.long_words and korean_function_share(text) < settings.korean_min_share:
            return -size * 0.2, "few particles or endings (a list or a heading, not prose)"
        score = size if sentence or size >= settings.long_words else settings.short_line_score
        return score, "short line, not a sentence"
    density = sum(map(stopwords().__contains__, words)) / max(1, n)
    if n >= settings.long_words and density >= settings.min_stopword_density:
        return float(n) * (1.0 if sentence else 0.6), ""
    if n >= 6 and sentence and density >= settings.min_stopword_density:
        return float(n) * 0.7, ""
    if n >= 4 and sentence:
        return float(n) * 0.3, ""  # terse sentences: scores, lists of facts
    if n >= settings.long_words:
        return -n * 0.2, "few function words (a list or a heading, not prose)"
    return settings.short_line_score, "short line, not a sentence"


EXTRACTOR_REASON = "left out of trafilatura's article text"


def _score(block: Block, rules: RuleSet, template: frozenset[int], settings: Settings = DEFAULT_SETTINGS) -> _Scored:
    text = block.text
    stripped = text.strip(" \t•·|-–—*►▶▷>»")
    rule = rules.matching(stripped) if len(stripped) < 300 else None
    if rule is not None:
        penalty = -10.0 - len(word_list(text))
        return _Scored(block, penalty, f"boilerplate phrase ({rule.note})", rule.role == "end")
    if template and line_print(text) in template:
        return _Scored(block, -5.0 - len(word_list(text)), TEMPLATE_REASON)
    return _evidence_score(block, settings)


def _evidence_score(block: Block, settings: Settings) -> _Scored:
    """_score of a block no boilerplate phrase and no template line marks: its prose, weighed
    with the markup's and the extractor's evidence."""
    text = block.text
    score, reason = _prose_score(text, settings)
    if block.tag == "menu" and settings.menu_lines:
        score, reason = -abs(score) - 2, "a line of menu items (breadcrumb, tags, links side by side)"
    factor = CONTAINER_FACTOR.get(block.container, CLASS_WORD_FACTOR) if block.container else 0.0
    if block.link_density > settings.link_density_max:
        score, reason = -abs(score) - 2, f"mostly links ({block.link_density:.0%})"
    elif factor < 0 and block.container not in ("caption", "credit"):
        score, reason = factor * abs(score) - 2, f"inside a '{block.container}' block"
    if block.extracted:  # one score from two opinions: the block's own and the extractor's
        score, reason = max(score, settings.extractor_floor), reason if score > settings.extractor_floor else ""
    elif block.extracted is False:
        if settings.extractor_weight:
            score -= settings.extractor_weight * len(word_list(text))
        reason = reason if score > 0 or reason else EXTRACTOR_REASON
    return _Scored(block, score, reason)


REPEAT_HEAD_CHARS = 60


def _second_copy(scored: Sequence[_Scored], start: int, end: int) -> int:
    """Where the run starts over: a prose block opening like an earlier block of the run, and
    either holding the paragraph that followed that one (the whole article again in one block)
    or followed by it, is a second (AMP, print) copy; the run ends before it. A pull quote
    repeats one paragraph only, and is not cut."""
    heads: dict[str, int] = {}
    keys = [line_key(scored[i].block.text)[:REPEAT_HEAD_CHARS] if start <= i < end else "" for i in range(len(scored))]
    for i in range(start, end):
        head = keys[i]
        if scored[i].score <= 0 or len(head) < REPEAT_HEAD_CHARS:
            continue
        j = heads.get(head)
        if j is not None:
            after = next(
                (k for k in range(j + 1, i) if scored[k].score > 0 and len(keys[k]) == REPEAT_HEAD_CHARS), None
            )
            holds_more = after is not None and keys[after] in line_key(scored[i].block.text)
            followed = after is not None and i + 1 < end and keys[i + 1] == keys[after]
            if holds_more or followed:
                return i
        heads.setdefault(head, i)
    return end


BODY_MASS_SHARE = 0.8
"""The article's element is the innermost one holding this share of the run's prose."""
BODY_ELEMENT_SPREAD = 2.0
"""...and it must not hold more than this many times the run's text (else it is the page)."""
_HARD_NEGATIVE = ("boilerplate phrase", "mostly links", "inside a", TEMPLATE_REASON)


def _whole_container(
    blocks: Sequence[Block], scored: Sequence[_Scored], adjusted: list[float], start: int, end: int, trim: bool
) -> tuple[int, int]:
    """HTML: widen the run to the rest of the element that holds the article's prose (a tour-date
    list or a lead sentence in the article's own <div> is body, however short its lines), as
    readability keeps its best node whole. Furniture inside that element still stops it."""
    if start >= end or not blocks[start].path:
        return start, end
    positive = [i for i in range(start, end) if adjusted[i] > 0]
    total = sum(adjusted[i] for i in positive)
    mass: dict[int, float] = {}
    depth: dict[int, int] = {}
    for i in positive:
        for level, element in enumerate(blocks[i].path):
            mass[element] = mass.get(element, 0.0) + adjusted[i]
            depth[element] = level
    holders = [e for e, m in mass.items() if m >= BODY_MASS_SHARE * total]
    if not holders:
        return start, end
    body = max(holders, key=lambda e: depth[e])
    inside = [i for i, b in enumerate(blocks) if body in b.path]
    run_chars = sum(len(blocks[i].text) for i in range(start, end))
    if sum(len(blocks[i].text) for i in inside) > BODY_ELEMENT_SPREAD * run_chars:
        return start, end

    def joins(i: int) -> bool:
        if trim and blocks[i].extracted is False:
            return False
        return body in blocks[i].path and not scored[i].reason.startswith(_HARD_NEGATIVE) and not scored[i].end_marker

    while start > 0 and joins(start - 1):
        start -= 1
        adjusted[start] = max(adjusted[start], 0.1)
    while end < len(blocks) and joins(end):
        adjusted[end] = max(adjusted[end], 0.1)
        end += 1
    return start, end


LIST_ENTRY = re.compile(r"^(?=[^\n]{0,30}\d)(\S+(?: \S+){0,3}?)\s+(--|–|—|-|@|\|)\s+\S")
"""'June 9 -- Coral Sky Amphitheatre', '3. Kyle Busch - 5040': an entry of a dated or numbered list."""
LIST_MIN_ENTRIES = 3


def _list_after(blocks: Sequence[Block], scored: Sequence[_Scored], end: int) -> int:
    """Text dumps: where the run ends once a list the article closes with is taken in (tour
    dates, standings, a schedule: at least three entries with a number before the same
    separator, after at most one heading line). Every entry is short, so no sum keeps them."""
    start = end + 1 if end < len(blocks) and not LIST_ENTRY.match(blocks[end].text) else end
    separator = None
    stop = start
    while stop < len(blocks):
        entry = LIST_ENTRY.match(blocks[stop].text)
        if not entry or (separator and entry.group(2) != separator) or scored[stop].reason.startswith(_HARD_NEGATIVE):
            break
        separator = entry.group(2)
        stop += 1
    return stop if stop - start >= LIST_MIN_ENTRIES else end


def _best_run(scores: Sequence[float]) -> tuple[int, int]:
    """Start and end (exclusive) of the contiguous run with the largest sum."""
    best, best_span = 0.0, (0, 0)
    total, start = 0.0, 0
    for i, score in enumerate(scores):
        if total <= 0:
            total, start = 0.0, i
        total += score
        if total > best:
            best, best_span = total, (start, i + 1)
    return best_span


def _credit_kind(block: Block, text: str) -> str | None:
    if block.container in ("caption", "credit"):
        return block.container
    return _text_credit_kind(text) if len(text) <= 300 else None


@lru_cache(maxsize=LINES_REMEMBERED)
def _text_credit_kind(text: str) -> str | None:
    """The credit a line reads as by its text alone (remembered, as a site's credit lines recur)."""
    return next((kind for kind, test in _CREDIT_TESTS if test(text)), None)


_CREDIT_TESTS = tuple((kind, p.search if kind == "caption" else p.match) for kind, p in CREDIT_PATTERNS.items())
"""A caption may end a line; a byline or a dateline is the line."""


def _looks_like_title(text: str) -> bool:
    words = word_list(text)
    long_enough = len(words) >= 5 or (not text.isascii() and len(_HANGUL.findall(text)) >= 8)
    return long_enough and len(words) <= 40 and not text.rstrip().endswith(".")


def _article_run(blocks: Sequence[Block], scored: list[_Scored], settings: Settings) -> tuple[list[float], int, int]:
    """The scores as the run is chosen with them (prose past an end marker weighs less), and the
    article's run [start, end): the best run, cut before a second copy, widened to its container
    and to a closing list."""
    adjusted: list[float] = []
    after_end = False
    for item in scored:
        score = item.score
        if after_end and score > 0:  # past 'Latest Stories' & co: only full sentences may still be body
            score *= settings.after_end_factor
        adjusted.append(score)
        after_end = after_end or item.end_marker
    start, end = _best_run(adjusted)
    end = _second_copy(scored, start, end)
    start, end = _whole_container(blocks, scored, adjusted, start, end, settings.extractor_trim)
    if settings.closing_lists and start < end and not blocks[start].path:
        listed = _list_after(blocks, scored, end)
        for i in range(end, listed):
            adjusted[i] = max(adjusted[i], 0.1)
        end = listed
    return adjusted, start, end


def clean_blocks(
    blocks: Sequence[Block],
    rules: Sequence[Rule] | None = None,
    template: frozenset[int] = frozenset(),
    meta: dict[str, str] | None = None,
    settle: bool = True,
    settings: Settings = DEFAULT_SETTINGS,
) -> CleanedArticle:
    """Blocks to article: choose the body run, then sort out credits, captions and the title.
    Where the site template would swallow the article, it is cleaned as if there were no template
    (`template_swallowed`), from the same scores."""
    cleaned = _clean(blocks, rules, template, meta, settle, settings, fall_back=True)
    assert cleaned is not None
    return cleaned


def clean_with_template(
    blocks: Sequence[Block],
    rules: Sequence[Rule] | None = None,
    template: frozenset[int] = frozenset(),
    meta: dict[str, str] | None = None,
    settle: bool = True,
    settings: Settings = DEFAULT_SETTINGS,
) -> CleanedArticle | None:
    """`clean_blocks`, but None where the site template would swallow the article: an ingest
    that already holds the cleaning without the template learns it has nothing to redo without
    finishing a second one."""
    return _clean(blocks, rules, template, meta, settle, settings, fall_back=False)


def _clean(
    blocks: Sequence[Block],
    rules: Sequence[Rule] | None,
    template: frozenset[int],
    meta: dict[str, str] | None,
    settle: bool,
    settings: Settings,
    fall_back: bool,
) -> CleanedArticle | None:
    rules = load_rules() if rules is None else rules if isinstance(rules, RuleSet) else RuleSet(rules)
    meta = meta or {}
    scored = [_score(b, rules, template, settings) for b in blocks]
    adjusted, start, end = _article_run(blocks, scored, settings)
    swallowed = False
    if template:
        # Template evidence may trim an article, never swallow it: syndicated copies share prose.
        # A template line scored again without the template is its score with no template at
        # all (no boilerplate phrase matched it, or it would not have been a template line).
        plain = [_evidence_score(s.block, settings) if s.reason == TEMPLATE_REASON else s for s in scored]
        p_start, p_end = _best_run([s.score for s in plain])
        if sum(1 for i in range(start, end) if adjusted[i] > 0) * 2 < sum(
            1 for i in range(p_start, p_end) if plain[i].score > 0
        ):
            if not fall_back:
                return None
            scored, swallowed = plain, True
            adjusted, start, end = _article_run(blocks, scored, settings)

    removed: list[Removed] = []
    credits: list[Credit] = []
    kinds: list[str | None] = [None] * len(scored)  # each block's _credit_kind, for the title too
    paragraphs: list[str] = []
    seen: set[str] = set()
    shaky = False  # the body holds a line only its context kept: cleaning it again might drop it
    for i, item in enumerate(scored):
        text = item.block.text
        if not start <= i < end:
            where = "before" if i < start else "after"
            reason = item.reason or "prose outside the article's main run"
            kind = kinds[i] = _credit_kind(item.block, text)
            if kind:
                credits.append(Credit(kind, text))
                reason = kind
            removed.append(Removed(text, f"{reason} ({where} the article)"))
            continue
        kind = kinds[i] = _credit_kind(item.block, text)
        next_text = scored[i + 1].block.text if i + 1 < len(scored) else ""
        if kind is None and len(text) >= 20 and next_text.startswith(text) and next_text != text:
            kind = "caption"  # a truncated copy of the next line: alt text above its caption
        opens = not paragraphs and not (item.block.extracted and not _is_headline(text, meta))
        if kind is None and item.block.heading and opens:
            kind = "heading"
        if kind is None and item.reason.startswith("boilerplate phrase"):
            kind = item.reason
        if kind is None and ")" in text and _wire_credit().fullmatch(text):
            kind = "credit"
        if kind is None and line_key(text) in seen and not item.block.extracted:
            kind = "repeated line"
        bare = _wire_credit().sub("", text) if ")" in text else text  # judged as it will read once its credit goes
        if kind is None and opens and _looks_like_title(bare) and not _ends_sentence(bare):  # to the parser
            kind = "heading"  # a headline or deck line opening the run
        if kind:
            credits.append(Credit(kind, text))
            removed.append(Removed(text, kind))
            shaky = shaky or item.score > 0  # its weight chose the run, and it is not body
            continue
        if not paragraphs and item.score <= 0 and not item.block.extracted:
            removed.append(Removed(text, item.reason or "before the first sentence"))
            continue
        if settings.extractor_trim and item.block.extracted is False and item.score <= 0:
            removed.append(Removed(text, item.reason or EXTRACTOR_REASON))
            continue
        seen.add(line_key(text))
        paragraphs.append(text)
        shaky = shaky or item.score <= 0
    while paragraphs and adjusted[_index_of(scored, paragraphs[-1], start, end)] <= 0:
        text = paragraphs.pop()  # the run may end on a short line: that is furniture, not body
        removed.append(Removed(text, "short line after the last sentence"))
    paragraphs, moved = _strip_credits(paragraphs)
    credits.extend(moved)
    headings = [c.text for c in credits if c.kind == "heading"]
    above = start if start < end else len(blocks)
    title = _title(meta, blocks, above, scored, kinds) or (headings[0] if headings else None)
    if title and paragraphs and line_key(paragraphs[0]) == line_key(title):
        paragraphs.pop(0)
    if settle and shaky and not any(b.path for b in blocks):  # HTML evidence cannot be re-read from text
        paragraphs = _settled(paragraphs, rules, removed, settings)
    warnings = () if paragraphs else ("no article body found: the page looks like all boilerplate",)
    return CleanedArticle(
        title=title,
        paragraphs=tuple(paragraphs),
        removed=tuple(removed),
        credits=tuple(credits),
        page_text=tuple(b.text for b in blocks),
        meta=meta,
        warnings=warnings,
        template_swallowed=swallowed,
    )


SETTLE_PASSES = 3


def _settled(paragraphs: list[str], rules: RuleSet, removed: list[Removed], settings: Settings) -> list[str]:
    """A text dump's body as cleaning its own text would leave it, so that cleaning is
    idempotent: a short line kept only because the headline lent the run its weight goes now,
    not when an exported body is ingested again. Each pass only drops lines, so this ends."""
    for _ in range(SETTLE_PASSES):
        blocks = text_blocks("\n".join(paragraphs))
        again = list(clean_blocks(blocks, rules, settle=False, settings=settings).paragraphs)
        if again == paragraphs:
            break
        removed.extend(Removed(p, "dropped when the body is cleaned again") for p in paragraphs if p not in again)
        paragraphs = again
    return paragraphs


def _index_of(scored: Sequence[_Scored], text: str, start: int, end: int) -> int:
    for i in range(end - 1, start - 1, -1):
        if scored[i].block.text == text:
            return i
    return start


TITLE_KEYS = ("og:title", "ld:headline", "h1", "twitter:title", "title")


def _is_headline(text: str, meta: dict[str, str]) -> bool:
    """The page's own headline (the <title> may add the site's name to it)."""
    key = line_key(text)
    return bool(key) and any(key in line_key(meta[k]) for k in TITLE_KEYS if meta.get(k))


def _strip_credits(paragraphs: list[str]) -> tuple[list[str], list[Credit]]:
    """Move a wire credit at the end and a dateline credit at the start out of the body."""
    moved: list[Credit] = []
    if paragraphs:
        last = _wire_credit().search(paragraphs[-1])
        if last:
            moved.append(Credit("credit", last.group().strip()))
            paragraphs[-1] = paragraphs[-1][: last.start()].rstrip()
            if not paragraphs[-1]:
                paragraphs.pop()
    if paragraphs:
        lead = LEADING_DATELINE.match(paragraphs[0])
        if lead and (lead.group(2) or "/" in lead.group(1) or lead.group(1).isupper()):
            moved.append(Credit("dateline", lead.group().strip()))
            paragraphs[0] = paragraphs[0][lead.end() :]
    return paragraphs, moved


def _title(
    meta: dict[str, str],
    blocks: Sequence[Block],
    before: int,
    scored: Sequence[_Scored],
    kinds: Sequence[str | None],
) -> str | None:
    """The page's headline: HTML metadata first, else the first headline-like line of the
    `before` blocks above the body (`kinds`: each block's _credit_kind, found already)."""
    for key in TITLE_KEYS:
        if meta.get(key):
            return meta[key]
    for i in range(before):
        block = blocks[i]
        if scored[i].reason.startswith("boilerplate"):
            continue
        if block.container in ("nav", "footer", "aside", "form"):
            continue
        if kinds[i] is None and _looks_like_title(block.text):
            return block.text
    return None


def page_blocks(raw: RawDocument, tree: object | None = None) -> tuple[list[Block], dict[str, str]]:
    """Blocks and page metadata: one per line of a text dump, one per block element of HTML
    (`tree`: the page as blocks.html_tree parsed it, if the caller has; it is taken apart)."""
    if raw.kind == "html":
        return html_blocks(raw.text, tree)
    return text_blocks(raw.text), {}


def clean(
    raw: RawDocument,
    rules: Sequence[Rule] | None = None,
    template: frozenset[int] = frozenset(),
    settings: Settings = DEFAULT_SETTINGS,
) -> CleanedArticle:
    """A raw file's article: blocks from text or HTML, then one scoring model for both."""
    blocks, meta = page_blocks(raw)
    return clean_blocks(blocks, rules, template, meta, settings=settings)
