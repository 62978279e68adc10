"""Raw text to blocks: one per line of a text dump, one per block-level element of HTML.

HTML blocks carry the markup's evidence (link density, boilerplate containers) so that one
scoring model in clean.py serves both inputs; page metadata (meta tags, JSON-LD, <time>) is
collected here too because the cleaner drops <head> and <script>.
"""

from __future__ import annotations

import html as html_lib
import itertools
import json
import re
import threading
from functools import cache, lru_cache
from typing import Any

from .models import Block
from .packagedata import csv_rows, package_text

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
_UNICODE_WORD = re.compile(r"\w+")
_ASCII = [chr(c) for c in range(128)]
_ASCII_WORD_GAPS = str.maketrans({c: " " for c in _ASCII if not (c.isalnum() or c == "_")})
"""ASCII text: what is not in \\w becomes a space, so str.split() gives the words of \\w+."""

COMMON_GAPS = "’“”‘—–©…·\xa0"
"""Non-ASCII punctuation common in English news. None of it is in \\w, so read as spaces it
changes neither a line's words nor its key, and most lines holding some are then ASCII."""


def as_ascii(text: str) -> str | None:
    """The text with COMMON_GAPS as spaces if that leaves it ASCII (for the fast paths), else None."""
    if text.isascii():
        return text
    for char in COMMON_GAPS:
        if char in text:
            text = text.replace(char, " ")
    return text if text.isascii() else None


def word_list(text: str, lower: bool = False) -> list[str]:
    """re.findall(r"\\w+", text), each word lower-cased if `lower`, in half the regex's time on
    ASCII (and on most English lines: see COMMON_GAPS)."""
    plain = as_ascii(text)
    if plain is not None:  # ASCII: lower-casing the text lower-cases each word
        return (plain.lower() if lower else plain).translate(_ASCII_WORD_GAPS).split()
    words = _UNICODE_WORD.findall(text)
    return [w.lower() for w in words] if lower else words


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
    text = package_text("html_hints.csv")
    rows = csv_rows(text)
    return {row["word"]: row["role"] for row in rows}


_CONTINUES = re.compile(r"^[a-z,.;:)\]’”%]")
_ENDS_SENTENCE = re.compile(r"[.!?:]['\"’”)]*$")


MENU_SEPARATOR_CHARS = ">|»›·•/"
MENU_SEPARATORS = re.compile(rf"\s+[{MENU_SEPARATOR_CHARS}]\s+|\s{{2,}}|\t")
"""What sits between the items of a menu, breadcrumb or tag list rendered as one line of text."""
_MENU_SEPARATOR_CHAR = re.compile(f"[{re.escape(MENU_SEPARATOR_CHARS)}]")
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


def _may_be_menu(line: str, folded: str) -> bool:
    """Whether MENU_SEPARATORS can find anything in `line` (its white space folded: `folded`):
    a tab, a run of white space (folding then shortened the line) or a separator character.
    Most lines have none, and are told so without splitting them."""
    stripped = line.strip()
    if "\t" in stripped or len(folded) != len(stripped):
        return True
    return _MENU_SEPARATOR_CHAR.search(stripped) is not None


def text_blocks(text: str) -> list[Block]:
    """One block per non-empty line, except that a line which starts in mid-sentence (lower case
    or punctuation) is joined to the one before: dumps break lines at every inline link. A line
    of menu items is marked (tag "menu") before its spacing is folded."""
    blocks: list[tuple[list[str], bool]] = []  # each block's lines, joined once at the end: appending to a
    tail = ""  # growing string would copy it per line, quadratic in a run of joined lines
    for raw in text.split("\n"):
        line = " ".join(raw.split())  # _SPACE.sub(" ", raw).strip(): the same white space, without a regex
        if not line:
            continue
        if blocks and _CONTINUES.match(line) and not _ENDS_SENTENCE.search(tail):
            blocks[-1][0].append(line)
            tail = f"{tail} {line}"[-16:]
        else:
            blocks.append(([line], _may_be_menu(raw, line) and menu_items(raw) > 0))
            tail = line[-16:]
    return [Block(" ".join(lines), "menu" if menu else "") for lines, menu in blocks]


LABEL_ROLES = ("boilerplate", "caption", "credit")
"""The class-word roles that label a container, the first one found in this order."""


@cache
def _label_words() -> re.Pattern[str]:
    """Any class word with a labelling role, as a whole run of letters: most class strings hold
    none, and are told so by one search instead of splitting them into words."""
    words = sorted((w for w, role in class_hints().items() if role in LABEL_ROLES), key=len, reverse=True)
    return re.compile(rf"(?<![a-z])(?:{'|'.join(map(re.escape, words))})(?![a-z])" if words else "(?!)")


