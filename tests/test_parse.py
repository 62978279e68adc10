"""Metadata: a table over the seeds, and one fixture sentence per rule."""

from datetime import date
from pathlib import Path

import pytest

from alliance.api import parse_file
from alliance.outlets import normalise, outlet_table
from alliance.parse.dates import find_dates, meeting_date, published_date, weekday_before
from alliance.parse.outlets import find_sources
from alliance.parse.people import find_people, sentences
from alliance.roster import load_roster

from .conftest import SEEDS

EXPECTED = {
    "000_0735d83be5f18891": {
        "participants": ["Kim Seon-ho", "Lloyd Austin"],
        "format": "phone",
        "wire": "Newsis",
        "meeting_window": ["2024-12-05", "2025-01-20"],
        "meeting_date": None,
        "outlet": "ViewUS",
        "author": "Daniel Kim",
    },
    "001_f7ef9c4d7651bddd": {
        "participants": ["Shin Won-sik", "Lloyd Austin"],
        "format": "phone",
        "meeting_date": "2024-02-28",
        "outlet": "The Korea Defense Daily",
    },
    "002_ed0b005f700ef55a": {
        "participants": ["Lloyd Austin", "Lee Jong-sup"],
        "format": "in-person",
        "location": "the Pentagon",
        "meeting_date": "2022-07-29",
    },
    "003_2b6803dd29989c7c": {
        "participants": ["Suh Wook", "Lloyd Austin"],
        "format": "phone",
        "published": "2021-01-24",
        "meeting_date": "2021-01-24",
        "outlet": "The Korea Herald",
        "wire": "Yonhap",
        "title": "S. Korean, US defense chiefs reaffirm alliance in phone talks",
    },
    "004_20b34a806ca3b0b8": {
        "participants": ["Lloyd Austin", "Suh Wook"],
        "format": "in-person",
        "location": "Seoul",
        "mentioned": ["Kim Yo-jong", "Kim Jong-un", "Joe Biden"],
    },
}


@pytest.mark.parametrize("seed", sorted(EXPECTED))
def test_seed_metadata(seed):
    result = parse_file(SEEDS / f"{seed}.txt")
    for key, want in EXPECTED[seed].items():
        if key in ("participants", "mentioned"):
            names = [p["name"] for p in result[key]]
            assert (sorted(names) if key == "participants" else set(want) <= set(names)) == (
                sorted(want) if key == "participants" else True
            ), (key, names)
        else:
            assert result[key] == want, key


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Published : Jan 24, 2021 - 11:27", date(2021, 1, 24)),
        ("date 2021-01-24", date(2021, 1, 24)),
        ("Updated: 2024-10-31 07:15 KST", date(2024, 10, 31)),
        ("2023.11.13", date(2023, 11, 13)),
        ("13 November 2023", date(2023, 11, 13)),
        ("2023년 11월 13일", date(2023, 11, 13)),
    ],
)
def test_publication_date_formats(text, expected):
    assert published_date({}, (text,), "page.txt")[0] == expected


def test_publication_date_ignores_copyright_and_registration_lines():
    lines = ("Copyright 2015 Herald Corporation", "Date of registration : 2015.04.28")
    assert published_date({}, lines, "page.txt") == (None, None)


def test_publication_date_from_meta_and_file_name():
    assert published_date({"ld:datepublished": "2022-07-29T09:00:00Z"}, (), "x")[0] == date(2022, 7, 29)
    assert published_date({}, (), "2023-08-18_camp_david.txt") == (date(2023, 8, 18), "file name")


def test_weekday_resolves_to_latest_such_day_on_or_before_publication():
    assert weekday_before(date(2021, 1, 24), 6) == date(2021, 1, 24)  # a Sunday, published that Sunday
    found = meeting_date(["The ministers spoke by phone on Friday."], date(2021, 1, 25), None)
    assert found.day == date(2021, 1, 22) and "Friday" in found.basis


