"""imhcard's own HTTP/1.1 server for the page: asyncio, with h11 (uvicorn's parser) for
the protocol and our own rules for what a connection may cost.

Why not uvicorn as it is: it has no deadline for receiving a request (its issue #157;
`timeout_keep_alive` is reset by every byte), so ~1,000 half-open connections exhaust a
stock login's 1,024 descriptors; it wakes the event loop and the app for every byte a
trickling client sends; and its own error responses lack the security headers. What
this server does instead (measured in bench/serve_attack.py, figures in
bench/README.md):

- **Deadlines.** A request's head must arrive within `header_timeout` of its first
  byte (a connection that sends nothing is closed after `keepalive_timeout`); its body
  may pause at most `body_idle_timeout` and must average `body_min_rate` after a grace
  period. Past either: 408 and the connection is closed.
- **Connections.** At most `max_connections` (derived from the open-file limit, so the
  server never runs out of descriptors). A connection arriving at the cap takes the
  place of the oldest one that is idle or still trickling its head, or of an upload
  that has stalled; if there is none it is answered 503 with Retry-After and closed.
- **Bodies only when asked.** Body bytes are read from the socket only while the app
  is reading them (after admission, see admission.py); `100 Continue` is sent then too.
  A request answered before its body was read (413, 503) gets a lingering close, so the
  client sees the answer rather than a reset.
- **Trickles cost no more than a normal client.** From the third packet in a row under
  1 KB that completes neither a head nor a body, reading from that connection pauses for
  50 ms, doubling to 1 s: a one-byte-at-a-time client wakes the event loop about once a
  second, not once a byte, while a normal upload's odd short read costs it nothing. A
  chunked body of more than `max_tiny_chunks` chunks under 256 bytes is refused.
- **Every response it shapes** (its own 400, 408, 413, 431, 500, 503) carries the same
  security headers as the app's, and a request it refuses is counted, not logged line by
  line: an attack never floods the log, and nothing a visitor sent is written there.
- **Stopping.** SIGTERM or Ctrl-C: the listening socket is closed at once, idle
  connections are closed, requests in hand have `grace` seconds to finish, then the
  app's shutdown runs (the render workers stop) and the signal is re-raised, so the exit
  status says how it was stopped (143 for SIGTERM, 130 for Ctrl-C).
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import errno
import logging
import os
import signal
import socket
import threading
from collections import Counter
from collections.abc import Awaitable, Callable
from typing import Any

from imhcard.web.cycle import Cycle
from imhcard.web.http_basics import (
    APP,
    BODY,
    CLOSED,
    HEAD,
    LINGER,
    Limits,
    ListenError,
    canned,
    connection_cap,
)
from imhcard.web.protocol import Connection
from imhcard.web.zygote import give_back_memory

log = logging.getLogger("imhcard.web")

ASGIApp = Callable[..., Awaitable[None]]  # (scope, receive, send), as Starlette types it
_FULL = canned(503, "the server has too many connections; try again in a few seconds",
               retry_after=5)
_M_MMAP_THRESHOLD = -3
_M_TRIM_THRESHOLD = -1


def _listen(host: str, port: int) -> socket.socket:
    family, kind, proto, _, address = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(1024)
        sock.setblocking(False)
    except OSError:
        sock.close()
        raise
    return sock


def _return_big_buffers() -> None:
    """Have glibc map every buffer over 1 MB on its own, so an upload's memory goes back
    to the system when it is freed (its default raises that threshold after the first
    big free, and the heap then keeps what uploads used). Only in the web process: the
    render workers' big images are better served from their heap."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None)
        libc.mallopt(_M_MMAP_THRESHOLD, 1024 * 1024)
        # Fixing that threshold also fixes the heap's trim threshold at 128 KB: every
        # socket read would then grow and shrink the heap (5 times the cost of a read).
        # The sweeper gives free heap pages back every two seconds instead.
        libc.mallopt(_M_TRIM_THRESHOLD, 32 * 1024 * 1024)


__all__ = ["Limits", "ListenError", "Server"]


