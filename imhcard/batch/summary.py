"""What became of a batch: the counts, the problems and where things were written; and
how a run tells its caller how far it has got."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from imhcard.batch.outcome import RowOutcome
from imhcard.batch.problems import Tally


@dataclass(frozen=True)
class BatchSummary:
    rows: int
    made: int
    skipped: int
    failed: int
    failed_rows: int
    blank_rows: int
    manifests: tuple[Path, ...]
    zip: Path | None
    seconds: float
    workers: int
    check: bool = False
    tally: Tally = field(default_factory=Tally)
    duplicates: int = 0  # cards left out as older duplicates
    photos_fetched: int = 0
    report: Path | None = None
    supporter_zips: tuple[Path, ...] = ()
    stale: int = 0  # files of rows no longer in the input, left (no --prune)
    pruned: tuple[tuple[int, str], ...] = ()  # (row, file) removed by --prune
    rows_seen: frozenset[int] = frozenset()  # the input's rows (to tell why a row was pruned)
    unused_photos: tuple[str, ...] = ()  # a line per --photos file no row took
    # Rows (supporters) by what became of them: made, made without photo, partly made,
    # failed, duplicate, no consent. The other counts are of cards.
    row_status: Mapping[str, int] = field(default_factory=dict)
    columns: tuple[str, ...] = ()  # how each column was understood (batch/column_report.py)
    photos_dir: str = ""
    # Columns that may be a consent question not read as one (column_report.yes_no_lines).
    column_notes: tuple[str, ...] = ()


class Progress(Protocol):
    """How a batch tells its caller how far it has got (the CLI draws a bar)."""

    def start(self, total: int, workers: int) -> None: ...

    def row_done(self, outcome: RowOutcome, problems: Sequence[str]) -> None: ...
