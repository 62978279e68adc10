"""One meeting, several sources: what they all say, what only one of them says, and which
alliance topics each raises.

Statements are the sentences of each source's cleaned body (a quotation spanning sentences stays
one statement), compared by TF-IDF cosine over the search analyzer's stems without function words.
Two statements of different sources are the same when the cosine reaches SAME_STATEMENT and the
guards of `agree` pass (negations, figures, the way a plan moves, the topic); a statement no other
source has a match for is "only" that source's.
Sources in different languages are not aligned with each other (their words cannot match), only
topics compare across languages.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from .errors import NotFound
from .models import Progress
from .packagedata import csv_rows, package_text
from .store import Store

SAME_STATEMENT = 0.35
"""Cosine at or above which two statements of different sources say the same thing, chosen by
bench/compare_threshold.py (best F0.5 on written paraphrase / near-miss pairs and on labelled
cross-source pairs of the dev articles; the README gives the held-out figures). Outlets word one
claim differently, so real paraphrases score far lower than the one-word near-misses the guards
in `agree` exist for."""
RELATED = 0.15
"""A statement only one source makes is shown with the other sources' closest one from this cosine
up: near enough that the reader may judge it the same claim in other words."""
MIN_CONTENT_TOKENS = 3
"""A statement needs this many content words to be compared ('(Yonhap)', 'END.' are not statements)."""
MAX_QUOTE_SENTENCES = 6
"""An opened quotation is closed after this many sentences at the latest (an unbalanced mark)."""
NEGATIONS = frozenset({"not", "no", "never", "nor", "without", "neither", "cannot"})
"""A negated word that the other statement asserts ('agreed not to expand' / 'agreed to expand'):
opposite claims, however many words they share."""
NEGATION_REACH = 3
"""How many words after 'not' it negates (the next content word within this many)."""
SIDES = {"US": "US", "KR": "ROK", "JP": "Japan"}
"""Outlet country (outlets.csv) -> the side a source speaks for; any other known country is 'other'."""
UNKNOWN_SIDE = "unknown"

DATELINE = re.compile(
    r"^(?:[A-Z][a-z]+/[A-Z]{2,}\s*:\s+"  # Seoul/UNI:
    r"|[A-Z][A-Z.'’ -]+(?:/[A-Z]+)?,?\s*(?:[A-Z][a-z]{2,8}\.? \d{1,2}\s*)?"  # SEOUL, Nov. 13
    r"(?:\([^()]{2,30}\)\s*)?(?:--|—|–|-|:)\s+)"  # (Yonhap) --
)
"""'SEOUL, Nov. 13 (Yonhap) --', 'WASHINGTON (AP) —', 'Seoul/UNI:': where the story was filed, not a claim."""
_ADDRESS = re.compile(r"\S+@\S+|https?://\S+|www\.\S+")
_ENDS_LIKE_A_SENTENCE = re.compile(r"[.!?:;…。다요]['\"’”)\]]*\s*$")
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
DIRECTIONS = {
    "up": "expand increase raise strengthen boost resume deepen enhance accelerate proceed go-ahead",
    "down": "reduce cut scale-back suspend delay postpone cancel halt downsize withdraw lower decrease freeze",
}
"""Words that move a plan one way: one statement expanding what the other scales back is a
contradiction (a '-' joins a two-word verb). Compared by stem."""
ORDINALS = {"first": "1", "second": "2", "third": "3", "fourth": "4", "fifth": "5", "sixth": "6", "seventh": "7"}
"""Ordinal words are figures too: 'the fourth meeting' and 'the third meeting' are different claims."""
_OPEN_QUOTES = re.compile(r"[“]")
_CLOSE_QUOTES = re.compile(r"[”]")


# -- statements -------------------------------------------------------------------------------
def _quote_open(text: str) -> bool:
    """Does the text leave a quotation open (an odd number of straight quotes, or more “ than ”)?"""
    return text.count('"') % 2 == 1 or len(_OPEN_QUOTES.findall(text)) > len(_CLOSE_QUOTES.findall(text))


def statements(body: str) -> list[str]:
    """The body's sentences, each with its closing quotation mark, a quotation that runs over
    several sentences kept as one statement."""
    from .parse.people import sentences

    out: list[str] = []
    for paragraph in body.split("\n\n"):
        paragraph = " ".join(paragraph.split())
        found = sentences(paragraph)
        starts, cursor = [], 0
        for sentence in found:  # back to the paragraph: the splitter drops a closing quote mark
            at = paragraph.find(sentence, cursor)
            starts.append(at if at >= 0 else cursor)
            cursor = starts[-1] + len(sentence)
        pieces = [paragraph[a:b].strip() for a, b in zip(starts, [*starts[1:], len(paragraph)], strict=True)]
        merged: list[str] = []
        held = 0
        for piece in pieces:
            if merged and held and _quote_open(merged[-1]) and held < MAX_QUOTE_SENTENCES:
                merged[-1] = f"{merged[-1]} {piece}"
                held += 1
            else:
                merged.append(piece)
                held = 1
        out += [m for m in merged if m]
    return out


@cache
def _function_words() -> frozenset[str]:
    from .clean import stopwords

    return stopwords() - NEGATIONS


@dataclass(frozen=True)
class Statement:
    """One statement of one source, with what similarity and the guards look at."""

    doc_id: str
    text: str
    stems: tuple[str, ...]
    words: tuple[tuple[str, str], ...]
    """(stem, word as written) of its content words, to show which of them other sources use."""
    negated: frozenset[str]
    """Stems of the content words a negation governs."""
    numbers: frozenset[str]
    directions: frozenset[str] = frozenset()
    """'up' / 'down': which way the plans it reports move (see DIRECTIONS)."""
    topics: frozenset[str] = frozenset()
    """The alliance topics (topics.csv) it is about."""


@cache
def _direction_stems() -> dict[tuple[str, ...], str]:
    from .index import tokens

    return {
        tuple(t.stem for t in tokens(word.replace("-", " "))): way
        for way, words in DIRECTIONS.items()
        for word in words.split()
    }


def _directions(stems: list[str]) -> frozenset[str]:
    found = set()
    for seq, way in _direction_stems().items():
        n = len(seq)
        if any(tuple(stems[i : i + n]) == seq for i in range(len(stems) - n + 1)):
            found.add(way)
    return frozenset(found)


def frame_stems(names: list[str]) -> frozenset[str]:
    """Stems of the participants' names and offices: every source repeats who met, so those words
    say nothing about what each source reports."""
    from .index import tokens

    return frozenset(t.stem for name in names for t in tokens(name))


def _statement(
    doc_id: str, text: str, frame: frozenset[str] = frozenset(), topics: tuple[Topic, ...] = ()
) -> Statement:
    from .index import tokens

    claim = DATELINE.sub("", text)
    found = tokens(claim)
    stops = _function_words()
    content = [
        (i, t)
        for i, t in enumerate(found)
        if t.exact not in stops
        and t.exact not in NEGATIONS
        and t.stem not in frame
        and (len(t.exact) > 1 or not t.exact.isascii())
    ]
    negators = [
        i
        for i, t in enumerate(found)
        if t.exact in NEGATIONS or (t.exact == "t" and claim[t.start - 1 : t.start] in "'’")  # don't, won't
    ]
    negated = frozenset(next((t.stem for j, t in content if i < j <= i + NEGATION_REACH), "") for i in negators) - {""}
    return Statement(
        doc_id,
        text,
        tuple(t.stem for _, t in content),
        tuple((t.stem, claim[t.start : t.end]) for _, t in content),
        negated,
        frozenset(_NUMBER.findall(claim)) | {ORDINALS[t.exact] for t in found if t.exact in ORDINALS},
        _directions([t.stem for t in found]),
        frozenset(_raised([t.stem for t in found], topics)),
    )


class _Vectors:
    """TF-IDF vectors of a set of statements, IDF counted over those statements (the meeting's own
    vocabulary: names every source repeats weigh little, the words that carry a claim weigh much)."""

    def __init__(self, items: list[Statement]) -> None:
        df = Counter(stem for s in items for stem in set(s.stems))
        n = len(items)
        self.idf = {stem: math.log((1 + n) / (1 + k)) + 1 for stem, k in df.items()}
        self.vectors = [self._vector(s) for s in items]

    def _vector(self, s: Statement) -> dict[str, float]:
        counts = Counter(s.stems)
        vec = {stem: (1 + math.log(k)) * self.idf.get(stem, 1.0) for stem, k in counts.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        return {stem: v / norm for stem, v in vec.items()}

    def cosine(self, i: int, j: int) -> float:
        a, b = self.vectors[i], self.vectors[j]
        if len(a) > len(b):
            a, b = b, a
        return sum(v * b.get(stem, 0.0) for stem, v in a.items())


def agree(a: Statement, b: Statement) -> bool:
    """The guards a bag of words cannot see: same polarity, no plans moving opposite ways, no
    figures that contradict, and a topic in common when both raise one."""
    if (a.negated - b.negated) & set(b.stems) or (b.negated - a.negated) & set(a.stems):
        return False
    if a.directions and b.directions and not (a.directions & b.directions):
        return False
    if a.topics and b.topics and not (a.topics & b.topics):
        return False  # about different alliance topics: not one statement, however it is phrased
    return not (a.numbers and b.numbers and not (a.numbers & b.numbers))


def similarities(items: list[Statement]) -> dict[tuple[int, int], float]:
    """Cosine of every pair of statements from different sources (0 when the guards disagree)."""
    vectors = _Vectors(items)
    out: dict[tuple[int, int], float] = {}
    for i, a in enumerate(items):
        for j in range(i + 1, len(items)):
            b = items[j]
            if a.doc_id != b.doc_id:
                out[(i, j)] = vectors.cosine(i, j) if agree(a, b) else 0.0
    return out


def pair_similarity(pairs: list[tuple[str, str, list[str]]]) -> list[float]:
    """The score compare gives each (a, b, participants) pair, IDF counted over all the pairs'
    sentences: how the threshold is chosen on labelled pairs."""
    topics = load_topics()
    items = [
        _statement(f"{side}{k}", text, frame_stems(names), topics)
        for k, (a, b, names) in enumerate(pairs)
        for side, text in (("a", a), ("b", b))
    ]
    vectors = _Vectors(items)
    return [
        vectors.cosine(2 * k, 2 * k + 1) if agree(items[2 * k], items[2 * k + 1]) else 0.0 for k in range(len(pairs))
    ]


# -- topics -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Topic:
    name: str
    short: str
    terms: tuple[tuple[tuple[str, ...], ...], ...]
    """Each term: the stem sequences that must all occur in one sentence."""


def _stems(phrase: str) -> tuple[str, ...]:
    from .index import tokens

    return tuple(t.stem for t in tokens(phrase))


@cache
def _topics(extra: str = "") -> tuple[Topic, ...]:
    texts = [package_text("topics.csv")]
    if extra:
        texts.append(Path(extra).read_text("utf-8-sig"))
    topics: dict[str, Topic] = {}
    for text in texts:
        for row in csv_rows(text):
            name = (row.get("topic") or "").strip()
            if not name:
                continue
            terms = tuple(
                tuple(stems for part in term.split(" + ") if (stems := _stems(part)))
                for term in (row.get("terms") or "").split(";")
                if term.strip()
            )
            topics[name] = Topic(name, (row.get("short") or "").strip() or name, tuple(t for t in terms if t))
    return tuple(topics.values())


def load_topics(data_dir: Path | None = None) -> tuple[Topic, ...]:
    """The shipped vocabulary, extended (or overridden topic by topic) by DATA/topics.csv."""
    user = data_dir / "topics.csv" if data_dir else None
    return _topics(str(user) if user and user.is_file() else "")


def _has(sequence: tuple[str, ...], stems: list[str]) -> bool:
    n = len(sequence)
    return any(stems[i : i + n] == list(sequence) for i in range(len(stems) - n + 1) if stems[i] == sequence[0])


def _raised(stems: list[str], topics: tuple[Topic, ...]) -> list[str]:
    """The topics one sentence's stems raise."""
    return [t.name for t in topics if any(all(_has(seq, stems) for seq in term) for term in t.terms)]


