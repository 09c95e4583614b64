"""Staff batches: a form export in, every supporter's cards out, in parallel,
resumably, with a manifest of what became of every row.

The parent process reads the input (streamed) and hands rows to worker processes
(batch/workers.py) in small chunks with a bounded number in flight, so memory does not
grow with the number of rows; it writes the manifest as rows come back, in row order.
Workers load the theme once, then make each card and note it in the journal as soon as
its files are in place, so only file names and hashes cross between processes, and a
kill loses at most the card in hand. What a worker does with one row lives in
imhcard.batch.row; this module is the run.
"""

from __future__ import annotations

import multiprocessing.pool
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from imhcard.batch.archive import zip_batch, zip_supporters
from imhcard.batch.column_report import understood_lines, yes_no_lines
from imhcard.batch.consent import refusal
from imhcard.batch.dedupe import Duplicates, find_duplicates, parse_timestamp
from imhcard.batch.inputs import InputRow, InputTable, open_input
from imhcard.batch.journal import JournalIndex, JournalLock, JournalWriter, journal_path, suffix_for
from imhcard.batch.keys import theme_key
from imhcard.batch.manifest import (
    ALREADY_MADE,
    DELIVERED,
    STATUSES,
    ManifestWriter,
    manifest_header,
)
from imhcard.batch.options import BatchOptions, check_options
from imhcard.batch.outcome import RowOutcome, without_photo
from imhcard.batch.photos import CACHE_DIR as PHOTO_CACHE
from imhcard.batch.photos import THREADS as PHOTO_THREADS
from imhcard.batch.photos import PhotoFolder, PhotoResolver, PhotoRow
from imhcard.batch.problems import Tally
from imhcard.batch.prune import prune, stale_files
from imhcard.batch.report import write_report
from imhcard.batch.row import Job, WorkerState
from imhcard.batch.summary import BatchSummary, Progress
from imhcard.batch.workers import outcomes, start_pool
from imhcard.core.formats import Format, pick_formats
from imhcard.core.limits import default_workers
from imhcard.core.theme import Theme, load_theme
from imhcard.output.files import prepare_out_dir
from imhcard.render.static import static_layer


def describe_problems(table: InputTable, outcome: RowOutcome) -> list[str]:
    """One line per problem of a row, with its address: file, row, column (and the
    formats, when only some are affected)."""
    lines: list[str] = []
    for p in outcome.problems:
        header = table.columns.header(p.field) if p.field else None
        where = table.where(outcome.row) + (f", column '{header}'" if header else "")
        if p.format:
            where += f" ({p.format})"
        without = without_photo(p) and not outcome.failed
        what = f"made without photo: {p.message}" if without else p.message
        line = f"{where}: {what}"
        if line not in lines:
            lines.append(line)
    return lines


def _remove_stale_parts(out_dir: Path) -> None:
    """Temporary files a killed run left behind (writes are temp file + rename)."""
    for path in out_dir.glob(".*.part"):
        path.unlink(missing_ok=True)


@dataclass
class _Scan:
    """The first streaming pass over the input: how many rows, what each row says
    about its photo, and the duplicate submissions."""

    total: int
    photos: list[PhotoRow]
    duplicates: Duplicates
    example: InputRow | None = None  # the first row with the most answers (for --check)


def _scan(table: InputTable, keep: Callable[[int], bool] | None, latest: bool) -> _Scan:
    total = 0
    photos: list[PhotoRow] = []
    example: InputRow | None = None

    def rows() -> Iterator[tuple[int, str, str, str, str]]:
        nonlocal total, example
        for row in table.rows(keep):
            total += 1
            if not row.problem and (example is None or _answers(row) > _answers(example)):
                example = row
            if refusal(row.consent):
                continue  # no photo fetched, no duplicate of anyone: nothing is made
            cell = row.get("photo").strip()
            if cell and not row.problem:
                photos.append(PhotoRow(row.number, cell, row.get("name"), row.get("email"),
                                       parse_timestamp(row.get("timestamp"))))
            yield (row.number, row.get("name"), row.get("email"), row.get("pledge"),
                   row.get("timestamp"))

    duplicates = find_duplicates(rows(), latest, table.columns.header("timestamp") or "")
    return _Scan(total, photos, duplicates, example)


def _answers(row: InputRow) -> int:
    return sum(bool(v.strip()) for v in row.values.values()) + sum(bool(a.strip())
                                                                   for _, a in row.consent)


