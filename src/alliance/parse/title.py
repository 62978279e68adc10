"""The headline: the line above the body that is about what the body says, never a menu.

The cleaner proposes a title (HTML metadata, else the first headline-like line); on text dumps that
is often a navigation bar or a site's tagline. A headline shares most of its content words with the
lead paragraphs, a menu or tagline shares almost none, so each candidate is kept only when enough
of its words recur in the lead.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache

from ..clean import stopwords
from ..models import CleanedArticle

NAV_SEPARATORS = re.compile(r"\s[|»>•]\s|\s{2,}\|")
"""Between menu items and breadcrumb steps ('Home | Politics', 'National > Defense')."""
LINK_MARKER = re.compile(r"^\s*(?:\[\d+\]|\*\s|#)")
"""Text-browser dumps: '[2]Skip to main content', '* [4]Air'."""
LEAD_PARAGRAPHS = 3
"""How much of the body a headline's words are looked for in."""
MIN_SHARED = 0.5
"""Share of a headline's content words the lead must repeat (menus and taglines: almost none)."""
STEM = 5
"""Latin words compared by their first letters, so 'agree' matches 'agreed'."""
_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’-]*|[0-9]+|[\uac00-\ud7a3]+")
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
SENTENCE_END = re.compile(r"[.!][\"'”’)]*\s*$|:\s*$")
"""Prose ends so; a headline does not (though it may end with '?')."""
CREDIT_KINDS = ("byline", "dateline", "caption", "credit")
"""Credit lines that are never the headline (a 'heading' credit may be)."""


LABEL = re.compile(r"^\s*(?:\[[^\]]{1,30}\]|\([^)]{1,30}\))\s*")
"""'[News analysis]', '(2nd LD)': a section or version tag, not words of the story."""


def _words(text: str) -> list[str]:
    """The words a headline and a lead are compared by, section tag left out."""
    return _TOKEN.findall(LABEL.sub("", text))


def _stems(text: str) -> list[str]:
    return [stem for token in _words(text) if (stem := _stem(token))]


@lru_cache(maxsize=1 << 16)  # a corpus's vocabulary: the lead's words are stemmed once, not per page
def _stem(token: str) -> str | None:
    """A word as headlines and leads are compared by; None for a stopword or a short word."""
    low = token.lower().strip("'’-")
    if _HANGUL.match(low):
        return low[:2]  # particles attach to Hangul words: compare their first syllables
    if len(low) >= 3 and low not in stopwords():
        return low[:STEM]
    return None


def is_navigation(line: str) -> bool:
    """A menu, breadcrumb or link list rather than a headline."""
    if LINK_MARKER.match(line) or len(NAV_SEPARATORS.findall(line)) >= 2:
        return True
    words = line.split()
    capitalised = all(w[:1].isupper() or not w[:1].isalpha() for w in words)
    return len(words) >= 3 and capitalised and not re.search(r"[,:;'’\"?!]", line)


def shared(line: str, lead: str) -> float:
    """Share of the line's content words that the lead repeats."""
    stems = _stems(line)
    if not stems:
        return 0.0
    seen = _lead_stems(lead)
    return sum(s in seen for s in stems) / len(stems)


@lru_cache(maxsize=8)  # headline() tries each candidate line against the same lead
def _lead_stems(lead: str) -> frozenset[str | None]:
    return frozenset(_stem(token) for token in set(_words(lead)))


def _headline_shaped(line: str) -> bool:
    words = _TOKEN.findall(line)
    long_enough = len(words) >= 4 or len(_HANGUL.findall(line)) >= 8
    return long_enough and len(words) <= 40 and not SENTENCE_END.search(line)


def headline(cleaned: CleanedArticle, is_outlet: Callable[[str], bool] = lambda _: False) -> str | None:
    """The cleaner's title when the lead bears it out, else the first line above the body that
    is shaped like a headline, is no menu or site name, and shares enough words with the lead."""
    paragraphs = cleaned.paragraphs[:LEAD_PARAGRAPHS]
    if not paragraphs:
        return cleaned.title
    credits = set(cleaned.credit_lines(*CREDIT_KINDS))
    candidates: list[str] = [cleaned.title] if cleaned.title else []
    candidates += _above_lead(cleaned.page_text, paragraphs)
    for line in candidates:
        line = line.strip()
        if line in credits or not _headline_shaped(line) or is_navigation(line) or is_outlet(line):
            continue
        lead = "\n".join(p for p in paragraphs if p.strip() != line)
        if shared(line, lead) >= MIN_SHARED:
            return line
    return cleaned.title if cleaned.title and not is_navigation(cleaned.title) else None


def _above_lead(page: Sequence[str], paragraphs: Sequence[str]) -> list[str]:
    """Page lines down to the last lead paragraph: a cleaner may have kept the headline, or
    a site's notice above it, as the first paragraphs."""
    last = paragraphs[-1]
    for i, line in enumerate(page):
        if line == last or last in line:
            return list(page[:i])
    return list(page[:20])