def topics_in(texts: list[str], topics: tuple[Topic, ...]) -> dict[str, str]:
    """Topic name -> the first statement that raises it."""
    from .index import tokens

    found: dict[str, str] = {}
    for text in texts:
        for name in _raised([t.stem for t in tokens(text)], topics):
            found.setdefault(name, text)
    return found


# -- sources ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class SourceInfo:
    """One article reporting the meeting, as the comparison shows it."""

    doc_id: str
    outlet: str | None
    wire: str | None
    side: str
    country: str | None
    format: str | None
    published: str | None
    title: str | None
    lang: str
    copy_of: str | None


def side_of(outlet: str | None, wire: str | None, data_dir: Path | None = None) -> tuple[str, str | None]:
    """(side, country) of a source: its outlet's country in outlets.csv (a ministry's is its
    government's); else, when outlets.csv does not know the outlet or its country, the country of
    the wire whose copy it carries; 'other' for a known outlet of no country, else 'unknown'."""
    from .outlets import normalise, outlet_table

    table = outlet_table(data_dir)
    known = [source for name in (outlet, wire) if name and (source := normalise(name, table))]
    placed = next((source for source in known if source.country), None)
    if placed and placed.country:
        return SIDES.get(placed.country, "other"), placed.country
    return ("other" if known else UNKNOWN_SIDE), None


