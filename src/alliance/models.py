"""The typed records that move between pipeline stages: raw -> cleaned -> article -> store."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

Kind = Literal["txt", "html"]


@dataclass(frozen=True)
class RawDocument:
    """A file as read from disk, decoded once; the bytes stay for hashing and export."""

    path: Path
    doc_id: str
    data: bytes
    text: str
    encoding: str
    kind: Kind

    @property
    def sha256(self) -> str:
        import hashlib

        return hashlib.sha256(self.data).hexdigest()


@dataclass(frozen=True)
class Block:
    """One line of a text dump or one block-level element of an HTML page."""

    text: str
    tag: str = ""
    link_density: float = 0.0
    container: str = ""
    """Name of the boilerplate container or class word it sits in (nav, footer, share...), if any."""
    heading: bool = False
    path: tuple[int, ...] = ()
    """HTML only: identities of the elements it sits in, outermost first (which blocks share a parent)."""
    extracted: bool | None = None
    """HTML only: whether trafilatura's article text holds this block (None: no such evidence)."""


@dataclass(frozen=True)
class Removed:
    """A block the cleaner dropped, with the reason a user can read in `show --removed`."""

    text: str
    reason: str


@dataclass(frozen=True)
class Credit:
    """A non-body line that carries metadata: kind is byline, dateline, caption, credit or heading."""

    kind: str
    text: str


@dataclass(frozen=True)
class CleanedArticle:
    """The article body plus the non-body lines the parser still needs (title, byline, captions)."""

    title: str | None
    paragraphs: tuple[str, ...]
    removed: tuple[Removed, ...] = ()
    credits: tuple[Credit, ...] = ()
    """Byline, dateline, caption and credit lines, kept apart from the body for the parser."""
    page_text: tuple[str, ...] = ()
    """Every block of the page in order, for facts that live in boilerplate (copyright, dates)."""
    meta: dict[str, str] = field(default_factory=dict)
    """HTML metadata (meta tags, JSON-LD, <time>) by key, for the parser."""
    warnings: tuple[str, ...] = ()
    template_swallowed: bool = False
    """The site template would have swallowed the article: it was cleaned as if there were none."""

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)

    def credit_lines(self, *kinds: str) -> list[str]:
        return [c.text for c in self.credits if not kinds or c.kind in kinds]


@dataclass(frozen=True)
class PersonRef:
    """An official named in an article, resolved to the roster where possible."""

    name: str
    office: str | None
    country: str | None
    in_roster: bool = True
    aliases_seen: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "office": self.office, "country": self.country}


@dataclass(frozen=True)
class Evidence:
    """Why the parser decided a participant or the meeting date: the sentence and the rule."""

    who: str
    sentence: str
    rule: str

    def to_dict(self) -> dict[str, str]:
        return {"who": self.who, "sentence": self.sentence, "rule": self.rule}


@dataclass(frozen=True)
class Article:
    """Everything the parser knows about one document; what the store keeps and commands show."""

    doc_id: str
    path: str
    title: str | None
    body: str
    published: str | None = None
    published_basis: str | None = None
    """Which source decided `published` ('html article:published_time', 'labelled date line'...)."""
    meeting_date: str | None = None
    meeting_date_basis: str | None = None
    meeting_window: tuple[str, str] | None = None
    outlet: str | None = None
    wire: str | None = None
    author: str | None = None
    participants: tuple[PersonRef, ...] = ()
    mentioned: tuple[PersonRef, ...] = ()
    format: str | None = None
    location: str | None = None
    lang: str = "en"
    other_meetings: tuple[tuple[PersonRef, ...], ...] = ()
    """Other meetings the article reports (their officials), kept apart from its own."""
    meeting_type: str | None = None
    """The named meeting (SCM, NCG, summit, 2+2...) when the article names one."""
    evidence: tuple[Evidence, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["participants"] = [p.to_dict() for p in self.participants]
        data["mentioned"] = [p.to_dict() for p in self.mentioned]
        data["other_meetings"] = [{"participants": [p.to_dict() for p in m]} for m in self.other_meetings]
        data["evidence"] = [e.to_dict() for e in self.evidence]
        data["meeting_window"] = list(self.meeting_window) if self.meeting_window else None
        return data


Progress = Callable[[int, int, str], None]
"""progress(done, total, what): long library calls report through it; the CLI draws a bar."""
