"""The shipped roster (src/alliance/data/officials.csv): well-formed, consistent, and overridable."""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from datetime import date, timedelta
from importlib import resources

import pytest

from alliance.errors import BadInput
from alliance.parse.people import find_people
from alliance.roster import load_roster, name_key

COLUMNS = ["canonical_name", "country", "office", "start", "end", "aliases", "hangul", "confidence"]
COUNTRIES = {"US", "KR", "JP", "KP"}
CONFIDENCE = re.compile(r"high|medium(?: \((?:dates|start date|end date)\))?")
HANGUL = re.compile(r"[\uac00-\ud7a3 .A-Z]+")
"""A Hangul form: syllables, with the spaces and Latin initials of '조지 W. 부시'."""
SYLLABLE = re.compile(r"[\uac00-\ud7a3]")
OVERLAP_DAYS = 3
"""A handover may be dated a day or two apart by different sources; more is two holders at once."""
EARLIEST = date(1990, 1, 1)

OFFICES = {
    "US": {
        "President",
        "Secretary of State",
        "Acting Secretary of State",
        "Deputy Secretary of State",
        "Acting Deputy Secretary of State",
        "Assistant Secretary of State for East Asian and Pacific Affairs",
        "Acting Assistant Secretary of State for East Asian and Pacific Affairs",
        "Special Representative for North Korea",
        "Special Envoy for the Six-Party Talks",
        "Secretary of Defense",
        "Acting Secretary of Defense",
        "Deputy Secretary of Defense",
        "Acting Deputy Secretary of Defense",
        "Under Secretary of Defense for Policy",
        "Acting Under Secretary of Defense for Policy",
        "Deputy Under Secretary of Defense for Asian and Pacific Affairs",
        "Assistant Secretary of Defense for Asian and Pacific Security Affairs",
        "Assistant Secretary of Defense for Indo-Pacific Security Affairs",
        "Acting Assistant Secretary of Defense for Indo-Pacific Security Affairs",
        "Under Secretary of State for Arms Control and International Security",
        "Acting Under Secretary of State for Arms Control and International Security",
        "Principal Deputy Assistant Secretary of Defense for Space Policy",
        "Acting Assistant Secretary of Defense for Space Policy",
        "National Security Advisor",
        "Acting National Security Advisor",
        "Deputy National Security Advisor",
        "Coordinator for Indo-Pacific Affairs",
        "Chairman of the Joint Chiefs of Staff",
        "Acting Chairman of the Joint Chiefs of Staff",
        "Commander, U.S. Pacific Command",
        "Commander, U.S. Indo-Pacific Command",
        "Commander, USFK/CFC/UNC",
        "Ambassador to South Korea",
        "Acting Ambassador to South Korea",
        "Ambassador to Japan",
    },
    "KR": {
        "President",
        "Acting President",
        "Prime Minister",
        "Minister of Foreign Affairs",
        "First Vice Minister of Foreign Affairs",
        "Second Vice Minister of Foreign Affairs",
        "Special Representative for Korean Peninsula Peace and Security Affairs",
        "Minister of National Defense",
        "Acting Minister of National Defense",
        "Vice Minister of National Defense",
        "Deputy Minister for National Defense Policy",
        "Chairman of the Joint Chiefs of Staff (KR)",
        "Minister of Unification",
        "National Security Adviser (KR)",
        "Senior Presidential Secretary for Unification and Security (KR)",
        "Senior Presidential Secretary for Foreign Affairs and National Security (KR)",
        "Director of National Security (KR)",
        "First Deputy Director of National Security (KR)",
        "Ambassador to the United States",
    },
    "JP": {
        "Prime Minister",
        "Minister for Foreign Affairs",
        "Vice Minister for Foreign Affairs",
        "Secretary General of the National Security Secretariat",
        "Director General of the Japan Defense Agency",
        "Minister of Defense",
        "Acting Minister of Defense",
    },
    "KP": {"Supreme Leader", "Party official"},
}
"""The office vocabulary: a new row with a misspelt office fails here instead of becoming a new office."""