def _source(doc: dict[str, Any], data_dir: Path | None) -> SourceInfo:
    side, country = side_of(doc["outlet"], doc["wire"], data_dir)
    return SourceInfo(
        doc["doc_id"],
        doc["outlet"],
        doc["wire"],
        side,
        country,
        doc["format"],
        doc["published"],
        doc["title"],
        doc["lang"] or "en",
        doc["copy_of"],
    )


def label(source: SourceInfo) -> str:
    """'Yonhap (ROK)': how a source is named in tables and reports."""
    return f"{source.outlet or source.wire or source.doc_id} ({source.side})"


# -- comparison -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Shared:
    """A statement several sources carry: each source's own wording."""

    sources: tuple[str, ...]
    versions: dict[str, str]
    carried_by: str
    """'all' the compared sources, 'most' of them, or 'some'."""
    similarity: float
    """The lowest cosine that joined it (how loose the paraphrase is)."""


@dataclass(frozen=True)
class OnlyHere:
    """A statement only one source makes, with the nearest other-source statement for checking."""

    text: str
    nearest: str | None
    nearest_source: str | None
    nearest_similarity: float
    elsewhere: tuple[str, ...] = ()
    """Its content words that other sources also use somewhere (the rest is what only it says)."""


@dataclass(frozen=True)
class Comparison:
    event_id: str
    date: str | None
    participants: tuple[str, ...]
    sources: tuple[SourceInfo, ...]
    comparable: bool
    note: str | None
    threshold: float
    shared: tuple[Shared, ...] = ()
    only: dict[str, tuple[OnlyHere, ...]] = field(default_factory=dict)
    not_aligned: dict[str, str] = field(default_factory=dict)
    """doc_id -> why its statements were not compared (a copy, the only source in its language)."""
    topics: dict[str, dict[str, str | None]] = field(default_factory=dict)
    """topic -> doc_id -> the statement raising it (None: the source does not mention it)."""

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["participants"] = list(self.participants)
        data["shared"] = [
            {**asdict(s), "sources": list(s.sources), "text": next(iter(s.versions.values()))} for s in self.shared
        ]
        data["only"] = {doc: [asdict(o) for o in items] for doc, items in self.only.items()}
        data["topics"] = [
            {"topic": topic, "sources": {doc: text is not None for doc, text in by_doc.items()}, "evidence": by_doc}
            for topic, by_doc in self.topics.items()
        ]
        return data

    def topic_lines(self) -> list[str]:
        """'Taiwan Strait: U.S. Department of State (US) yes, Yonhap (ROK) no' for each topic."""
        names = {s.doc_id: label(s) for s in self.sources}
        return [
            f"{topic}: " + ", ".join(f"{names[doc]} {'yes' if text else 'no'}" for doc, text in by_doc.items())
            for topic, by_doc in self.topics.items()
        ]


