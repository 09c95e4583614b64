"""Render worker processes for the web page: cards are made off the event loop, in
processes forked from a clean parent (imhcard/web/zygote.py) that has drawn the
theme's fonts and static layers, so each starts warm and none ever holds another
visitor's data.

Each worker makes one card at a time over its own socket. A request is admitted while
the wait it can expect (requests waiting × the recent render time ÷ workers) stays
under a budget; past it the server answers 503 with an honest Retry-After at once,
rather than letting every supporter wait (see admission.py). A render that uses more
than its CPU allowance, or runs past its time limit, has its worker killed and
replaced; a worker that dies is replaced too, and the log says how it ended, never
what it was making.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import os
import pickle
import signal
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from imhcard.core.messages import problem
from imhcard.errors import ImhcardError, PhotoError
from imhcard.web import zygote
from imhcard.web.zygote import Zygote

log = logging.getLogger("imhcard.web")
_CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


class Overloaded(Exception):
    """The expected wait is over budget or upload memory is spent (code "busy"), or the
    render took too long ("too_slow")."""

    def __init__(self, reason: str, retry_after: int, code: str = "busy") -> None:
        self.reason = reason
        self.retry_after = retry_after
        self.code = code
        super().__init__(reason)


class RenderCrashed(Exception):
    """A render failed in a way the library did not foresee (logged by class name)."""


@dataclass(frozen=True)
class PoolSettings:
    workers: int
    queue: int | None = None  # at most this many waiting for a worker (None: the budget decides)
    timeout: float = 20.0  # wall-clock seconds one render may take
    queue_wait: float = 15.0  # seconds an admitted request may wait for a worker
    cpu_limit: float = 5.0  # CPU seconds one render may use (a normal card: 0.01-0.15)
    wait_budget: float = 2.0  # admit while the expected wait is under this
    initial_render: float = 0.05  # seconds per render assumed before any is measured


def _cpu_seconds(pid: int) -> float:
    """User + system CPU a process has used, from /proc (0 where there is none)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            fields = fh.read().rsplit(b")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / _CLOCK_TICKS


class _Worker:
    """One render process, spoken to over its socket with the loop's own socket calls:
    the job is sent from the pickled bytes as they are, and the answer read into one
    buffer of its announced size (no stream buffers copying a photo around)."""

    def __init__(self, pid: int, sock: socket.socket) -> None:
        self.pid = pid
        self.sock = sock
        sock.setblocking(False)

    async def connect(self) -> None:
        """Nothing to do: kept so that a pool's start-up reads the same either way."""

    async def call(self, payload: bytes) -> tuple[Any, ...]:
        loop = asyncio.get_running_loop()
        await loop.sock_sendall(self.sock, len(payload).to_bytes(8, "big"))
        await loop.sock_sendall(self.sock, payload)
        header = await self._read(loop, 8)
        n = int.from_bytes(header, "big")
        if n > zygote.MAX_MESSAGE:
            raise EOFError
        result: tuple[Any, ...] = pickle.loads(await self._read(loop, n))
        return result

    async def _read(self, loop: asyncio.AbstractEventLoop, n: int) -> bytearray:
        buf = bytearray(n)
        view = memoryview(buf)
        got = 0
        while got < n:
            k = await loop.sock_recv_into(self.sock, view[got:])
            if k == 0:
                raise EOFError
            got += k
        return buf

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        self.close()

    def close(self) -> None:
        self.sock.close()


def _blame(args: tuple[Any, ...]) -> bool:
    """Whether a failed render's job had a photo (the likely cause)."""
    return any(getattr(arg, "photo", b"") for arg in args)


class RenderPool:
    """N workers from a zygote, admission by expected wait, and limits per render."""

    def __init__(self, settings: PoolSettings, warm: Callable[[], None] | None = None) -> None:
        self.settings = settings
        self._zygote = Zygote(warm or (lambda: None))
        self._lock = threading.Lock()  # one conversation with the zygote at a time
        self._idle: asyncio.Queue[_Worker] = asyncio.Queue()
        self._all: list[_Worker] = []
        self._waiting = 0
        # Recent render time, seconds (EWMA): measured in the worker, from the job's
        # arrival to its answer, so it counts a machine busy elsewhere but not the
        # time this process's event loop takes to read the answer.
        self._render = settings.initial_render
        self.replaced = 0

    # --- life ---------------------------------------------------------------------------

    def start(self) -> None:
        """Fork the zygote (it warms the theme), then the workers from it."""
        self._zygote.start()
        for _ in range(self.settings.workers):
            pid, sock = self._spawn()
            self._all.append(_Worker(pid, sock))

    async def connect(self) -> None:
        """Attach the workers' sockets to the running event loop."""
        for worker in self._all:
            await worker.connect()
            self._idle.put_nowait(worker)

    def _spawn(self) -> tuple[int, socket.socket]:
        with self._lock:
            return self._zygote.spawn()

    def _reap(self, pid: int) -> int:
        with self._lock:
            return self._zygote.reap(pid)

    def close(self) -> None:
        """Stop every worker and the zygote (the server has finished its requests)."""
        for worker in self._all:
            worker.close()  # the worker sees EOF and exits
        self._all.clear()
        self._zygote.close()  # kills whatever is left

    @property
    def pids(self) -> list[int]:
        return [w.pid for w in self._all]

    @property
    def zygote_pid(self) -> int:
        return self._zygote.pid

    # --- admission ----------------------------------------------------------------------

    @property
    def busy(self) -> int:
        return len(self._all) - self._idle.qsize()

    @property
    def waiting(self) -> int:
        return self._waiting

    @property
    def render_time(self) -> float:
        return self._render

    def expected_wait(self) -> float:
        """Seconds a request arriving now can expect to wait for a worker: those ahead
        of it beyond the free workers, each taking the recent render time, shared by
        the workers."""
        n = self.settings.workers
        ahead = self._waiting + self.busy
        return 0.0 if ahead < n else (ahead - n + 1) * self._render / n

    def refuse(self, leeway: float = 1.0) -> int | None:
        """None to admit a request now; else the seconds to ask it to come back after
        (when the queue ahead should have drained under the budget). `leeway` widens
        the budget for a request whose body has already been read (refusing it then
        would waste the upload)."""
        s = self.settings
        if s.queue is not None and self._waiting >= self._idle.qsize() + s.queue:
            return max(1, math.ceil(self._render * (self._waiting + 1) / s.workers))
        wait = self.expected_wait()
        if wait <= s.wait_budget * leeway:
            return None
        return max(1, math.ceil(wait - s.wait_budget))

    # --- work ---------------------------------------------------------------------------

    async def run(self, func: Callable[..., Any], *args: Any) -> Any:
        """func(*args) in a worker; its ImhcardError is raised here, as it was raised.

        A worker that dies mid-card (killed from outside, or crashed) is replaced and the
        card tried once more on a fresh one; dying twice blames the photo if there is
        one (422), else is a server error. The request was admitted before its body was
        read (forms.read_form); here it is refused only if the wait has grown far past
        the budget since."""
        retry = self.refuse(leeway=3.0)
        if retry is not None:
            raise Overloaded("the server is busy making other cards", retry)
        for attempt in (1, 2):
            try:
                status, value = await self._attempt(func, args)
                break
            except _WorkerDied:
                if attempt == 2:
                    if _blame(args):
                        raise problem(PhotoError, "photo", "photo_unreadable") from None
                    raise RenderCrashed("a render process stopped while making a card") \
                        from None
        if status == "error":
            raise value
        if status == "crash":
            log.error("a render failed with %s; the render process goes on", value)
            if _blame(args):
                raise problem(PhotoError, "photo", "photo_unreadable")
            raise RenderCrashed(f"a render failed ({value})")
        return value

    async def _attempt(self, func: Callable[..., Any], args: tuple[Any, ...]
                       ) -> tuple[str, Any]:
        """One try in one worker, with its CPU and time limits."""
        s = self.settings
        photo = _blame(args)
        self._waiting += 1
        try:
            worker = await asyncio.wait_for(self._idle.get(), s.queue_wait)
        except asyncio.TimeoutError:
            raise Overloaded("the server is busy making other cards",
                             max(1, math.ceil(self.expected_wait()))) from None
        finally:
            self._waiting -= 1
        started = time.monotonic()
        cpu_before = _cpu_seconds(worker.pid)
        # Pickled only now: a request waiting for a worker holds its photo once, not twice.
        call = asyncio.ensure_future(worker.call(
            pickle.dumps((func, args), protocol=pickle.HIGHEST_PROTOCOL)))
        call.add_done_callback(_retrieve)  # a killed worker's call ends in an error nobody needs
        try:
            while True:
                done, _ = await asyncio.wait({call}, timeout=0.25)
                if done:
                    status, value, seconds = call.result()
                    break
                if _cpu_seconds(worker.pid) - cpu_before > s.cpu_limit:
                    raise _TooCostly
                if time.monotonic() - started > s.timeout:
                    raise asyncio.TimeoutError
        except _TooCostly:
            await self._replace(worker, f"used over {s.cpu_limit:g} s of CPU on one card", call)
            if photo:
                raise problem(PhotoError, "photo", "photo_too_costly") from None
            raise Overloaded("making the card took too long", 5, "too_slow") from None
        except asyncio.TimeoutError:
            await self._replace(worker, f"took over {s.timeout:g} s", call)
            raise Overloaded("making the card took too long", 5, "too_slow") from None
        except (EOFError, OSError, asyncio.IncompleteReadError):
            await self._replace(worker, None, call)
            raise _WorkerDied from None
        except BaseException:  # cancelled (the server is stopping): the worker is mid-job
            await self._replace(worker, "was stopped mid-card", call)
            raise
        self._render += 0.3 * (seconds - self._render)
        self._idle.put_nowait(worker)
        return status, value

    async def _replace(self, worker: _Worker, why: str | None,
                       call: asyncio.Future[Any] | None = None) -> None:
        """Kill a worker, log how it ended (never what it was making), start another."""
        worker.kill()
        if call is not None:
            call.cancel()
        if worker in self._all:
            self._all.remove(worker)
        status = await asyncio.to_thread(self._reap, worker.pid)
        how = why or zygote.describe(status)
        log.warning("render process %d %s; a fresh one replaces it", worker.pid, how)
        self.replaced += 1
        try:
            pid, sock = await asyncio.to_thread(self._spawn)
        except (ImhcardError, OSError) as exc:
            log.error("could not start a render process: %s", exc.__class__.__name__)
            return
        fresh = _Worker(pid, sock)
        await fresh.connect()
        self._all.append(fresh)
        self._idle.put_nowait(fresh)


class _TooCostly(Exception):
    pass


class _WorkerDied(Exception):
    pass


def _retrieve(future: asyncio.Future[Any]) -> None:
    if not future.cancelled():
        future.exception()