PREDECESSORS = {
    ("US", "Commander, U.S. Indo-Pacific Command"): "Commander, U.S. Pacific Command",
    ("JP", "Minister of Defense"): "Director General of the Japan Defense Agency",
}
"""Offices renamed during the period: their holders before the rename count for coverage."""

CONTINUOUS = [
    ("US", "President"),
    ("US", "Secretary of State"),
    ("US", "Secretary of Defense"),
    ("US", "National Security Advisor"),
    ("US", "Chairman of the Joint Chiefs of Staff"),
    ("US", "Commander, U.S. Indo-Pacific Command"),
    ("US", "Commander, USFK/CFC/UNC"),
    ("KR", "President"),
    ("KR", "Minister of Foreign Affairs"),
    ("KR", "Minister of National Defense"),
    ("KR", "Minister of Unification"),
    ("KR", "Chairman of the Joint Chiefs of Staff (KR)"),
    ("JP", "Prime Minister"),
    ("JP", "Minister for Foreign Affairs"),
    ("JP", "Minister of Defense"),
]
"""Offices with a holder (or an acting one) on every day since 2000: a gap longer than an
interregnum means a missing row."""
LONGEST_INTERREGNUM = timedelta(days=45)

EXISTING = [
    "Lloyd Austin",
    "Pete Hegseth",
    "Mark Esper",
    "Patrick Shanahan",
    "James Mattis",
    "Christopher Miller",
    "Antony Blinken",
    "Mike Pompeo",
    "Rex Tillerson",
    "Marco Rubio",
    "Song Young-moo",
    "Jeong Kyeong-doo",
    "Suh Wook",
    "Lee Jong-sup",
    "Shin Won-sik",
    "Kim Yong-hyun",
    "Kim Seon-ho",
    "Ahn Gyu-back",
    "Kang Kyung-wha",
    "Chung Eui-yong",
    "Park Jin",
    "Cho Tae-yul",
    "Cho Hyun",
    "Nobuo Kishi",
    "Yasukazu Hamada",
    "Minoru Kihara",
    "Gen Nakatani",
    "Shinjiro Koizumi",
    "Taro Kono",
    "Takeshi Iwaya",
    "Itsunori Onodera",
    "Toshimitsu Motegi",
    "Yoshimasa Hayashi",
    "Yoko Kamikawa",
    "Donald Trump",
    "Joe Biden",
    "Moon Jae-in",
    "Yoon Suk Yeol",
    "Lee Jae-myung",
    "Han Duck-soo",
    "Choi Sang-mok",
    "Kim Jong-un",
    "Kim Yo-jong",
    "Robert Abrams",
    "Paul LaCamera",
    "Xavier Brunson",
    "Mark Milley",
    "Charles Q. Brown",
]
"""Canonical names shipped before the roster grew: stored people, users' files and tests refer to them."""


def _shipped_lines() -> list[str]:
    text = resources.files("alliance").joinpath("data/officials.csv").read_text("utf-8")
    return [line for line in text.splitlines() if line and not line.startswith("#")]


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    return list(csv.DictReader(_shipped_lines()))


def _day(value: str) -> date | None:
    return date.fromisoformat(value) if value else None


def test_every_line_is_one_well_formed_row():
    lines = _shipped_lines()
    assert next(csv.reader(lines[:1])) == COLUMNS
    for number, fields in enumerate(csv.reader(lines[1:]), start=2):
        assert len(fields) == len(COLUMNS), f"line {number}: {fields}"
        assert all(f == f.strip() for f in fields), f"line {number}: stray spaces"
    offices = {r["office"] for r in csv.DictReader(lines)}
    assert "Commander, USFK/CFC/UNC" in offices  # the comma is quoted, not a column break


def test_the_shipped_file_loads_every_row(rows):
    roster = load_roster()
    assert {o.name for o in roster} == {r["canonical_name"] for r in rows}
    assert sum(len(o.tenures) for o in roster) == len(rows)


