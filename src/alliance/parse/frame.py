"""The meeting an article reports, from evidence across its lead: who took part, and why.

A reader finds the meeting in the first sentence that reports one (a meeting verb or noun, or a
named meeting such as the SCM or a summit) between officials of two or more countries. When that
sentence names its officials by role ("the defense ministers of South Korea, the United States and
Japan", "his U.S. counterpart", "the two men"), the sentences around it name them. Co-chairs and
delegation heads in the next sentences, and the third minister of a trilateral, join it. Leaders
take part only when the meeting is theirs. Other meetings the article reports stay apart, and an
analysis piece, or a lead about a meeting years before publication, reports none.

Every participant carries the sentence and the rule that admitted them (`Evidence`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache, lru_cache

from ..models import Evidence
from ..packagedata import csv_rows, package_text
from ..patterns import fast, words
from .people import Mention
from .title import is_navigation

MEETING_CUE_WORDS = (
    *("met", "meet", "meets", "meeting", "talks", "talked", "spoke", "speak", "call", "called", "conversation"),
    *("consultation", "consultations", "conferred", "summit", "dialogue", "host", "hosts", "hosted", "visit"),
    *("visited", "visits", "welcomed", "received", "sat down", "co-chair", "co-chaired", "co-chairs", "chaired"),
    *("agree", "agreed", "agrees", "agreement", "vowed", "pledged", "discussed", "reaffirmed", "signed"),
    *("adopted", "held", "hold", "holds", "exchanged", "shook hands", "gathered", "convened"),
)
MEETING_CUE_HANGUL = ("회담", "회의", "만나", "만났", "면담", "통화", "협의", "합의", "열고", "열었", "논의")
MEETING_CUES = fast(rf"\b{words(MEETING_CUE_WORDS)}\b|{words(MEETING_CUE_HANGUL)}", re.I)
"""Words that report a meeting, or what officials did at one, between the officials of a sentence."""


@lru_cache(maxsize=512)
def meeting_cue(sentence: str) -> re.Match[str] | None:
    """MEETING_CUES.search, once per sentence: the frame, its support and the other meetings
    each scan the article's sentences for one."""
    return MEETING_CUES.search(sentence)


SUMMIT_CUES = fast(r"\bsummit|\bleaders\b|\bpresidents\b|정상", re.I)
"""A meeting that is the leaders' own: only then are presidents and prime ministers its participants."""
LEADER_OFFICE = re.compile(r"^(?:acting\s+)?(?:president|prime minister|premier|supreme leader|chancellor)\b", re.I)
ROLE_GROUP = fast(
    r"\b(?:the\s+)?(?:two|three|both)\s+(?:men|women|ministers|officials|sides|leaders|secretaries|diplomats|"
    r"chiefs|allies|countries|advisers|advisors|envoys|presidents|heads)\b"
    r"|\bcounterparts?\b|\b(?:ministers|chiefs|secretaries|advisers|advisors|officials|diplomats|envoys|leaders)\s+of\b"
    r"|\b(?:top|chief)\s+(?:diplomats?|security advisers?)\b|\bdefen[cs]e chiefs?\b|\bthe\s+two\b"
    r"|두 장관|두 정상|양국 장관|양측|3국",
    re.I,
)
"""Officials named by their role; the sentences around name them."""
SIDES = fast(
    r"\b(?:South Korea|Seoul|the (?:United States|U\.S\.|US)|Washington|Japan|Tokyo|the allies)\b"
    r"(?:,?\s+(?:and\s+)?(?:South Korea|Seoul|the (?:United States|U\.S\.|US)|Washington|Japan|Tokyo))+"
    r"\s+(?:held|hold|have held|agreed|launched|opened|met|began|kicked off|reaffirmed|vowed)",
    re.I,
)
"""'South Korea and the United States held ...': the countries stand for their delegations."""
DELEGATION = fast(
    r"\bco-?chair|\bchaired\b|\bled\b.{0,40}\bdelegation|\bdelegation\b|\bside was\b|\bjoined\b|\battended\b|"
    r"\baccompanied\b|수석대표|대표단",
    re.I,
)
"""Sentences after the meeting's own that add who else sat at the table (not 'met': a sentence
that has them meet someone is another meeting, or the same one told again)."""
TRILATERAL = fast(
    r"\b(?:trilateral|three-way|three-nation|three-party)\s+(?:\w+\s+)?(?:talks|meeting|summit|session|call|dialogue)"
    r"|\bthree (?:countries|sides|ministers|nations|officials|chiefs|leaders)\b|한미일 (?:\S+ )?(?:회담|회의)|3자 회담|3국 회담",
    re.I,
)
"""A meeting of three sides ('three-way talks'), not 'three-way coordination' between two."""
PAST_MARKERS = fast(r"\bthen-|\bformer\b|\bpredecessor\b|\blate\b|전 ", re.I)
"""Before a name: someone who no longer holds the office the meeting needs."""
ANALYSIS_LABELS = re.compile(
    r"^\W*(?:\[|\()?\s*(?:news\s+)?(?:analysis|editorial|column|op-ed|opinion|commentary|viewpoint|perspective|"
    r"explainer|insight|기고|사설|칼럼|분석|해설)\b\s*(?:\]|\)|:|\|)",
    re.I | re.M,
)
"""A headline tag for a piece that analyses rather than reports a meeting."""
YEAR = fast(r"\b(?:19|20)\d\d\b")
STALE_DAYS = 60
"""A lead sentence dated this long before publication recalls an old meeting, not the article's."""
OUT_OF_OFFICE_DAYS = 180
"""An official whose every tenure ended this long before publication is a predecessor named in
passing; within it, the roster's end date may simply be uncertain."""
PAST_REACH = 16
LOOKBACK, LOOKAHEAD = 1, 2
"""Sentences before / after a role-reference sentence that may name its officials."""
SUPPORT_AHEAD = 3
"""Sentences after the meeting sentence whose co-chairs, delegation heads or third minister join it."""
COUNTRY_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (code, re.compile(pattern, re.I))
    for code, pattern in [
        ("KP", r"\bNorth Korea(?:n|'s)?\b|북한"),
        ("KR", r"\bSouth Korea(?:n|'s)?\b|\bKorean\b|\bSeoul's\b|\bROK\b|한국|우리"),
        ("US", r"\bU\.S\.|\bUS\b|\bAmerican\b|\bUnited States\b|\bWashington's\b|\bPentagon's\b|미국|미 "),
        ("JP", r"\bJapan(?:ese|'s)?\b|\bTokyo's\b|일본"),
        ("CN", r"\bChin(?:a's|ese)\b|중국"),
    ]
)
"""Words before an unlisted official's title that say whose official they are."""


