"""The kwic of alliance before issue 17 (it tokenised every matching body), kept as the oracle the
index-based kwic must agree with."""

# ruff: noqa
from alliance.errors import BadInput
from alliance.models import Progress
from alliance.search import Filters, Query, match_spans, matching_ids
from alliance.store import Store
from alliance.kwic import SORTS, Line, _context, _sort_key, as_query


def kwic(
    store: Store,
    phrase: str,
    width: int = 40,
    filters: Filters | None = None,
    sort: str = "date",
    progress: Progress | None = None,
) -> list[Line]:
    """Every occurrence in the bodies of matching documents, `width` characters each side."""
    if width < 1:
        raise BadInput("--width must be at least 1")
    if sort not in SORTS:
        raise BadInput(f"--sort must be one of {', '.join(SORTS)}")
    query, doc_ids = matching_ids(store, as_query(phrase), filters)
    assert isinstance(query, Query)
    lines = []
    for done, doc_id in enumerate(doc_ids, 1):
        if progress:
            progress(done, len(doc_ids), "reading matches")
        row = store.conn.execute(
            "SELECT t.body, d.outlet, COALESCE(d.meeting_date, d.published, d.window_start) AS day "
            "FROM documents d JOIN texts t USING (id) WHERE d.doc_id = ?",
            (doc_id,),
        ).fetchone()
        body = row["body"]
        for start, end in match_spans(body, query):
            left = _context(body[max(0, start - width * 2) : start])[-width:]
            right = _context(body[end : end + width * 2])[:width]
            lines.append(Line(doc_id, row["day"], row["outlet"], left, body[start:end], right, start))
    return sorted(lines, key=_sort_key(sort))
