"""Raw text to blocks: one per line of a text dump, one per block-level element of HTML.

HTML blocks carry the markup's evidence (link density, boilerplate containers) so that one
scoring model in clean.py serves both inputs; page metadata (meta tags, JSON-LD, <time>) is
collected here too because the cleaner drops <head> and <script>.
"""

from __future__ import annotations

import csv
import html as html_lib
import itertools
import json
import re
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from .models import Block

BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "dd",
        "details",
        "dialog",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
        "br",
        "caption",
        "center",
        "menu",
        "noscript",
        "option",
        "select",
    ]
)
SKIP_TAGS = frozenset(
    [
        "script",
        "style",
        "template",
        "svg",
        "iframe",
        "head",
        "object",
        "embed",
        "canvas",
        "button",
        "select",
    ]
)
CONTAINER_TAGS = {
    "nav": "nav",
    "header": "header",
    "footer": "footer",
    "aside": "aside",
    "form": "form",
    "menu": "nav",
    "figcaption": "caption",
}
HEADING_TAGS = frozenset(["h1", "h2", "h3", "h4", "h5", "h6"])
WRAPPER_SHARE = 0.4
"""A container with more than this share of the page's text is layout, not furniture."""
NEUTRAL_CLASS_TAGS = frozenset(["html", "body", "main", "article"])
"""Class words on these are ignored: `<body class="has-sidebar">` says nothing about a block."""
_WORD = re.compile(r"[a-z]+")
_SPACE = re.compile(r"\s+")
_META_KEYS = (
    "article:published_time",
    "og:published_time",
    "datepublished",
    "pubdate",
    "publishdate",
    "date",
    "dc.date",
    "dc.date.issued",
    "sailthru.date",
    "parsely-pub-date",
    "og:title",
    "twitter:title",
    "og:site_name",
    "author",
    "article:author",
    "byl",
    "dc.creator",
    "application-name",
)


@cache
def class_hints() -> dict[str, str]:
    """Class/id word -> role, from data/html_hints.csv."""
    text = resources.files("alliance").joinpath("data/html_hints.csv").read_text("utf-8")
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    return {row["word"]: row["role"] for row in rows}


_CONTINUES = re.compile(r"^[a-z,.;:)\]’”%]")
_ENDS_SENTENCE = re.compile(r"[.!?:]['\"’”)]*$")


MENU_SEPARATORS = re.compile(r"\s+[>|»›·•/]\s+|\s{2,}|\t")
"""What sits between the items of a menu, breadcrumb or tag list rendered as one line of text."""
MENU_MIN_ITEMS = 3
MENU_ITEM_WORDS = 6


def menu_items(line: str) -> int:
    """How many short, sentence-less items the line is made of (0 if it reads as running text):
    'Home > Press > Readout', 'Politics  World  Sports' in a dump, where links sat side by side."""
    items = [item for item in MENU_SEPARATORS.split(line.strip()) if item]
    if len(items) < MENU_MIN_ITEMS:
        return 0
    if any(_ENDS_SENTENCE.search(item) for item in items):
        return 0
    if any(len(item.split()) > MENU_ITEM_WORDS for item in items[:-1]):  # a breadcrumb ends on the headline
        return 0
    return len(items)


def text_blocks(text: str) -> list[Block]:
    """One block per non-empty line, except that a line which starts in mid-sentence (lower case
    or punctuation) is joined to the one before: dumps break lines at every inline link. A line
    of menu items is marked (tag "menu") before its spacing is folded."""
    blocks: list[tuple[list[str], bool]] = []  # each block's lines, joined once at the end: appending to a
    tail = ""  # growing string would copy it per line, quadratic in a run of joined lines
    for raw in text.split("\n"):
        line = _SPACE.sub(" ", raw).strip()
        if not line:
            continue
        if blocks and _CONTINUES.match(line) and not _ENDS_SENTENCE.search(tail):
            blocks[-1][0].append(line)
            tail = f"{tail} {line}"[-16:]
        else:
            blocks.append(([line], menu_items(raw) > 0))
            tail = line[-16:]
    return [Block(" ".join(lines), "menu" if menu else "") for lines, menu in blocks]


def _container_of(el: Any, tag: str, page_chars: int) -> str:
    """The furniture label of an element, unless it wraps most of the page (a layout wrapper
    such as ASP.NET's page-wide <form> or `<div class="content has-sidebar">`)."""
    classes, ident = el.get("class"), el.get("id")
    label = _label(tag, classes or "", ident or "") if classes or ident else CONTAINER_TAGS.get(tag, "")
    if label and len(el.text_content()) > WRAPPER_SHARE * page_chars:
        return ""
    return label