@dataclass
class _Run:
    """One batch run under way: what it reads from, and the tally of what came back."""

    opts: BatchOptions
    theme: Theme
    formats: tuple[Format, ...]
    table: InputTable
    scan: _Scan
    out_dir: Path
    photos: PhotoResolver
    fetched: int
    state: WorkerState
    workers: int
    progress: Progress | None
    tally: Tally = field(default_factory=Tally)
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))
    rows: int = 0
    failed_rows: int = 0
    current: set[str] = field(default_factory=set)  # files of this run's cards
    seen_rows: set[int] = field(default_factory=set)
    row_status: dict[str, int] = field(default_factory=dict)  # rows by what became of them

    @property
    def keep(self) -> Callable[[int], bool] | None:
        return self.opts.shard.takes if self.opts.shard else None

    @property
    def shard(self) -> tuple[int, int] | None:
        return self.opts.shard.as_tuple() if self.opts.shard else None

    def jobs(self, index: JournalIndex | None) -> Iterator[Job]:
        for row in self.table.rows(self.keep):
            prior = {f.name: index.get(row.number, f.name) if index else None
                     for f in self.formats}
            note = self.scan.duplicates.notes.get(row.number)
            refused = refusal(row.consent)
            if refused:
                yield Job(row, prior, no_consent=refused)
                continue
            pick = self.photos.pick(row.get("photo"), row.get("name"), row.number)
            yield Job(row, prior, pick, (note,) if note else (),
                      row.number in self.scan.duplicates.older)

    def take(self, outcome: RowOutcome) -> None:
        self.rows += 1
        self.row_status[outcome.status] = self.row_status.get(outcome.status, 0) + 1
        self.seen_rows.add(outcome.row)
        self.failed_rows += outcome.failed
        for e in outcome.entries:
            self.counts[e.status] = self.counts.get(e.status, 0) + 1
            if e.status in DELIVERED:
                self.current.update(e.files)
        self.tally.add(outcome.row, outcome.name, outcome.status, outcome.problems)
        if self.progress is not None:
            self.progress.row_done(outcome, describe_problems(self.table, outcome)
                                   if outcome.problems else [])

    def results(self, index: JournalIndex | None,
                pool: multiprocessing.pool.Pool | None) -> Iterator[RowOutcome]:
        if self.progress is not None:
            self.progress.start(self.scan.total, self.workers)
        yield from outcomes(self.state, self.jobs(index), self.workers, self.scan.total, pool)


def _prepare(opts: BatchOptions, progress: Progress | None) -> _Run:
    """Everything before the first card: the theme, the input read through once, the
    static layers, the output folder and the photos fetched."""
    theme = load_theme(opts.theme_path)
    formats = tuple(pick_formats(opts.formats))
    check_options(opts)
    table = open_input(opts.input, opts.columns, theme.columns, opts.encoding, opts.delimiter,
                       opts.sheet)
    # A full streaming pass first: it checks the whole file reads (encoding, quoting)
    # before any card is made, gives the progress bar its length, finds duplicates and
    # the photo links to fetch.
    scan = _scan(table, opts.shard.takes if opts.shard else None, opts.dedupe == "latest")
    # The same words on every card are drawn once here: a theme whose own text does not
    # fit fails now, and forked workers start with these layers made.
    for fmt in formats:
        for language in theme.languages:
            static_layer(theme, fmt, language, opts.debug)
    out_dir = opts.out_dir.resolve() if opts.check else prepare_out_dir(opts.out_dir)
    shard = opts.shard.as_tuple() if opts.shard else None
    photos = PhotoResolver(opts.input.resolve().parent,
                           PhotoFolder(opts.photos_dir) if opts.photos_dir else None,
                           None if opts.check else out_dir / PHOTO_CACHE)
    # Every row's photo decided together, then the links fetched before any worker
    # starts, a few at a time, each with time and size limits.
    photos.plan(scan.photos)
    urls = photos.links_to_fetch()
    note = getattr(progress, "note", None)
    if urls and note is not None:
        count = len(set(urls))
        note(f"fetching photos from {count} web link{'' if count == 1 else 's'} "
             f"({PHOTO_THREADS} at a time)")
    fetched = photos.prefetch(urls)
    state = WorkerState(theme, theme_key(theme), formats, opts.image_type, opts.debug, out_dir,
                        opts.input.resolve().parent, JournalWriter(journal_path(out_dir, shard)),
                        check=opts.check, strict=opts.strict, by_supporter=opts.by_supporter)
    workers = max(1, min(opts.workers or default_workers(), scan.total or 1))
    return _Run(opts, theme, formats, table, scan, out_dir, photos, fetched, state, workers,
                progress)


