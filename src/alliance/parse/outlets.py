"""Who published a page (outlet), which agency the story came from (wire), and who wrote it."""

from __future__ import annotations

import re

from ..outlets import OutletTable, Source, normalise
from ..patterns import fast

COPYRIGHT = fast(
    r"^\W*(?:copyright|©|ⓒ|\(c\))\s*(?:©|ⓒ|\(c\))?\s*(?:(?:19|20)\d\d(?:\s*[-–]\s*(?:19|20)\d\d)?\s*)?(?:by\s+)?"
    r"(?P<name>[A-Z][\w&.'’ -]{1,60}?)\s*(?:[,.<>|]|\ball rights\b|\s[-–]\s|$)",
    re.I,
)
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@(?P<domain>[\w-]+(?:\.[\w-]+)+)")
WIRE_CREDIT = fast(
    r"^\s*by\s+(?P<by>[\w .-]{2,40}?)\s*$|\((?P<paren>[A-Za-z0-9 =-]{2,30})\)\s*$|^\s*[A-Z][A-Za-z .]+/(?P<slash>[A-Z]{2,10})\s*:",
    re.I,
)
_ANGLE = re.compile(r"<[^<>]*>|\[[^\[\]]*\]|(?<!\S)\S+@\S+")
PERSON_NAME = re.compile(r"^[A-Z][a-z]+(?:[ -][A-Z][a-z]+){1,3}$")
NOT_NAMES = frozenset(
    [
        "contact",
        "us",
        "email",
        "send",
        "news",
        "tips",
        "editor",
        "desk",
        "team",
        "info",
        "press",
        "office",
        "subscribe",
        "newsletter",
    ]
)
"""Words of 'Contact Us', 'News Desk' & co.: a capitalised pair beside an e-mail is not an author then."""


def _domain_source(domain: str, table: dict[str, Source]) -> Source | None:
    parts = domain.lower().split(".")
    for i in range(len(parts) - 1):
        source = table.get(".".join(parts[i:]))
        if source:
            return source
    return None


def find_sources(
    furniture: list[str],
    credits: list[str],
    meta: dict[str, str],
    table: OutletTable,
    library_author: str | None = None,
) -> tuple[str | None, str | None, str | None]:
    """Outlet, wire and author, each from the most trusted place that names one."""
    outlet: str | None = None
    for key in ("og:site_name", "ld:publisher", "application-name"):
        source = normalise(meta.get(key, ""), table) if meta.get(key) else None
        if source or meta.get(key):
            outlet = source.name if source else meta[key]
            break
    if outlet is None:
        outlet = _copyright_holder(furniture, table)
    if outlet is None:  # the alias regex over every furniture line is the costly step: only when needed
        known = (s for line in furniture for s in _sources_named(line, table))
        outlet = next((s.name for s in known if s.kind in ("outlet", "both")), None)
    if outlet is None:
        for line in furniture:
            m = EMAIL.search(line)
            source = _domain_source(m.group("domain"), table) if m else None
            if source:
                outlet = source.name
                break
    if outlet is None:
        outlet = _masthead(furniture, table)
    wire = _wire(credits + furniture, table)
    if wire is not None and wire == outlet:
        wire = None  # the agency's own page: it carries nobody's copy
    author = _author(credits, furniture, meta, table, library_author)
    return outlet, wire, author


COPYRIGHT_START = re.compile(r"^\W*(?:copyright|©|ⓒ)", re.I)
"""A line that opens with a copyright sign or word, whatever follows it."""


def _copyright_holder(furniture: list[str], table: OutletTable) -> str | None:
    """The name in a copyright line: a known source it names, else the words after the sign."""
    for line in furniture:
        m = COPYRIGHT.search(line)
        named = _sources_named(line, table) if m or COPYRIGHT_START.match(line) else []
        if named:
            return named[0].name
        if m:
            source = normalise(m.group("name"), table)
            return source.name if source else m.group("name").strip(" -")
    return None


MENU_WORDS = frozenset(
    {
        "menu",
        "search",
        "home",
        "login",
        "log",
        "sign",
        "skip",
        "navigation",
        "main",
        "content",
        "close",
        "print",
        "share",
    }
)
"""Words of a first line that is a menu or a control, not a site's name."""
MASTHEAD = re.compile(r"^[A-Z][\w&'’.-]*(?:\s+[A-Z0-9][\w&'’.-]*){0,3}$")
"""A site's name as the first line of a text dump: up to four capitalised words."""