@lru_cache(maxsize=4096)  # a page repeats the same few class strings on hundreds of elements
def _label(tag: str, classes: str, ident: str) -> str:
    """The furniture label an element's tag or class words give it ('' for none)."""
    label = CONTAINER_TAGS.get(tag, "")
    if label or tag in NEUTRAL_CLASS_TAGS or not (classes or ident):
        return label
    lowered = f"{classes} {ident}".lower()
    if not _label_words().search(lowered):
        return ""
    hints = class_hints()
    words = _WORD.findall(lowered)
    # 'content-with-sidebar', 'has-comments': a layout word says what the element holds, not what it is
    words = [w for i, w in enumerate(words) if i == 0 or hints.get(words[i - 1]) != "layout"]
    roles = {hints[w]: w for w in reversed(words) if w in hints}
    return next((roles[r] for r in LABEL_ROLES if r in roles), "")


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


_PARSERS = threading.local()


def _parser() -> Any:
    """lxml.html's parser without comments, one per thread (a parser is not thread-safe), except
    that the class of each element is looked up in C: lxml.html's own lookup is a Python method
    called for every element a walk or an XPath hands out, about a tenth of trafilatura's time.
    The classes are the same but for the form-control ones (FormElement, InputElement...), which
    nothing here uses."""
    parser = getattr(_PARSERS, "parser", None)
    if parser is None:
        import lxml.etree
        import lxml.html

        parser = lxml.html.HTMLParser(huge_tree=True, remove_comments=True)
        parser.set_element_class_lookup(
            lxml.etree.ElementDefaultClassLookup(
                element=lxml.html.HtmlElement,
                comment=lxml.html.HtmlComment,
                pi=lxml.html.HtmlProcessingInstruction,
                entity=lxml.html.HtmlEntity,
            )
        )
        _PARSERS.parser = parser
    return parser


_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def html_tree(html: str) -> Any | None:
    """The page parsed once, for html_blocks and for the parser's metadata readers
    (parse/htmlmeta.py), which read it first: html_blocks takes it apart. Comments are left out
    (the metadata readers must not see dates in them, and the blocks never held them). None when
    lxml cannot parse the page."""
    import lxml.etree
    import lxml.html

    try:
        return lxml.html.document_fromstring(_XML_DECLARATION.sub("", html), parser=_parser())
    except (lxml.etree.ParserError, ValueError):
        return None


def html_blocks(html: str, root: Any | None = None) -> tuple[list[Block], dict[str, str]]:
    """Blocks of the page's visible text in document order, and its metadata by key. `root` is
    html_tree(html) when the caller has parsed the page already; it is taken apart here."""
    import lxml.etree

    html = _XML_DECLARATION.sub("", html)
    root = html_tree(html) if root is None else root
    if root is None:
        return text_blocks(_markup_stripped(html)), {}
    meta = _page_meta(root)
    lxml.etree.strip_elements(root, *SKIP_TAGS, with_tail=False)
    page_chars = max(1, len(root.text_content()))
    if page_chars < len(html) / LOST_TEXT_RATIO and page_chars * 2 < len(_markup_stripped(html).strip()):
        # libxml2 gives up below a maximum nesting depth and drops the rest of the page
        return text_blocks(_markup_stripped(html)), meta
    rows: list[list[Any]] = []  # each block's fields but its vote; its container's label is resolved last
    parts: list[str] = []
    link_chars = 0
    seen = 0  # characters of text met so far: an element's own text is what it adds before it closes
    # open elements: (element, its container entry, serial number). An entry is [label from its tag
    # or class words, the entry of the element around it, `seen` when it opened]; a block keeps the
    # innermost entry, and learns its label once every element has closed: an element that holds
    # more than WRAPPER_SHARE of the page's text is a layout wrapper, and its label is dropped then
    # (counted as the walk goes, where text_content() read each labelled element's text again).
    containers: list[tuple[object, list[Any], int]] = []
    serials: list[int] = []  # not id(): lxml reuses proxy ids
    counter = itertools.count()
    heading_depth = 0
    link_depth = 0
    wrapper_chars = WRAPPER_SHARE * page_chars

    def flush() -> None:
        nonlocal link_chars
        joined = "".join(parts)
        parts.clear()
        chars, link_chars = link_chars, 0
        if not joined or joined.isspace():  # most flushes: the whitespace between two block tags
            return
        text = " ".join(joined.split())  # _SPACE.sub(" ", joined).strip(): the same white space, without a regex
        container = containers[-1][1] if containers else None
        density = min(1.0, chars / max(1, len(text)))
        rows.append([text, "h" if heading_depth else "", density, container, heading_depth > 0, tuple(serials)])

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
            classes, ident = el.get("class"), el.get("id")
            label = _label(tag, classes or "", ident or "") if classes or ident else CONTAINER_TAGS.get(tag, "")
            serial = next(counter)
            containers.append((el, [label, containers[-1][1] if containers else None, seen], serial))
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
                    entry = containers.pop()[1]
                    if entry[0] and seen - entry[2] > wrapper_chars:
                        entry[0] = ""  # it wraps most of the page: a layout wrapper (ASP.NET's page-wide <form>)
                    serials.pop()
                heading_depth -= tag in HEADING_TAGS
                if tag == "a":
                    link_depth -= 1
            text = el.tail
        if text:
            parts.append(text)
            seen += len(text)
            if link_depth:
                link_chars += len(text.strip())
    flush()
    for row in rows:
        row[3] = _container_label(row[3])
    votes = extractor_votes([row[0] for row in rows], root)  # the Blocks are built once, with their vote
    return [Block(*row, vote) for row, vote in zip(rows, votes, strict=True)], meta


