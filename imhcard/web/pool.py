"""Render worker processes for the web page: cards are made off the event loop, in
processes forked after the theme's fonts and static layers are made (as the batch's
pool does), so each starts warm and shares those pages with the server.

Each worker serves one request at a time over its own pipe. A request waits for an
idle worker in a bounded queue: when the queue is full the server answers 503 with
Retry-After at once rather than letting every supporter wait. A render that runs past
its time limit has its worker killed and replaced, so one hostile input cannot hold a
worker for ever.
"""

from __future__ import annotations

import asyncio
import gc
import multiprocessing
import multiprocessing.connection
import os
import signal
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from multiprocessing.process import BaseProcess
from typing import Any

from imhcard.errors import ImhcardError


class Overloaded(Exception):
    """Every worker is busy and the queue is full (code "busy"), or the render took too
    long ("too_slow"); core/messages.py words both."""

    def __init__(self, reason: str, retry_after: int, code: str = "busy") -> None:
        self.reason = reason
        self.retry_after = retry_after
        self.code = code
        super().__init__(reason)


@dataclass(frozen=True)
class PoolSettings:
    workers: int
    queue: int  # requests allowed to wait for a worker, beyond those being rendered
    timeout: float  # seconds one render may take
    queue_wait: float  # seconds a request may wait for a worker


def _serve(conn: multiprocessing.connection.Connection) -> None:
    """A worker's loop: a job in, its result (or the library's error) out."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server decides when to stop
    while True:
        try:
            func, args = conn.recv()
        except (EOFError, OSError):
            os._exit(0)  # the server is gone
        try:
            result: tuple[str, Any] = ("ok", func(*args))
        except ImhcardError as exc:
            result = ("error", exc)
        except MemoryError:
            result = ("error", ImhcardError("the photo needs more memory than this server "
                                            "allows; use a smaller photo"))
        try:
            conn.send(result)
        except (BrokenPipeError, OSError):
            os._exit(0)


class _Worker:
    def __init__(self) -> None:
        ctx = multiprocessing.get_context("fork")
        self.conn, child = ctx.Pipe(duplex=True)
        # gc.freeze: the collector would otherwise touch every inherited object in the
        # worker, copying pages that fork lets it share with the server.
        gc.freeze()
        self.process: BaseProcess = ctx.Process(target=_serve, args=(child,), daemon=True)
        self.process.start()
        gc.unfreeze()
        child.close()

    def call(self, func: Callable[..., Any], args: tuple[Any, ...]) -> tuple[str, Any]:
        self.conn.send((func, args))
        result: tuple[str, Any] = self.conn.recv()
        return result

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(2)
        self.conn.close()


class RenderPool:
    """N forked workers, a bounded queue in front of them, and a time limit."""

    def __init__(self, settings: PoolSettings) -> None:
        self.settings = settings
        self._idle: asyncio.Queue[_Worker] = asyncio.Queue()
        self._all: list[_Worker] = []
        self._waiting = 0
        # One thread per worker carries its pipe's blocking send and receive.
        self._threads = ThreadPoolExecutor(settings.workers, thread_name_prefix="imhcard-pipe")

    def start(self) -> None:
        for _ in range(self.settings.workers):
            worker = _Worker()
            self._all.append(worker)
            self._idle.put_nowait(worker)

    @property
    def busy(self) -> int:
        return len(self._all) - self._idle.qsize()

    async def run(self, func: Callable[..., Any], *args: Any) -> Any:
        """func(*args) in a worker; its ImhcardError is raised here, as it was raised."""
        s = self.settings
        # Requests still waiting for a worker may be as many as the idle workers
        # (about to be taken) plus the queue; one more is told to come back.
        if self._waiting >= self._idle.qsize() + s.queue:
            raise Overloaded("the server is busy making other cards", 2)
        self._waiting += 1
        try:
            worker = await asyncio.wait_for(self._idle.get(), s.queue_wait)
        except asyncio.TimeoutError:
            raise Overloaded("the server is busy making other cards", 5) from None
        finally:
            self._waiting -= 1
        try:
            loop = asyncio.get_running_loop()
            status, value = await asyncio.wait_for(
                loop.run_in_executor(self._threads, worker.call, func, args), s.timeout)
        except (asyncio.TimeoutError, EOFError, OSError):
            # Too slow or dead: replace the worker (its pipe may hold half a message).
            self._replace(worker)
            raise Overloaded("making the card took too long", 5, "too_slow") from None
        except BaseException:
            self._replace(worker)
            raise
        self._idle.put_nowait(worker)
        if status == "error":
            raise value
        return value

    def _replace(self, worker: _Worker) -> None:
        worker.kill()
        self._all.remove(worker)
        fresh = _Worker()
        self._all.append(fresh)
        self._idle.put_nowait(fresh)

    def close(self) -> None:
        """Stop every worker (the server has finished its requests)."""
        for worker in self._all:
            worker.conn.close()  # the worker sees EOF and exits
        deadline = time.monotonic() + 3
        for worker in self._all:
            worker.process.join(max(0.0, deadline - time.monotonic()))
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join(1)
        self._all.clear()
        self._threads.shutdown(wait=False, cancel_futures=True)
