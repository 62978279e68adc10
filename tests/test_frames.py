"""The meeting frame and page furniture on pages no rule was written for: fixtures written here."""

from pathlib import Path

from alliance.api import parse_file
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