def test_day_month_without_year_takes_the_tenure_year():
    found = meeting_date(["On March 3, the two held talks."], None, (date(2023, 10, 7), date(2024, 9, 5)))
    assert found.day == date(2024, 3, 3) and "in office" in found.basis


def test_day_month_without_year_takes_publication_year_or_the_year_before():
    assert meeting_date(["They met on December 30."], date(2024, 1, 2), None).day == date(2023, 12, 30)


def test_relative_phrase_and_no_support_gives_no_date():
    assert meeting_date(["The call took place a day earlier."], date(2024, 5, 2), None).day == date(2024, 5, 1)
    nothing = meeting_date(["The two ministers talked."], None, None)
    assert nothing.day is None and nothing.basis is None


def test_dates_without_year_are_found():
    assert [(d.month, d.day, d.year) for d in find_dates("On February 28 and on 3 March 2024")] == [
        (2, 28, None),
        (3, 3, 2024),
    ]


def test_sentences_do_not_break_after_initials():
    text = "Kim held a call with U.S. Secretary of Defense Lloyd J. Austin III. They agreed."
    assert sentences(text) == ["Kim held a call with U.S. Secretary of Defense Lloyd J. Austin III.", "They agreed."]


@pytest.mark.parametrize("written", ["Shin Won Sik", "Shin Won-sik", "SHIN WON-SIK", "Shin Wonsik", "신원식"])
def test_romanisation_variants_resolve(written):
    people = find_people(f"Minister {written} spoke with his counterpart.", load_roster(), None)
    assert [m.name for m in people] == ["Shin Won-sik"]


def test_surname_only_references_resolve_to_the_person_named_before():
    text = "Lloyd J. Austin III met Lee Jong-Sup. Austin said Lee agreed."
    names = [m.name for m in find_people(text, load_roster(), date(2022, 7, 28))]
    assert names == ["Lloyd Austin", "Lee Jong-sup", "Lloyd Austin", "Lee Jong-sup"]


def test_titled_surname_resolves_by_office_on_the_date():
    people = find_people("Minister Shin said the drills would go on.", load_roster(), date(2024, 3, 1))
    assert [m.name for m in people] == ["Shin Won-sik"]


def test_unknown_official_with_a_title_is_found():
    people = find_people("Defense Minister Richard Marles hosted the talks.", load_roster(), None)
    assert [(m.name, m.official) for m in people] == [("Richard Marles", None)]
    assert people[0].office == "Defense Minister"


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "fixture.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_analysis_piece_has_no_participants(tmp_path):
    text = (
        "Why extended deterrence matters\n"
        "Analysts say the alliance faces a test as Kim Jong-un expands his arsenal and President Joe Biden "
        "weighs his options for the region and its allies in the coming months.\n"
        "Experts argue that the commitment must be credible to deter the North from further provocations."
    )
    result = parse_file(_write(tmp_path, text))
    assert result["participants"] == []
    assert {p["name"] for p in result["mentioned"]} == {"Kim Jong-un", "Joe Biden"}
    assert result["meeting_date"] is None


def test_video_call_format_and_user_roster_override(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "officials.csv").write_text(
        "canonical_name,country,office,start,end,aliases,hangul,confidence\n"
        "Richard Marles,AU,Minister for Defence,2022-05-23,,Marles,,high\n"
    )
    text = (
        "Ministers talk\nDefense Minister Shin Won-sik held a video conference with Richard Marles on Tuesday, "
        "the ministry said, and the two agreed to deepen cooperation between their militaries.\n"
    )
    result = parse_file(_write(tmp_path, text), data)
    assert [p["name"] for p in result["participants"]] == ["Shin Won-sik", "Richard Marles"]
    assert result["participants"][1]["office"] == "Minister for Defence"
    assert result["format"] == "video"


@pytest.mark.parametrize("written", ["Korea Herald", "The Korea Herald", "the korea herald", "Herald Corporation"])
def test_outlet_names_are_normalised(written):
    source = normalise(written, outlet_table())
    assert source is not None and source.name == "The Korea Herald"


