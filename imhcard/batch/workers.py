"""The batch's worker processes: forked with the theme's layers made, each makes rows'
cards; rows travel in small chunks with a bounded number in flight, and outcomes come
back in row order."""

from __future__ import annotations

import gc
import itertools
import multiprocessing
import multiprocessing.pool
import os
import signal
import threading
import time
from collections.abc import Iterator

from imhcard.batch.outcome import RowOutcome
from imhcard.batch.row import Job, WorkerState, make_row
from imhcard.output.stops import handler

# Rows travel to workers in chunks: big enough that the parent's share of the
# work stays small, small enough that the workers finish together.
ROWS_PER_CHUNK = 16
CHUNKS_IN_FLIGHT_PER_WORKER = 3


_STATE: WorkerState | None = None


def _watch_parent(parent: int) -> None:
    # A worker whose parent was killed (kill -9) would otherwise live on, blocked
    # on a queue nobody feeds; leave as soon as the parent is gone.
    while True:
        time.sleep(0.2)
        if os.getppid() != parent:
            os._exit(1)


def _leave(signum: int) -> None:
    raise SystemExit(128 + signum)


def _init_worker(state: WorkerState) -> None:
    global _STATE
    # Ctrl-C goes to the whole process group; the parent alone decides what stops.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Stopped (the parent ends the pool with SIGTERM): leave through SystemExit, so the
    # card being written removes its temporary files, and quietly (no traceback).
    signal.signal(signal.SIGTERM, handler(_leave))
    _STATE = state
    threading.Thread(target=_watch_parent, args=(os.getppid(),), daemon=True).start()


def _work(chunk: list[Job]) -> list[RowOutcome]:
    assert _STATE is not None, "worker used before its initializer ran"
    # A problem that stops the whole batch (a full disk, say) raises; imhcard's errors
    # pickle (errors.py), so the parent re-raises the same error with its fields.
    return [make_row(_STATE, job) for job in chunk]


def outcomes(state: WorkerState, jobs: Iterator[Job], workers: int, total: int,
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

def start_pool(state: WorkerState, workers: int) -> multiprocessing.pool.Pool | None:
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