class _Components:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        self.parent[self.find(i)] = self.find(j)


def _meeting(store: Store, event_id: str) -> dict[str, Any]:
    from .meetings import list_meetings

    found = next((m for m in list_meetings(store) if m["event_id"] == event_id), None)
    if found is None:
        raise NotFound(f"no meeting '{event_id}' in the index (see `alliance meetings`)")
    return found


def _documents(store: Store, doc_ids: list[str]) -> list[dict[str, Any]]:
    return [d for d in (store.document(i) for i in doc_ids) if d]


def source_statements(
    bodies: dict[str, str], frame: frozenset[str] = frozenset(), topics: tuple[Topic, ...] | None = None
) -> list[Statement]:
    """Every comparable statement of every body (doc_id -> cleaned body), in order."""
    vocabulary = load_topics() if topics is None else topics
    return [
        s
        for doc, body in bodies.items()
        for text in statements(body)
        if _prose(text) and len((s := _statement(doc, text, frame, vocabulary)).stems) >= MIN_CONTENT_TOKENS
    ]


MIN_FUNCTION_WORDS = 1
"""Function words a statement needs outside its addresses and links. One: the stopword lists of many
languages hold short tokens of addresses ('co' is Polish), so those are taken out first instead of
asking for two, which would drop a short real sentence ('Pyongyang rejects the finding.')."""


