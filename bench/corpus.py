"""Generate N realistic raw files for the search benchmark.

Each file is a text dump (one in ten is HTML) of a news page from one of several site
templates (menus, "Latest Stories" lists, share widgets, copyright footers), reporting a
meeting between officials drawn from the shipped roster on a date inside both tenures,
written with the site's date format. Filler paragraphs come from real news text (the gold
bodies of ../shared/cleaning-bench, else the seeds) so the vocabulary is a real one. The
phrases analysts search for are planted at known rates (PLANTED), so a benchmark query's hit
count is known in advance.

    python bench/corpus.py --docs 1000 --out bench/out/1000/raw
"""

from __future__ import annotations

import argparse
import csv
import html
import json
import random
import re
from dataclasses import dataclass
from datetime import date, timedelta
from importlib import resources
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT.parent / "shared" / "cleaning-bench" / "gold.json"

PLANTED = {
    "extended deterrence": 0.30,
    "ironclad": 0.20,
    "Nuclear Consultative Group": 0.10,
    "trilateral security cooperation": 0.15,
    "확장억제": 0.02,
}
"""Phrase -> share of documents that contain it (each planted once in one paragraph)."""

PLANTED_SENTENCES = {
    "extended deterrence": "The two sides agreed to strengthen extended deterrence against the North's nuclear threat.",
    "ironclad": "The minister called the alliance ironclad and said the commitment would not waver.",
    "Nuclear Consultative Group": "They reviewed progress of the Nuclear Consultative Group since its launch.",
    "trilateral security cooperation": (
        "Both stressed trilateral security cooperation with Japan in the face of missile launches."
    ),
    "확장억제": "양측은 확장억제 강화 방안을 논의했다.",
}


@dataclass(frozen=True)
class Site:
    outlet: str
    domain: str
    menu: tuple[str, ...]
    date_format: str
    footer: tuple[str, ...]
    wire_credit: str


SITES = (
    Site(
        "The Korea Herald",
        "koreaherald.com",
        ("Home", "National", "Politics", "Defense", "North Korea", "Business", "Opinion", "Search"),
        "Published : {mon} {day}, {year} - {hh}:{mm}",
        ("MOST POPULAR", "PRIVACY STATEMENT COPYRIGHT POLICY", "Copyright Herald Corporation. All Rights Reserved."),
        "(Yonhap)",
    ),
    Site(
        "The Korea Times",
        "koreatimes.co.kr",
        ("Korea Times", "North Korea", "Politics", "Foreign Affairs", "Defense", "Lifestyle", "Sports"),
        "Updated: {year}-{mm2}-{dd2} {hh}:{mm} KST",
        ("Share it on", "Facebook", "Twitter", "Comments0", "© The Korea Times. All rights reserved."),
        "Yonhap",
    ),
    Site(
        "Korea JoongAng Daily",
        "koreajoongangdaily.joins.com",
        ("Subscribe", "National", "Politics", "Defense", "Business", "Entertainment", "Opinion"),
        "{year}.{mm2}.{dd2} {hh}:{mm}",
        ("Related Stories", "Copyright by Korea JoongAng Daily. All rights reserved.", "Terms of Use"),
        "By Yonhap",
    ),
    Site(
        "Stars and Stripes",
        "stripes.com",
        ("News", "Military", "Pacific", "Veterans", "Opinion", "Subscribe", "Sign in"),
        "{day} {month} {year}",
        ("Latest Stories", "Newsletter sign-up", "© {year} Stars and Stripes. All rights reserved."),
        "Reporting by Reuters",
    ),
    Site(
        "Newsis",
        "newsis.com",
        ("뉴시스", "정치", "국방", "외교", "경제", "사회", "Search"),
        "{year}년 {mm2}월 {dd2}일",
        ("많이 본 기사", "Copyright © NEWSIS.COM, All rights reserved."),
        "(Seoul=Newsis)",
    ),
)

PAIRS = (
    ("Minister of National Defense", "Secretary of Defense"),
    ("Minister of Foreign Affairs", "Secretary of State"),
)
FORMATS = (
    ("held phone talks with", "phone"),
    ("spoke by phone with", "phone"),
    ("held a video conference with", "video"),
    ("met with", "in-person"),
    ("held talks with", "in-person"),
)
TALKS = {"phone": "phone talks", "video": "video talks", "in-person": "talks"}
PLACES = ("Seoul", "Washington", "the Pentagon", "Singapore", "Tokyo", "Hawaii")
TITLES = {
    "Minister of National Defense": "Defense Minister",
    "Secretary of Defense": "U.S. Secretary of Defense",
    "Minister of Foreign Affairs": "Foreign Minister",
    "Secretary of State": "U.S. Secretary of State",
}


def officials() -> list[dict[str, str]]:
    text = resources.files("alliance.data").joinpath("officials.csv").read_text(encoding="utf-8")
    return [r for r in csv.DictReader(line for line in text.splitlines() if line.strip())]


