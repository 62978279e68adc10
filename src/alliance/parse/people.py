"""Officials named in an article, and which of them took part in the meeting it reports."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache

from ..models import PersonRef
from ..roster import Official, Roster

TITLES = (
    r"(?:acting\s+|vice\s+|deputy\s+|former\s+|incoming\s+|outgoing\s+)?"
    r"(?:(?:defen[cs]e|foreign|prime|unification|national defen[cs]e)\s+minister|minister(?:\s+of\s+[A-Z][\w ]{3,30}?(?=\s[A-Z]))?"
    r"|(?:defen[cs]e|state)\s+secretary|secretary(?:\s+of\s+(?:defen[cs]e|state|war))?"
    r"|president|premier|chancellor|ambassador|envoy|gen\.|general|adm\.|admiral|lt\.\s*gen\.|chairman|commander|spokesperson|spokesman)"
)
"""Titles that introduce an official; a capitalised name after one is a person even if unknown."""
TITLE_CUES = [
    "acting",
    "vice",
    "deputy",
    "former",
    "incoming",
    "outgoing",
    "defen",
    "foreign",
    "prime",
    "unification",
    "national",
    "minister",
    "state",
    "secretary",
    "president",
    "premier",
    "chancellor",
    "ambassador",
    "envoy",
    "gen",
    "adm",
    "lt",
    "chairman",
    "commander",
    "spokes",
]
"""Lower-case beginnings of every way TITLES can start: a titled name is only looked for where one occurs."""
TITLED_NAME = re.compile(
    rf"\b(?P<title>(?i:{TITLES}))\s+(?P<name>[A-Z][a-z]+(?:[ -][A-Z][a-z]+){{0,2}}|[A-Z][a-z]+(?:\s[A-Z]\.)?\s[A-Z][a-z]+)(?![\w-])",
)
ABBREVIATIONS = (
    *["Mr", "Mrs", "Ms", "Dr", "Gen", "Lt", "Col", "Adm", "Sgt", "St", "No", "Jr", "Sr", "Gov", "Sen", "Rep"],
    *["Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "vs", "etc"],
    "U.S",
    "U.K",
    "S",
    "N",
)
"""Words a full stop follows without ending the sentence (besides a lone capital, 'Lloyd J.')."""
_ABBREVIATION = re.compile(rf"(?:\b[A-Z]|\b(?:{'|'.join(map(re.escape, ABBREVIATIONS))}))\.$")
ABBREVIATION_TAIL = max(map(len, ABBREVIATIONS)) + 3
"""An abbreviation, its full stop and the character before it (for its \\b): the end of a
sentence that may hold one, so the test reads a sentence's tail, not all of it."""
_SENTENCE_BREAK = re.compile(r"[.!?](?P<gap>[\"'”’)]*\s+)(?=[\"“‘(]?[A-Z0-9\uac00-\ud7a3])")
"""The gap after a sentence's end ('gap'): the end mark is matched, not looked behind for, so re
scans for it instead of trying every position."""


_CONTINUES = re.compile(r"(?:\b[a-z][\w’'-]*|,)\s*$")
_ENDS = re.compile(r"[.!?:\"'”’)\]]\s*$|[다요]\s*$")


def rejoin(paragraphs: tuple[str, ...] | list[str]) -> list[str]:
    """Paragraphs a page broke mid-sentence ('Bonnie Jenkins, the' / 'State Department's ...')
    joined again, so a sentence's officials are read together."""
    out: list[str] = []
    for paragraph in paragraphs:
        if out and not _ENDS.search(out[-1]) and (_CONTINUES.search(out[-1]) or paragraph[:1].islower()):
            out[-1] = f"{out[-1].rstrip()} {paragraph.lstrip()}"
        else:
            out.append(paragraph)
    return out


def sentences(text: str) -> list[str]:
    """Split prose into sentences without breaking after 'U.S.', 'Lloyd J.' or 'Gen.'."""
    out: list[str] = []
    for paragraph in text.split("\n"):
        start = 0
        for m in _SENTENCE_BREAK.finditer(paragraph):
            end = m.start("gap")
            if _ABBREVIATION.search(paragraph[start:end].rstrip("\"'”’)")[-ABBREVIATION_TAIL:]):
                continue
            out.append(paragraph[start:end].strip())
            start = m.end()
        if paragraph[start:].strip():
            out.append(paragraph[start:].strip())
    return out


@dataclass(frozen=True)
class Mention:
    official: Official | None
    name: str
    office: str | None
    country: str | None
    surface: str
    start: int
    end: int


_LATIN_WORD = re.compile(r"[A-Za-z\u00c0-\u024f]+")


