"""Page metadata from the field's libraries: htmldate for the publication date, trafilatura for
the author and the canonical URL. Each answer is a Candidate that names its source, so the parser can
weigh it against its own evidence and say which source decided.

htmldate and trafilatura are imported here only, on first use (ingest and parse): `alliance search`
never loads them.
"""

from __future__ import annotations

import contextlib
import logging
import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lxml.html import HtmlElement
    from trafilatura.settings import Document

FIELDS = ("date", "author", "url")
"""What the parser reads from the libraries (trafilatura's title and site name lose to its own)."""


@dataclass(frozen=True)
class Candidate:
    """One library's answer for one field: date (ISO day), author or url (the
    page's canonical address, which often holds its date)."""

    field: str
    value: str
    source: str
    """'htmldate' (its reading of the markup) or 'trafilatura'."""


@dataclass(frozen=True)
class HtmlMeta:
    """Every candidate the libraries found for one page, most trusted first within a field."""

    candidates: tuple[Candidate, ...] = ()

    def get(self, field: str) -> list[Candidate]:
        return [c for c in self.candidates if c.field == field]

    def first(self, field: str) -> str | None:
        return next((c.value for c in self.candidates if c.field == field), None)


@cache
def _quiet_libraries() -> None:
    """htmldate and trafilatura log every odd page at WARNING; a user's parse output is not the
    place. Once per process: setLevel clears every logger's cache each time it is called."""
    for name in ("htmldate", "trafilatura"):
        logging.getLogger(name).setLevel(logging.ERROR)


def html_metadata(html: str, max_day: date | None = None, tree: HtmlElement | None = None) -> HtmlMeta:
    """Candidates for date, author and url, from one parse of the page. The date is htmldate's with
    `original_date=True` (the first publication, not the update), never after max_day. Its
    extensive free-text search is not used: it loads dateparser (seconds on first use), and the
    parser's own date lines read the page's text better (see bench/dates.py). `tree` is the page
    as blocks.html_tree parsed it, read and left as it is; without it, or where trafilatura would
    parse the text into another tree, the page is parsed here."""
    _quiet_libraries()
    if tree is None or len(tree) < 1 or not same_tree_as_load_html(html):  # load_html parses an empty root again
        from trafilatura.utils import load_html

        tree = load_html(html)
    if tree is None:
        return HtmlMeta()
    latest = (max_day or date.today()).isoformat()
    config = {"original_date": True, "extensive_search": False, "max_date": latest}
    found: list[Candidate] = []
    try:
        doc = _author_url_date(tree, config)
    except Exception:  # a library bug on one odd page must not stop an ingest
        doc = None
    if doc is not None and doc.date:
        found.append(Candidate("date", doc.date, "htmldate"))
    for field in FIELDS[1:]:
        value = getattr(doc, field, None) if doc is not None else None
        if isinstance(value, str) and value.strip():
            found.append(Candidate(field, value.strip(), "trafilatura"))
    return HtmlMeta(tuple(found))


def same_tree_as_load_html(html: str) -> bool:
    """Whether trafilatura's `load_html`, which the libraries' answers were measured with, would
    parse this text into the tree blocks.html_tree gives (the same lxml parse without comments):
    not when it would repair the text first (control characters, an XHTML doctype on the first
    line, a self-closing <html/>), reject it as not HTML, read it as a fragment (the text does not
    open with <html> or a doctype) or drop processing instructions (`<?`). Such pages are parsed
    again, as load_html does. Left: a page nested deeper than libxml2's 256 levels, which
    html_tree's huge_tree parser keeps whole (trafilatura 2.3.1, utils.py)."""
    from trafilatura.utils import DOCTYPE_TAG, INVALID_XML_CHARS, is_dubious_html

    beginning = html[:50].lower()
    if "<?" in html or is_dubious_html(beginning) or INVALID_XML_CHARS.search(html):
        return False
    if "doctype" in beginning and ("\n" not in html or DOCTYPE_TAG.search(html.partition("\n")[0])):
        return False  # the repair drops such a doctype, and ends a one-line page with a line break
    if any("<html" in line and line.endswith("/>") for line in html[:4096].splitlines()[:4]):
        return False
    return bool(_FULL_HTML.match(html))


_FULL_HTML = re.compile(r"^\s*<(?:html|!doctype)", re.I)
"""lxml.html.fromstring's test for a whole document, not a fragment."""


def _author_url_date(tree: HtmlElement, date_config: dict[str, object]) -> Document:
    """trafilatura's `extract_metadata` cut to the fields the parser reads (author, url, date),
    step for step in its order, so the answers are the same: its title, site name, categories,
    tags and license passes took about a third of its time on the date bench and nobody read them."""
    from htmldate import find_date
    from trafilatura.metadata import examine_meta, extract_author, extract_meta_json, extract_url

    doc = examine_meta(tree)
    if doc.author and " " not in doc.author:
        doc.author = None
    with contextlib.suppress(Exception):  # bugs in trafilatura's json_metadata.py, as extract_metadata guards
        doc = extract_meta_json(tree, doc)
    doc.author = doc.author or extract_author(tree)
    doc.url = doc.url or extract_url(tree)
    doc.date = find_date(tree, **date_config, url=doc.url)
    doc.clean_and_trim()
    return doc
