"""The meeting frame and page furniture on pages no rule was written for: fixtures written here."""

from datetime import date
from pathlib import Path

import pytest

from alliance.api import parse_file
from alliance.outlets import normalise, outlet_table
from alliance.parse.outlets import find_sources
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


def _names(people: list[dict[str, str]]) -> set[str]:
    return {p["name"] for p in people}


def test_officials_named_by_role_are_the_ones_the_next_sentence_names(tmp_path: Path) -> None:
    """'The defense ministers of A, B and C held talks' + the next sentence's names; the president
    who appointed one of them is mentioned, not a participant."""
    parsed = parse_file(FIXTURES / "trilateral_roles.txt", tmp_path)
    assert _names(parsed["participants"]) == {"Lee Jong-sup", "Lloyd Austin", "Nobuo Kishi"}
    assert "Yoon Suk Yeol" in _names(parsed["mentioned"])
    assert parsed["meeting_date"] == "2022-06-11"
    assert parsed["location"] == "Singapore"
    rules = {e["who"]: e["rule"] for e in parsed["evidence"]}
    assert rules["Nobuo Kishi"].startswith("role reference")
    assert "Saturday" in next(e["sentence"] for e in parsed["evidence"] if e["who"] == "meeting_date")


def test_a_second_meeting_stays_apart(tmp_path: Path) -> None:
    parsed = parse_file(FIXTURES / "other_meeting.txt", tmp_path)
    assert _names(parsed["participants"]) == {"Rex Tillerson", "Yun Byung-se"}
    assert [_names(m["participants"]) for m in parsed["other_meetings"]] == [{"Rex Tillerson", "Fumio Kishida"}]
    assert parsed["location"] == "Seoul"
    assert {"Fumio Kishida", "Barack Obama"} <= _names(parsed["mentioned"])


def test_an_analysis_piece_reports_no_meeting(tmp_path: Path) -> None:
    parsed = parse_file(FIXTURES / "analysis.txt", tmp_path)
    assert parsed["participants"] == [] and parsed["format"] is None and parsed["meeting_date"] is None


def test_leaders_beside_ministers_are_mentioned_not_participants(tmp_path: Path) -> None:
    page = tmp_path / "cho_rubio.txt"
    page.write_text(
        "Cho meets Rubio\nPublished: 2025-08-01\n\n"
        "South Korean Foreign Minister Cho Hyun met U.S. Secretary of State Marco Rubio in Washington on Thursday, "
        "as the allies prepare the first summit between President Lee Jae-myung and President Donald Trump.\n",
        encoding="utf-8",
    )
    parsed = parse_file(page, tmp_path)
    assert _names(parsed["participants"]) == {"Cho Hyun", "Marco Rubio"}
    assert {"Lee Jae-myung", "Donald Trump"} <= _names(parsed["mentioned"])


def test_a_long_title_before_the_name_picks_the_office(tmp_path: Path) -> None:
    """'co-chaired by Acting Assistant Secretary ... Jane Doe': the title after 'by', all of it."""
    (tmp_path / "officials.csv").write_text(
        "canonical_name,country,office,start,end,aliases,hangul,confidence\n"
        "Jane Doe,US,Principal Deputy Assistant Secretary of Defense for Space Policy,2022-03-01,2024-05-19,,,medium\n"
        "Jane Doe,US,Acting Assistant Secretary of Defense for Space Policy,2024-05-20,2024-08-09,,,medium\n"
        "Park Min-su,KR,Deputy Minister for National Defense Policy,2023-10-01,2025-07-31,,,medium\n",
        encoding="utf-8",
    )
    page = tmp_path / "ncg.txt"
    page.write_text(
        "Allies hold nuclear planning talks\nPublished: 2025-01-10\n\n"
        "The allies convened the Nuclear Consultative Group in Washington on January 10, 2025.\n\n"
        "The meeting was co-chaired by Acting Assistant Secretary of Defense for Space Policy Jane Doe "
        "and Deputy Minister for National Defense Policy Park Min-su.\n",
        encoding="utf-8",
    )
    parsed = parse_file(page, tmp_path)
    offices = {p["name"]: p["office"] for p in parsed["participants"]}
    assert offices["Jane Doe"] == "Acting Assistant Secretary of Defense for Space Policy"
    assert parsed["meeting_date"] == "2025-01-10"  # five months past the roster's end date: uncertain ends
    assert parsed["meeting_type"] == "Nuclear Consultative Group"


def test_his_counterpart_is_the_next_sentence_official_and_a_later_meeting_is_not_joined(tmp_path: Path) -> None:
    """'X and his US counterpart held talks' + 'X met Austin ... ahead of a two-plus-two with A and B':
    Austin is the counterpart; the two-plus-two's foreign ministers are not co-chairs of the talks."""
    parsed = parse_file(FIXTURES / "counterpart_then_2plus2.txt", tmp_path)
    assert _names(parsed["participants"]) == {"Minoru Kihara", "Lloyd Austin"}
    assert (parsed["meeting_date"], parsed["format"], parsed["location"]) == ("2024-07-28", "in-person", "Tokyo")


def test_a_readout_that_spoke_with_is_a_call(tmp_path: Path) -> None:
    page = tmp_path / "readout.txt"
    page.write_text(
        "Secretary Blinken's Call\n\nSecretary of State Antony J. Blinken spoke today with Republic of Korea "
        "Foreign Minister Cho Tae-yul. The Secretary reaffirmed the ironclad U.S.-ROK alliance.\n",
        encoding="utf-8",
    )
    parsed = parse_file(page, tmp_path)
    assert _names(parsed["participants"]) == {"Antony Blinken", "Cho Tae-yul"}
    assert parsed["format"] == "phone" and parsed["location"] is None