def _separator_pattern(variant: str) -> str:
    tokens = _LATIN_WORD.findall(variant)
    return r"[\s.\-‐]*".join(re.escape(t) for t in tokens)


def _variants(official: Official) -> list[str]:
    return sorted({official.name, *official.aliases}, key=len, reverse=True)


@cache
def _official_pattern(official: Official) -> re.Pattern[str]:
    """The official's regex, compiled the first time a text holds one of its cues: most of the
    roster is never named in an ingest, and compiling every pattern up front was 8 % of the
    instructions of a worker's first 60 near-duplicate pages."""
    latin = [_separator_pattern(v) for v in _variants(official)]
    hangul = [re.escape(h) for h in official.hangul]
    parts = [rf"(?<![\w-])(?:{'|'.join(latin)})(?![\w-])", *hangul]
    return re.compile("|".join(parts), re.I)


def _official_cues(official: Official) -> frozenset[str]:
    """What a text must contain for the official's pattern to match (besides a Hangul form): one
    of the variants' first words. Checking those first skips most officials for most texts."""
    return frozenset(words[0] for v in _variants(official) if (words := _LATIN_WORD.findall(v.lower())))


@dataclass(frozen=True)
class _RosterPatterns:
    """Every official's pattern and cues, in roster order, with the officials each cue word
    leads to: a text is tried only against the officials its own words (or Hangul) name,
    instead of testing all of the roster's cues against every text."""

    entries: tuple[tuple[Official, frozenset[str]], ...]
    """Each official with its cues (its pattern is compiled when first needed)."""
    by_cue: dict[str, tuple[int, ...]]
    hangul: tuple[tuple[int, tuple[str, ...]], ...]
    """Officials with Hangul forms, and those forms."""
    latin_only: dict[int, tuple[str, ...]]
    """Of those, the forms that need no Hangul syllable in the text (rare: '조지 W. 부시' needs one):
    all a text without Hangul can hold."""
    by_surname: dict[str, tuple[Official, ...]]
    """Lower-cased surname -> its officials, in roster order."""


@cache
def _roster_patterns(roster: Roster) -> _RosterPatterns:
    entries = tuple((o, _official_cues(o)) for o in roster)
    by_cue: dict[str, list[int]] = {}
    for i, (_, cues) in enumerate(entries):
        for cue in cues:
            by_cue.setdefault(cue, []).append(i)
    with_hangul = tuple((i, o.hangul) for i, o in enumerate(roster) if o.hangul)
    plain = {i: kept for i, h in with_hangul if (kept := tuple(f for f in h if not _HANGUL_CHAR.search(f)))}
    by_surname: dict[str, list[Official]] = {}
    for official in roster:
        by_surname.setdefault(official.surname.lower(), []).append(official)
    return _RosterPatterns(
        entries,
        {c: tuple(ix) for c, ix in by_cue.items()},
        with_hangul,
        plain,
        {name: tuple(officials) for name, officials in by_surname.items()},
    )


@lru_cache(maxsize=1024)
def _surname_pattern(surname: str) -> re.Pattern[str]:
    """The surname alone, not inside a word nor before a given name ('Kim Jong-un'). The literal
    comes first and the test of the character before it after, so re scans for the literal."""
    name = re.escape(surname)
    return re.compile(rf"{name}(?<![\w-]{name})(?![\w-])(?!\s+[A-Z][a-z]+-[a-z])")