def _masthead(furniture: list[str], table: OutletTable) -> str | None:
    """'SEOUL BRIEF' or 'Nikkei Asia' heading a text dump, when nothing else names the outlet."""
    first = next((line.strip() for line in furniture if line.strip()), "")
    if not MASTHEAD.match(first):
        return None
    source = normalise(first, table)
    if source:
        return source.name
    if len(first.split()) < 2 or {w.lower() for w in first.split()} & (NOT_NAMES | MENU_WORDS):
        return None
    return " ".join(w[:1] + w[1:].lower() for w in first.split()) if first.isupper() else first


def _sources_named(line: str, table: OutletTable) -> list[Source]:
    """Sources a short furniture line names outright ('Newsis', 'IBNS is not driven by...')."""
    return [table[m.group().lower()] for m in table.pattern.finditer(line)]


PICTURE_CREDIT = re.compile(r"^\W*(?:photo|image|graphic|video|file photo|captured|사진|자료사진)\b", re.I)
"""'Photo : YONHAP News': the agency took the picture, not the story."""


def _wire(lines: list[str], table: dict[str, Source]) -> str | None:
    lines = [line for line in lines if not PICTURE_CREDIT.match(line)]
    for line in lines:
        m = WIRE_CREDIT.search(line)
        if m:
            for group in ("by", "paren", "slash"):
                value = m.group(group)
                for part in [*re.split(r"[-/ =]", value or ""), value or ""]:
                    source = table.get(part.strip().lower()) if part else None
                    if source and source.kind in ("wire", "both"):
                        return source.name
    for line in lines:
        source = normalise(line, table) if len(line) <= 40 else None
        if source and source.kind in ("wire", "both"):
            return source.name
    return None


AUTHOR_TRAILER = re.compile(r"\s+[|–—]\s+.*$|\s+-\s+.*$|\s*[|/]\s*[A-Z][A-Z &.]{3,}$")
"""' | NJ Advance Media', ' - 2019-04-10': what follows the name in a byline is not the name."""
AUTHOR_ROLE = re.compile(
    r"(?i:\b(?:writer|reporter|correspondent|editor|staff|contributor|columnist|media|news|press|bureau)\b)"
    r"|\.(?:com|net|org|co\.\w+)\b|\b[A-Z]{2,}\b"
)
"""After a comma: a role, a site or an agency ('AP Auto Writer', 'Cleveland.com'), not a given name."""
AUTHOR_LINES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern, re.I))
    for name, pattern in [
        (
            "byline",
            r"^\W*(?:by|written by|reporting by|reported by|words by|text by|story by|von|par|por|di|door|przez|автор)\s*[:：]?\s+(?P<names>.+)$",
        ),
        (
            "reporter label",
            r"^\W*(?:reporter|correspondent|writer|author|autor|auteur|text|기자)\s*[:：]?\s+(?P<names>.+)$",
        ),
        (
            "korean byline",
            r"(?:^|[\s/=)])(?P<names>[가-힣]{2,4}(?:\s*[·,]\s*[가-힣]{2,4})*)\s*(?:선임기자|기자|특파원|논설위원)(?=\s|=|$|[a-z])",
        ),
        (
            "name, role",
            r"^(?P<names>[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){1,3}),\s+(?:[\w ]{0,30}\s)?(?:staff writer|writer|reporter|correspondent|editor|columnist|contributor)\b.{0,40}$",
        ),
    ]
)
"""Lines that name who wrote the story, and where the names are in them."""
_JOIN = re.compile(r"\s*(?:,|;|&|\band\b|\bund\b|\bet\b|\by\b|\be\b|\bi\b|·)\s*", re.I)
_NAME_PARTICLES = frozenset(
    ["van", "von", "der", "den", "de", "da", "del", "di", "du", "la", "le", "bin", "al", "el", "dos", "das", "ter"]
)
ORG_WORDS = frozenset(
    [
        "news",
        "times",
        "daily",
        "post",
        "herald",
        "press",
        "agency",
        "online",
        "media",
        "group",
        "team",
        "staff",
        "desk",
        "bureau",
        "redaktion",
        "redaction",
        "rédaction",
        "editorial",
        "editors",
        "editor",
        "network",
        "tv",
        "radio",
        "channel",
        "journal",
        "tribune",
        "gazette",
        "review",
        "magazine",
        "magazin",
        "zeitung",
        "verlag",
        "gmbh",
        "ag",
        "inc",
        "ltd",
        "llc",
        "corp",
        "corporation",
        "company",
        "institute",
        "university",
        "ministry",
        "department",
        "office",
        "service",
        "services",
        "world",
        "club",
        "association",
        "foundation",
        "report",
        "reports",
        "correspondent",
        "reporter",
        "writer",
        "contributor",
        "admin",
        "administrator",
        "webmaster",
        "guest",
        "anonymous",
        "unknown",
    ]
)
"""Words that make a byline an organisation or a role ('RTL Online', 'Campact-Team'), not a person."""
_HANGUL_NAME = re.compile(r"^[가-힣]{2,4}$")
_LATIN_WORD = re.compile(
    r"^(?:[A-ZÀ-ÞĀ-Ž][a-zß-ÿā-ž'’]+(?:-[A-Za-zß-ÿā-ž'’]+)*|[A-Z]\.(?:[A-Z]\.)?|Mc[A-Z][a-z]+|O’[A-Z][a-z]+|O'[A-Z][a-z]+)$"
)


