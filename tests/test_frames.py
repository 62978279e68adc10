"""The meeting frame and page furniture on pages no rule was written for: fixtures written here."""

from datetime import date
from pathlib import Path

import pytest

from alliance.api import parse_file
from alliance.parse.outlets import find_sources, normalise, outlet_table
from alliance.parse.title import is_navigation

FIXTURES = Path(__file__).parent / "fixtures" / "frames"


def test_headline_is_not_the_menu_above_it() -> None:
    parsed = parse_file(FIXTURES / "menu_headline.txt")
    assert parsed["title"] == "Allies pledge closer missile data sharing at defense talks"


def test_navigation_lines() -> None:
    assert is_navigation("Home | Politics | North Korea | Economy | Society")
    assert is_navigation("Military Theaters Veterans Opinion Features Photos Video Archives")
    assert is_navigation("[2]Skip to main content")
    assert not is_navigation("Lee, Trump hold first summit at White House, discuss alliance")
    assert not is_navigation("Secretary Blinken's Meeting with Republic of Korea Foreign Minister Cho")


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("KoreaTimes", "The Korea Times"),
        ("Chosunilbo & Chosun", "The Chosun Ilbo"),
        ("The Hankyoreh Media Company", "The Hankyoreh"),
        ("NK News - North Korea News", "NK News"),
        ("YONHAP NEWS AGENCY", "Yonhap"),
        ("AP NEWS", "Associated Press"),
    ],
)
def test_unseen_spellings_of_known_outlets(written: str, canonical: str) -> None:
    source = normalise(written, outlet_table())
    assert source is not None and source.name == canonical


def test_agency_page_is_its_own_outlet_and_no_wire() -> None:
    furniture = [
        "Yonhap News Agency",
        "Copyright (c) Yonhap News Agency prohibits its content from being redistributed.",
    ]
    assert find_sources(furniture, ["SEOUL, May 2 (Yonhap) --"], {}, outlet_table())[:2] == ("Yonhap", None)


def test_photo_credit_is_not_the_wire() -> None:
    assert find_sources(["KBS WORLD", "Photo : YONHAP News"], [], {}, outlet_table())[:2] == ("KBS World", None)


def test_korean_page_names_titles_date_and_format(tmp_path: Path) -> None:
    """Hangul names with their titles, '지난달 28일' against the publication date, 화상 회의."""
    from alliance.parse.korean import korean_day

    assert korean_day("지난달 28일 화상 회의를 열고", date(2023, 3, 10)) == (
        date(2023, 2, 28),
        "Korean day of month (지난달 28일)",
    )
    assert korean_day("9일 서울에서 회담을 열고", date(2019, 8, 10))[0] == date(2019, 8, 9)
    parsed = parse_file(FIXTURES / "korean_call.txt", tmp_path)
    people = {p["name"]: p for p in parsed["participants"]}
    assert set(people) == {"박민수", "존 스미스"}
    assert people["존 스미스"]["office"] == "Secretary of Defense"
    assert parsed["format"] == "video"
