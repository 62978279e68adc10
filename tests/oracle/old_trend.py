"""The trend of alliance before issue 17 (it tokenised every matching body), kept as the oracle."""

# ruff: noqa
from alliance.models import Progress
from alliance.search import Filters, Query, match_spans, matching_ids
from alliance.store import Store
from alliance.trend import PERIODS, Count, Trend, fill_periods, period_of
from alliance.errors import BadInput
from alliance.kwic import as_query


def dated_period(day: str | None, published: str | None, window: tuple[str | None, str | None], by: str) -> str | None:
    for value in (day, published):
        if value:
            return period_of(value, by)
    start, end = window
    if start and end and period_of(start, by) == period_of(end, by):
        return period_of(start, by)
    return None


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
    periods = fill_periods(counts, terms, by)
    return Trend(by, list(terms), periods, counts, meetings, {t: c for t, c in undated.items() if c.documents})