def test_every_row_has_a_known_country_office_and_ordered_dates(rows):
    today = date.today()
    for r in rows:
        where = f"{r['canonical_name']} ({r['office']})"
        assert r["country"] in COUNTRIES, where
        assert r["office"] in OFFICES[r["country"]], where
        start, end = _day(r["start"]), _day(r["end"])
        assert start is not None and EARLIEST <= start <= today, where
        assert end is None or start <= end <= today, where
        assert end is None or end >= date(2000, 1, 1), f"{where} left office before 2000"
        assert CONFIDENCE.fullmatch(r["confidence"]), where
        for alias in filter(None, r["aliases"].split(";")):
            assert alias == alias.strip() and not SYLLABLE.search(alias), f"{where}: alias {alias!r}"
        for hangul in filter(None, r["hangul"].split(";")):
            assert HANGUL.fullmatch(hangul) and SYLLABLE.search(hangul), f"{where}: {hangul!r}"


def test_koreans_have_hangul(rows):
    assert [r["canonical_name"] for r in rows if r["country"] in {"KR", "KP"} and not r["hangul"]] == ["Lee Jun"]


def test_no_two_holders_of_an_office_overlap(rows):
    """Acting holders carry their own office ('Acting President'), so an acting president beside a
    suspended one is not an overlap; two holders of the same office at once are."""
    holders: dict[tuple[str, str], list[tuple[date, date, str]]] = defaultdict(list)
    for r in rows:
        start, end = _day(r["start"]), _day(r["end"]) or date.today()
        assert start is not None
        holders[(r["country"], r["office"])].append((start, end, r["canonical_name"]))
    for office, tenures in holders.items():
        tenures.sort()
        latest_end, holder = tenures[0][1], tenures[0][2]
        for start, end, successor in tenures[1:]:
            assert (latest_end - start).days <= OVERLAP_DAYS, (
                f"{office}: {holder} until {latest_end}, {successor} from {start}"
            )
            if end > latest_end:
                latest_end, holder = end, successor


def test_core_offices_are_held_on_every_day_since_2000(rows):
    for country, office in CONTINUOUS:
        names = {office, f"Acting {office}", PREDECESSORS.get((country, office))}
        spans = sorted(
            (_day(r["start"]), _day(r["end"]) or date.today())
            for r in rows
            if r["country"] == country and r["office"] in names
        )
        covered = date(2000, 1, 1)
        assert spans[0][0] <= covered, (country, office)
        for start, end in spans:
            assert start - covered <= LONGEST_INTERREGNUM, f"{country} {office}: nobody from {covered} to {start}"
            covered = max(covered, end)
        assert covered == date.today(), (country, office)


def test_one_canonical_name_per_person(rows):
    """Every written form leads to one person, and one person's rows agree on their country."""
    owners: dict[str, set[str]] = defaultdict(set)
    countries: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        countries[r["canonical_name"]].add(r["country"])
        for form in [r["canonical_name"], *r["aliases"].split(";"), *r["hangul"].split(";")]:
            if form.strip():
                owners[name_key(form)].add(r["canonical_name"])
    assert {k: v for k, v in owners.items() if len(v) > 1} == {}
    assert {n: c for n, c in countries.items() if len(c) > 1} == {}


def test_existing_canonical_names_are_kept():
    roster = load_roster()
    assert [name for name in EXISTING if roster.get(name) is None] == []


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("Chuck Hagel", "Chuck Hagel"),
        ("Ashton B. Carter", "Ash Carter"),
        ("Yun Byeong-se", "Yun Byung-se"),
        ("윤병세", "Yun Byung-se"),
        ("kim tae hyo", "Kim Tae-hyo"),
        ("Kurt M. Campbell", "Kurt Campbell"),
        ("Hamada Yasukazu", "Yasukazu Hamada"),
        ("Hillary Rodham Clinton", "Hillary Clinton"),
        ("Robert M. Gates", "Robert Gates"),
        ("반기문", "Ban Ki-moon"),
    ],
)
def test_written_forms_find_the_official(written, canonical):
    assert load_roster().lookup(written).name == canonical