def _prose(text: str) -> bool:
    """A statement ends like a sentence (a tag list or a line of links does not) and has function
    words outside its e-mail addresses and links ('(Yonhap) kim@yna.co.kr' has none); Hangul is
    not checked for those: its particles are glued to the words."""
    from .index import tokens

    if not _ENDS_LIKE_A_SENTENCE.search(text):
        return False
    if _HANGUL.search(text):
        return True
    stops = _function_words()
    words = tokens(_ADDRESS.sub(" ", text))
    return sum(t.exact in stops or t.exact in NEGATIONS for t in words) >= MIN_FUNCTION_WORDS


def align(
    bodies: dict[str, str],
    threshold: float = SAME_STATEMENT,
    frame: frozenset[str] = frozenset(),
    topics: tuple[Topic, ...] | None = None,
) -> tuple[list[Shared], dict[str, list[OnlyHere]]]:
    """Statements shared by several sources and those only one makes, for doc_id -> cleaned body;
    `frame` holds the stems of who met (see frame_stems), which count for nothing."""
    items = source_statements(bodies, frame, topics)
    used: dict[str, set[str]] = defaultdict(set)
    for item in items:
        used[item.doc_id].update(item.stems)
    scores = similarities(items)
    parts = _Components(len(items))
    nearest: dict[int, tuple[float, int]] = {}
    for (i, j), score in scores.items():
        for a, b in ((i, j), (j, i)):
            if score > nearest.get(a, (-1.0, -1))[0]:
                nearest[a] = (score, b)
        if score >= threshold:
            parts.union(i, j)
    members: dict[int, list[int]] = defaultdict(list)
    for i in range(len(items)):
        members[parts.find(i)].append(i)
    order = list(bodies)
    shared: list[Shared] = []
    only: dict[str, list[OnlyHere]] = {doc: [] for doc in bodies}
    for group in sorted(members.values(), key=min):
        docs = sorted({items[i].doc_id for i in group}, key=order.index)
        if len(docs) == 1:
            for i in group:
                score, other = nearest.get(i, (0.0, -1))
                others = set().union(*(stems for doc, stems in used.items() if doc != docs[0]))
                seen = tuple(dict.fromkeys(word for stem, word in items[i].words if stem in others))
                only[docs[0]].append(
                    OnlyHere(
                        items[i].text,
                        items[other].text if other >= 0 else None,
                        items[other].doc_id if other >= 0 else None,
                        round(max(score, 0.0), 3),
                        seen,
                    )
                )
            continue
        versions: dict[str, list[str]] = defaultdict(list)
        for i in group:
            versions[items[i].doc_id].append(items[i].text)
        links = [scores.get((min(i, j), max(i, j)), 0.0) for i in group for j in group if i < j]
        joined = [s for s in links if s >= threshold]
        carried = "all" if len(docs) == len(bodies) else "most" if len(docs) > len(bodies) / 2 else "some"
        shared.append(
            Shared(
                tuple(docs),
                {doc: " … ".join(versions[doc]) for doc in docs},
                carried,
                round(min(joined), 3) if joined else 0.0,
            )
        )
    return shared, only