@pytest.mark.parametrize(
    ("furniture", "credits", "expected"),
    [
        (["Contact the desk at tips@koreatimes.co.kr"], [], ("The Korea Times", None, None)),
        (["Jane Smith jane.smith@viewusglobal.com"], [], ("ViewUS", None, "Jane Smith")),
        (["Jane Smith", "jane.smith@viewusglobal.com"], [], ("ViewUS", None, "Jane Smith")),
        (["Contact Us info@viewusglobal.com"], [], ("ViewUS", None, None)),
        (
            ["Copyright 2024 Herald Corporation. All rights reserved."],
            ["(Seoul=Newsis)"],
            ("The Korea Herald", "Newsis", None),
        ),
        (["© Stars and Stripes"], ["By Yonhap"], ("Stars and Stripes", "Yonhap", None)),
        (
            ["Seoul/UNI: The ministers met."],
            ["Reporting by Kim Tong-hyung"],
            (None, "United News of India", "Kim Tong-hyung"),
        ),
    ],
)
def test_outlet_wire_and_author_from_page_furniture(furniture, credits, expected):
    assert find_sources(furniture, credits, {}, outlet_table()) == expected


def test_meta_tags_name_the_outlet_and_author_first():
    meta = {"og:site_name": "Korea Herald", "author": "By Choi Si-young"}
    assert find_sources(["© Other Outlet"], [], meta, outlet_table()) == ("The Korea Herald", None, "Choi Si-young")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Stand: 13.11.2023, 09:00 Uhr", date(2023, 11, 13)),
        ("2023年11月13日 09:00", date(2023, 11, 13)),
        ("Posted 13/11/2023", date(2023, 11, 13)),
        ("Posted 11/13/2023", date(2023, 11, 13)),
        ("Posted 05/06/2023", None),  # May 6 or 5 June: not guessed
    ],
)
def test_more_publication_date_formats(text, expected):
    assert published_date({}, (text,), "page.txt")[0] == expected


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("By TOM KRISHER, AP Auto Writer", "Tom Krisher"),
        ("FEDERICA LUSIARDI - 2019-04-10", "Federica Lusiardi"),
        ("Amy Kuperinsky | NJ Advance Media for NJ.com", "Amy Kuperinsky"),
        ("Troy L. Smith, Cleveland.com", "Troy L. Smith"),
        ("KIM EUN-JUNG", "Kim Eun-jung"),
        ("Jane Doe and John Roe", "Jane Doe; John Roe"),
    ],
)
def test_author_is_the_name_without_role_site_or_date(written, expected):
    assert find_sources([], [], {"author": written}, outlet_table())[2] == expected
    assert find_sources([], [f"By {written.removeprefix('By ')}"], {}, outlet_table())[2] == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("27 octobre 2023", date(2023, 10, 27)),
        ("08. Februar 2022", date(2022, 2, 8)),
        ("Miércoles, 15 de Abril de 2020", date(2020, 4, 15)),
        ("31 stycznia 2020 | 10:00", date(2020, 1, 31)),
        ("5 марта 2021 г.", date(2021, 3, 5)),
        ("12 березня 2022", date(2022, 3, 12)),
        ("4 maggio 2019 ore 10:15", date(2019, 5, 4)),
        ("3 de março de 2020", date(2020, 3, 3)),
        ("12 maart 2021", date(2021, 3, 12)),
        ("2020年3月4日 10:00", date(2020, 3, 4)),
        ("Von R. am 07.08.2013", date(2013, 8, 7)),
        ("By Jane Smith on April 29, 2018", date(2018, 4, 29)),
        ("Oct 03,2013", date(2013, 10, 3)),
        ("Posted on : Feb.4,2017 16:55 KST", date(2017, 2, 4)),
        ("01.21.2020 07:00 AM", date(2020, 1, 21)),
    ],
)
def test_publication_date_lines_in_the_users_languages(line, expected):
    assert published_date({}, ("Some headline", line), "page.txt")[0] == expected