class Server:
    """The listening socket, the connections, their deadlines, and the app's lifespan."""

    def __init__(self, app: ASGIApp, host: str, port: int, limits: Limits | None = None,
                 on_ready: Callable[[str, int], None] | None = None) -> None:
        self.app = app
        self.host, self.port = host, port
        self.limits = limits or Limits()
        self.cap = self.limits.max_connections or connection_cap()
        self.on_ready = on_ready
        self.loop = asyncio.new_event_loop()
        # Connections by phase, oldest first (dicts keep insertion order).
        self.phases: dict[str, dict[Connection, None]] = {
            HEAD: {}, BODY: {}, APP: {}, LINGER: {}}
        self.tasks: set[asyncio.Task[None]] = set()
        self.stopping = False
        self.counts: Counter[str] = Counter()
        self._sock: socket.socket | None = None
        self.pending = 0  # accepted, transport being made
        self._stop = asyncio.Event()
        self._signal: int | None = None

    # --- bookkeeping --------------------------------------------------------------------

    @property
    def open_connections(self) -> int:
        return sum(len(d) for d in self.phases.values())

    def move(self, conn: Connection, old: str, new: str) -> None:
        self.phases.get(old, {}).pop(conn, None)
        if new in self.phases:
            self.phases[new][conn] = None

    def forget(self, conn: Connection) -> None:
        for group in self.phases.values():
            group.pop(conn, None)

    def count(self, status: int) -> None:
        self.counts[str(status)] += 1

    def register(self, conn: Connection) -> None:
        if self.stopping:
            conn.abort()
        else:
            self.phases[HEAD][conn] = None

    def _accept(self) -> None:
        """Accept what is waiting, within the cap: at the cap a newcomer takes the place
        of an idle, trickling or stalled connection, or is answered 503 and closed."""
        assert self._sock is not None
        for _ in range(64):  # a batch per wakeup: never more descriptors than the cap
            refuse = self.open_connections + self.pending >= self.cap and not self._make_room()
            try:
                sock, _ = self._sock.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError as exc:  # out of descriptors or buffers: wait a moment
                if exc.errno == errno.ECONNABORTED:
                    continue
                self.counts["accept failed"] += 1
                self.loop.remove_reader(self._sock.fileno())
                self.loop.call_later(0.1, self._resume_accepting)
                return
            if refuse:
                self.counts["503: connection cap"] += 1
                with contextlib.suppress(OSError):
                    sock.send(_FULL, socket.MSG_DONTWAIT)
                sock.close()
                continue
            sock.setblocking(False)
            self.pending += 1
            self.loop.create_task(self._connect(sock))

    def _resume_accepting(self) -> None:
        if self._sock is not None and not self.stopping:
            self.loop.add_reader(self._sock.fileno(), self._accept)

    async def _connect(self, sock: socket.socket) -> None:
        try:
            await self.loop.connect_accepted_socket(lambda: Connection(self), sock)
        except OSError:
            sock.close()
        finally:
            self.pending -= 1

    def _make_room(self) -> bool:
        now = self.loop.time()
        victim: Connection | None = None
        for conn in self.phases[LINGER]:  # already answered: let it go now
            victim = conn
            break
        if victim is None:
            for conn in self.phases[HEAD]:  # the oldest idle or trickling connection
                if now - conn.since >= 0.5:
                    self.counts["evicted: idle or slow head"] += 1
                    if conn.first_byte is not None:
                        conn.write(canned(408, "the request took too long to arrive"))
                    victim = conn
                break
        if victim is None:
            for conn in self.phases[BODY]:  # an upload that has stopped sending
                if conn.cycle is not None and \
                        conn.cycle.stalled_for(now) >= self.limits.stalled:
                    self.counts["evicted: stalled upload"] += 1
                    conn.refuse(408, "the request body stopped arriving")
                    victim = conn
                    break
        if victim is None:
            return False
        victim.abort()
        self.forget(victim)  # its descriptor is closed on the loop's next turn
        return True

    def start_task(self, conn: Connection, scope: dict[str, Any], cycle: Cycle) -> None:
        task = self.loop.create_task(self._run_app(conn, scope, cycle))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def _run_app(self, conn: Connection, scope: dict[str, Any], cycle: Cycle) -> None:
        try:
            await self.app(scope, cycle.receive, cycle.send)
        except Exception as exc:
            log.error("the app failed on a request (%s)", exc.__class__.__name__,
                      exc_info=exc)
            if not cycle.response_started:
                conn.refuse(500, "the server could not make this response")
            else:
                conn.abort()
            return
        if not cycle.response_complete and conn.phase not in (LINGER, CLOSED):
            if cycle.response_started or cycle.disconnected:
                conn.abort()
            else:
                conn.refuse(500, "the server made no response")

    # --- deadlines ------------------------------------------------------------------------

    async def _sweep(self) -> None:
        """Every half second: enforce every connection's deadline (one pass over the
        connections rather than a timer per connection reset by every byte)."""
        lim = self.limits
        last_report = self.loop.time()
        while True:
            await asyncio.sleep(0.5)
            now = self.loop.time()
            for conn in list(self.phases[HEAD]):
                if conn.first_byte is None:
                    if now - conn.since > lim.keepalive_timeout:
                        self.counts["closed: idle"] += 1
                        conn.close()
                elif now - conn.first_byte > lim.header_timeout:
                    self.counts["408: head too slow"] += 1
                    conn.refuse(408, "the request's head took too long to arrive")
            for conn in list(self.phases[BODY]):
                cycle = conn.cycle
                if cycle is None or cycle.reading_since is None:
                    continue  # the app has not asked for the body (yet)
                due = cycle.reading_since + lim.body_grace + cycle.received / lim.body_min_rate
                if cycle.stalled_for(now) > lim.body_idle_timeout or now > due:
                    self.counts["408: body too slow"] += 1
                    conn.refuse(408, "the request's body arrived too slowly")
            for conn in list(self.phases[APP]):
                if conn.write_paused and now - conn.write_paused_since > lim.write_timeout:
                    self.counts["closed: response not read"] += 1
                    conn.abort()
            for conn in list(self.phases[LINGER]):
                if now - conn.since > lim.linger:
                    conn.abort()
            if int(now) % 2 == 0:
                give_back_memory()
            if now - last_report >= 10 and self.counts:
                log.warning("server: in the last %.0f s: %s", now - last_report,
                            ", ".join(f"{k} ×{v}" for k, v in sorted(self.counts.items())))
                self.counts.clear()
                last_report = now

    # --- lifespan -------------------------------------------------------------------------

    async def _lifespan(self, event: str) -> None:
        """Run the app's lifespan startup or shutdown; raise what it raised."""
        if event == "startup":
            self._life_in: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
            self._life_out: asyncio.Queue[dict[str, Any]] = asyncio.Queue()

            async def receive() -> dict[str, Any]:
                return await self._life_in.get()

            async def send(message: dict[str, Any]) -> None:
                await self._life_out.put(message)

            scope = {"type": "lifespan", "asgi": {"version": "3.0", "spec_version": "2.0"},
                     "state": {}}
            async def life() -> None:
                await self.app(scope, receive, send)

            self._life_task: asyncio.Task[None] = self.loop.create_task(life())
        await self._life_in.put({"type": f"lifespan.{event}"})
        getter = self.loop.create_task(self._life_out.get())
        done, _ = await asyncio.wait({getter, self._life_task},
                                     return_when=asyncio.FIRST_COMPLETED)
        if getter in done and getter.result()["type"].endswith(".complete"):
            return
        getter.cancel()
        # Failed: the app raises what went wrong just after saying so.
        await asyncio.wait({self._life_task}, timeout=10)
        error = self._life_task.exception() if self._life_task.done() else None
        if error is not None:
            raise error
        raise RuntimeError(f"the app's {event} failed")

    # --- running --------------------------------------------------------------------------

    def run(self) -> int | None:
        """Serve until SIGTERM or SIGINT; the signal that stopped it (or None)."""
        asyncio.set_event_loop(self.loop)
        try:
            self.loop.run_until_complete(self._main())
        finally:
            self.loop.run_until_complete(self.loop.shutdown_asyncgens())
            self.loop.close()
        return self._signal

    def stop(self) -> None:
        """Stop as SIGTERM would (from any thread)."""
        self.loop.call_soon_threadsafe(self._stop.set)

    def _on_signal(self, signum: int) -> None:
        if self._signal is not None:  # a second Ctrl-C: stop now
            os._exit(128 + signum)
        self._signal = signum
        self._stop.set()

    async def _main(self) -> None:
        # The app's start-up first: the render workers' clean parent is forked before
        # the listening socket exists, so no worker can ever hold it.
        await self._lifespan("startup")
        _return_big_buffers()  # after the workers' parent is forked: for this process only
        if threading.current_thread() is threading.main_thread():
            for signum in (signal.SIGTERM, signal.SIGINT):
                self.loop.add_signal_handler(signum, self._on_signal, signum)
        try:
            self._sock = _listen(self.host, self.port)
        except OSError as exc:
            await self._lifespan("shutdown")
            raise ListenError(f"cannot listen on {self.host}:{self.port}: "
                              f"{exc.strerror or exc}; choose another --port or --host") from None
        self.loop.add_reader(self._sock.fileno(), self._accept)
        sockname = self._sock.getsockname()
        if self.on_ready is not None:
            self.on_ready(str(sockname[0]), int(sockname[1]))
        sweeper = self.loop.create_task(self._sweep())
        try:
            await self._stop.wait()
        finally:
            await self._shutdown()
            sweeper.cancel()
            await self._lifespan("shutdown")

    async def _shutdown(self) -> None:
        self.stopping = True
        if self._sock is not None:  # no new connections from now on
            self.loop.remove_reader(self._sock.fileno())
            self._sock.close()
        for conn in list(self.phases[HEAD]):
            conn.close()  # idle, or a request that has not arrived in full
        deadline = self.loop.time() + self.limits.grace
        while self.tasks and self.loop.time() < deadline:
            await asyncio.wait(set(self.tasks), timeout=min(0.5, deadline - self.loop.time()))
        for task in list(self.tasks):
            task.cancel()
        if self.tasks:
            await asyncio.wait(set(self.tasks), timeout=2)
        for group in self.phases.values():
            for conn in list(group):
                conn.abort()
