"""The clean parent of the render workers (a "zygote", as Android and Chromium call it).

It is forked from the server once, at start-up, before the server opens its listening
socket or reads any request; it closes every descriptor it inherited but its control
socket, warms the theme's layers and fonts, and from then on only forks workers when
the server asks. So a worker, started or restarted at any moment, holds no listening
socket, no client connection and no visitor's data but its own job's: it is a copy of
a process that never saw a request. Each fork still starts warm, sharing the zygote's
layers page for page.

When the server goes away, even by `kill -9`, the zygote sees its control socket close
and kills its workers; each worker also dies with the zygote (PR_SET_PDEATHSIG). No
process but the server ever holds the listening socket, so the port is free at once.

Messages: the server sends ("spawn",) or ("reap", pid) on a SOCK_SEQPACKET socket; the
zygote answers ("spawned", pid) with the server's end of the new worker's socketpair
attached (SCM_RIGHTS), or ("reaped", pid, wait_status). A worker reads pickled
(func, args) jobs framed by an 8-byte length, and answers ("ok", value),
("error", ImhcardError) or ("crash", the exception's class name) the same way, with
the seconds the job took.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import os
import pickle
import resource
import select
import signal
import socket
import struct
import sys
import time
from collections.abc import Callable
from typing import Any

from imhcard.errors import ImhcardError
from imhcard.web import jobs

_HEADER = struct.Struct("!Q")
_PR_SET_PDEATHSIG = 1
MAX_MESSAGE = 64 * 1024 * 1024  # a job (the photo) or a result (the card), with room


class ZygoteError(ImhcardError):
    """The zygote could not start (the theme failed to warm) or stopped answering."""


def _close_inherited(keep: set[int]) -> None:
    """Close every descriptor but stdio and `keep`: whatever the forking process had
    open (a listening socket, client connections, the event loop's own) is gone."""
    try:
        fds = [int(name) for name in os.listdir("/proc/self/fd")]
    except OSError:
        fds = list(range(3, 4096))
    for fd in fds:
        if fd > 2 and fd not in keep:
            with contextlib.suppress(OSError):
                os.close(fd)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)


def _die_with_parent() -> None:
    """Ask Linux to SIGKILL this process when its parent (a single-threaded zygote) ends."""
    # The running program's own symbols include libc's (no ldconfig subprocess).
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def _no_core_files() -> None:
    # A crashing decoder must not write a core file (a copy of a visitor's photo) into
    # the server's folder: the kernel's default core_pattern is "core", in the cwd.
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def send_message(sock: socket.socket, obj: Any) -> None:
    payload = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    sock.sendall(_HEADER.pack(len(payload)) + payload)


def _recv_exactly(sock: socket.socket, n: int) -> bytes:
    buf = bytearray(n)
    view = memoryview(buf)
    got = 0
    while got < n:
        k = sock.recv_into(view[got:])
        if k == 0:
            raise EOFError
        got += k
    return bytes(buf)


def recv_message(sock: socket.socket) -> Any:
    (n,) = _HEADER.unpack(_recv_exactly(sock, _HEADER.size))
    if n > MAX_MESSAGE:
        raise EOFError
    return pickle.loads(_recv_exactly(sock, n))


# A worker idle this long after a job gives its freed heap back to the system.
IDLE_TRIM_SECONDS = 1.0


def _idle(conn: socket.socket, seconds: float) -> bool:
    """No job has arrived on `conn` within `seconds`."""
    try:
        ready, _, _ = select.select([conn], [], [], seconds)
    except (OSError, ValueError):
        return False
    return not ready


