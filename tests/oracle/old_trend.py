"""The trend of alliance before issue 17 (it tokenised every matching body), kept as the oracle."""

# ruff: noqa
"""How often terms occur per period: documents that use them and occurrences, optionally per
meeting held in the period (so a busy year of talks does not pass for a change of language).

A document is dated as the search filters date it: meeting day, else publication day, else its
meeting window when the whole window falls in one period; documents with none of these are
counted as undated, not guessed.
"""


import csv
import io
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from alliance.errors import BadInput
from .old_kwic import as_query
from alliance.models import Progress
from alliance.search import Filters, Query, match_spans, matching_ids
from alliance.store import Store

PERIODS = ("year", "quarter", "month")


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


def dated_period(day: str | None, published: str | None, window: tuple[str | None, str | None], by: str) -> str | None:
    for value in (day, published):
        if value:
            return period_of(value, by)
    start, end = window
    if start and end and period_of(start, by) == period_of(end, by):
        return period_of(start, by)
    return None


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

    def per_meeting(self, period: str, term: str) -> float | None:
        held = self.meetings.get(period, 0)
        return round(self.counts[period][term].documents / held, 3) if held else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "by": self.by,
            "terms": self.terms,
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
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["period", "term", "documents", "occurrences", "meetings", "documents_per_meeting"])
        for p in self.periods:
            for t in self.terms:
                rate = self.per_meeting(p, t)
                count = self.counts[p][t]
                held = self.meetings.get(p, 0)
                writer.writerow([p, t, count.documents, count.occurrences, held, "" if rate is None else rate])
        return out.getvalue()


def _meetings_per_period(store: Store, by: str) -> dict[str, int]:
    held: dict[str, int] = {}
    for row in store.conn.execute("SELECT date, window_start, window_end FROM meetings"):
        period = dated_period(row[0], None, (row[1], row[2]), by)
        if period:
            held[period] = held.get(period, 0) + 1
    return held


def trend(
    store: Store, terms: list[str], by: str = "year", filters: Filters | None = None, progress: Progress | None = None
) -> Trend:
    """Documents and occurrences of each term per period, with every period between the first
    and the last present (zeros included, so gaps show)."""
    if by not in PERIODS:
        raise BadInput(f"--by must be one of {', '.join(PERIODS)}")
    if not terms:
        raise BadInput("give at least one term")
    counts: dict[str, dict[str, Count]] = {}
    undated = {t: Count() for t in terms}
    for term in terms:
        query, doc_ids = matching_ids(store, as_query(term), filters)
        assert isinstance(query, Query)
        for done, doc_id in enumerate(doc_ids, 1):
            if progress:
                progress(done, len(doc_ids), f"counting {term}")
            row = store.conn.execute(
                "SELECT d.title, t.body, d.meeting_date, d.published, d.window_start, d.window_end "
                "FROM documents d JOIN texts t USING (id) WHERE d.doc_id = ?",
                (doc_id,),
            ).fetchone()
            period = dated_period(row[2], row[3], (row[4], row[5]), by)
            count = undated[term] if period is None else counts.setdefault(period, {}).setdefault(term, Count())
            count.documents += 1
            count.occurrences += len(match_spans(f"{row[0] or ''}\n{row[1]}", query))
    meetings = _meetings_per_period(store, by)
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
    return Trend(by, list(terms), periods, counts, meetings, {t: c for t, c in undated.items() if c.documents})


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
