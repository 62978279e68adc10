"""Property tests: the cleaner and parser take anything, cleaning is idempotent, and the
corpus survives ingest -> export -> re-ingest."""

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from alliance.clean import clean
from alliance.index import analyse, tokens
from alliance.ingest import ingest
from alliance.models import RawDocument
from alliance.parse import parse_article

from ..test_cli import run

WORDS = st.sampled_from(
    [
        "the",
        "minister",
        "met",
        "secretary",
        "Austin",
        "Shin",
        "Won-sik",
        "in",
        "Seoul",
        "on",
        "Friday",
        ",",
        ".",
        "said",
        "U.S.",
        "alliance",
        "2024",
        "February",
        "28",
        "Copyright",
        "Share",
        "Latest",
        "Stories",
        "(Yonhap)",
        "한미",
        "국방장관",
        "통화",
        "By",
        "and",
        "of",
    ]
)
LINES = st.lists(WORDS, min_size=0, max_size=40).map(" ".join)
PAGES = st.lists(LINES, min_size=0, max_size=30).map("\n".join)
TAGS = st.sampled_from(["p", "div", "nav", "footer", "aside", "h1", "a", "span", "script", "figure", "li", "table"])


@st.composite
def html_pages(draw):
    parts = []
    for _ in range(draw(st.integers(0, 25))):
        tag = draw(TAGS)
        parts.append(f"<{tag} class='{draw(st.sampled_from(['', 'share', 'related', 'content']))}'>{draw(LINES)}")
        if draw(st.booleans()):
            parts.append(f"</{tag}>")
    return "<html><body>" + "".join(parts) + "</body></html>"


def raw(text, kind="txt"):
    return RawDocument(Path(f"p.{kind}"), "p", text.encode(), text, "utf-8", kind)


@given(st.one_of(PAGES, st.text(max_size=2000)))
@settings(max_examples=200)
def test_clean_and_parse_never_raise_on_text(text):
    document = raw(text)
    parse_article(document, clean(document))


@given(st.one_of(html_pages(), st.text(max_size=2000).map(lambda t: f"<html><body>{t}")))
@settings(max_examples=150)
def test_clean_and_parse_never_raise_on_html(page):
    document = raw(page, "html")
    parse_article(document, clean(document))


@given(PAGES)
@settings(max_examples=200)
def test_clean_is_idempotent_on_its_own_output(text):
    body = clean(raw(text)).body
    assert clean(raw(body)).body == body


@given(st.text(max_size=300))
def test_indexing_analyser_equals_the_query_tokenizer(text):
    toks = list(tokens(text))
    assert analyse(text) == (" ".join(t.stem for t in toks), " ".join(t.exact for t in toks))


TOKEN_PIECES = st.sampled_from(
    ["U.S.", "S.K.", "a.b", "U", ".", "S", "_", "x", "9", "é", "한국", "한", "-", " ", "'", "\n"]
)


@given(st.lists(TOKEN_PIECES, max_size=14).map("".join) | st.text(max_size=60))
def test_the_token_pattern_finds_what_its_plain_form_finds(text):
    import re

    from alliance.index import _TOKEN

    plain = re.compile(r"\b(?:[^\W\d_]\.){2,}|[\uac00-\ud7a3]+|[^\W_]+")
    assert [m.span() for m in _TOKEN.finditer(text)] == [m.span() for m in plain.finditer(text)]


def test_ingest_export_reingest_preserves_every_document(runner, seed_data, tmp_path):
    ingest(seed_data)
    first = [json.loads(line) for line in run(runner, seed_data, "export", "--format", "jsonl").stdout.splitlines()]
    exported = tmp_path / "again"
    exported.mkdir()
    assert run(runner, seed_data, "export", "--format", "txt", "--out", str(exported / "raw")).exit_code == 0
    (exported / "raw" / "metadata.csv").unlink()
    report = ingest(exported)
    assert report.new == len(first) and not report.failed
    second = {
        r["doc_id"]: r
        for r in map(json.loads, run(runner, exported, "export", "--format", "jsonl").stdout.splitlines())
    }
    for record in first:
        assert second[record["doc_id"]]["body"] == record["body"]


NAME_TEXT = st.lists(
    st.sampled_from(
        [
            "Defense",
            "Minister",
            "Acting",
            "minister",
            "Secretary",
            "of",
            "State",
            "Gen.",
            "Lt.",
            "Gen.",
            "Kim",
            "Seon-ho",
            "Lloyd",
            "J.",
            "Austin",
            "III",
            "Shin",
            "Won",
            "Sik",
            "신원식",
            "İstanbul",
            "spokesman",
            "Vice",
            "Foreign",
            "Minister",
            "Park",
            "Jin",
            "President",
            "Lee",
            "met",
            ",",
            ".",
            "and",
        ]
    ),
    max_size=40,
).map(" ".join)


@given(NAME_TEXT)
def test_cue_matching_finds_what_a_full_regex_scan_finds(text):
    from alliance.parse.people import TITLE_CUES, TITLED_NAME, _CuePlaces, _matches, _official_cues, _official_pattern
    from alliance.roster import load_roster

    places = _CuePlaces(text.lower())
    assert [m.span() for m in _matches(TITLED_NAME, text, places, TITLE_CUES)] == [
        m.span() for m in TITLED_NAME.finditer(text)
    ]
    for official in load_roster():
        pattern = _official_pattern(official)
        cues = [*_official_cues(official), *official.hangul]
        assert [m.span() for m in _matches(pattern, text, places, cues)] == [m.span() for m in pattern.finditer(text)]
