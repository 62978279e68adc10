"""Errors the library raises; the CLI turns each into one line on stderr and an exit code."""

INTERRUPTED = "interrupted: the index is as it was before this command"
"""What a command says on Ctrl-C (exit 130)."""


class AllianceError(Exception):
    """Base class: the message is shown to the user as is, so it should name the fix."""


class BadInput(AllianceError):
    """A file, option value or query the user gave cannot be used."""


class NotFound(AllianceError):
    """A document, meeting or official the user named does not exist."""


class IndexProblem(AllianceError):
    """The index is missing, damaged, busy or from another version."""


class Ambiguous(AllianceError):
    """A name matched several officials; the message lists them."""


class OldIndex(IndexProblem):
    """The index was written by an older alliance: the next ingest rebuilds it from the raw files."""


class Busy(IndexProblem):
    """Another ingest holds the index's write lock."""


class Damaged(IndexProblem):
    """SQLite found the index file damaged: `ingest --rebuild` sets it aside and builds a new one."""


class ReadOnly(IndexProblem):
    """The index folder cannot be written: searches still work, an ingest cannot."""


class Committed(KeyboardInterrupt):
    """Ctrl-C arrived after the write transaction committed: the new index is whole."""