def test_a_time_glued_to_a_two_digit_year_is_not_the_year_1914():
    assert published_date({}, ("28.09.1914:40",), "page.txt")[0] == date(2019, 9, 28)
    assert published_date({}, ("Geboren 1914", "12.03.1987"), "page.txt")[0] is None  # before 1990


def test_original_date_is_preferred_over_the_update():
    lines = ("Headline", "Updated: 2024-10-31 07:15 KST", "입력 2024-10-30 18:02")
    assert published_date({}, lines, "page.txt") == (date(2024, 10, 30), "labelled date line")


def test_dates_in_a_related_stories_list_are_not_the_articles():
    lines = ("Headline", "The ministers met on Tuesday.", "Lesen Sie auch", "14/08/2021", "Another story")
    assert published_date({}, lines, "page.txt", anchor=0) == (None, None)
    body = tuple(f"Paragraph {i} of the story." for i in range(14))
    comments = ("1. Mai 2022", "Nice", "2. Mai 2022", "Agreed", "30. April 2022")
    lines = ("Comments", *comments, *body, "Headline", "3. Mai 2022", *body, *comments)
    assert published_date({}, lines, "page.txt", anchor=20) == (date(2022, 5, 3), "date line")
    assert published_date({}, ("Headline", *comments), "page.txt") == (None, None)  # a list, not a date


def test_slash_dates_follow_the_order_the_page_shows():
    assert published_date({}, ("05/06/2023", "Comment 13/06/2023 by x"), "p.txt")[0] == date(2023, 6, 5)
    assert published_date({}, ("05/06/2023",), "p.txt")[0] is None


def test_no_publication_date_after_the_files_day():
    assert published_date({}, ("12 March 2031",), "page.txt", latest=date(2030, 1, 1)) == (None, None)


def test_htmldate_is_overruled_by_a_labelled_line_unless_the_url_backs_it():
    lines = ("Headline", "Published: 3 March 2021")
    assert published_date({}, lines, "p.html", library="2021-03-09") == (date(2021, 3, 3), "labelled date line")
    url = "https://example.org/2021/03/09/story/"
    assert published_date({}, lines, "p.html", library="2021-03-09", url=url) == (date(2021, 3, 9), "html (htmldate)")


def test_the_date_after_a_byline_beats_the_sites_today_line_in_the_header():
    header = ("Sign up for Newsletters", "36°F", "Thursday, November 9th 2023", "Digital Replica Edition")
    byline = (
        "By",
        "Matt Schubert",
        "|",
        "mschubert@denverpost.com",
        "| The Denver Post",
        "November 8, 2023 at 6:09 p.m.",
    )
    lines = (
        *header,
        "Preps",
        "Playoffs: chalk, toss-ups and upset alerts",
        *byline,
        "The state playoffs are down to 16.",
    )
    got = published_date({}, lines, "page.txt", anchor=5)
    assert got == (date(2023, 11, 8), "date line after the byline")
    # the byline of a teaser in a list of other stories says nothing about this page
    teasers = ("Von Hans Heckel", "27.10.2023", "Story two", "31.10.2023", "Story three", "02.11.2023")
    lines = ("Wettstreit der Scheinlösungen", "06.11.2023", *(f"Paragraph {i}." for i in range(20)), *teasers)
    assert published_date({}, lines, "page.txt", anchor=0)[0] == date(2023, 11, 6)