def test_the_office_held_on_a_day_and_the_one_a_title_names():
    roster = load_roster()
    kim = roster.lookup("Kim Kwan-jin")
    assert kim.office_on(date(2012, 5, 1)).office == "Minister of National Defense"
    assert kim.office_on(date(2015, 1, 1)).office == "Director of National Security (KR)"
    assert kim.office_on(date(2007, 6, 1)).office == "Chairman of the Joint Chiefs of Staff (KR)"
    shin = roster.lookup("Shin Won-sik")
    assert shin.tenure_for(None).office == "Director of National Security (KR)"  # the latest
    assert shin.tenure_for(None, "Defense Minister ").office == "Minister of National Defense"
    assert shin.tenure_for(None, "national security adviser ").office == "Director of National Security (KR)"
    seon_ho = roster.lookup("Kim Seon-ho")
    day = date(2025, 1, 10)
    assert seon_ho.tenure_for(day, "Acting Defense Minister ").office == "Acting Minister of National Defense"
    assert seon_ho.tenure_for(day, "Vice Defense Minister ").office == "Vice Minister of National Defense"
    assert seon_ho.tenure_for(day, "said ").office == seon_ho.office_on(day).office


def test_a_user_file_overrides_and_extends_the_shipped_rows(tmp_path):
    (tmp_path / "officials.csv").write_text(
        "canonical_name,country,office,start,end,aliases,hangul,confidence\n"
        "# a corrected tenure replaces every shipped row for that person\n"
        "Chuck Hagel,US,Secretary of Defense,2013-02-27,2015-02-18,Charles Timothy Hagel,,high\n"
        'Jane Roe,US,"Commander, USFK/CFC/UNC",2030-01-01,,J. Roe,,medium (dates)\n',
        encoding="utf-8",
    )
    shipped, user = load_roster(), load_roster(tmp_path)
    hagel = user.get("Chuck Hagel")
    assert hagel is not None and [(t.start, t.end) for t in hagel.tenures] == [(date(2013, 2, 27), date(2015, 2, 18))]
    assert hagel.aliases == ("Charles Timothy Hagel",) and hagel.hangul == ()
    assert user.lookup("Charles Timothy Hagel").name == "Chuck Hagel"
    assert user.lookup("J. Roe").tenures[0].office == "Commander, USFK/CFC/UNC"
    assert len(user.officials) == len(shipped.officials) + 1
    shipped_hagel = shipped.get("Chuck Hagel")
    assert shipped_hagel is not None and shipped_hagel.tenures[0].end == date(2015, 2, 17)
    untouched = user.get("Ash Carter")
    assert untouched is not None and untouched == shipped.get("Ash Carter")


def test_a_user_file_with_a_bad_date_is_refused(tmp_path):
    (tmp_path / "officials.csv").write_text(
        "canonical_name,country,office,start,end,aliases,hangul,confidence\n"
        "Chuck Hagel,US,Secretary of Defense,27 Feb 2013,,,,high\n",
        encoding="utf-8",
    )
    with pytest.raises(BadInput, match="27 Feb 2013"):
        load_roster(tmp_path)


def test_a_hangul_name_inside_a_longer_one_is_not_matched():
    """조현 (Cho Hyun) is the start of 조현동 (Cho Hyun-dong), and 김건 of nothing here; Hangul
    names are matched without a word boundary, so the longer name must win its text."""
    roster = load_roster()
    found = find_people("조현동 주미대사는 14일 워싱턴에 도착했다. 조현 외교부 장관은", roster, date(2025, 7, 1))
    assert [(m.name, m.surface) for m in found] == [("Cho Hyun-dong", "조현동"), ("Cho Hyun", "조현")]
    contained = [
        (short.name, long.name)
        for short in roster
        for long in roster
        if short is not long and any(h in g and h != g for h in short.hangul for g in long.hangul)
    ]
    order = {o.name: i for i, o in enumerate(roster)}
    assert contained and all(order[long] < order[short] for short, long in contained)