def meeting_pairs() -> list[tuple[dict[str, str], dict[str, str], date, date]]:
    """Korean and US counterparts whose tenures overlap, with the overlap."""
    rows = officials()
    pairs = []
    for kr_office, us_office in PAIRS:
        for kr in (r for r in rows if r["country"] == "KR" and r["office"] == kr_office):
            for us in (r for r in rows if r["country"] == "US" and r["office"] == us_office):
                start = max(date.fromisoformat(kr["start"]), date.fromisoformat(us["start"]))
                end = min(date.fromisoformat(kr["end"] or "2026-06-30"), date.fromisoformat(us["end"] or "2026-06-30"))
                if start < end:
                    pairs.append((kr, us, start, end))
    return pairs


def filler_sentences() -> list[str]:
    """English sentences of real news text, to compose paragraphs no two pages share."""
    if GOLD.exists():
        gold = json.loads(GOLD.read_text(encoding="utf-8"))
        texts = [str(b.get("articleBody", "")) for b in gold.values()]
    else:
        texts = [p.read_text(encoding="utf-8", errors="replace") for p in (ROOT / "data" / "raw").iterdir()]
    sentences = (s.strip() for t in texts for s in re.split(r"(?<=[.!?])\s+(?=[A-Z])", t.replace("\n", " ")))
    english = re.compile(r"\b(?:the|and|of|to|in)\b")
    return [s for s in sentences if 8 <= len(s.split()) <= 60 and len(english.findall(s)) >= 2]


def paragraph(rng: random.Random, sentences: list[str]) -> str:
    return " ".join(rng.sample(sentences, rng.randrange(2, 5)))


def format_date(site: Site, day: date, rng: random.Random) -> str:
    return site.date_format.format(
        year=day.year,
        mon=day.strftime("%b"),
        month=day.strftime("%B"),
        day=day.day,
        mm2=f"{day.month:02d}",
        dd2=f"{day.day:02d}",
        hh=f"{rng.randrange(6, 23):02d}",
        mm=f"{rng.randrange(60):02d}",
    )


def article(rng: random.Random, pairs: list, filler: list[str], headlines: list[str]) -> tuple[Site, list[str], str]:
    """(site, body paragraphs with the lead first, title) for one generated article."""
    site = rng.choice(SITES)
    kr, us, start, end = rng.choice(pairs)
    met = start + timedelta(days=rng.randrange((end - start).days + 1))
    verb, _fmt = rng.choice(FORMATS)
    place = f" in {rng.choice(PLACES)}" if _fmt == "in-person" else ""
    when = met.strftime("%B ") + str(met.day)
    lead = (
        f"{TITLES[kr['office']]} {kr['canonical_name']} {verb} {TITLES[us['office']]} "
        f"{us['canonical_name']}{place} on {when}, {met.year}, to discuss the alliance and North Korea. "
        f"{rng.choice(filler)}"
    )
    body = [lead, *(paragraph(rng, filler) for _ in range(rng.randrange(4, 9)))]
    for phrase, rate in PLANTED.items():
        if rng.random() < rate:  # inside a paragraph: a line repeated on many pages is site template
            i = rng.randrange(1, len(body))
            body[i] = f"{body[i]} {PLANTED_SENTENCES[phrase]}"
    us_surname = us["canonical_name"].split()[-1]
    title = f"{kr['canonical_name'].split()[0]}, {us_surname} discuss alliance in {TALKS[_fmt]}"
    rng.shuffle(headlines)
    page = [
        *site.menu,
        title,
        format_date(site, met + timedelta(days=rng.randrange(2)), rng),
        *body,
        site.wire_credit,
        "Latest Stories",
        *headlines[:6],
        *(line.format(year=met.year) for line in site.footer),
    ]
    return site, page, title


def as_html(page: list[str], title: str) -> str:
    lines = "\n".join(f"<p>{html.escape(line)}</p>" for line in page)
    head = f"<meta charset='utf-8'><title>{html.escape(title)}</title>"
    return f"<!doctype html><html><head>{head}</head><body>{lines}</body></html>"


def generate(count: int, out: Path, seed: int = 7) -> None:
    """Write `count` raw files into `out` (created); the same seed gives the same files."""
    rng = random.Random(seed)
    pairs = meeting_pairs()
    filler = filler_sentences()
    headlines = [" ".join(s.split()[: rng.randrange(5, 11)]) for s in filler[:300]]
    out.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        site, page, title = article(rng, pairs, filler, headlines)
        name = f"{site.domain.split('.')[0]}-{i:06d}"
        if i % 10 == 9:
            (out / f"{name}.html").write_text(as_html(page, title), encoding="utf-8")
        else:
            (out / f"{name}.txt").write_text("\n".join(page) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    generate(args.docs, args.out, args.seed)


if __name__ == "__main__":
    main()
