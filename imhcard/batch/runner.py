"""Staff batches: a form export in, every supporter's cards out, in parallel,
resumably, with a manifest of what became of every row.

The parent process reads the input (streamed) and hands rows to worker processes
in small chunks with a bounded number in flight, so memory does not grow with
the number of rows; it writes the manifest as rows come back, in row order.
Workers load the theme once, then render, encode and write each card and note
it in the journal as soon as its files are in place, so only file names and
hashes cross between processes, and a kill loses at most the card in hand.
What a worker does with one row lives in imhcard.batch.row; this module is the run.
"""

from __future__ import annotations

import gc
import itertools
import multiprocessing
import multiprocessing.pool
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Protocol

from imhcard.batch.archive import zip_batch, zip_supporters
from imhcard.batch.dedupe import Duplicates, find_duplicates
from imhcard.batch.inputs import InputTable, open_input
from imhcard.batch.journal import JournalIndex, JournalLock, JournalWriter, journal_path, suffix_for
from imhcard.batch.manifest import DELIVERED, STATUSES, ManifestWriter, manifest_header
from imhcard.batch.photos import CACHE_DIR as PHOTO_CACHE
from imhcard.batch.photos import THREADS as PHOTO_THREADS
from imhcard.batch.photos import PhotoFolder, PhotoResolver, is_link
from imhcard.batch.problems import Tally
from imhcard.batch.prune import prune, stale_files
from imhcard.batch.report import write_report
from imhcard.batch.row import Job, RowOutcome, WorkerState, make_row, theme_key
from imhcard.core.formats import pick_formats
from imhcard.core.theme import load_theme
from imhcard.errors import BatchInputError
from imhcard.output.files import prepare_out_dir
from imhcard.render.compose import static_layer
from imhcard.render.encode import IMAGE_TYPES

# Rows travel to workers in chunks: big enough that the parent's share of the
# work stays small, small enough that the workers finish together.
ROWS_PER_CHUNK = 16
CHUNKS_IN_FLIGHT_PER_WORKER = 3


@dataclass(frozen=True)
class Shard:
    """One of N deterministic shares of the rows: row numbers modulo N."""

    index: int
    count: int

    @classmethod
    def parse(cls, text: str) -> Shard:
        i, sep, n = text.partition("/")
        if sep and i.strip().isdigit() and n.strip().isdigit():
            shard = cls(int(i), int(n))
            if 1 <= shard.index <= shard.count:
                return shard
        raise BatchInputError(f"--shard {text}: write it as I/N with 1 <= I <= N, like 2/4 "
                              "for the second of four shares")

    def takes(self, row: int) -> bool:
        return row % self.count == self.index - 1

    def as_tuple(self) -> tuple[int, int]:
        return (self.index, self.count)


@dataclass(frozen=True)
class BatchOptions:
    """Everything `imhcard batch` was asked to do."""

    input: Path
    out_dir: Path
    theme_path: Path
    formats: tuple[str, ...] = ()
    image_type: str = "png"
    columns: Mapping[str, str] = field(default_factory=dict)
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    workers: int | None = None
    shard: Shard | None = None
    zip: bool = False
    debug: bool = False
    check: bool = False  # find every problem; write nothing (but a --report asked for)
    strict: bool = False  # a photo that cannot be had fails the row
    photos_dir: Path | None = None  # the photos staff downloaded
    dedupe: str | None = None  # "latest": make only the newest of duplicate submissions
    prune: bool = False  # remove the cards of rows no longer in the input
    by_supporter: bool = False  # a folder (and with zip, a zip) per supporter
    report: Path | None = None  # where report.html goes (default: in the output folder)


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


class Progress(Protocol):
    """How a batch tells its caller how far it has got (the CLI draws a bar)."""

    def start(self, total: int, workers: int) -> None: ...

    def row_done(self, outcome: RowOutcome, problems: Sequence[str]) -> None: ...