def comparable_groups(sources: tuple[SourceInfo, ...]) -> tuple[list[list[SourceInfo]], dict[str, str]]:
    """The sources whose statements are aligned with each other (originals in one language), and
    why each other source is left out: a syndicated copy repeats its original, and words cannot
    match across languages (topics still compare, their terms are in both)."""
    ids = {s.doc_id for s in sources}
    not_aligned = {s.doc_id: f"a copy of {s.copy_of}" for s in sources if s.copy_of in ids}
    by_lang: dict[str, list[SourceInfo]] = defaultdict(list)
    for s in sources:
        if s.doc_id not in not_aligned:
            by_lang[s.lang].append(s)
    originals = sum(len(group) for group in by_lang.values())
    for lang, group in by_lang.items():
        if len(group) == 1 and originals > 1:
            not_aligned[group[0].doc_id] = f"the only source in '{lang}': its statements cannot be matched by words"
    return [group for group in by_lang.values() if len(group) > 1], not_aligned


def compare_meeting(
    store: Store, event_id: str, threshold: float = SAME_STATEMENT, data_dir: Path | None = None
) -> Comparison:
    """Compare the sources of one meeting (raises NotFound for an unknown id)."""
    data_dir = data_dir or store.data_dir
    meeting = _meeting(store, event_id)
    docs = _documents(store, meeting["documents"])
    sources = tuple(_source(d, data_dir) for d in docs)
    participants = tuple(p["name"] for p in meeting["participants"])
    topics = load_topics(data_dir)
    found = {d["doc_id"]: topics_in(statements(d["body"]), topics) for d in docs}
    topic_rows = {
        t.name: {d["doc_id"]: found[d["doc_id"]].get(t.name) for d in docs}
        for t in topics
        if any(t.name in f for f in found.values())
    }
    base = {
        "event_id": event_id,
        "date": meeting["date"],
        "participants": participants,
        "sources": sources,
        "threshold": threshold,
        "topics": topic_rows,
    }
    groups, not_aligned = comparable_groups(sources)
    if len(sources) - sum(s.copy_of in {x.doc_id for x in sources} for s in sources) < 2:
        note = "one source: nothing to compare" if len(sources) == 1 else "all sources are copies of one story"
        return Comparison(**base, comparable=False, note=note, not_aligned=not_aligned)
    bodies = {d["doc_id"]: d["body"] for d in docs}
    frame = frame_stems([f"{p['name']} {p['office'] or ''}" for p in meeting["participants"]])
    shared: list[Shared] = []
    only: dict[str, tuple[OnlyHere, ...]] = {}
    for group in groups:
        got_shared, got_only = align({s.doc_id: bodies[s.doc_id] for s in group}, threshold, frame, topics)
        shared += got_shared
        only.update({doc: tuple(items) for doc, items in got_only.items()})
    remark = None if only else "no two sources share a language: only topics are compared"
    return Comparison(**base, comparable=True, note=remark, shared=tuple(shared), only=only, not_aligned=not_aligned)


@dataclass(frozen=True)
class GridRow:
    event_id: str
    date: str | None
    sources: tuple[SourceInfo, ...]
    topics: dict[str, tuple[str, ...]]
    """topic -> the sides whose sources raise it."""


def topic_grid(
    store: Store,
    minister: str,
    since: date | None = None,
    until: date | None = None,
    progress: Progress | None = None,
    data_dir: Path | None = None,
) -> list[GridRow]:
    """Every meeting of an official (canonical name), with which sides raised which topics."""
    from .meetings import find_meetings

    data_dir = data_dir or store.data_dir
    topics = load_topics(data_dir)
    meetings = find_meetings(store, minister, since=since, until=until)
    rows = []
    for done, meeting in enumerate(meetings, 1):
        docs = _documents(store, meeting["documents"])
        sources = tuple(_source(d, data_dir) for d in docs)
        sides: dict[str, set[str]] = defaultdict(set)
        for doc, source in zip(docs, sources, strict=True):
            for topic in topics_in(statements(doc["body"]), topics):
                sides[topic].add(source.side)
        order = [t.name for t in topics]
        rows.append(
            GridRow(
                meeting["event_id"],
                meeting["date"] or (meeting["window"] or [None])[0],
                sources,
                {t: tuple(sorted(sides[t])) for t in sorted(sides, key=order.index)},
            )
        )
        if progress:
            progress(done, len(meetings), f"topics of {meeting['event_id']}")
    return rows


