"""Cleaned article -> Article: dates, sources, people, and the meeting it reports.

Each field is tried source by source in order of trust, and the rule that decided the meeting
date is kept (`meeting_date_basis`) so a reader can see how sure it is.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

from ..blocks import html_tree
from ..clean import Rule, clean_blocks, page_blocks
from ..models import Article, Block, CleanedArticle, Evidence, RawDocument
from ..outlets import normalise, outlet_table
from ..patterns import fast
from ..roster import Official, Roster, load_roster
from .dates import MeetingDate, meeting_date, published_date
from .frame import OUT_OF_OFFICE_DAYS, find_frame, meeting_types, other_meeting_sentences
from .htmlmeta import HtmlMeta, html_metadata
from .korean import korean_day
from .outlets import find_sources
from .people import find_people, rejoin, sentences, to_refs
from .setting import dateline_place, location, meeting_format
from .title import headline

_HANGUL = re.compile(r"[\uac00-\ud7a3]")
LEAD_PARAGRAPHS = 2
"""How many opening paragraphs, besides the meeting sentence, may carry its date."""
FOLLOWING_SENTENCES = 4
"""Sentences after the meeting sentence that may still give its day ('The talks took place Friday')."""


def _tenure_window(officials: list[tuple[Official, str | None]]) -> tuple[date, date] | None:
    """Days on which every participant held the office the article gives them."""
    start, end = date.min, date.max
    for official, office in officials:
        tenures = [t for t in official.tenures if t.office == office] or list(official.tenures)
        start = max(start, min(t.start or date.min for t in tenures))
        end = min(end, max(t.end or date.today() for t in tenures))
    if not officials or start > end:
        return None
    return start, end


def _file_day(path: Path) -> date:
    """The day the file was last written: no page is published after it (nor after today)."""
    try:
        return min(date.fromtimestamp(path.stat().st_mtime), date.today())
    except OSError:
        return date.today()


def _title_index(lines: tuple[str, ...], title: str | None, body: tuple[str, ...] = ()) -> int:
    """Where the headline sits among the page's lines: its last occurrence before the body starts
    (a text dump repeats the <title> on its first line), else the body's first line, else 0. The
    article's own date is near it; a related story's or the site's 'today' further away."""
    first = set(body[:1])
    start = next((i for i, line in enumerate(lines) if line in first), len(lines))
    if title:
        key = title.strip()[:40]
        for i in range(min(start, len(lines)) - 1, -1, -1):
            if lines[i].strip() == title.strip() or (key and key in lines[i]):
                return i
    return start if start < len(lines) else 0


def clean_and_parse(
    raw: RawDocument,
    rules: Sequence[Rule] | None = None,
    template: frozenset[int] = frozenset(),
    roster: Roster | None = None,
    data_dir: Path | None = None,
) -> tuple[list[Block], CleanedArticle, Article]:
    """A raw file's blocks, cleaned article and parsed article, an HTML page parsed once (see
    page_parts)."""
    blocks, meta, html_meta = page_parts(raw)
    cleaned = clean_blocks(blocks, rules, template, meta)
    return blocks, cleaned, parse_article(raw, cleaned, roster, data_dir, html_meta)


def page_parts(raw: RawDocument) -> tuple[list[Block], dict[str, str], HtmlMeta]:
    """A raw file's blocks, page metadata and HTML metadata, an HTML page parsed once: the
    metadata readers read the tree first, as they leave it, then the cleaner takes it apart.
    For callers that clean the blocks themselves (an ingest's site-template pass), then parse."""
    tree = html_tree(raw.text) if raw.kind == "html" else None
    html_meta = html_metadata(raw.text, _file_day(raw.path), tree) if raw.kind == "html" else HtmlMeta()
    blocks, meta = page_blocks(raw, tree)
    return blocks, meta, html_meta