@lru_cache(maxsize=4096)  # a page repeats the same few class strings on hundreds of elements
def _label(tag: str, classes: str, ident: str) -> str:
    label = CONTAINER_TAGS.get(tag, "")
    if label or tag in NEUTRAL_CLASS_TAGS or not (classes or ident):
        return label
    hints = class_hints()
    words = _WORD.findall(f"{classes} {ident}".lower())
    # 'content-with-sidebar', 'has-comments': a layout word says what the element holds, not what it is
    words = [w for i, w in enumerate(words) if i == 0 or hints.get(words[i - 1]) != "layout"]
    roles = {hints[w]: w for w in reversed(words) if w in hints}
    return next((roles[r] for r in ("boilerplate", "caption", "credit") if r in roles), "")


LOST_TEXT_RATIO = 20
"""Only when the parsed tree holds under 1/20 of the page's characters is the text compared
against a tag-stripped copy (the check costs a pass over the page)."""
_INVISIBLE_START = re.compile(r"<(script|style|noscript|template)\b|<!--", re.I)
_TAG = re.compile(r"<[^<>]*>")


def _markup_stripped(html: str) -> str:
    """The page's text without a parser: scripts, styles and comments dropped (an unclosed one
    to the end), tags as line breaks. One pass: each closing tag is found with str.find."""
    lowered = html.lower()
    kept, position = [], 0
    while m := _INVISIBLE_START.search(html, position):
        kept.append(html[position : m.start()])
        closing = "-->" if m.group() == "<!--" else f"</{m.group(1).lower()}"
        end = lowered.find(closing, m.end())
        if end < 0:
            position = len(html)
            break
        close = html.find(">", end)
        position = len(html) if close < 0 else close + 1
    kept.append(html[position:])
    return html_lib.unescape(_TAG.sub("\n", "\n".join(kept)))


def html_blocks(html: str) -> tuple[list[Block], dict[str, str]]:
    """Blocks of the page's visible text in document order, and its metadata by key."""
    import lxml.etree
    import lxml.html

    html = re.sub(r"^\s*<\?xml[^>]*\?>", "", html)
    try:
        root = lxml.html.document_fromstring(html, parser=lxml.html.HTMLParser(huge_tree=True))
    except (lxml.etree.ParserError, ValueError):
        return text_blocks(_markup_stripped(html)), {}
    meta = _page_meta(root)
    lxml.etree.strip_elements(root, *SKIP_TAGS, lxml.etree.Comment, with_tail=False)
    page_chars = max(1, len(root.text_content()))
    if page_chars < len(html) / LOST_TEXT_RATIO and page_chars * 2 < len(_markup_stripped(html).strip()):
        # libxml2 gives up below a maximum nesting depth and drops the rest of the page
        return text_blocks(_markup_stripped(html)), meta
    rows: list[tuple[str, str, float, str, bool, tuple[int, ...]]] = []  # each block's fields but its vote
    parts: list[str] = []
    link_chars = 0
    # open elements: (element, innermost furniture label so far, serial number); the labels are
    # inherited as they are pushed and the serials kept beside them, so a block reads both off the top
    containers: list[tuple[object, str, int]] = []
    serials: list[int] = []  # not id(): lxml reuses proxy ids
    counter = itertools.count()
    heading_depth = 0
    link_depth = 0

    def flush() -> None:
        nonlocal link_chars
        joined = "".join(parts)
        parts.clear()
        chars, link_chars = link_chars, 0
        if not joined or joined.isspace():  # most flushes: the whitespace between two block tags
            return
        text = _SPACE.sub(" ", joined).strip()
        container = containers[-1][1] if containers else ""
        density = min(1.0, chars / max(1, len(text)))
        rows.append((text, "h" if heading_depth else "", density, container, heading_depth > 0, tuple(serials)))

    walker = lxml.etree.iterwalk(root, events=("start", "end"))
    for event, el in walker:
        tag = el.tag
        tag = tag.lower() if isinstance(tag, str) else ""
        if event == "start":
            if not tag or tag in SKIP_TAGS:
                walker.skip_subtree()
                continue
            if tag in BLOCK_TAGS and parts:
                flush()
            label = _container_of(el, tag, page_chars) or (containers[-1][1] if containers else "")
            serial = next(counter)
            containers.append((el, label, serial))
            serials.append(serial)
            heading_depth += tag in HEADING_TAGS
            if tag == "a":
                link_depth += 1
            text = el.text
        else:
            if tag and tag not in SKIP_TAGS:
                if tag in BLOCK_TAGS and parts:
                    flush()
                if containers and containers[-1][0] is el:
                    containers.pop()
                    serials.pop()
                heading_depth -= tag in HEADING_TAGS
                if tag == "a":
                    link_depth -= 1
            text = el.tail
        if text:
            parts.append(text)
            if link_depth:
                link_chars += len(text.strip())
    flush()
    votes = extractor_votes([row[0] for row in rows], root)  # the Blocks are built once, with their vote
    return [Block(*row, vote) for row, vote in zip(rows, votes, strict=True)], meta