def tidy_author(value: str) -> str | None:
    """'By TOM KRISHER, AP Auto Writer' -> 'Tom Krisher'; 'By A and B' -> 'A; B'. None when no
    part of it is a person's name (a date, a site, an organisation, a role)."""
    text = _ANGLE.sub(" ", value.strip())
    text = re.sub(r"^\W*by\s+", "", text, flags=re.I)
    text = re.split(r"\d", AUTHOR_TRAILER.sub("", text), maxsplit=1)[0]
    names = [n for part in _JOIN.split(text) if (n := _person(part))]
    return "; ".join(dict.fromkeys(names)) or None


def _person(part: str) -> str | None:
    """A person's name as written, case repaired; None for anything else."""
    from .dates import date_words

    name = part.strip(" ,;:-–—|/()[]'\"").strip()
    if _HANGUL_NAME.match(name):
        return name
    words = name.split()
    months = date_words().months
    while words and words[-1].lower().rstrip(".") in months:  # 'Ryan Ellis March 3, 2019'
        words.pop()
    if name.isupper() or all(w.isupper() for w in words if len(w) > 2):
        words = [w if re.fullmatch(r"[A-Z]\.", w) else w[:1] + w[1:].lower() for w in words]  # 'Eun-jung'
    core = [w for w in words if w.lower() not in _NAME_PARTICLES]
    if not 2 <= len(words) <= 5 or not core or not all(_LATIN_WORD.match(w) for w in core):
        return None
    if {w.lower().strip(".") for w in words} & (ORG_WORDS | NOT_NAMES):
        return None
    return " ".join(words)


def _author(
    credits: list[str], furniture: list[str], meta: dict[str, str], table: OutletTable, library: str | None = None
) -> str | None:
    """The page's author meta tags, then a byline line (credits first), then the library's
    (trafilatura's) reading, then a reporter's contact line. Every answer is a person's name."""
    more = _author_named(library, table) if library else None
    for key in ("author", "ld:author", "article:author", "byl", "dc.creator", "parsely-author", "sailthru.author"):
        value = meta.get(key, "").strip()
        if value and not value.startswith("http"):
            name = _author_named(value, table)
            if name:  # the meta tags keep one author of a list; the library reads them all
                return more if more and more.startswith(f"{name}; ") else name
    for line in [*credits, *furniture]:
        if len(line) > 150:
            continue
        for _, pattern in AUTHOR_LINES:
            m = pattern.search(line.strip())
            if m:
                given, comma, family = m.group("names").strip().partition(",")
                if comma and family.strip() and " " not in family.strip() and _person(f"{family} {given}"):
                    return _person(f"{family} {given}")  # 'Smith, John'
                name = _author_named(m.group("names"), table)
                if name:
                    return name
    if more:
        return more
    for i, line in enumerate(furniture):
        name, email = _contact(line)
        next_line = furniture[i + 1].strip() if i + 1 < len(furniture) else ""
        if name and (email or EMAIL.fullmatch(next_line)):
            return name
    return None


def _author_named(value: str, table: OutletTable) -> str | None:
    """The people a byline names, leaving out any that is an outlet ('By Yonhap')."""
    names = [n for n in (tidy_author(value) or "").split("; ") if n and normalise(n, table) is None]
    return "; ".join(names) or None


def _contact(line: str) -> tuple[str, str]:
    """A reporter's contact line: 'Daniel Kim content@x.com' -> ('Daniel Kim', 'content@x.com'),
    'Daniel Kim' -> ('Daniel Kim', ''); anything else -> ('', '')."""
    text = line.strip()
    m = EMAIL.search(text)
    name = text[: m.start()].strip(" ,|-–") if m else text
    if m and text[m.end() :].strip():
        return "", ""
    if PERSON_NAME.match(name) and not {w.lower() for w in re.split(r"[ -]", name)} & NOT_NAMES:
        return name, m.group() if m else ""
    return "", ""
