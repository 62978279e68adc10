"""The `alliance` command: parse options, call the library, render. No logic lives here."""

from __future__ import annotations

import contextlib
import functools
import json
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from . import api
from .errors import INTERRUPTED, AllianceError, Ambiguous, BadInput, NotFound

if TYPE_CHECKING:  # models (dataclasses) stay out of a search's start-up
    from .models import Progress

F = TypeVar("F", bound=Callable[..., Any])
FORMATS = ("phone", "video", "in-person")
MEETING_CSV_FIELDS = (
    "event_id",
    "date",
    "window",
    "format",
    "location",
    "participants",
    "documents",
    "outlets",
    "summary",
)


class Text(click.ParamType):
    """A string argument: bytes that are not UTF-8 (a pasted Latin-1 name) become \\xNN, the
    way such file names are spelt in doc_ids, instead of failing deep inside SQLite."""

    name = "text"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str) and any("\udc80" <= ch <= "\udcff" for ch in value):
            from .rawfile import printable

            return printable(value)
        return value


TEXT = Text()


class QueryCommand(click.Command):
    """A command whose arguments are a query: `-word` excludes a word, so a word after a dash
    that is no option of the command is part of the query, not "No such option"."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        options: dict[str, bool] = {}  # option -> takes a value
        for param in self.params:
            if isinstance(param, click.Option):
                for name in (*param.opts, *param.secondary_opts):
                    options[name] = not param.is_flag and not param.count
        for name in ctx.help_option_names:
            options[name] = False
        kept: list[str] = []
        words: list[str] = []
        rest = iter(args)
        for arg in rest:
            if arg == "--":
                words.extend(rest)
                break
            name = arg.split("=", 1)[0]
            if not arg.startswith("-") or arg == "-" or _is_number(arg):
                words.append(arg)
            elif name in options:
                kept.append(arg)
                value = next(rest, None) if options[name] and "=" not in arg else None
                if value is not None:
                    kept.append(value)
            elif arg[:2] in options and options[arg[:2]] and not arg.startswith("--") and arg[2:].isdigit():
                kept.append(arg)  # -n5
            else:
                words.append(arg)  # -linchpin, -"a phrase"
        return super().parse_args(ctx, [*kept, "--", *words] if words else kept)


def _is_number(arg: str) -> bool:
    try:
        float(arg)
    except ValueError:
        return False
    return True


class AllianceGroup(click.Group):
    """Library errors become one line on stderr: exit 1 for bad input, 130 for Ctrl-C."""

    def invoke(self, ctx: click.Context) -> Any:
        import sqlite3

        from .errors import Committed
        from .store import db_path, explain

        try:
            return super().invoke(ctx)
        except AllianceError as exc:
            raise click.ClickException(one_line(str(exc))) from None
        except sqlite3.Error as exc:  # damage SQLite finds mid-query: the same hint as on opening
            raise click.ClickException(one_line(str(explain(exc, db_path(ctx.obj or api.data_dir()))))) from None
        except Committed:
            click.echo("interrupted after the index was saved: it holds this run's changes", err=True)
            sys.exit(130)
        except KeyboardInterrupt:
            click.echo(INTERRUPTED, err=True)
            sys.exit(130)


def one_line(message: str) -> str:
    """A message as one line whatever it echoes: line breaks and other control characters
    escaped, and bytes that are not UTF-8 (from a file name or an argument) shown as \\xNN."""
    try:
        message = message.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:
        message = message.encode("utf-8", "backslashreplace").decode("utf-8")
    return "".join(ch if ch.isprintable() or ch == " " else ascii(ch)[1:-1] for ch in message)


def _stderr(message: str) -> None:
    click.echo(message, err=True)


PIPED_WIDTH = 1000
"""Columns a table may use when stdout is a pipe or a file (rich would wrap it at 80): rows stay
whole for grep and less; $COLUMNS, when set, still wins."""


def _console(err: bool = False) -> Any:
    from rich.console import Console

    console = Console(stderr=err, no_color="NO_COLOR" in os.environ or None, highlight=False, soft_wrap=False)
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console.width = PIPED_WIDTH
    return console


def plural(count: int, word: str, many: str | None = None) -> str:
    """'1 doc', '2 docs': counts read as English."""
    return f"{count} {word if count == 1 else many or word + 's'}"


@contextlib.contextmanager
def _progress_bar(what: str) -> Iterator[Progress]:
    """A bar on stderr for long work (only on a terminal: pipes and scripts see nothing)."""
    from rich.progress import Progress

    console = _console(err=True)
    with Progress(console=console, transient=True, disable=not console.is_terminal) as bar:
        task = bar.add_task(what, total=None)

        def progress(done: int, total: int, description: str) -> None:
            bar.update(task, completed=done, total=total, description=description)

        yield progress


def _print_json(data: Any) -> None:
    click.echo(api.json_bytes(data), nl=False)


FILTERS_KEY = "alliance.filters"


def filter_options(*format_flags: str) -> Callable[[F], F]:
    """--since/--until/--outlet/--participant and the meeting-format filter, shared by search,
    export, kwic and trend, handed to the command as one `filters` argument. Export names the
    last --meeting-format only: its --format is the file format."""
    flags = format_flags or ("--format", "--meeting-format")

    def remember(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
        ctx.meta.setdefault(FILTERS_KEY, {})[param.name] = value
        return value

    def decorate(func: F) -> F:
        @functools.wraps(func)
        def with_filters(*args: Any, **kwargs: Any) -> Any:
            ctx = click.get_current_context()
            given = ctx.meta.get(FILTERS_KEY, {})
            from .search import Filters

            kwargs["filters"] = Filters(
                api.parse_date(given.get("since"), "--since"),
                api.parse_date(given.get("until"), "--until", end=True),
                given.get("outlet"),
                api.resolve_official(given.get("participant"), ctx.find_object(Path) or api.data_dir()),
                given.get("fmt"),
            )
            return func(*args, **kwargs)

        hidden = {"expose_value": False, "callback": remember}
        options = [
            click.option(
                "--since",
                metavar="DATE",
                type=TEXT,
                help="Meeting (else publication) from DATE (YYYY[-MM[-DD]]).",
                **hidden,
            ),
            click.option(
                "--until",
                metavar="DATE",
                type=TEXT,
                help="Meeting (else publication) on or before DATE; 2024 or 2024-02 mean the end of it.",
                **hidden,
            ),
            click.option(
                "--outlet",
                metavar="NAME",
                type=TEXT,
                help="Only this outlet or wire: any name, alias or domain in outlets.csv, any case.",
                **hidden,
            ),
            click.option(
                "--participant", metavar="NAME", type=TEXT, help="Only meetings this official took part in.", **hidden
            ),
            click.option(*flags, "fmt", type=click.Choice(FORMATS), help="Only meetings held this way.", **hidden),
        ]
        decorated: Any = with_filters
        for option in reversed(options):
            decorated = option(decorated)
        return decorated  # type: ignore[no-any-return]

    return decorate


@click.group(cls=AllianceGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--data",
    "data",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="ALLIANCE_DATA",
    help="Folder holding raw/ and index/ (default: $ALLIANCE_DATA, else ./data).",
)
@click.version_option(package_name="alliance")
@click.pass_context
def main(ctx: click.Context, data: Path | None) -> None:
    """Clean, parse, index and search news pages about US-South Korea alliance meetings."""
    ctx.obj = api.data_dir(data)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--rebuild", is_flag=True, help="Drop the index and build it again from the raw files.")
@click.option(
    "--max-bytes",
    type=click.IntRange(1),
    default=20 * 1024 * 1024,
    show_default=True,
    help="Skip files larger than this.",
)
@click.option("--strict", is_flag=True, help="Exit 1 if any file failed.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_obj
def ingest(data: Path, paths: tuple[Path, ...], rebuild: bool, max_bytes: int, strict: bool, as_json: bool) -> None:
    """Add raw files (folders are searched for .txt .text .html .htm) to the index.

    Unchanged files are skipped, changed ones re-processed, vanished ones removed; the whole
    run is one transaction, so an interrupted ingest leaves the previous index usable.
    Default PATHS: DATA/raw.
    """
    from .ingest import ingest as run_ingest

    with _progress_bar("ingesting") as progress:
        report = run_ingest(data, list(paths) or None, rebuild=rebuild, progress=progress, max_bytes=max_bytes)
    if as_json:
        _print_json(report.to_dict())
    else:
        for note in report.notes:
            _stderr(note)
        for path, reason in report.failed:
            _stderr(f"failed: {path}: {reason}")
        for doc_id, warning in report.warnings:
            _stderr(f"warning: {doc_id}: {warning}")
        click.echo(report.summary())
    if strict and report.failed:
        sys.exit(1)


@main.command("clean")
@click.argument("file", type=click.Path(path_type=Path))
def clean_command(file: Path) -> None:
    """Print FILE's article body: paragraphs separated by a blank line, no boilerplate."""
    click.echo(api.clean_file(file))