def _container_label(entry: list[Any] | None) -> str:
    """The innermost furniture label of a block's open elements (see html_blocks' entries)."""
    while entry is not None and not entry[0]:
        entry = entry[1]
    return entry[0] if entry is not None else ""


EXTRACTOR_OPTIONS = {"fast": True, "include_comments": False, "include_images": False, "deduplicate": False}
"""trafilatura's main pass only: its fallbacks (readability, jusText) would double its cost, and
comments are not the article (fast and no comments also score higher on the cleaning bench)."""
SHORT_KEY_WORDS = 4
"""A block of fewer words ('Yes', '2019', a table cell) counts as found only right where the
extracted text has reached, not anywhere in it: short strings occur in any article."""
SHORT_GAP_CHARS = 40


@cache
def _extractor() -> Any:
    """trafilatura's options for `trafilatura.extract(tree, **EXTRACTOR_OPTIONS)`, built once."""
    from trafilatura.settings import DEFAULT_CONFIG, Extractor

    return Extractor(
        config=DEFAULT_CONFIG,
        output_format="txt",
        fast=EXTRACTOR_OPTIONS["fast"],
        comments=EXTRACTOR_OPTIONS["include_comments"],
        images=EXTRACTOR_OPTIONS["include_images"],
        dedup=EXTRACTOR_OPTIONS["deduplicate"],
    )


def article_text(tree: Any) -> str:
    """What `trafilatura.extract(tree, **EXTRACTOR_OPTIONS)` returns ('' for None), step for step
    as trafilatura 2.3.1's `bare_extraction` and `trafilatura_sequence` take them with these options
    (fast: no external extractors; no comments; balanced focus), but on a tree the caller gives up:
    `extract` copies its input tree first, and copies the cleaned tree for a comparison that fast
    mode never makes. Those two copies were a fifth of trafilatura's time here. trafilatura is
    pinned in pyproject for these internals; tests/test_clean.py checks the text against `extract`."""
    from copy import copy

    from lxml.etree import Element, strip_tags
    from trafilatura.baseline import baseline, html2txt
    from trafilatura.core import (
        ESCALATION_ACCEPT_RATIO,
        ESCALATION_MAX_LENGTH,
        ESCALATION_PAGE_SHARE,
        _forum_thread_page,
        _recall_retry,
    )
    from trafilatura.htmlprocessing import convert_tags, prune_unwanted_nodes, tree_cleaning
    from trafilatura.utils import normalize_unicode
    from trafilatura.xml import xmltotxt
    from trafilatura.xpaths import RAW_TREE_PRUNE_XPATH, REMOVE_COMMENTS_AND_LISTS_XPATH

    options = _extractor()
    # trafilatura_sequence, with comments off and the balanced focus
    forum = _forum_thread_page(tree)
    tree = prune_unwanted_nodes(tree, RAW_TREE_PRUNE_XPATH)
    if not forum:
        tree = prune_unwanted_nodes(tree, REMOVE_COMMENTS_AND_LISTS_XPATH)

    def cleaned() -> Any:  # no backup of it: fast mode compares nothing
        return convert_tags(tree_cleaning(copy(tree), options), options, None)

    body, text = _extract_content(cleaned(), options, cleaned)
    if len(text) < options.min_extracted_size:  # rescue: the baseline on the uncleaned tree
        baseline_body, baseline_text, baseline_length = baseline(tree)
        if baseline_length > len(text):
            body, text = baseline_body, baseline_text
    if 0 < len(text) < ESCALATION_MAX_LENGTH and _short_of_page(len(text), tree, ESCALATION_PAGE_SHARE, html2txt):
        recall = copy(options)
        recall.focus = "recall"
        retried = ""
        try:
            retried_body, retried = _recall_retry(tree, recall, None)
        except Exception:  # as trafilatura_sequence: a failed retry keeps the first extraction
            retried = ""
        if len(retried) >= options.min_extracted_size and len(retried) > ESCALATION_ACCEPT_RATIO * len(text):
            body, text = retried_body, retried
    # bare_extraction's checks, then determine_returnstring for the txt format
    if options.max_tree_size and len(body) > options.max_tree_size:
        strip_tags(body, "hi")
        if len(body) > options.max_tree_size:
            return ""
    if len(text) < options.min_output_size and options.min_output_comm_size > 0:
        return ""
    comments = xmltotxt(Element("body"), options.formatting)  # the empty comments body extract() appends
    return normalize_unicode(f"{xmltotxt(body, options.formatting)}\n{comments}".strip())