@dataclass(frozen=True)
class MeetingType:
    name: str
    leaders: bool
    format: str | None
    pattern: re.Pattern[str]


@cache
def meeting_types() -> tuple[MeetingType, ...]:
    """data/meeting_types.csv: named meetings, whether they are the leaders', and their usual format."""
    text = package_text("meeting_types.csv")
    out = []
    for row in csv_rows(text):
        aliases = [a.strip() for a in (row.get("aliases") or "").split(";") if a.strip()]
        alternation = "|".join(re.escape(a) for a in sorted(aliases, key=len, reverse=True))
        pattern = fast(rf"(?<![\w+])(?:{alternation})(?![\w+])", re.I)
        out.append(MeetingType(row["name"], row["leaders"].strip() == "yes", row["format"].strip() or None, pattern))
    return tuple(out)


@cache
def _any_named_type() -> re.Pattern[str]:
    """Every named meeting's pattern as one alternation, group `t<i>` for the i-th: the leftmost
    match is the first mention, and at one place the first type listed, as a search per type
    and the smallest start would give."""
    return fast("|".join(f"(?P<t{i}>{t.pattern.pattern})" for i, t in enumerate(meeting_types())) or "(?!)", re.I)


@lru_cache(maxsize=512)  # the frame, its kind and the other meetings ask about the same sentences
def named_type(text: str) -> MeetingType | None:
    """The first named meeting a text mentions (by position)."""
    m = _any_named_type().search(text)
    return meeting_types()[int(m.lastgroup[1:])] if m and m.lastgroup else None


@dataclass(frozen=True)
class Frame:
    sentence: str | None
    participants: tuple[Mention, ...]
    evidence: tuple[Evidence, ...] = ()
    kind: str | None = None
    other_meetings: tuple[tuple[Mention, ...], ...] = ()


def is_leader(m: Mention) -> bool:
    return bool(m.office and LEADER_OFFICE.match(m.office))


def country_of(m: Mention, text: str) -> str | None:
    """The roster's country, else the country word just before an unlisted official's title."""
    if m.country:
        return m.country
    before = text[max(0, m.start - 45) : m.start]
    hits = [(hit.end(), code) for code, pattern in COUNTRY_WORDS for hit in pattern.finditer(before)]
    return max(hits)[1] if hits else None