def give_back_memory() -> None:
    """Give the heap's free pages back to the system (glibc keeps them otherwise)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).malloc_trim(0)


def _worker_main(conn: socket.socket) -> None:
    """A render worker's loop: a job in, its result out, until the server hangs up.
    Once idle after a job, the freed heap goes back to the system (glibc keeps it
    otherwise), so a worker's size after a burst of photos falls back; not after every
    job, since the next photo would pay ~25 ms of page faults to take it again."""
    _die_with_parent()
    with contextlib.suppress(Exception):  # unwarmed, it still makes cards: just slower first
        jobs.warm_worker()
    worked = False
    while True:
        if worked and _idle(conn, IDLE_TRIM_SECONDS):
            give_back_memory()
            worked = False
        try:
            func, args = recv_message(conn)
            worked = True
        except (EOFError, OSError):
            return
        started = time.monotonic()
        try:
            result: tuple[Any, ...] = ("ok", func(*args))
        except ImhcardError as exc:
            result = ("error", exc)
        except MemoryError:
            result = ("error", ImhcardError("the photo needs more memory than this server "
                                            "allows; use a smaller photo"))
        except Exception as exc:  # a bug or a decoder's surprise: say which, not the data
            result = ("crash", type(exc).__name__)
        try:
            # The render's own time, for admission: not what the server's busy event
            # loop adds before it reads the answer.
            send_message(conn, (*result, time.monotonic() - started))
        except OSError:
            return
        del func, args, result


def _zygote_main(ctl: socket.socket, warm: Callable[[], None]) -> None:
    _close_inherited({ctl.fileno()})
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the server; it decides
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    _no_core_files()
    try:
        warm()
    except ImhcardError as exc:
        ctl.send(pickle.dumps(("failed", str(exc))))
        return
    # gc.freeze: the collector would otherwise touch every inherited object in each
    # worker, copying pages the fork lets it share with this process.
    gc.collect()
    gc.freeze()
    ctl.send(pickle.dumps(("ready", os.getpid())))
    children: set[int] = set()
    try:
        while True:
            try:
                raw = ctl.recv(4096)
            except InterruptedError:
                continue
            if not raw:
                return  # the server is gone
            message = pickle.loads(raw)
            if message[0] == "spawn":
                ours, theirs = socket.socketpair()
                pid = os.fork()
                if pid == 0:
                    ctl.close()
                    theirs.close()
                    _close_inherited({ours.fileno()})
                    try:
                        _worker_main(ours)
                    finally:
                        os._exit(0)
                ours.close()
                children.add(pid)
                socket.send_fds(ctl, [pickle.dumps(("spawned", pid))], [theirs.fileno()])
                theirs.close()
            elif message[0] == "reap":
                pid = message[1]
                status = -1
                if pid in children:
                    children.discard(pid)
                    with contextlib.suppress(ChildProcessError):
                        _, status = os.waitpid(pid, 0)
                ctl.send(pickle.dumps(("reaped", pid, status)))
    finally:
        for pid in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


class Zygote:
    """The server's handle on its zygote: start it, ask it for workers, stop it."""

    def __init__(self, warm: Callable[[], None]) -> None:
        self._warm = warm
        self._ctl: socket.socket | None = None
        self.pid = 0

    def start(self, timeout: float = 300.0) -> None:
        """Fork the zygote and wait until it has warmed (a theme that cannot be drawn
        fails here, with the theme's own message)."""
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # the zygote
            ours.close()
            code = 0
            try:
                _zygote_main(theirs, self._warm)
            except BaseException:
                code = 1
            finally:
                os._exit(code)
        theirs.close()
        self.pid, self._ctl = pid, ours
        ours.settimeout(timeout)
        try:
            raw = ours.recv(65536)
        except (TimeoutError, OSError):
            raw = b""
        answer = pickle.loads(raw) if raw else ("failed", "the render processes did not start")
        ours.settimeout(None)
        if answer[0] != "ready":
            self.close()
            raise ZygoteError(answer[1])

    def spawn(self) -> tuple[int, socket.socket]:
        """A new worker's pid and the server's end of its socket."""
        if self._ctl is None:
            raise ZygoteError("the render processes have been stopped")
        self._ctl.send(pickle.dumps(("spawn",)))
        raw, fds, _, _ = socket.recv_fds(self._ctl, 4096, 1)
        if not raw or not fds:
            raise ZygoteError("the render processes' parent stopped answering")
        _, pid = pickle.loads(raw)
        return pid, socket.socket(fileno=fds[0])

    def reap(self, pid: int) -> int:
        """Wait for a worker that has ended (or been killed); its wait status."""
        if self._ctl is None:
            return -1
        self._ctl.send(pickle.dumps(("reap", pid)))
        raw = self._ctl.recv(4096)
        return int(pickle.loads(raw)[2]) if raw else -1

    def close(self) -> None:
        """Stop the zygote: it kills any worker still running, then exits."""
        if self._ctl is not None:
            self._ctl.close()
            self._ctl = None
        if self.pid:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self.pid, 0)
            self.pid = 0


def describe(status: int) -> str:
    """A worker's wait status in words, for the log."""
    if status < 0:
        return "ended"
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        try:
            name = signal.Signals(sig).name
        except ValueError:
            name = f"signal {sig}"
        return f"was killed by {name}"
    return f"exited with status {os.WEXITSTATUS(status)}"