EXTRACTOR_OPTIONS = {"fast": True, "include_comments": False, "include_images": False, "deduplicate": False}
"""trafilatura's main pass only: its fallbacks (readability, jusText) would double its cost, and
comments are not the article (fast and no comments also score higher on the cleaning bench)."""
SHORT_KEY_WORDS = 4
"""A block of fewer words ('Yes', '2019', a table cell) counts as found only right where the
extracted text has reached, not anywhere in it: short strings occur in any article."""
SHORT_GAP_CHARS = 40
_VOTE_WORD = re.compile(r"\w+")


def extractor_votes(texts: list[str], root: Any) -> list[bool | None]:
    """Per block text, whether trafilatura's article text holds it: a second opinion
    the scoring model in clean.py weighs with its own. The tree is the one already parsed;
    trafilatura works on a copy of it. Blocks are aligned with the extracted text in document
    order, so table cells and list items are found where the extractor put them."""
    import trafilatura  # a dependency: a broken install should fail loudly, not clean worse

    try:
        text = trafilatura.extract(root, **EXTRACTOR_OPTIONS) or ""
    except Exception:  # the vote is evidence, never a reason to fail a page
        return [None] * len(texts)
    whole = f" {' '.join(_VOTE_WORD.findall(text.lower()))} "
    if not whole.strip():
        return [None] * len(texts)
    cursor = 0
    voted: list[bool | None] = []
    for block_text in texts:
        words = _VOTE_WORD.findall(block_text.lower())
        key = f" {' '.join(words)} "
        found = bool(words)
        if found and len(words) < SHORT_KEY_WORDS:
            at = whole.find(key, cursor, cursor + SHORT_GAP_CHARS + len(key))
            found = at >= 0
        elif found:
            at = whole.find(key, cursor)
            found = at >= 0 or key in whole  # out of order: kept, but the cursor stays
        if found and at >= 0:
            cursor = at + len(key) - 1
        voted.append(found)
    return voted


def _page_meta(root: object) -> dict[str, str]:
    """Meta tags, JSON-LD and the first <time datetime>, lower-cased keys, first value wins."""
    meta: dict[str, str] = {}
    for el in root.iter("meta"):  # type: ignore[attr-defined]
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").lower()
        value = (el.get("content") or "").strip()
        if key in _META_KEYS and value:
            meta.setdefault(key, value)
    for el in root.iter("title"):  # type: ignore[attr-defined]
        if el.text and el.text.strip():
            meta.setdefault("title", _SPACE.sub(" ", el.text).strip())
            break
    for el in root.iter("time"):  # type: ignore[attr-defined]
        if el.get("datetime"):
            meta.setdefault("time", el.get("datetime"))
            break
    for el in root.iter("h1"):  # type: ignore[attr-defined]
        text = _SPACE.sub(" ", el.text_content()).strip()
        if text:
            meta.setdefault("h1", text)
            break
    for el in root.iter("script"):  # type: ignore[attr-defined]
        if (el.get("type") or "").lower() == "application/ld+json" and el.text:
            _read_json_ld(el.text, meta)
    return meta


def _read_json_ld(text: str, meta: dict[str, str]) -> None:
    try:
        data = json.loads(text)
    except ValueError:
        return
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.get("@graph", []) if isinstance(item.get("@graph"), list) else [])
            for key in ("datePublished", "headline", "dateModified"):
                if isinstance(item.get(key), str):
                    meta.setdefault(f"ld:{key.lower()}", item[key].strip())
            for key in ("author", "publisher"):
                value = item.get(key)
                value = value[0] if isinstance(value, list) and value else value
                if isinstance(value, dict) and isinstance(value.get("name"), str):
                    meta.setdefault(f"ld:{key}", value["name"].strip())