def _eligible(m: Mention, text: str, published: date | None) -> bool:
    """Not 'former', 'then-' or out of office around publication (a predecessor named in passing)."""
    if PAST_MARKERS.search(text[max(0, m.start - PAST_REACH) : m.start]):
        return False
    if m.official and published and m.official.tenures:
        soon = published + timedelta(days=2)
        back = published - timedelta(days=OUT_OF_OFFICE_DAYS)
        return any((t.start or date.min) <= soon and back <= (t.end or date.max) for t in m.official.tenures)
    return True


def _stale(sentence: str, published: date | None) -> bool:
    """The sentence dates its meeting well before publication ('in August 2023', 'in 2019')."""
    if not published:
        return False
    years = [int(y) for y in YEAR.findall(sentence)]
    return bool(years) and max(years) < published.year and (published - date(max(years), 12, 31)).days > STALE_DAYS


def _inside(text: str, sentence: str, people: list[Mention], start_hint: int = 0) -> tuple[int, list[Mention]]:
    start = text.find(sentence, start_hint)
    if start < 0:
        start = text.find(sentence)
    if start < 0:
        return start_hint, []
    return start, [m for m in people if start <= m.start and m.end <= start + len(sentence)]


def _distinct(mentions: list[Mention]) -> list[Mention]:
    seen: dict[str, Mention] = {}
    for m in mentions:
        seen.setdefault(m.name, m)
    return list(seen.values())


def _principals(inside: list[Mention], text: str, sentence: str, published: date | None) -> list[Mention]:
    """The sentence's officials who can be this meeting's: eligible, and leaders only at their own."""
    people = _distinct([m for m in inside if _eligible(m, text, published)])
    officials = [m for m in people if not is_leader(m)]
    countries = {country_of(m, text) for m in officials}
    if len(officials) >= 2 and len(countries) >= 2:
        return officials
    kind = named_type(sentence)
    leaders = [m for m in people if is_leader(m)]
    only_leaders = not officials and len({country_of(m, text) for m in leaders}) >= 2
    leaders_meet = SUMMIT_CUES.search(sentence) or (kind and kind.leaders) or only_leaders
    return people if leaders_meet else officials


def find_frame(
    text: str,
    candidates: list[str],
    people: list[Mention],
    published: date | None,
    title: str = "",
    headings: tuple[str, ...] = (),
) -> Frame:
    """The meeting the article reports (see the module docstring); an empty frame when none.
    `headings`: other lines that may be the headline (the cleaner's title, a first paragraph)."""
    if ANALYSIS_LABELS.search("\n".join([title, *headings])):
        return Frame(None, ())
    located: list[tuple[str, list[Mention]]] = []
    hint = 0
    for sentence in candidates:
        hint, inside = _inside(text, sentence, people, hint)
        located.append((sentence, inside))
    chosen: Frame | None = None
    used: set[int] = set()
    for i, (sentence, inside) in enumerate(located):
        if not (meeting_cue(sentence) or named_type(sentence)) or _stale(sentence, published):
            continue
        if is_navigation(sentence):  # a breadcrumb the page kept in the body
            continue
        principals = _principals(inside, text, sentence, published)
        countries = {country_of(m, text) for m in principals}
        if len(principals) >= 2 and len(countries) >= 2:
            chosen = Frame(
                sentence,
                tuple(principals),
                tuple(Evidence(m.name, sentence, "named in the meeting sentence") for m in principals),
            )
            used.add(i)
        elif _role_subject(sentence) or SIDES.search(sentence):
            chosen = _by_role(located, i, text, published, principals)
            if chosen:
                used.update(range(max(0, i - LOOKBACK), i + LOOKAHEAD + 1))
        if chosen:
            chosen = _supported(chosen, located, i, text, published)
            break
    if chosen is None:
        return Frame(None, ())
    kind = (
        named_type(chosen.sentence or "")
        or named_type(title)
        or next((t for s, _ in located[: max(used) + SUPPORT_AHEAD] if (t := named_type(s))), None)
    )
    others = _other_meetings(located, used, chosen, text, published)
    return Frame(chosen.sentence, chosen.participants, chosen.evidence, kind.name if kind else None, others)


ROLE_REACH = 40
"""A role reference is the meeting's own when it comes before the meeting word or just after it
('... met with his U.S. counterpart'), not in a later clause ('officials on both sides say')."""


def _role_subject(sentence: str) -> bool:
    cue = meeting_cue(sentence) or (t.pattern.search(sentence) if (t := named_type(sentence)) else None)
    if not cue:
        return False
    return any(m.start() < cue.end() + ROLE_REACH for m in ROLE_GROUP.finditer(sentence))


def _wanted(sentence: str) -> int:
    if re.search(r"\bthree\b|\btrilateral\b|3국|3자|한미일", sentence, re.I):
        return 3
    if re.search(r"\btwo\b|\bboth\b|counterpart|두 |양국", sentence, re.I):
        return 2
    return 99