def parse_article(
    raw: RawDocument,
    cleaned: CleanedArticle,
    roster: Roster | None = None,
    data_dir: Path | None = None,
    html_meta: HtmlMeta | None = None,
) -> Article:
    """The article's fields from its cleaned text; `html_meta` is what htmlmeta.html_metadata
    read from the page, if the caller has read it already (clean_and_parse)."""
    roster = roster or load_roster(data_dir)
    latest = _file_day(raw.path)
    body_set = set(cleaned.paragraphs)
    furniture = [line for line in cleaned.page_text if line not in body_set]
    credits = cleaned.credit_lines()
    if html_meta is None:
        html_meta = html_metadata(raw.text, latest) if raw.kind == "html" else HtmlMeta()
    date_candidates = html_meta.get("date")
    lines = cleaned.page_text or tuple(credits + furniture)
    published, published_basis = published_date(
        cleaned.meta,
        lines,
        raw.path.name,
        anchor=_title_index(lines, cleaned.title, cleaned.paragraphs),
        title=cleaned.title,
        library=date_candidates[0].value if date_candidates else None,
        url=html_meta.first("url"),
        latest=latest,
        data_dir=data_dir,
    )
    outlets = outlet_table(data_dir)
    captions = cleaned.credit_lines("caption")
    pictures = set(captions)  # '(Yonhap)' after a photo caption credits the picture, not the story
    outlet, wire, author = find_sources(
        [line for line in furniture if line not in pictures],
        [line for line in credits if line not in pictures],
        cleaned.meta,
        outlets,
        html_meta.first("author"),
    )

    title = headline(cleaned, lambda line: normalise(line, outlets) is not None) or ""
    paragraphs = rejoin(cleaned.paragraphs)
    body = "\n\n".join(paragraphs)
    text = "\n".join([title, body, *captions])
    everyone = find_people(text, roster, published)
    candidates = sentences(body) + ([title] if title else []) + captions
    headings = (cleaned.title or "", *paragraphs[:1])
    frame = find_frame(text, candidates, everyone, published, title, headings)
    participant_names = {m.name for m in frame.participants}
    participants = to_refs(list(frame.participants))
    others = tuple(to_refs(list(meeting)) for meeting in frame.other_meetings)
    mentioned = to_refs([m for m in everyone if m.name not in participant_names])
    evidence = list(frame.evidence)

    meeting_day, basis, window, fmt, place = None, None, None, None, None
    kind = next((t for t in meeting_types() if t.name == frame.kind), None)
    if frame.sentence:
        sentence = frame.sentence
        officials = [(m.official, m.office) for m in frame.participants if m.official]
        lead = [s for p in paragraphs[:LEAD_PARAGRAPHS] for s in sentences(p) if s != sentence]
        support = [e.sentence for e in frame.evidence if e.sentence != sentence]
        at = candidates.index(sentence) if sentence in candidates else len(candidates)
        following = candidates[at + 1 : at + 1 + FOLLOWING_SENTENCES]
        ordered = list(dict.fromkeys([sentence, *support, *lead, title, *captions, *following]))
        found, decided = _meeting_day(ordered, published, _tenure_window(officials))
        meeting_day, basis, window = found.day, found.basis, found.window
        if decided:
            evidence.append(Evidence("meeting_date", decided, basis or ""))
        fmt = meeting_format([sentence, title, " ".join(support), " ".join(lead), body])
        if fmt == "in-person" and kind and kind.format != "in-person" and not IN_PERSON_SAID.search(body):
            fmt = kind.format
        if fmt is None and kind:
            fmt = kind.format
        if fmt == "in-person":
            elsewhere = other_meeting_sentences(text, candidates, everyone, participant_names)
            lead = [s for s in lead if s not in elsewhere]
            wider = [s for p in paragraphs[LEAD_PARAGRAPHS : LEAD_PARAGRAPHS + 2] for s in sentences(p)]
            wider = [s for s in wider if s not in elsewhere]
            texts = [sentence, " ".join(support), title, " ".join(lead), " ".join(wider)]
            place = location(texts) or dateline_place(cleaned.credit_lines("dateline") + list(paragraphs[:1]))
    hangul = len(_HANGUL.findall(cleaned.body))
    return Article(
        doc_id=raw.doc_id,
        path=str(raw.path),
        title=title or None,
        body=cleaned.body,
        published=published.isoformat() if published else None,
        published_basis=published_basis,
        meeting_date=meeting_day.isoformat() if meeting_day else None,
        meeting_date_basis=basis,
        meeting_window=(window[0].isoformat(), window[1].isoformat()) if window else None,
        outlet=outlet,
        wire=wire,
        author=author,
        participants=participants,
        mentioned=mentioned,
        format=fmt,
        location=place,
        lang="ko" if hangul > len(cleaned.body) / 4 else "en",
        other_meetings=others,
        meeting_type=frame.kind,
        evidence=tuple(evidence),
    )


IN_PERSON_SAID = fast(r"\bin[\s-]person\b|\bface[\s-]to[\s-]face\b|\bmet\b|\bvisit(?:ed|s)?\b|만나|방한|방문", re.I)
"""A named meeting usually held by phone or video, but the article says they sat together."""


def _meeting_day(
    ordered: list[str], published: date | None, window: tuple[date, date] | None
) -> tuple[MeetingDate, str | None]:
    """The meeting date and the sentence that decided it: sentences tried one by one, most
    telling first (Korean day-of-month forms too), else the window the tenures leave."""
    weekday = next((m for s in ordered if (m := _WEEKDAY_NAMED.search(s))), None)
    slack = timedelta(days=TENURE_SLACK_DAYS)
    loose = (window[0] - slack, window[1] + slack) if window else None
    for sentence in ordered:
        found = korean_day(sentence, published)
        day = MeetingDate(found[0], found[1], (found[0], found[0])) if found else None
        if day is None:
            plain = NOT_THE_MEETING.sub("", sentence)
            day = meeting_date([plain], published, window)
            if day.day is None and loose:  # a full date a little outside the tenures; a year is never guessed so
                wide = meeting_date([plain], published, loose)
                day = wide if (wide.basis or "").startswith("explicit") else day
        if day.day is None:
            continue
        if weekday and weekday.string != sentence and day.day.weekday() != WEEKDAY_NUMBERS[weekday.group(1).lower()]:
            continue  # the lead says Friday: a date that is no Friday belongs to something else
        return day, sentence
    found_all = meeting_date(ordered, published, window)
    if found_all.day is not None:  # only dates the weekday rules out: keep the tenures' window
        found_all = meeting_date([], published, window)
    return MeetingDate(None, None, found_all.window), None


TENURE_SLACK_DAYS = OUT_OF_OFFICE_DAYS
"""A full date the text gives may fall as far outside the roster's tenures (whose ends are often
uncertain) as an official may be past their end date and still take part; the window reported
for an undated meeting keeps to the tenures themselves."""
NOT_THE_MEETING = fast(
    r"\b(?:(?:since|after|before|when)\s+)?(?:taking|took|assumed|assuming|taking up|took up)\s+(?:office|the post|his post|her post)"
    r"\s+(?:on|in)\s+[^,.;]+|\b(?:was\s+)?(?:inaugurated|elected|appointed|sworn in)\s+(?:on|in)\s+[^,.;]+",
    re.I,
)
"""Clauses whose date is an official's start in office, not the meeting's ('since taking office on Jan. 20')."""
_WEEKDAY_NAMED = fast(r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.I)
WEEKDAY_NUMBERS = {
    d: i for i, d in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))
}