def _extract_content(cleaned: Any, options: Any, clean_again: Any) -> tuple[Any, str]:
    """trafilatura 2.3.1's `main_extractor.extract_content`, except for the copy of the cleaned tree
    it keeps for the recovery of stray paragraphs when its main pass finds too little: that copy is
    made again from the raw tree (`clean_again`, the same deterministic steps) only when the recovery
    runs, on a few pages in a hundred, instead of on every page."""
    from lxml.etree import strip_elements, strip_tags
    from trafilatura.main_extractor import _elem_text, _extract, recover_wild_text
    from trafilatura.settings import MIN_DUPLICATE_LENGTH
    from trafilatura.utils import SPACING_PROTECTED, text_chars_test
    from trafilatura.xml import delete_element

    order = list(cleaned.iter())  # source order before the main pass moves elements
    body, text, potential_tags = _extract(cleaned, options)
    if len(body) == 0 or len(text) < options.min_extracted_size:
        backup = clean_again()
        consumed = {twin for elem, twin in zip(order, backup.iter(), strict=True) if elem.tag == "done"}
        body = recover_wild_text(backup, body, options, potential_tags, consumed)
        text = " ".join(body.itertext()).strip()
    previous = None
    for el in list(body):  # substantial elements repeating the previous one
        current = _elem_text(el)
        if current and current == previous and len(current) > MIN_DUPLICATE_LENGTH:
            delete_element(el, keep_tail=False)
        else:
            previous = current
    strip_elements(body, "done")
    strip_tags(body, "div")
    for linebreak in body.iter("lb"):
        if (
            linebreak.tail
            and not text_chars_test(linebreak.tail)
            and not any(anc.tag in SPACING_PROTECTED for anc in linebreak.iterancestors())
        ):
            linebreak.tail = None
    return body, text


def _short_of_page(length: int, tree: Any, share: float, html2txt: Any) -> bool:
    """trafilatura's test for an extraction too short for its page, `length < share *
    len(html2txt(tree))`, settled without html2txt where an upper bound on its length does: html2txt
    copies the page, deletes a few sections and spaces out every block element, which was 6 ms a
    call and a third of the pages here. Its text is at most the body's text with its white space
    folded (deleting text never lengthens it) plus one space on each side of each block element."""
    from trafilatura.baseline import _BLOCK_ELEMS

    body = tree.find(".//body")
    body = tree if body is None else body
    most = len(" ".join(body.text_content().split())) + 2 * sum(1 for _ in body.iter(*_BLOCK_ELEMS))
    if length >= share * most:
        return False
    return bool(length < share * len(html2txt(tree)))


def extractor_votes(texts: list[str], root: Any) -> list[bool | None]:
    """Per block text, whether trafilatura's article text holds it: a second opinion
    the scoring model in clean.py weighs with its own. The tree is the one already parsed,
    and trafilatura takes it apart. Blocks are aligned with the extracted text in document
    order, so table cells and list items are found where the extractor put them."""
    try:
        text = article_text(root)
    except Exception:  # the vote is evidence, never a reason to fail a page
        return [None] * len(texts)
    whole = f" {' '.join(word_list(text.lower()))} "
    if not whole.strip():
        return [None] * len(texts)
    cursor = 0
    voted: list[bool | None] = []
    for block_text in texts:
        words = word_list(block_text.lower())
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