def _by_role(
    located: list[tuple[str, list[Mention]]], i: int, text: str, published: date | None, named: list[Mention]
) -> Frame | None:
    """A meeting sentence naming its officials by role or by country: the officials the sentence
    before and the next ones name, one per country when the role says how many."""
    sentence = located[i][0]
    leaders_meet = bool(SUMMIT_CUES.search(sentence) or ((t := named_type(sentence)) and t.leaders))
    wanted = _wanted(sentence)
    named = [m for m in named if is_leader(m) == leaders_meet or not is_leader(m)]
    picked: dict[str, Mention] = {m.name: m for m in named}
    rules = {m.name: "named in the meeting sentence" for m in named}
    where = {m.name: sentence for m in named}
    window = [*range(i + 1, min(len(located), i + 1 + LOOKAHEAD)), *range(max(0, i - LOOKBACK), i)]
    per_country: dict[str | None, int] = {}
    for m in named:
        per_country[country_of(m, text)] = per_country.get(country_of(m, text), 0) + 1
    for j in window:
        other, inside = located[j]
        for m in _distinct(inside):
            if m.name in picked or not _eligible(m, text, published) or is_leader(m) != leaders_meet:
                continue
            country = country_of(m, text)
            if wanted < 99 and per_country.get(country, 0) >= 1 and country is not None:
                continue  # 'the two ministers': one official per side
            if len(picked) >= wanted:
                break
            picked[m.name] = m
            per_country[country] = per_country.get(country, 0) + 1
            rules[m.name] = "role reference resolved to the " + ("next" if j > i else "previous") + " sentence"
            where[m.name] = other
    chosen = list(picked.values())
    if len(chosen) < 2 or len({country_of(m, text) for m in chosen}) < 2:
        return None
    return Frame(sentence, tuple(chosen), tuple(Evidence(m.name, where[m.name], rules[m.name]) for m in chosen))


def _supported(
    frame: Frame, located: list[tuple[str, list[Mention]]], i: int, text: str, published: date | None
) -> Frame:
    """Co-chairs and delegation heads the next sentences add, and a trilateral's third minister."""
    sentence = frame.sentence or ""
    countries = {country_of(m, text) for m in frame.participants}
    leaders = any(is_leader(m) for m in frame.participants)
    trilateral = bool(TRILATERAL.search(sentence)) and len(countries) < 3
    added = list(frame.participants)
    evidence = list(frame.evidence)
    for j in range(i + 1, min(len(located), i + 1 + SUPPORT_AHEAD)):
        other, inside = located[j]
        if meeting_cue(other) and _stale(other, published):
            continue
        delegation = bool(DELEGATION.search(other))
        for m in _distinct(inside):
            if m.name in {a.name for a in added} or not _eligible(m, text, published) or is_leader(m) != leaders:
                continue
            country = country_of(m, text)
            if delegation and country in countries:
                rule = "co-chair or delegation head in a following sentence"
            elif trilateral and country not in countries and country in ("US", "KR", "JP"):
                rule = "third side of a trilateral meeting"
                countries.add(country)
                trilateral = len(countries) < 3
            else:
                continue
            added.append(m)
            evidence.append(Evidence(m.name, other, rule))
    return Frame(frame.sentence, tuple(added), tuple(evidence))


def _other_meetings(
    located: list[tuple[str, list[Mention]]], used: set[int], frame: Frame, text: str, published: date | None
) -> tuple[tuple[Mention, ...], ...]:
    """Meetings the article reports besides its own: cue sentences between another set of officials."""
    names = {m.name for m in frame.participants}
    out: list[tuple[Mention, ...]] = []
    for i, (sentence, inside) in enumerate(located):
        if i in used or sentence == frame.sentence or not meeting_cue(sentence):
            continue
        people = _distinct([m for m in inside if _eligible(m, text, published)])
        outsiders = [m for m in people if m.name not in names]
        two_sides = len(people) >= 2 and len({country_of(m, text) for m in people}) >= 2
        if outsiders and two_sides and not any({m.name for m in people} == {m.name for m in o} for o in out):
            out.append(tuple(people))
    return tuple(out)


def other_meeting_sentences(
    text: str, candidates: list[str], people: list[Mention], participants: set[str]
) -> set[str]:
    """Sentences about another meeting: a meeting word and an official who is not a participant
    of the article's own (their place and date are that meeting's, not this one's)."""
    out = set()
    hint = 0
    for sentence in candidates:
        hint, inside = _inside(text, sentence, people, hint)
        if meeting_cue(sentence) and any(m.name not in participants for m in inside):
            out.add(sentence)
    return out