def test_a_list_of_dated_headlines_gives_the_date_under_the_pages_own_headline():
    title = "„Zentrum am Berg“ offiziell eröffnet - Bundesfeuerwehrverband"
    latest = ("Wenig Wissen über Freiwilligkeit", "11.10.2021 - 15:22", "Brandauswirkungen von Fahrzeugen")
    lines = ("Aktuelles", "„Zentrum am Berg“ offiziell eröffnet", "20.10.2021 - 10:24", "Krugfahrt verstorben")
    lines = (*lines, "14.10.2021 - 11:49", *latest, "08.10.2021 - 15:33")
    assert published_date({}, lines, "page.txt", title=title) == (date(2021, 10, 20), "date line under the headline")
    assert published_date({}, lines, "page.txt") == (None, None)  # without the headline: a list, not a date
    # a list that puts each date above its headline
    lines = ("The Latest", "[ October 26, 2020 ]", "Absentee Ballots Are Slow to Return", "Audio")
    lines = (*lines, "[ October 25, 2020 ]", "Sunday Talk", "Audio", "[ October 24, 2020 ]", "Snows", "Audio")
    got = published_date({}, lines, "page.txt", title="Absentee Ballots Are Slow to Return – Mix 107.3")
    assert got == (date(2020, 10, 26), "date line under the headline")


def test_a_date_inside_the_headline_is_its_subject_but_a_dateline_part_of_it_counts():
    title = "JRA winners of sale graduates (2020/7/11-12, eighteen horses)"
    lines = (title, "2020年07月12日 | Sale news", "On 11 and 12 July the JRA races were run.")
    assert published_date({}, lines, "page.txt", title=title)[0] == date(2020, 7, 12)
    title = "08.11.2021 | Online-Fachtag zum Intersex Day of Remembrance"
    lines = ("Aktuelles", title, "Online-Fachtag zum Intersex Day of Remembrance", "Am 8. November findet er statt.")
    assert published_date({}, lines, "page.txt", anchor=1, title=title)[0] == date(2021, 11, 8)


def test_the_date_under_an_embedded_post_is_the_posts_and_only_bounds_the_page():
    tweet = ("Trump has arrived at his golf club.", "— Daniel Dale (@ddale8)", "January 1, 2020")
    lines = ("Trump visited a golf course", *tweet, "Last updated: January 3, 2020")
    assert published_date({}, lines, "page.txt") == (date(2020, 1, 3), "'updated' date line")
    later = ("The documents are incriminating.", "— Natasha Bertrand (@NatashaBertrand)", "January 2, 2020")
    lines = ("Trump visited a golf course", *tweet, *later)
    assert published_date({}, lines, "page.txt") == (date(2020, 1, 2), "date of a post the page quotes")


def test_a_weekday_date_in_the_sites_top_bar_is_today_not_the_articles_date():
    top = ("Die Tagespost", "Mittwoch, 08. Juli 2020", "Abo", "Leben")
    lines = (*top, "Warum wir jetzt Demut brauchen", "Von Anna", "Text", "Text", "Text", "24.04.2020")
    assert published_date({}, lines, "page.txt", anchor=4)[0] == date(2020, 4, 24)
    # nothing else dated: the top bar's day is all there is (a page read the day it came out)
    assert published_date({}, (*top, "Warum wir jetzt Demut brauchen"), "page.txt")[0] == date(2020, 7, 8)
    # further down, a weekday opens many an article's own date line
    lines = ("Site", "Home", "News", "Sport", "Weather", "Opinion", "Headline", "Samstag, 5. Oktober 2013")
    assert published_date({}, lines, "page.txt", anchor=6) == (date(2013, 10, 5), "date line")


def test_digits_of_other_scripts_and_a_bullet_operator_between_date_and_credit():
    assert published_date({}, ("Headline", "শনিবার, আগস্ট ২৯, ২০২০ |"), "p.txt")[0] == date(2020, 8, 29)
    lines = ("Headline", "16.10.2019 betrifft: ... ∙ SWR Fernsehen")
    assert published_date({}, lines, "p.txt")[0] == date(2019, 10, 16)


