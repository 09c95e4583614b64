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
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from imhcard.batch.archive import zip_batch
from imhcard.batch.inputs import InputTable, open_input
from imhcard.batch.journal import JournalIndex, JournalLock, JournalWriter, journal_path, suffix_for
from imhcard.batch.manifest import ManifestWriter, manifest_header
from imhcard.batch.row import Job, RowOutcome, WorkerState, make_row, theme_key
from imhcard.core.formats import pick_formats
from imhcard.core.theme import load_theme
from imhcard.errors import BatchInputError, OutputError
from imhcard.output.files import IMAGE_TYPES
from imhcard.render.compose import static_layer

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


def _init_worker(state: WorkerState) -> None:
    global _STATE
    # Ctrl-C goes to the whole process group; the parent alone decides what stops.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
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


def describe_failures(table: InputTable, outcome: RowOutcome) -> list[str]:
    """One line per distinct problem of a row, with its address: file, row, column."""
    failed = [e for e in outcome.entries if e.status == "failed"]
    same = len({e.error for e in failed}) == 1 and len(failed) == len(outcome.entries)
    lines: list[str] = []
    for e in failed:
        header = table.columns.header(e.field) if e.field else None
        where = table.where(outcome.row) + (f", column '{header}'" if header else "")
        line = f"{where}: {e.error}" if same else f"{where} ({e.format}): {e.error}"
        if line not in lines:
            lines.append(line)
    return lines


def _remove_stale_parts(out_dir: Path) -> None:
    """Temporary files a killed run left behind (writes are temp file + rename)."""
    for path in out_dir.glob(".*.part"):
        path.unlink(missing_ok=True)


def run_batch(opts: BatchOptions, progress: Progress | None = None) -> BatchSummary:
    """Make every row's cards; return the counts. Raises ImhcardError only for a problem
    with the batch as a whole (input file, flags, theme, output folder)."""
    started = time.perf_counter()
    theme = load_theme(opts.theme_path)
    formats = tuple(pick_formats(opts.formats))
    if opts.image_type not in IMAGE_TYPES:
        raise BatchInputError(f"unknown image type '{opts.image_type}'; choose one of: "
                              f"{', '.join(IMAGE_TYPES)}")
    if opts.workers is not None and opts.workers < 1:
        raise BatchInputError(f"--workers {opts.workers}: give 1 or more")
    table = open_input(opts.input, opts.columns, theme.columns, opts.encoding, opts.delimiter,
                       opts.sheet)
    keep = opts.shard.takes if opts.shard else None
    # A full streaming pass first: it checks the whole file reads (encoding, quoting)
    # before any card is made, and gives the progress bar its length.
    total = table.count(keep)
    # The same words on every card are drawn once here: a theme whose own text does not
    # fit fails now, and forked workers start with these layers made.
    for fmt in formats:
        for language in theme.languages:
            static_layer(theme, fmt, language, opts.debug)
    try:
        opts.out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot make the folder {opts.out_dir}: {exc.strerror or exc}") \
            from None
    out_dir = opts.out_dir.resolve()
    shard = opts.shard.as_tuple() if opts.shard else None
    state = WorkerState(theme, theme_key(theme), formats, opts.image_type, opts.debug, out_dir,
                        opts.input.resolve().parent, JournalWriter(journal_path(out_dir, shard)))
    workers = max(1, min(opts.workers or default_workers(), total or 1))

    # The pool is forked before the journal is opened, so no worker holds its lock.
    # gc.freeze: the collector would otherwise touch every inherited object in each
    # worker, copying the parent's pages that fork lets them share.
    pool = None
    if workers > 1:
        gc.freeze()
        # Fork explicitly (Python 3.14 defaults to forkserver on Linux): workers inherit
        # the fonts, static layers and QR codes already made instead of rebuilding them.
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
        pool = multiprocessing.get_context(method).Pool(workers, _init_worker, (state,))
        gc.unfreeze()
    try:
        lock = JournalLock(out_dir, shard)
        try:
            if shard is None:
                _remove_stale_parts(out_dir)
            index = JournalIndex(out_dir)
            writer = ManifestWriter(out_dir, manifest_header(
                opts.input, theme.path, [f.name for f in formats], opts.image_type, shard), shard)
            if progress is not None:
                progress.start(total, workers)
            rows = failed_rows = 0
            try:
                jobs = (Job(row, {f.name: index.get(row.number, f.name) for f in formats})
                        for row in table.rows(keep))
                for outcome in _outcomes(state, jobs, workers, total, pool):
                    writer.add(outcome.entries)
                    rows += 1
                    failed_rows += outcome.failed
                    if progress is not None:
                        progress.row_done(outcome, describe_failures(table, outcome)
                                          if outcome.failed else [])
                counts = dict(writer.counts)
                summary = {"rows": rows, **counts, "failed_rows": failed_rows,
                           "blank_rows": table.blank_rows}
                writer.finish(summary)
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
    manifests = (writer.csv_path, writer.json_path)
    zipped = None
    if opts.zip:
        zipped = zip_batch(out_dir, manifests, out_dir / f"cards{suffix_for(shard)}.zip")
    return BatchSummary(rows=rows, made=counts["made"], skipped=counts["skipped"],
                        failed=counts["failed"], failed_rows=failed_rows,
                        blank_rows=table.blank_rows, manifests=manifests, zip=zipped,
                        seconds=time.perf_counter() - started, workers=workers)
