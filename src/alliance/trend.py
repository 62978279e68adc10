"""How often terms occur per period: documents that use them and occurrences, optionally per
meeting held in the period (so a busy year of talks does not pass for a change of language).

A document is dated by its effective date (when.py): meeting day, else publication day, else
its meeting window when the whole window falls in one period; documents with none of these are
counted as undated, not guessed. Occurrences are counted in the title and the body, from the
index (positions.py): no text is read. Syndicated copies of one story count once unless
`all_copies`.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any

from . import when
from .errors import BadInput
from .kwic import as_query
from .models import Progress
from .positions import per_date
from .search import Filters, parse_query
from .store import Store

PERIODS = ("year", "quarter", "month")
CSV_FIELDS = ("period", "term", "documents", "occurrences", "meetings", "documents_per_meeting")


def period_of(day: str, by: str) -> str:
    d = date.fromisoformat(day)
    if by == "year":
        return f"{d.year}"
    if by == "quarter":
        return f"{d.year}-Q{(d.month - 1) // 3 + 1}"
    return f"{d.year}-{d.month:02d}"


def _next_period(period: str, by: str) -> str:
    if by == "year":
        return str(int(period) + 1)
    if by == "quarter":
        year, quarter = int(period[:4]), int(period[-1])
        return f"{year + 1}-Q1" if quarter == 4 else f"{year}-Q{quarter + 1}"
    year, month = int(period[:4]), int(period[5:])
    return f"{year + 1}-01" if month == 12 else f"{year}-{month + 1:02d}"


@cache
def dated_period(shown: str | None, by: str) -> str | None:
    """The period of an effective date: its day's, or its window's when the window lies in one."""
    days = when.span(shown)
    if days is None:
        return None
    first, last = (period_of(d, by) for d in days)
    return first if first == last else None


@dataclass
class Count:
    documents: int = 0
    occurrences: int = 0


@dataclass
class Trend:
    by: str
    terms: list[str]
    periods: list[str]
    counts: dict[str, dict[str, Count]]
    """period -> term -> count"""
    meetings: dict[str, int]
    undated: dict[str, Count] = field(default_factory=dict)
    all_copies: bool = False

    def per_meeting(self, period: str, term: str) -> float | None:
        held = self.meetings.get(period, 0)
        return round(self.counts[period][term].documents / held, 3) if held else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "by": self.by,
            "terms": self.terms,
            "counts": "title and body",
            "copies": "all counted" if self.all_copies else "collapsed: a story and its syndicated copies count once",
            "periods": [
                {
                    "period": p,
                    "meetings": self.meetings.get(p, 0),
                    "counts": {
                        t: {
                            "documents": self.counts[p][t].documents,
                            "occurrences": self.counts[p][t].occurrences,
                            "documents_per_meeting": self.per_meeting(p, t),
                        }
                        for t in self.terms
                    },
                }
                for p in self.periods
            ],
            "undated": {t: vars(c) for t, c in self.undated.items()},
        }

    def to_csv(self) -> str:
        """The rows of to_dict, one per period and term, then an `undated` row per term (as in --json)."""
        from .export import write_csv

        rows = [
            {
                "period": p,
                "term": t,
                "documents": self.counts[p][t].documents,
                "occurrences": self.counts[p][t].occurrences,
                "meetings": self.meetings.get(p, 0),
                "documents_per_meeting": self.per_meeting(p, t),
            }
            for p in self.periods
            for t in self.terms
        ]
        rows += [
            {"period": "undated", "term": t, "documents": c.documents, "occurrences": c.occurrences}
            for t, c in self.undated.items()
        ]
        out = io.StringIO()
        write_csv(rows, out, CSV_FIELDS)
        return out.getvalue()


def fill_periods(counts: dict[str, dict[str, Count]], terms: list[str], by: str) -> list[str]:
    """Every period from the first counted to the last, each with a (zero) count for every term,
    so gaps show."""
    periods: list[str] = []
    if counts:
        first, last = min(counts), max(counts)
        periods = [first]
        while periods[-1] < last:
            periods.append(_next_period(periods[-1], by))
    for p in periods:
        row_counts = counts.setdefault(p, {})
        for t in terms:
            row_counts.setdefault(t, Count())
    return periods


def _meetings_per_period(store: Store, by: str) -> dict[str, int]:
    held: dict[str, int] = {}
    for row in store.conn.execute("SELECT date, window_start, window_end FROM meetings"):
        period = dated_period(when.effective_date(row[0], None, row[1], row[2]), by)
        if period:
            held[period] = held.get(period, 0) + 1
    return held


def trend(
    store: Store,
    terms: list[str],
    by: str = "year",
    filters: Filters | None = None,
    progress: Progress | None = None,
    all_copies: bool = False,
) -> Trend:
    """Documents and occurrences of each term per period, with every period between the first
    and the last present (zeros included, so gaps show)."""
    if by not in PERIODS:
        raise BadInput(f"--by must be one of {', '.join(PERIODS)}")
    if not terms:
        raise BadInput("give at least one term")
    counts: dict[str, dict[str, Count]] = {}
    undated = {t: Count() for t in terms}
    for done, term in enumerate(terms, 1):
        if progress:
            progress(done - 1, len(terms), f"counting {term}")
        query = parse_query(as_query(term))
        for (meeting_date, published, start, end), (documents, found) in per_date(
            store, query, filters, all_copies
        ).items():
            period = dated_period(when.effective_date(meeting_date, published, start, end), by)
            count = undated[term] if period is None else counts.setdefault(period, {}).setdefault(term, Count())
            count.documents += documents
            count.occurrences += found
        if progress:
            progress(done, len(terms), f"counting {term}")
    meetings = _meetings_per_period(store, by)
    periods = fill_periods(counts, terms, by)
    undated_counts = {t: c for t, c in undated.items() if c.documents}
    return Trend(by, list(terms), periods, counts, meetings, undated_counts, all_copies)


def plot(result: Trend, path: str, per_meetings: bool = False) -> None:
    """The same bars as a PNG for a report (needs the `plot` extra: matplotlib)."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise BadInput("--plot needs matplotlib: pip install 'alliance[plot]'") from exc
    fig, ax = plt.subplots(figsize=(max(6, len(result.periods) * 0.6), 4))
    width = 0.8 / len(result.terms)
    for i, term in enumerate(result.terms):
        values = [
            (result.per_meeting(p, term) or 0.0) if per_meetings else result.counts[p][term].documents
            for p in result.periods
        ]
        ax.bar([x + i * width for x in range(len(result.periods))], values, width, label=term)
    ax.set_xticks([x + width * (len(result.terms) - 1) / 2 for x in range(len(result.periods))], result.periods)
    ax.set_ylabel("documents per meeting" if per_meetings else "documents")
    ax.legend()
    fig.tight_layout()
    try:
        fig.savefig(path)
    except OSError as exc:
        raise BadInput(f"{path}: cannot write the plot ({exc.strerror or exc})") from exc
    finally:
        plt.close(fig)