def test_htmldate_loses_to_the_only_date_the_page_shows_and_to_its_own_date_line_over_a_comment_date():
    lines = (
        "Faster Docker builds",
        "by Itamar Turner-Trauring",
        "Last updated 04 Jun 2020",
        "Docker builds can be slow.",
    )
    got = published_date({}, lines, "p.html", library="2019-06-17")
    assert got == (date(2020, 6, 4), "'updated' date line, the only date the page shows")
    lines = ("Published: 17 Jun 2019", *lines)  # the page shows htmldate's day too: the original stands
    assert published_date({}, lines, "p.html", library="2019-06-17")[0] == date(2019, 6, 17)
    comments = (
        "23.09.20 | 18:19 Rezeptsammlerin",
        "Toll",
        "26.09.20 | 10:40 Marianne1",
        "Ja",
        "22.09.20 | 12:45 emari",
    )
    lines = ("am 20.09.2020", *(f"Absatz {i}." for i in range(14)), "Tomaten richtig schneiden", "Text", *comments)
    got = published_date({}, lines, "p.html", anchor=15, library="2020-09-22")
    assert got == (date(2020, 9, 20), "date line (htmldate's date is in a list of other dates)")


@pytest.mark.parametrize(
    ("byline", "expected"),
    [
        ("By ASHLEY ROWAN | STARS AND STRIPES", "Ashley Rowan"),
        ("By Nora Whitfield and Park Se-jin", "Nora Whitfield; Park Se-jin"),
        ("BY SHIN YOO-JIN, LEE DONG-HWAN [shin.yoojin@joongang.co.kr]", "Shin Yoo-jin; Lee Dong-hwan"),
        ("Reporter : Choi Yu-na", "Choi Yu-na"),
        ("(서울=연합뉴스) 김민수 기자 = 정경두 국방부 장관은", "김민수"),
        ("AYA MORINAGA, Nikkei staff writer", "Aya Morinaga"),
        ("By Ryan Ellis March 3, 2019", "Ryan Ellis"),
        ("By [11]Daniel Okafor", "Daniel Okafor"),
    ],
)
def test_bylines_give_people(byline, expected):
    assert find_sources([], [byline], {}, outlet_table())[2] == expected


@pytest.mark.parametrize(
    "meta_author", ["Times Of India Online", "Campact-Team", "Luke Kemp 11 February 2020", "finanztreff.de"]
)
def test_an_author_is_never_a_date_site_or_organisation(meta_author):
    author = find_sources([], [], {"author": meta_author}, outlet_table())[2]
    assert author in (None, "Luke Kemp")


SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.mark.skipif(not (SHARED / "date-bench" / "gold.json").is_file(), reason="shared/ is not beside the repository")
def test_metadata_read_from_the_cleaners_tree_is_what_a_parse_of_its_own_gives():
    """clean_and_parse hands the metadata readers the tree blocks.html_tree parsed; they must find
    what they find on trafilatura's own parse, and leave the tree as it was for the cleaner. The
    pages: the dev set's HTML and date-bench pages with an XHTML doctype, no doctype, a fragment
    opening (parsed again) and a dubious beginning."""
    import gzip

    from lxml.etree import tostring

    from alliance.blocks import html_tree
    from alliance.parse.htmlmeta import html_metadata, same_tree_as_load_html
    from alliance.rawfile import decode

    pages = [p.read_text("utf-8") for p in sorted((SHARED / "dev-articles" / "raw").glob("*.html"))]
    for stem in ("1651753632.html", "focus.de.leasen.html", "pbrunst.de.html", "einfachspanien.de.ma"):
        for path in (SHARED / "date-bench" / "pages").glob(f"{stem}*"):
            pages.append(decode(gzip.decompress(path.read_bytes()), is_html=True)[0])
    assert len(pages) >= 15
    shared = 0
    for html in pages:
        tree = html_tree(html)
        before = tostring(tree)
        assert html_metadata(html, date(2026, 1, 1), tree) == html_metadata(html, date(2026, 1, 1))
        assert tostring(tree) == before
        shared += same_tree_as_load_html(html)
    assert 0 < shared < len(pages)  # most pages share the tree; a fragment page is parsed again