@dataclass(frozen=True)
class _Written:
    """What a real run (not a check) left in the output folder."""

    manifests: tuple[Path, ...]
    stale: list[tuple[int, str]]
    pruned: list[tuple[int, str]]


def _make_all(run: _Run, pool: multiprocessing.pool.Pool | None) -> _Written:
    """Every row's cards, under the folder's lock, journalled, and the manifest written
    once every row is accounted for (and removed if the run is stopped)."""
    out_dir, shard, opts = run.out_dir, run.shard, run.opts
    lock = JournalLock(out_dir, shard)
    staged: list[Path] = []  # the manifest's temporary files, named before they exist
    writer: ManifestWriter | None = None
    try:
        if shard is None:
            _remove_stale_parts(out_dir)
        index = JournalIndex(out_dir)
        try:
            draft = run.theme.draft.reason if run.theme.draft is not None else None
            writer = ManifestWriter(out_dir, manifest_header(
                opts.input, run.theme.path, [f.name for f in run.formats], opts.image_type,
                shard, draft, run.state.theme_digest), shard, staged)
            for outcome in run.results(index, pool):
                writer.add(outcome.entries)
                run.take(outcome)
            stale = (stale_files(out_dir, run.current, run.seen_rows,
                                 {f.name for f in run.formats}) if shard is None else [])
            pruned = prune(out_dir, stale) if opts.prune else []
            writer.finish({"rows": run.rows, **run.counts, "failed_rows": run.failed_rows,
                           "blank_rows": run.table.blank_rows, "photos_fetched": run.fetched,
                           "problems": run.tally.as_dict(), "pruned": [f for _, f in pruned]})
        except BaseException:
            if writer is not None:
                writer.abort()
            for tmp in staged:  # however far it got: the files, whatever stopped it
                tmp.unlink(missing_ok=True)
            raise
        finally:
            index.close()
    finally:
        run.state.journal.close()
        lock.close()
    return _Written((writer.csv_path, writer.json_path), stale, pruned)


def _work_through(run: _Run) -> _Written | None:
    """Check or make every row, in the pool's processes; the pool is stopped whatever
    happens. The pool is forked before the journal is opened, so no worker holds its lock."""
    pool = start_pool(run.state, run.workers)
    try:
        if run.opts.check:
            for outcome in run.results(None, pool):
                run.take(outcome)
            written = None
        else:
            written = _make_all(run, pool)
        if pool is not None:
            pool.close()
            pool.join()
            pool = None
    finally:
        if pool is not None:
            pool.terminate()
            pool.join()
    return written


def run_batch(opts: BatchOptions, progress: Progress | None = None) -> BatchSummary:
    """Make every row's cards (or with opts.check, only find every problem, writing
    nothing); return the counts and problems. Raises ImhcardError only for a problem
    with the batch as a whole (input file, flags, theme, output folder)."""
    started = time.perf_counter()
    run = _prepare(opts, progress)
    written = _work_through(run)
    counts = run.counts
    summary = BatchSummary(rows=run.rows, made=counts["made"], skipped=counts[ALREADY_MADE],
                           failed=counts["failed"], failed_rows=run.failed_rows,
                           blank_rows=run.table.blank_rows, manifests=(), zip=None,
                           seconds=0.0, workers=run.workers, check=opts.check, tally=run.tally,
                           duplicates=counts.get("duplicate", 0), photos_fetched=run.fetched,
                           unused_photos=tuple(run.photos.unused()),
                           row_status=dict(run.row_status),
                           columns=tuple(understood_lines(run.table.columns, run.scan.example,
                                                          run.theme)),
                           photos_dir=str(opts.photos_dir or ""),
                           column_notes=tuple(yes_no_lines(run.table.columns)))
    report = opts.report or (None if opts.check
                             else run.out_dir / f"report{suffix_for(run.shard)}.html")
    if report is not None:
        write_report(report, summary, opts.input.name, run.table.columns)
    if written is None:
        return replace(summary, report=report, seconds=time.perf_counter() - started)
    zipped: tuple[Path, ...] = ()
    if opts.zip:
        zipped = (zip_batch(run.out_dir, written.manifests,
                            run.out_dir / f"cards{suffix_for(run.shard)}.zip"),)
        if opts.by_supporter:
            zipped += zip_supporters(run.out_dir, written.manifests)
    return replace(summary, manifests=written.manifests, zip=zipped[0] if zipped else None,
                   supporter_zips=zipped[1:], report=report,
                   stale=0 if opts.prune else len(written.stale), pruned=tuple(written.pruned),
                   rows_seen=frozenset(run.seen_rows) if written.pruned else frozenset(),
                   seconds=time.perf_counter() - started)
