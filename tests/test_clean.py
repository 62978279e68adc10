"""Cleaning: the seeds end to end, and hand-made pages for the hard cases."""

import json

import pytest

from alliance.blocks import text_blocks
from alliance.clean import clean, clean_blocks, template_lines
from alliance.models import RawDocument
from alliance.rawfile import read_raw

from .conftest import SEEDS

SEED_BODIES = {
    # seed: (first words of the body, last words of the body)
    "000_0735d83be5f18891": (
        "The defense chiefs of South Korea and the U.S. held",
        "Nuclear Consultative Group (NCG).",
    ),
    "001_f7ef9c4d7651bddd": ("The South Korea and US defense ministers reaffirmed", "released due to health concerns."),
    "002_ed0b005f700ef55a": (
        "U.S. Secretary of Defense Lloyd J. Austin III met",
        "further strengthening our alliance.”",
    ),
    "003_2b6803dd29989c7c": ("South Korea's Defense Minister Suh Wook held", "including those in Asia."),
    "004_20b34a806ca3b0b8": ("US Defence Secretary Lloyd Austin said on Wednesday", "Austin will leave for India."),
}
BOILERPLATE = [
    "Latest Stories",
    "Comments0",
    "Share it on",
    "Back to Top",
    "Copyright",
    "All rights reserved",
    "IBNS is not driven",
    "Support Our Journalism",
    "Most Commented",
    "Politics\n",
    "Weekender",
    "(APF-Yonhap)",
    "Image Credit",
    "Provided by the Ministry",
    "Subscribe",
    "Leave a comment",
    "Quick access",
    "content@viewusglobal.com",
    "By Yonhap",
    "Published :",
    "(Yonhap)",
]


@pytest.mark.parametrize("seed", sorted(SEED_BODIES))
def test_seed_body_starts_and_ends_with_the_article(seed):
    body = clean(read_raw(SEEDS / f"{seed}.txt")).body
    first, last = SEED_BODIES[seed]
    assert body.startswith(first)
    assert body.endswith(last)


@pytest.mark.parametrize("seed", sorted(SEED_BODIES))
def test_seed_body_has_no_boilerplate(seed):
    body = clean(read_raw(SEEDS / f"{seed}.txt")).body
    for phrase in BOILERPLATE:
        assert phrase.lower() not in body.lower(), phrase


def test_seed_titles_and_credits_are_kept_apart():
    cleaned = clean(read_raw(SEEDS / "003_2b6803dd29989c7c.txt"))
    assert cleaned.title == "S. Korean, US defense chiefs reaffirm alliance in phone talks"
    kinds = {c.kind for c in cleaned.credits}
    assert {"byline", "dateline", "caption"} <= kinds


def _raw(text: str, kind: str = "txt") -> RawDocument:
    from pathlib import Path

    return RawDocument(Path(f"fixture.{kind}"), "fixture", text.encode(), text, "utf-8", kind)  # type: ignore[arg-type]


PARAGRAPH = (
    "The two ministers agreed that the alliance between the two countries remains the linchpin of "
    "peace and stability in the region, and they discussed how to deepen cooperation with Japan."
)


def test_menu_in_the_middle_of_the_page_splits_two_texts():
    menu = "\n".join(["Home", "World", "Politics", "Business", "Sports", "Culture", "Opinion", "Video", "Podcasts"])
    teaser = "Another story about the weather in the capital that has nothing to do with the article at all, really."
    page = "\n".join(["Site Name", menu, PARAGRAPH, PARAGRAPH.replace("Japan", "Australia"), menu, teaser])
    body = clean(_raw(page)).body
    assert "Australia" in body and "Japan" in body
    assert "weather" not in body and "Politics" not in body


def test_short_line_between_paragraphs_is_kept():
    page = "\n".join(["Home", "News", PARAGRAPH, "Austin agreed.", PARAGRAPH.replace("Japan", "India")])
    assert "Austin agreed." in clean(_raw(page)).paragraphs


def test_one_line_article():
    page = "\n".join(["Home", "News", "Sports", PARAGRAPH, "Copyright 2024 Example News. All rights reserved."])
    assert clean(_raw(page)).paragraphs == (PARAGRAPH,)


def test_all_boilerplate_page_gives_empty_body_and_a_warning():
    page = "\n".join(["Home", "News", "Subscribe", "Latest Stories", "Copyright 2024 Example", "Back to Top"])
    cleaned = clean(_raw(page))
    assert cleaned.body == ""
    assert cleaned.warnings


def test_html_nav_aside_and_footer_are_dropped():
    html = f"""<html><head><title>Ministers talk</title>
    <meta property="article:published_time" content="2024-02-28T10:00:00+09:00"></head><body>
    <nav><ul><li><a href="/">Home</a></li><li><a href="/w">World news and more from the region today</a></li></ul></nav>
    <article><h1>Ministers talk</h1><p>{PARAGRAPH}</p><p>{PARAGRAPH.replace("Japan", "India")}</p></article>
    <aside class="related"><p>Related: the minister visited a school where students asked him about the weather and the food.</p></aside>
    <footer><p>Copyright 2024 Example. All rights reserved.</p></footer></body></html>"""
    cleaned = clean(_raw(html, "html"))
    assert cleaned.paragraphs == (PARAGRAPH, PARAGRAPH.replace("Japan", "India"))
    assert cleaned.title == "Ministers talk"
    assert cleaned.meta["article:published_time"].startswith("2024-02-28")


def test_site_template_repeated_across_three_files_is_removed():
    slogan = (
        "Our newsroom is independent and is funded by readers like you, so that we can keep bringing you the news "
        "that matters to you and your family every single day."
    )
    pages = [f"Example Daily\n{PARAGRAPH.replace('Japan', place)}\n{slogan}" for place in ("Japan", "India", "Canada")]
    template = template_lines(text_blocks(p) for p in pages)
    for page in pages:
        body = clean_blocks(text_blocks(page), template=template).body
        assert "newsroom" not in body
        assert body.startswith("The two ministers")


def test_template_never_swallows_a_syndicated_article():
    pages = [f"Outlet {i}\n{PARAGRAPH}\n{PARAGRAPH.replace('Japan', 'India')}" for i in range(3)]
    template = template_lines(text_blocks(p) for p in pages)
    assert "Japan" in clean_blocks(text_blocks(pages[0]), template=template).body


def test_ingest_learns_a_site_template_and_recleans_the_pages_that_kept_it(tmp_path):
    from alliance.ingest import ingest
    from alliance.store import Store

    slogan = (
        "Our newsroom is independent and is funded by readers like you, so that we can keep bringing you the news "
        "that matters to you and your family every single day."
    )
    raw = tmp_path / "data" / "raw"
    raw.mkdir(parents=True)
    for place in ("Japan", "India", "Canada"):
        (raw / f"{place}.txt").write_text(f"Example Daily\n{PARAGRAPH.replace('Japan', place)}\n{slogan}\n")
    ingest(tmp_path / "data")
    store = Store.open(tmp_path / "data")
    try:
        for place in ("Japan", "India", "Canada"):
            doc = store.document(place)
            assert "newsroom" not in doc["body"] and place in doc["body"]
            assert [r for t, r in json.loads(doc["removed"]) if "newsroom" in t] == [
                "repeated on other pages of the site (after the article)"
            ]
    finally:
        store.close()


def test_repeated_counts_values_across_pages():
    from array import array

    from alliance.clean import repeated

    assert repeated(array("q", [5, 1, 5, 2, 5, 1, 9, 1, 1]), 3) == {1, 5}
    assert repeated(array("q", [7, 7]), 3) == frozenset()