@main.command("parse")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print every field as JSON (several files: one object per line).")
@click.pass_obj
def parse_command(data: Path, files: tuple[Path, ...], as_json: bool) -> None:
    """Show what the parser finds in each FILE (dates, outlet, people, format) without indexing it.

    Several files are parsed in one process (start-up paid once); with --json each gives one line."""
    api.check_files(files)
    with _progress_bar("parsing") as progress:
        for done, file in enumerate(files):
            progress(done, len(files), file.name)
            result = api.parse_file(file, data)
            if as_json:
                if len(files) == 1:
                    _print_json(result)
                else:
                    click.echo(json.dumps(result, ensure_ascii=False))
                continue
            _print_parse_table(file, result, heading=len(files) > 1)


def _print_parse_table(file: Path, result: dict[str, Any], heading: bool) -> None:
    from rich.table import Table

    table = Table(show_header=False, box=None, title=str(file) if heading else None, title_justify="left")
    for key, value in result.items():
        if key == "body":
            continue
        if key in ("participants", "mentioned"):
            value = "; ".join(f"{p['name']} ({p['office']})" for p in value)
        elif key == "other_meetings":
            value = "; ".join(" – ".join(p["name"] for p in m["participants"]) for m in value)
        elif key == "evidence":
            value = "\n".join(f"{e['who']}: {e['rule']} — {e['sentence']}" for e in value)
        table.add_row(
            key, "" if value is None else " … ".join(map(str, value)) if isinstance(value, list) else str(value)
        )
    _console().print(table)


