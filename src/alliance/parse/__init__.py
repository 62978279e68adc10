"""Cleaned article -> Article: dates, sources, people, and the meeting it reports.

Each field is tried source by source in order of trust, and the rule that decided the meeting
date is kept (`meeting_date_basis`) so a reader can see how sure it is.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from ..models import Article, CleanedArticle, RawDocument
from ..roster import Official, Roster, load_roster
from .dates import meeting_date, published_date
from .outlets import find_sources, normalise, outlet_table
from .people import find_people, meeting_sentence, sentences, to_refs
from .setting import dateline_place, location, meeting_format
from .title import headline

_HANGUL = re.compile(r"[\uac00-\ud7a3]")
LEAD_PARAGRAPHS = 2
"""How many opening paragraphs, besides the meeting sentence, may carry its date."""


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


def parse_article(
    raw: RawDocument,
    cleaned: CleanedArticle,
    roster: Roster | None = None,
    data_dir: Path | None = None,
) -> Article:
    roster = roster or load_roster(data_dir)
    body_set = set(cleaned.paragraphs)
    furniture = [line for line in cleaned.page_text if line not in body_set]
    credits = cleaned.credit_lines()
    published, _ = published_date(cleaned.meta, tuple(credits + furniture), raw.path.name)
    outlets = outlet_table(data_dir)
    outlet, wire, author = find_sources(furniture, credits, cleaned.meta, outlets)

    captions = cleaned.credit_lines("caption")
    title = headline(cleaned, lambda line: normalise(line, outlets) is not None) or ""
    text = "\n".join([title, cleaned.body, *captions])
    everyone = find_people(text, roster, published)
    candidates = sentences(cleaned.body) + ([title] if title else []) + captions
    sentence, meeting_people = meeting_sentence(text, candidates, everyone)
    participant_names = {m.name for m in meeting_people}
    participants = to_refs(meeting_people)
    mentioned = to_refs([m for m in everyone if m.name not in participant_names])

    meeting_day, basis, window, fmt, place = None, None, None, None, None
    if sentence:
        officials = [(m.official, m.office) for m in meeting_people if m.official]
        lead = [s for p in cleaned.paragraphs[:LEAD_PARAGRAPHS] for s in sentences(p) if s != sentence]
        found = meeting_date([sentence, *lead, title, *captions], published, _tenure_window(officials))
        meeting_day, basis, window = found.day, found.basis, found.window
        fmt = meeting_format([sentence, title, " ".join(lead), cleaned.body])
        if fmt == "in-person":
            place = location([sentence, title, " ".join(lead)]) or dateline_place(
                cleaned.credit_lines("dateline") + list(cleaned.paragraphs[:1])
            )
    hangul = len(_HANGUL.findall(cleaned.body))
    return Article(
        doc_id=raw.doc_id,
        path=str(raw.path),
        title=title or None,
        body=cleaned.body,
        published=published.isoformat() if published else None,
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
    )