def grid_to_dict(minister: str, rows: list[GridRow]) -> dict[str, Any]:
    return {
        "minister": minister,
        "meetings": [{**asdict(r), "topics": {t: list(s) for t, s in r.topics.items()}} for r in rows],
    }


# -- reports ----------------------------------------------------------------------------------
def _md_cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def to_markdown(c: Comparison) -> str:
    """The comparison as a Markdown report an analyst pastes into a memo."""
    names = {s.doc_id: label(s) for s in c.sources}
    lines = [
        f"# {c.event_id}",
        "",
        f"{c.date or 'undated'} · {', '.join(c.participants)}",
        "",
        "| source | side | format | published | document |",
        "|---|---|---|---|---|",
        *(
            f"| {_md_cell(s.outlet or s.wire or '-')} | {s.side} | {s.format or '-'} | {s.published or '-'} | "
            f"`{s.doc_id}`{' (' + c.not_aligned[s.doc_id] + ')' if s.doc_id in c.not_aligned else ''} |"
            for s in c.sources
        ),
        "",
    ]
    if c.note:
        lines += [f"*{c.note}*", ""]
    if c.topics:
        lines += ["## Topics", "", "| topic | " + " | ".join(names[s.doc_id] for s in c.sources) + " |"]
        lines.append("|---|" + "---|" * len(c.sources))
        for topic, by_doc in c.topics.items():
            cells = " | ".join("yes" if by_doc.get(s.doc_id) else "no" for s in c.sources)
            lines.append(f"| {topic} | {cells} |")
        lines.append("")
    if c.shared:
        lines += ["## Said by several sources", ""]
        for item in c.shared:
            who = ", ".join(names[d] for d in item.sources)
            lines.append(f"- **{item.carried_by}** ({who}):")
            lines += [f"  - {names[d]}: {_md_cell(text)}" for d, text in item.versions.items()]
        lines.append("")
    for doc, items in c.only.items():
        lines += [f"## Only {names[doc]}", ""]
        for o in items:
            lines.append(f"- {_md_cell(o.text)}")
            if o.nearest and o.nearest_source and o.nearest_similarity >= RELATED:
                where = f"{names[o.nearest_source]} ({o.nearest_similarity})"
                lines.append(f"  - *closest in {where}: {_md_cell(o.nearest)}*")
        if not items:
            lines.append("- (nothing the others do not also say)")
        lines.append("")
    lines.append(f"*Same statement: TF-IDF cosine ≥ {c.threshold} over stemmed content words.*")
    return "\n".join(lines) + "\n"


def grid_topics(rows: list[GridRow], data_dir: Path | None = None) -> list[str]:
    """The topics any of the rows raises, in the vocabulary's order."""
    used = {t for r in rows for t in r.topics}
    return [t.name for t in load_topics(data_dir) if t.name in used]


def grid_markdown(minister: str, rows: list[GridRow], data_dir: Path | None = None) -> str:
    topics = grid_topics(rows, data_dir)
    lines = [
        f"# Topics raised in {minister}'s meetings",
        "",
        "| date | meeting | sources | " + " | ".join(topics) + " |",
        "|---|---|---|" + "---|" * len(topics),
    ]
    for r in rows:
        sources = ", ".join(label(s) for s in r.sources)
        cells = " | ".join(" ".join(r.topics.get(t, ())) or "-" for t in topics)
        lines.append(f"| {r.date or 'undated'} | `{r.event_id}` | {_md_cell(sources)} | {cells} |")
    lines += ["", "Cells name the sides (by outlet country) whose sources mention the topic."]
    return "\n".join(lines) + "\n"