EXPLAIN_FORMS = 12
"""Forms of a concept that --explain lists (the JSON has them all)."""


ALL_COPIES_HELP = "Show every syndicated copy of a story, not one line or hit per story."
KWIC_LIMIT = 200


@main.command("search", cls=QueryCommand)
@click.argument("query", nargs=-1, required=True, type=TEXT)
@click.option("--limit", "-n", type=click.IntRange(1), default=10, show_default=True, help="How many results.")
@click.option("--exact", is_flag=True, help="Match bare words as written (no stemming, no thesaurus).")
@click.option("--explain", is_flag=True, help="Show the concepts expanded and why each document matched.")
@filter_options()
@click.option("--all-copies", is_flag=True, help=ALL_COPIES_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print results as JSON.")
@click.pass_obj
def search_command(
    data: Path,
    query: tuple[str, ...],
    limit: int,
    exact: bool,
    explain: bool,
    filters: Any,
    all_copies: bool,
    as_json: bool,
) -> None:
    """Search the corpus, best matches first (BM25, title weighted).

    \b
    Query language:
      extended deterrence      bare words, stemmed ("deterrence" finds "deterrent");
                               documents with all of them rank first
      "extended deterrence"    a phrase, words exactly as written
      -word  -"a phrase"       exclude documents that have it (also NOT word); a query may
                               start with one: alliance search -linchpin ironclad
                               (a word spelt like an option goes after --: search -- -n)
      ironclad OR linchpin     either one
      한미동맹                   Korean works too (morphemes, any spacing)
    Bare words that spell a concept of the thesaurus (data/concepts.csv, extended by
    DATA/concepts.csv) also find its other forms, English and Korean, ranked below the
    words as typed: "nuclear umbrella" finds "extended deterrence" and 확장억제.
    """
    from .search import search

    store = api.open_index(data, _stderr)
    try:
        result = search(store, " ".join(query), limit, api.resolve_filters(filters, store), exact, all_copies)
    finally:
        store.close()
    if as_json:
        _print_json(result.to_dict())
        return
    from rich.table import Table
    from rich.text import Text

    if explain:
        from .search import TIER_LABELS

        for expansion in result.expansions:
            forms = [t.text for t in expansion.terms]
            more = f" … ({len(forms) - EXPLAIN_FORMS} more)" if len(forms) > EXPLAIN_FORMS else ""
            listed = "; ".join(forms[:EXPLAIN_FORMS])
            click.echo(f"concept {expansion.concept}: {expansion.typed!r} also finds {listed}{more}")
        if not result.expansions:
            click.echo("no concept of the thesaurus in the bare words")
    if not result.hits:
        click.echo(f"no matches for {result.query!r}")
        return
    shown = f", showing {len(result.hits)}" if len(result.hits) < result.total else ""
    click.echo(f"{plural(result.total, 'match', 'matches')} for {result.query!r}{shown}")  # not a table title:
    table = Table()  # rich pads that to the table's width
    for column in ("#", "date", "outlet", "title / snippet"):
        table.add_column(column, overflow="fold")
    for rank, hit in enumerate(result.hits, 1):
        snippet = Text(hit.snippet)
        for start, end in hit.highlights:
            snippet.stylize("bold yellow", start, end)
        copies = f"  +{hit.copies} cop{'ies' if hit.copies > 1 else 'y'}" if hit.copies else ""
        cell = Text.assemble(
            (hit.title or hit.doc_id, "bold"), "\n", snippet, "\n", (hit.doc_id, "dim"), (copies, "dim")
        )
        if explain:
            why = TIER_LABELS.get(hit.match, hit.match)
            if hit.coverage:
                why = why.replace("K of N", hit.coverage.replace("/", " of "))
            via = f" via {', '.join(hit.expanded)}" if hit.expanded else ""
            cell.append(f"\n{hit.match}: {why}{via}", style="italic")
        table.add_row(str(rank), hit.date or "", hit.outlet or "", cell)
    _console().print(table)


@main.command("show")
@click.argument("item_id", type=TEXT)
@click.option("--removed", is_flag=True, help="Also list what cleaning dropped, and why.")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.pass_obj
def show_command(data: Path, item_id: str, removed: bool, as_json: bool) -> None:
    """Show one document (DOC_ID) or one meeting (MEETING_ID)."""
    store = api.open_index(data, _stderr)
    try:
        item = api.show_document(store, item_id)
    finally:
        store.close()
    if not removed:
        item.pop("removed", None)
    if as_json:
        _print_json(item)
        return
    if "event_id" in item and "articles" in item:
        _render_meetings([item])
        for article in item["articles"]:
            click.echo(f"  {article['doc_id']}  {article['outlet'] or '-'}  {article['title'] or ''}")
        return
    for key in (
        "title",
        "doc_id",
        "path",
        "outlet",
        "wire",
        "author",
        "published",
        "published_basis",
        "meeting_date",
        "meeting_date_basis",
        "meeting_window",
        "format",
        "location",
        "event_id",
        "copy_of",
    ):
        value = item.get(key)
        if value:
            click.echo(f"{key}: {' … '.join(value) if isinstance(value, list) else value}")
    for role in ("participants", "mentioned"):
        if item[role]:
            click.echo(f"{role}: " + "; ".join(f"{p['name']} ({p['office']})" for p in item[role]))
    click.echo("")
    click.echo(item["body"])
    if removed:
        click.echo("\n--- removed by cleaning ---")
        for entry in item["removed"]:
            click.echo(f"[{entry['reason']}] {entry['text']}")


def _render_meetings(meetings: list[dict[str, Any]]) -> None:
    from rich.table import Table

    if not meetings:
        click.echo("no meetings")
        return
    click.echo(plural(len(meetings), "meeting"))
    table = Table()
    for column in ("date", "participants", "format", "location", "sources", "event"):
        table.add_column(column, overflow="fold")
    for m in meetings:
        when = m["date"] or (f"{m['window'][0]} … {m['window'][1]}" if m["window"] else "undated")
        people = "\n".join(f"{p['name']} ({p['office']})" for p in m["participants"])
        sources = f"{len(m['documents'])} ({', '.join(m['outlets']) or '-'})"
        table.add_row(when, people, m["format"] or "", m["location"] or "", sources, m["event_id"])
    _console().print(table)


TIMELINE_MARKS = {"phone": "☎", "video": "▣", "in-person": "●"}
TIMELINE_LEGEND = "☎ phone  ▣ video  ● in person  · format not reported   ~a…b held within these dates  ? no date"


def _timeline(meetings: list[dict[str, Any]]) -> None:
    if not meetings:
        click.echo("no meetings")
        return
    click.echo(TIMELINE_LEGEND)
    year = None
    for m in meetings:
        when = m["date"] or (m["window"][0] if m["window"] else "")
        if when[:4] != year:
            year = when[:4]
            click.echo(f"\n{year or 'undated'}")
        mark = TIMELINE_MARKS.get(m["format"] or "", "·")
        names = " – ".join(p["name"] for p in m["participants"])
        exact = m["date"] or (f"~{m['window'][0]}…{m['window'][1]}" if m["window"] else "?")
        click.echo(f"  {exact:<24} {mark} {names}{'  @ ' + m['location'] if m['location'] else ''}")


@main.command("meetings")
@click.option(
    "--minister",
    metavar="NAME",
    type=TEXT,
    help="Meetings this official took part in (alias, Hangul or surname).",
)
@click.option("--with", "with_", metavar="NAME", type=TEXT, help="...together with this official.")
@click.option("--since", metavar="DATE", type=TEXT, help="On or after DATE.")
@click.option("--until", metavar="DATE", type=TEXT, help="On or before DATE (2024 or 2024-02: the end of it).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), help="Only meetings held this way.")
@click.option("--timeline", is_flag=True, help="One line per meeting on a time axis, grouped by year.")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.option("--csv", "as_csv", is_flag=True, help="Print as CSV.")
@click.pass_obj
def meetings_command(
    data: Path,
    minister: str | None,
    with_: str | None,
    since: str | None,
    until: str | None,
    fmt: str | None,
    timeline: bool,
    as_json: bool,
    as_csv: bool,
) -> None:
    """List meetings (one row per meeting, however many articles report it)."""
    from .meetings import find_meetings

    minister_name = api.resolve_official(minister, data)
    with_name = api.resolve_official(with_, data)
    store = api.open_index(data, _stderr)
    try:
        found = find_meetings(
            store,
            minister_name,
            with_name,
            api.parse_date(since, "--since"),
            api.parse_date(until, "--until", end=True),
            fmt,
        )
    finally:
        store.close()
    if as_json:
        _print_json({"meetings": found})
    elif as_csv:
        from .export import write_csv

        rows = [
            {**m, "window": "/".join(m["window"] or []), "participants": [p["name"] for p in m["participants"]]}
            for m in found
        ]
        write_csv(rows, sys.stdout, MEETING_CSV_FIELDS)
    elif timeline:
        _timeline(found)
    else:
        _render_meetings(found)


@main.command("people")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.pass_obj
def people_command(data: Path, as_json: bool) -> None:
    """Every official seen in the corpus, with offices, meetings and the names used for them."""
    from .meetings import people_index

    store = api.open_index(data, _stderr)
    try:
        people = people_index(store)
    finally:
        store.close()
    if as_json:
        _print_json({"people": people})
        return
    from rich.table import Table

    click.echo(plural(len(people), "person", "people"))
    table = Table()
    for column in ("name", "offices (tenure)", "meetings", "articles", "first", "last", "seen as"):
        table.add_column(column, overflow="fold")
    for p in people:
        office = "\n".join(
            f"{o['office']} ({o['start'] or '?'} – {o['end'] or 'now'})" if o["start"] or o["end"] else o["office"]
            for o in p["offices"]
        ) or (p["office"] or "")
        name = p["name"] + ("" if p["in_roster"] else " (not in roster)")
        table.add_row(
            name,
            office,
            str(p["meetings"]),
            str(p["articles"]),
            p["first_meeting"] or "",
            p["last_meeting"] or "",
            ", ".join(p["aliases_seen"]),
        )
    _console().print(table)


@main.command("export", cls=QueryCommand)
@click.argument("query", nargs=-1, type=TEXT)
@click.option(
    "--format",
    "export_format",
    type=click.Choice(("jsonl", "csv", "txt", "md", "opensearch")),
    required=True,
    help="jsonl/csv: one file (stdout without --out); txt/md/opensearch: a folder.",
)
@click.option("--out", type=click.Path(path_type=Path), help="File or folder to write.")
@click.option("--force", is_flag=True, help="Replace --out if it exists (a folder only if alliance wrote it).")
@click.option("--index-name", default="alliance", show_default=True, help="OpenSearch index for the bulk file.")
@filter_options("--meeting-format")
@click.pass_obj
def export_command(
    data: Path,
    query: tuple[str, ...],
    export_format: str,
    out: Path | None,
    force: bool,
    index_name: str,
    filters: Any,
) -> None:
    """Export cleaned text with its metadata: all documents, or those matching QUERY and filters.

    \b
    jsonl       one JSON object per line (doc_id, title, body, dates, outlet, people, sha256...)
    csv         one row per document, UTF-8 with BOM, formula-like cells neutralised with '
    txt         FOLDER/<doc_id>.txt + metadata.csv (AntConc, Voyant, readtext)
    md          FOLDER/<doc_id>.md with YAML front matter
    opensearch  FOLDER/bulk.ndjson (_bulk API) + FOLDER/mapping.json (see the README)
    """
    from .export import export

    store = api.open_index(data, _stderr)
    try:
        stream = sys.stdout if out is None else None
        with _progress_bar("exporting") as progress:
            filters = api.resolve_filters(filters, store)
            report = export(
                store, export_format, out, " ".join(query) or None, filters, force, stream, index_name, progress
            )
    finally:
        store.close()
    if out is not None:
        _stderr(f"exported {report.documents} documents as {report.format} to {report.out}")


@main.command("kwic", cls=QueryCommand)
@click.argument("phrase", nargs=-1, required=True, type=TEXT)
@click.option("--width", type=click.IntRange(1, 500), default=40, show_default=True, help="Characters each side.")
@click.option(
    "--sort",
    type=click.Choice(("date", "left", "right")),
    default="date",
    show_default=True,
    help="By document date, or alphabetically by the words left (nearest first) or right of the match.",
)
@click.option(
    "--limit",
    "-n",
    type=click.IntRange(0),
    default=KWIC_LIMIT,
    show_default=True,
    help="How many lines to show (0: all; the counts always cover all).",
)
@filter_options()
@click.option("--all-copies", is_flag=True, help=ALL_COPIES_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.pass_obj
def kwic_command(
    data: Path,
    phrase: tuple[str, ...],
    width: int,
    sort: str,
    limit: int,
    filters: Any,
    all_copies: bool,
    as_json: bool,
) -> None:
    """Keyword in context: each occurrence of PHRASE with the words around it, in titles and bodies.

    Several words are one phrase, matched as written; a single word is stemmed as in search
    ("deterrent" also shows "deterrents"). Syndicated copies of a story are shown once
    ("+N copies"); --all-copies shows each.
    """
    from .kwic import kwic

    text = " ".join(phrase)
    if not text.strip():
        raise BadInput("nothing to look for: give a word or a phrase")
    store = api.open_index(data, _stderr)
    try:
        with _progress_bar("reading matches") as progress:
            result = kwic(
                store, text, width, api.resolve_filters(filters, store), sort, progress, all_copies, limit or None
            )
    finally:
        store.close()
    if as_json:
        _print_json(result.to_dict())
        return
    lines = result.lines
    from rich.text import Text

    console = _console()
    id_width = min(28, max((len(line.doc_id) for line in lines), default=0))
    date_width = max((len(line.date or "") for line in lines), default=10)
    for line in lines:
        row = Text(f"{line.doc_id[:id_width]:<{id_width}}  {line.date or '':<{date_width}}  ", style="dim")
        row.append(f"{line.left:>{width}}")
        row.append(line.match, style="bold yellow")
        row.append(f"{line.right:<{width}}")
        if line.field == "title":
            row.append("  [title]", style="dim")
        if line.copies:
            row.append(f"  +{line.copies} cop{'ies' if line.copies > 1 else 'y'}", style="dim")
        console.print(row, no_wrap=True, overflow="ignore", crop=False)
    if not lines:
        _stderr(f"no occurrences of {text!r}")
        return
    copies = "" if all_copies else ", syndicated copies shown once"
    shown = f"; {len(lines)} shown (--limit 0 for all)" if len(lines) < result.total else ""
    _stderr(
        f"{plural(result.total, 'occurrence')} in {plural(result.documents, 'document')}"
        f" (titles and bodies{copies}){shown}"
    )


@main.command("trend", cls=QueryCommand)
@click.argument("terms", nargs=-1, required=True, type=TEXT)
@click.option("--by", type=click.Choice(("year", "quarter", "month")), default="year", show_default=True)
@click.option("--per-meetings", is_flag=True, help="Documents per meeting held in the period, not raw counts.")
@click.option("--plot", "plot_file", metavar="FILE.png", help="Also draw the chart to a PNG (needs alliance[plot]).")
@filter_options()
@click.option("--all-copies", is_flag=True, help=ALL_COPIES_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.option("--csv", "as_csv", is_flag=True, help="Print as CSV.")
@click.pass_obj
def trend_command(
    data: Path,
    terms: tuple[str, ...],
    by: str,
    per_meetings: bool,
    plot_file: str | None,
    filters: Any,
    all_copies: bool,
    as_json: bool,
    as_csv: bool,
) -> None:
    """How often each TERM occurs per period: documents using it and occurrences (titles and
    bodies, as kwic shows them; a story and its syndicated copies count once unless --all-copies).

    Each TERM is one argument; quote a multi-word term to keep it together:
    alliance trend ironclad "extended deterrence" --by quarter
    """
    from .trend import plot, trend

    for number, term in enumerate(terms, 1):
        if not term.strip():
            raise BadInput(f"term {number} is empty: give each TERM a word or a phrase")
    store = api.open_index(data, _stderr)
    try:
        with _progress_bar("counting") as progress:
            result = trend(store, list(terms), by, api.resolve_filters(filters, store), progress, all_copies)
    finally:
        store.close()
    if plot_file:
        plot(result, plot_file, per_meetings)
        _stderr(f"plot written to {plot_file}")
    if as_json:
        _print_json(result.to_dict())
        return
    if as_csv:
        click.echo(result.to_csv(), nl=False)
        return
    _render_trend(result, per_meetings)


def _render_trend(result: Any, per_meetings: bool) -> None:
    from rich.text import Text

    console = _console()
    styles = ("cyan", "magenta", "green", "yellow", "blue", "red")

    def value(period: str, term: str) -> float:
        if per_meetings:
            return float(result.per_meeting(period, term) or 0.0)
        return float(result.counts[period][term].documents)

    top = max((value(p, t) for p in result.periods for t in result.terms), default=0.0) or 1.0
    legend = Text("  ".join(f"■ {t}" for t in result.terms))
    for i, term in enumerate(result.terms):
        start = sum(len(f"■ {t}  ") for t in result.terms[:i])
        legend.stylize(styles[i % len(styles)], start, start + 2 + len(term))
    console.print(legend)
    label_width = max((len(p) for p in result.periods), default=4)
    for period in result.periods:
        for i, term in enumerate(result.terms):
            v = value(period, term)
            count = result.counts[period][term]
            bar = "█" * round(v / top * 40)
            label = period if i == 0 else ""
            detail = (
                f"{v:.2f}/meeting"
                if per_meetings
                else f"{plural(count.documents, 'doc')}, {plural(count.occurrences, 'time')}"
            )
            row = Text(f"{label:<{label_width}} ")
            row.append(bar or "·", style=styles[i % len(styles)])
            row.append(f" {detail}")
            console.print(row)
    for term, count in result.undated.items():
        console.print(f"undated: {term}: {plural(count.documents, 'doc')}, {plural(count.occurrences, 'time')}")
    copies = "every syndicated copy counted" if result.all_copies else "a story and its copies count once"
    _stderr(f"counted in titles and bodies; {copies}")


@main.command("compare")
@click.argument("meeting_id", required=False)
@click.option("--minister", metavar="NAME", help="Instead: the topic grid over all of this official's meetings.")
@click.option("--since", metavar="DATE", help="With --minister: meetings on or after DATE.")
@click.option("--until", metavar="DATE", help="With --minister: meetings on or before DATE.")
@click.option("--md", "md_file", type=click.Path(dir_okay=False, path_type=Path), help="Also write a Markdown report.")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.pass_obj
def compare_command(
    data: Path,
    meeting_id: str | None,
    minister: str | None,
    since: str | None,
    until: str | None,
    md_file: Path | None,
    as_json: bool,
) -> None:
    """What each source of one meeting says that the others leave out, and which topics each raises.

    MEETING_ID is an event id from `alliance meetings`. Statements are aligned across sources by
    sentence similarity; topics come from the topics.csv vocabulary (extend it in DATA/topics.csv).
    """
    from . import compare as cmp

    if bool(meeting_id) == bool(minister):
        raise BadInput("give a MEETING_ID or --minister NAME (one of them)")
    store = api.open_index(data, _stderr)
    try:
        if minister:
            with _progress_bar("comparing topics") as progress:
                name, rows = api.compare_minister(
                    store, minister, api.parse_date(since, "--since"), api.parse_date(until, "--until"), progress
                )
        else:
            result = api.compare(store, meeting_id or "", data)
    finally:
        store.close()
    if minister:
        if md_file:
            md_file.write_text(cmp.grid_markdown(name, rows, data), encoding="utf-8")
        if as_json:
            _print_json(cmp.grid_to_dict(name, rows))
        else:
            short = {t.name: t.short for t in cmp.load_topics(data)}
            _render_grid(name, rows, [(t, short[t]) for t in cmp.grid_topics(rows, data)])
    else:
        if md_file:
            md_file.write_text(cmp.to_markdown(result), encoding="utf-8")
        if as_json:
            _print_json(result.to_dict())
        else:
            _render_comparison(result)
    if md_file:
        _stderr(f"report written to {md_file}")


def _render_comparison(c: Any) -> None:
    from rich.table import Table
    from rich.text import Text

    from .compare import RELATED, label

    console = _console()
    names = {s.doc_id: label(s) for s in c.sources}
    sources = Table(title=f"{c.event_id}: {c.date or 'undated'}, {', '.join(c.participants)}", title_justify="left")
    for column in ("source", "side", "format", "published", "document"):
        sources.add_column(column, overflow="fold")
    for s in c.sources:
        note = f"\n({c.not_aligned[s.doc_id]})" if s.doc_id in c.not_aligned else ""
        sources.add_row(s.outlet or s.wire or "-", s.side, s.format or "", s.published or "", s.doc_id + note)
    console.print(sources)
    if c.note:
        console.print(c.note)
    if c.topics:
        topics = Table(title="topics", title_justify="left")
        topics.add_column("topic")
        for s in c.sources:
            topics.add_column(names[s.doc_id], overflow="fold")
        for topic, by_doc in c.topics.items():
            topics.add_row(topic, *("yes" if by_doc.get(s.doc_id) else "no" for s in c.sources))
        console.print(topics)
    if c.shared:
        shared = Table(title="said by several sources", title_justify="left", show_lines=True)
        shared.add_column("by", overflow="fold")
        shared.add_column("statement (each source's words)", overflow="fold")
        for item in c.shared:
            text = "\n".join(f"{names[d]}: {t}" for d, t in item.versions.items())
            shared.add_row(item.carried_by, text)
        console.print(shared)
    for doc, items in c.only.items():
        only = Table(title=f"only {names[doc]}", title_justify="left", show_header=False, show_lines=True)
        only.add_column("statement", overflow="fold")
        for o in items:
            row = Text(o.text)
            if o.nearest and o.nearest_similarity >= RELATED:
                where = f"{names[o.nearest_source]} ({o.nearest_similarity})"
                row.append(f"\n  closest in {where}: {o.nearest}", style="dim")
            only.add_row(row)
        if not items:
            only.add_row("(nothing the others do not also say)")
        console.print(only)
    console.print(f"same statement: cosine >= {c.threshold}", style="dim")


def _render_grid(name: str, rows: list[Any], topics: list[tuple[str, str]]) -> None:
    """One row per meeting, one column per topic (its short name): the sides that raised it."""
    from rich.table import Table

    from .compare import label

    if not rows:
        click.echo(f"no meetings of {name} in the index for those dates")
        return
    table = Table(title=f"topics raised in {name}'s meetings, by side", title_justify="left")
    for column in ("date", "meeting", "sources", *(header for _, header in topics)):
        table.add_column(column, overflow="fold")
    for r in rows:
        sources = "\n".join(label(s) for s in r.sources)
        table.add_row(r.date or "undated", r.event_id, sources, *(" ".join(r.topics.get(t, ())) for t, _ in topics))
    _console().print(table)


__all__ = ["Ambiguous", "BadInput", "NotFound", "main"]