class _Spans:
    """The spans of the mentions found so far, which never overlap one another: whether a new
    one overlaps any of them is a bisection, not a scan of every mention."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.sorted_ends = True
        """Disjoint non-empty spans sorted by start are sorted by end too; an empty one may break that."""

    def add(self, start: int, end: int) -> None:
        at = bisect_left(self.starts, start)
        self.starts.insert(at, start)
        self.ends.insert(at, end)
        self.sorted_ends = self.sorted_ends and start < end

    def taken(self, start: int, end: int) -> bool:
        """Whether some span overlaps [start, end): only the last one starting before `end`
        can reach past `start`, when the ends are sorted."""
        at = bisect_left(self.starts, end)
        if not self.sorted_ends:
            return any(start < e and s < end for s, e in zip(self.starts[:at], self.ends[:at], strict=True))
        return at > 0 and self.ends[at - 1] > start


class _CuePlaces:
    """Where cues occur in a lower-cased text, each cue looked for once: officials share cue
    words ('kim' leads to dozens), and str.find is far cheaper than a regex scan."""

    def __init__(self, lowered: str) -> None:
        self.lowered = lowered
        self.words = set(_LATIN_WORD.findall(lowered))
        self._found: dict[str, list[int]] = {}

    def of(self, cue: str) -> list[int]:
        places = self._found.get(cue)
        if places is None:
            places, at = [], self.lowered.find(cue)
            while at >= 0:
                places.append(at)
                at = self.lowered.find(cue, at + 1)
            self._found[cue] = places
        return places


def _matches(pattern: re.Pattern[str], text: str, places: _CuePlaces, cues: Iterable[str]) -> list[re.Match[str]]:
    """pattern.finditer(text), trying only where one of its cues occurs: every match of the
    pattern starts with one of them, and a regex scan of the whole text for each official costs
    far more. A rare case-fold that changes the text's length would shift the offsets: then
    the whole text is scanned."""
    if len(places.lowered) != len(text):
        return list(pattern.finditer(text))
    found, end = [], 0
    for start in sorted({at for cue in cues for at in places.of(cue)}):
        m = pattern.match(text, start) if start >= end else None
        if m:
            found.append(m)
            end = m.end()
    return found


def find_people(text: str, roster: Roster, day: date | None) -> list[Mention]:
    """Every official the text names, by full name, Hangul, surname after a full name or a title,
    and unknown people introduced with a title; in text order."""
    found: list[Mention] = []
    spans = _Spans()
    taken = spans.taken

    def add(mention: Mention) -> None:
        found.append(mention)
        spans.add(mention.start, mention.end)

    places = _CuePlaces(text.lower())
    patterns = _roster_patterns(roster)
    candidates = {i for word in places.words & patterns.by_cue.keys() for i in patterns.by_cue[word]}
    has_hangul = _HANGUL_CHAR.search(text) is not None
    for i, forms in patterns.hangul if has_hangul else patterns.latin_only.items():
        if i not in candidates and any(h in text for h in forms):
            candidates.add(i)
    for i in sorted(candidates):  # roster order: a longer Hangul form claims its text first
        official, cues = patterns.entries[i]
        forms = official.hangul if has_hangul else patterns.latin_only.get(i, ())
        for m in _matches(_official_pattern(official), text, places, (*cues, *forms)):
            if not taken(m.start(), m.end()):
                before = _title_before(text, m.start())
                add(_mention(official, day, m.group(), m.start(), m.end(), before))
    named = {m.official.name: m.official for m in found if m.official}
    by_surname: dict[str, list[Official]] = {}
    for official in named.values():
        by_surname.setdefault(official.surname.lower(), []).append(official)
    for officials in by_surname.values():
        if len(officials) != 1:
            continue  # 'Kim' after Kim Jong-un and Kim Seon-ho: nobody can tell which
        for m in _surname_pattern(officials[0].surname).finditer(text):
            if not taken(m.start(), m.end()):
                add(_mention(officials[0], day, m.group(), m.start(), m.end()))
    for m in _matches(TITLED_NAME, text, places, TITLE_CUES):
        start, end = m.start("name"), m.end("name")
        if taken(start, end):
            continue
        surname_hits = _titled_surname(m.group("name"), roster, day)
        if surname_hits:
            add(_mention(surname_hits, day, m.group("name"), start, end))
        elif " " in m.group("name").strip() or "-" in m.group("name"):
            title = re.sub(r"\s+", " ", m.group("title")).strip()
            add(
                Mention(
                    None,
                    m.group("name"),
                    title[0].upper() + title[1:],
                    None,
                    m.group("name"),
                    start,
                    end,
                )
            )
    if has_hangul:
        found.extend(_hangul_titled(text, taken))
    return sorted(found, key=lambda m: m.start)


_HANGUL_CHAR = re.compile(r"[\uac00-\ud7a3]")
HANGUL_TITLES = (
    ("대통령", "President"),
    ("부통령", "Vice President"),
    ("총리", "Prime Minister"),
    ("국방부 장관", "Minister of National Defense"),
    ("국방장관", "Minister of National Defense"),
    ("외교부 장관", "Minister of Foreign Affairs"),
    ("외교장관", "Minister of Foreign Affairs"),
    ("국무장관", "Secretary of State"),
    ("통일부 장관", "Minister of Unification"),
    ("차관", "Vice Minister"),
    ("장관", "Minister"),
    ("국가안보실장", "Director of National Security"),
    ("안보실장", "Director of National Security"),
    ("국가안보보좌관", "National Security Advisor"),
    ("대사", "Ambassador"),
    ("사령관", "Commander"),
)
"""Korean titles after a name, longest first, and the English office they stand for."""
HANGUL_COUNTRIES = {"미국": "US", "미": "US", "일본": "JP", "한국": "KR", "중국": "CN", "북한": "KP"}
_HANGUL_ORG = "국방부|외교부|통일부|국무부|미국|일본|한국|중국|북한|전|현|신임|차기"
HANGUL_TITLED = re.compile(
    rf"(?<![\uac00-\ud7a3])(?P<name>(?:(?!(?:{_HANGUL_ORG}) )[\uac00-\ud7a3]{{1,4}} )?(?!(?:{_HANGUL_ORG}) )[\uac00-\ud7a3]{{2,5}})"
    rf" +(?:(?P<country>{'|'.join(HANGUL_COUNTRIES)}) +)?"
    rf"(?P<title>{'|'.join(re.escape(t) for t, _ in HANGUL_TITLES)})"
)
"""'김관진 국방부 장관', '척 헤이글 미국 국방장관': a Hangul name the roster lacks, with its title."""


FOREIGN_OFFICES = {
    ("US", "Minister of National Defense"): "Secretary of Defense",
    ("US", "Minister of Foreign Affairs"): "Secretary of State",
    ("US", "Minister"): "Secretary",
    ("JP", "Minister of National Defense"): "Minister of Defense",
    ("JP", "Minister of Foreign Affairs"): "Minister for Foreign Affairs",
}
"""'미국 국방장관' is the Secretary of Defense: Korean titles name other countries' offices by Korea's."""
KOREAN_SURNAMES = frozenset(
    "김이박최정강조윤장임한오서신권황안송류홍전고문손양배백허남심노하곽성차주우구민유나진지엄채원천방공현함변염여추도소석선설길연위표명기반왕금옥육인맹제모탁국어은편용예경봉사부가복태목형피두감음빈동온호범좌팽승간상갈시견당화계창"
)
"""Korean family names: a three-syllable Hangul name before a title starts with one."""
HANGUL_CLAUSE_ENDINGS = frozenset("은는이가을를의에한된던날로와과도")
"""Endings of a Hangul word that modifies the name after it rather than being a given name."""


def _hangul_titled(text: str, taken: Callable[[int, int], bool]) -> list[Mention]:
    """Officials a Korean page introduces with a title whom the roster does not list in Hangul."""
    offices = dict(HANGUL_TITLES)
    out = []
    for m in HANGUL_TITLED.finditer(text):
        start, end = m.start("name"), m.end("name")
        name = m.group("name")
        given, _, family = name.rpartition(" ")
        if taken(start, end) or len(name.replace(" ", "")) < 3:
            continue  # '정 장관' alone is a surname reference, not a name
        if given and given[-1] in HANGUL_CLAUSE_ENDINGS:
            continue  # '취임한 에스퍼 장관': a clause before a surname, not a given name
        if not given and not (len(family) == 3 and family[0] in KOREAN_SURNAMES):
            continue  # '헤이글 장관': a foreigner's family name alone, already named in full
        country = HANGUL_COUNTRIES.get(m.group("country") or "") or ("KR" if " " not in m.group("name") else None)
        office = offices[m.group("title")]
        office = FOREIGN_OFFICES.get((country or "", office), office)
        out.append(Mention(None, name, office, country, name, start, end))
    return out


TITLE_REACH = 70
_TITLE_START = re.compile(r".*(?:[,;:()]|\.\s|\band\b|\bwith\b|\bby\b)", re.S)


def _title_before(text: str, start: int) -> str:
    """The title words just before a name ('Acting Assistant Secretary of Defense for Space
    Policy'), up to the clause or the previous name's 'and'/'with'/'by'."""
    before = text[max(0, start - TITLE_REACH) : start]
    m = _TITLE_START.match(before)
    return before[m.end() :] if m else before


def _titled_surname(name: str, roster: Roster, day: date | None) -> Official | None:
    """'Minister Shin' with no full name before it: the one Shin in office that day (or ever)."""
    if " " in name.strip():
        return None
    namesakes = _roster_patterns(roster).by_surname.get(name.lower(), ())
    matches = [o for o in namesakes if day is None or o.in_office(day)]
    return matches[0] if len(matches) == 1 else None


def _mention(official: Official, day: date | None, surface: str, start: int, end: int, before: str = "") -> Mention:
    tenure = official.tenure_for(day, before)
    return Mention(official, official.name, tenure.office, official.country, surface, start, end)


def to_refs(mentions: list[Mention]) -> tuple[PersonRef, ...]:
    """One reference per person, first mention first, with every written form seen."""
    seen: dict[str, list[Mention]] = {}
    for m in mentions:
        seen.setdefault(m.name, []).append(m)
    return tuple(
        PersonRef(
            name,
            group[0].office,
            group[0].country,
            group[0].official is not None,
            tuple(dict.fromkeys(m.surface for m in group)),
        )
        for name, group in seen.items()
    )
