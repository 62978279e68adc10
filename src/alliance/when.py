"""A document's date, one rule for every command (search, kwic, trend, people, meetings, filters).

A news page can carry three dates: the day of the meeting it reports, its publication day, and
a meeting window ("last week", "this month") when it gives no day. Its *effective date* is the
meeting day, else the publication day, else the window: shown as `2024-03-05`, or
`2024-03-01~2024-03-31` for a window (the form meeting ids use), and empty when there is none.

- A date filter keeps a document whose day lies in the range, or whose whole window does
  (`search.Filters.sql` writes the same rule in SQL).
- `trend` counts a document in the period of its day, or of its window when the whole window
  falls in one period; otherwise it is counted as undated, never guessed.
- Sorting by date puts a window at its start, undated documents last.
"""

from __future__ import annotations

UNDATED_SORT = "9999"
"""Sorts after every real date."""
SORT_SQL = f"COALESCE({{d}}.meeting_date, {{d}}.published, {{d}}.window_start, '{UNDATED_SORT}')"
"""sort_key in SQL, over the documents alias given as `d` (a window is stored with both ends)."""


def effective_date(
    meeting_date: str | None, published: str | None, window_start: str | None, window_end: str | None
) -> str | None:
    """The date to show: meeting day, else publication day, else `start~end` (a one-day window as
    that day), else None."""
    day = meeting_date or published
    if day:
        return day
    if window_start and window_end:
        return window_start if window_start == window_end else f"{window_start}~{window_end}"
    return None


def sort_key(shown: str | None) -> str:
    """An effective date as a sort key: a window sorts at its start, none last."""
    return shown.split("~")[0] if shown else UNDATED_SORT


def span(shown: str | None) -> tuple[str, str] | None:
    """The first and last day an effective date covers (one day, or the window)."""
    if not shown:
        return None
    first, _, last = shown.partition("~")
    return first, last or first