def default_workers() -> int:
    """One per CPU this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - macOS and Windows
        return os.cpu_count() or 1


# --- the worker processes ------------------------------------------------------------------


_STATE: WorkerState | None = None


def _watch_parent(parent: int) -> None:
    # A worker whose parent was killed (kill -9) would otherwise live on, blocked
    # on a queue nobody feeds; leave as soon as the parent is gone.
    while True:
        time.sleep(0.2)
        if os.getppid() != parent:
            os._exit(1)


def _leave(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def _init_worker(state: WorkerState) -> None:
    global _STATE
    # Ctrl-C goes to the whole process group; the parent alone decides what stops.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Stopped (the parent ends the pool with SIGTERM): leave through SystemExit, so the
    # card being written removes its temporary files, and quietly (no traceback).
    signal.signal(signal.SIGTERM, _leave)
    _STATE = state
    threading.Thread(target=_watch_parent, args=(os.getppid(),), daemon=True).start()


def _work(chunk: list[Job]) -> list[RowOutcome]:
    assert _STATE is not None, "worker used before its initializer ran"
    # A problem that stops the whole batch (a full disk, say) raises; imhcard's errors
    # pickle (errors.py), so the parent re-raises the same error with its fields.
    return [make_row(_STATE, job) for job in chunk]


def _outcomes(state: WorkerState, jobs: Iterator[Job], workers: int, total: int,
              pool: multiprocessing.pool.Pool | None) -> Iterator[RowOutcome]:
    """Outcomes in row order, made in this process or by the pool."""
    if pool is None:
        for job in jobs:
            yield make_row(state, job)
        return
    # Pool.imap reads its input as fast as it can; a semaphore keeps only a few
    # chunks in flight, so the input is streamed rather than loaded.
    slots = threading.Semaphore(workers * CHUNKS_IN_FLIGHT_PER_WORKER)
    stop = threading.Event()
    size = max(1, min(ROWS_PER_CHUNK, total // (workers * CHUNKS_IN_FLIGHT_PER_WORKER)))

    def chunks() -> Iterator[list[Job]]:
        while chunk := list(itertools.islice(jobs, size)):
            while not slots.acquire(timeout=0.1):
                if stop.is_set():
                    return
            yield chunk

    try:
        for results in pool.imap(_work, chunks()):
            slots.release()
            yield from results
    finally:
        stop.set()


# --- the run -------------------------------------------------------------------------------


def describe_problems(table: InputTable, outcome: RowOutcome) -> list[str]:
    """One line per problem of a row, with its address: file, row, column (and the
    formats, when only some are affected)."""
    lines: list[str] = []
    for p in outcome.problems:
        header = table.columns.header(p.field) if p.field else None
        where = table.where(outcome.row) + (f", column '{header}'" if header else "")
        if p.format:
            where += f" ({p.format})"
        without = p.field == "photo" and not p.fatal and not outcome.failed
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
    """The first streaming pass over the input: how many rows, the photo links to
    fetch, and the duplicate submissions."""

    total: int
    links: list[tuple[str, str]]
    duplicates: Duplicates


def _scan(table: InputTable, keep: Callable[[int], bool] | None, latest: bool) -> _Scan:
    total = 0
    links: list[tuple[str, str]] = []

    def rows() -> Iterator[tuple[int, str, str, str, str]]:
        nonlocal total
        for row in table.rows(keep):
            total += 1
            cell = row.get("photo").strip()
            if cell and is_link(cell):
                links.append((cell, row.get("name")))
            yield (row.number, row.get("name"), row.get("email"), row.get("pledge"),
                   row.get("timestamp"))

    duplicates = find_duplicates(rows(), latest)
    return _Scan(total, links, duplicates)


def _check_options(opts: BatchOptions) -> None:
    if opts.image_type not in IMAGE_TYPES:
        raise BatchInputError(f"unknown image type '{opts.image_type}'; choose one of: "
                              f"{', '.join(IMAGE_TYPES)}")
    if opts.photos_dir is not None and not opts.photos_dir.is_dir():
        raise BatchInputError(f"--photos {opts.photos_dir}: no such folder")
    if opts.workers is not None and opts.workers < 1:
        raise BatchInputError(f"--workers {opts.workers}: give 1 or more")
    if opts.dedupe not in (None, "latest"):
        raise BatchInputError(f"--dedupe {opts.dedupe}: the choice is 'latest'")
    if opts.prune and opts.shard:
        raise BatchInputError("--prune needs the whole batch: run it without --shard, once "
                              "every shard is made")
    if opts.photos_dir is not None and not opts.photos_dir.is_dir():
        raise BatchInputError(f"--photos {opts.photos_dir}: no such folder")


def run_batch(opts: BatchOptions, progress: Progress | None = None) -> BatchSummary:
    """Make every row's cards (or with opts.check, only find every problem, writing
    nothing); return the counts and problems. Raises ImhcardError only for a problem
    with the batch as a whole (input file, flags, theme, output folder)."""
    started = time.perf_counter()
    theme = load_theme(opts.theme_path)
    formats = tuple(pick_formats(opts.formats))
    _check_options(opts)
    table = open_input(opts.input, opts.columns, theme.columns, opts.encoding, opts.delimiter,
                       opts.sheet)
    keep = opts.shard.takes if opts.shard else None
    # A full streaming pass first: it checks the whole file reads (encoding, quoting)
    # before any card is made, gives the progress bar its length, finds duplicates and
    # the photo links to fetch.
    scan = _scan(table, keep, opts.dedupe == "latest")
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
    # Fetched before any worker starts, a few at a time, each with time and size limits.
    note = getattr(progress, "note", None)
    if scan.links and note is not None:
        count = len(scan.links)
        note(f"fetching photos from {count} web link{'' if count == 1 else 's'} "
             f"({PHOTO_THREADS} at a time)")
    fetched = photos.prefetch(scan.links)
    state = WorkerState(theme, theme_key(theme), formats, opts.image_type, opts.debug, out_dir,
                        opts.input.resolve().parent, JournalWriter(journal_path(out_dir, shard)),
                        check=opts.check, strict=opts.strict, by_supporter=opts.by_supporter)
    workers = max(1, min(opts.workers or default_workers(), scan.total or 1))
    tally = Tally()
    counts: dict[str, int] = dict.fromkeys(STATUSES, 0)
    rows = failed_rows = 0
    current: set[str] = set()  # files of this run's cards
    seen_rows: set[int] = set()

    def jobs(index: JournalIndex | None) -> Iterator[Job]:
        for row in table.rows(keep):
            prior = {f.name: index.get(row.number, f.name) if index else None for f in formats}
            note = scan.duplicates.notes.get(row.number)
            yield Job(row, prior, photos.pick(row.get("photo"), row.get("name")),
                      (note,) if note else (), row.number in scan.duplicates.older)

    def take(outcome: RowOutcome) -> None:
        nonlocal rows, failed_rows
        rows += 1
        seen_rows.add(outcome.row)
        failed_rows += outcome.failed
        for e in outcome.entries:
            counts[e.status] = counts.get(e.status, 0) + 1
            if e.status in DELIVERED:
                current.update(e.files)
        tally.add(outcome.row, outcome.name, outcome.status, outcome.problems)
        if progress is not None:
            progress.row_done(outcome, describe_problems(table, outcome)
                              if outcome.problems else [])

    # The pool is forked before the journal is opened, so no worker holds its lock.
    pool = _start_pool(state, workers)
    writer: ManifestWriter | None = None
    try:
        if opts.check:
            if progress is not None:
                progress.start(scan.total, workers)
            for outcome in _outcomes(state, jobs(None), workers, scan.total, pool):
                take(outcome)
        else:
            lock = JournalLock(out_dir, shard)
            try:
                if shard is None:
                    _remove_stale_parts(out_dir)
                index = JournalIndex(out_dir)
                writer = ManifestWriter(out_dir, manifest_header(
                    opts.input, theme.path, [f.name for f in formats], opts.image_type, shard),
                    shard)
                if progress is not None:
                    progress.start(scan.total, workers)
                try:
                    for outcome in _outcomes(state, jobs(index), workers, scan.total, pool):
                        writer.add(outcome.entries)
                        take(outcome)
                    stale = (stale_files(out_dir, current, seen_rows, {f.name for f in formats})
                             if shard is None else [])
                    pruned = prune(out_dir, stale) if opts.prune else []
                    writer.finish({"rows": rows, **counts, "failed_rows": failed_rows,
                                   "blank_rows": table.blank_rows, "photos_fetched": fetched,
                                   "problems": tally.as_dict(),
                                   "pruned": [f for _, f in pruned]})
                except BaseException:
                    writer.abort()
                    raise
                finally:
                    index.close()
            finally:
                state.journal.close()
                lock.close()
        if pool is not None:
            pool.close()
            pool.join()
            pool = None
    finally:
        if pool is not None:
            pool.terminate()
            pool.join()
    summary = BatchSummary(rows=rows, made=counts["made"], skipped=counts["skipped"],
                           failed=counts["failed"], failed_rows=failed_rows,
                           blank_rows=table.blank_rows, manifests=(), zip=None,
                           seconds=0.0, workers=workers, check=opts.check, tally=tally,
                           duplicates=counts.get("duplicate", 0), photos_fetched=fetched)
    report = opts.report or (None if opts.check else out_dir / f"report{suffix_for(shard)}.html")
    if report is not None:
        write_report(report, summary, opts.input.name, table.columns)
    if writer is None:
        return replace(summary, report=report, seconds=time.perf_counter() - started)
    manifests = (writer.csv_path, writer.json_path)
    zipped: tuple[Path, ...] = ()
    if opts.zip:
        zipped = (zip_batch(out_dir, manifests, out_dir / f"cards{suffix_for(shard)}.zip"),)
        if opts.by_supporter:
            zipped += zip_supporters(out_dir, manifests)
    return replace(summary, manifests=manifests, zip=zipped[0] if zipped else None,
                   supporter_zips=zipped[1:], report=report,
                   stale=0 if opts.prune else len(stale), pruned=tuple(pruned),
                   rows_seen=frozenset(seen_rows) if pruned else frozenset(),
                   seconds=time.perf_counter() - started)


def _start_pool(state: WorkerState, workers: int) -> multiprocessing.pool.Pool | None:
    if workers <= 1:
        return None
    # gc.freeze: the collector would otherwise touch every inherited object in each
    # worker, copying the parent's pages that fork lets them share.
    gc.freeze()
    # Fork explicitly (Python 3.14 defaults to forkserver on Linux): workers inherit
    # the fonts, static layers and QR codes already made instead of rebuilding them.
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    pool = multiprocessing.get_context(method).Pool(workers, _init_worker, (state,))
    gc.unfreeze()
    return pool
