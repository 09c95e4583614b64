"""One client connection of imhcard's HTTP server (server.py says why it exists):
h11 for the protocol, and the server's limits for what a connection may cost: its
phase (head, body, app, linger), its deadlines' clocks, trickle pauses, flow control
of the body, and the server's own refusals with the security headers."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections import Counter
from typing import Any, Protocol
from urllib.parse import unquote

import h11

from imhcard.web.cycle import Cycle
from imhcard.web.http_basics import APP, BODY, CLOSED, HEAD, LINGER, Limits, canned

SMALL_PACKET = 1024
TINY_CHUNK = 256
FLOW_LIMIT = 64 * 1024  # body bytes buffered for an app that is not reading, at most
LINGER_DISCARD = 16 * 1024 * 1024  # a refused upload read and dropped, at most


class ServerSide(Protocol):
    """What a connection asks of the server that accepted it (web/server.py: Server)."""

    loop: asyncio.AbstractEventLoop
    limits: Limits
    stopping: bool
    counts: Counter[str]

    def register(self, conn: Connection) -> None: ...

    def forget(self, conn: Connection) -> None: ...

    def move(self, conn: Connection, old: str, new: str) -> None: ...

    def count(self, status: int) -> None: ...

    def start_task(self, conn: Connection, scope: dict[str, Any], cycle: Cycle) -> None: ...


class Connection(asyncio.Protocol):
    """One client connection: h11 for the protocol, the server's limits for the rest."""

    def __init__(self, server: ServerSide) -> None:
        self.server = server
        self.loop = server.loop
        self.limits = server.limits
        self.h11 = h11.Connection(h11.SERVER, max_incomplete_event_size=self.limits.max_head)
        self.transport: asyncio.Transport | None = None
        self.phase = HEAD
        self.since = self.loop.time()  # when the current phase began
        self.first_byte: float | None = None  # of the head being received
        self.last_rx = self.since
        self.cycle: Cycle | None = None
        self.flow_paused = False
        self.trickle_paused = False
        self.trickles = 0
        self.reading = True
        self.write_paused = False
        self.write_paused_since = 0.0
        self._drain: asyncio.Future[None] | None = None
        self.discarded = 0
        self.client: tuple[str, int] | None = None
        self.local: tuple[str, int] | None = None

    # --- transport events -------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        peer = transport.get_extra_info("peername")
        here = transport.get_extra_info("sockname")
        self.client = (str(peer[0]), int(peer[1])) if isinstance(peer, tuple) else None
        self.local = (str(here[0]), int(here[1])) if isinstance(here, tuple) else None
        sock = transport.get_extra_info("socket")
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.server.register(self)

    def connection_lost(self, exc: Exception | None) -> None:
        self.set_phase(CLOSED)
        self.server.forget(self)
        if self.cycle is not None:
            self.cycle.disconnected = True
            self.cycle.wake()
        if self._drain is not None and not self._drain.done():
            self._drain.set_result(None)

    def eof_received(self) -> bool | None:
        if self.phase == LINGER:
            return None  # close
        with contextlib.suppress(h11.RemoteProtocolError):
            self.h11.receive_data(b"")
        if self.cycle is not None and not self.cycle.body_done:
            self.cycle.disconnected = True
            self.cycle.wake()
        if self.phase == HEAD:
            return None
        return True  # half-closed: the response may still be written

    def pause_writing(self) -> None:
        self.write_paused = True
        self.write_paused_since = self.loop.time()

    def resume_writing(self) -> None:
        self.write_paused = False
        if self._drain is not None and not self._drain.done():
            self._drain.set_result(None)

    async def drained(self) -> None:
        if self.write_paused:
            self._drain = self.loop.create_future()
            await self._drain

    def data_received(self, data: bytes) -> None:
        now = self.loop.time()
        self.last_rx = now
        if self.phase == LINGER:
            # Read and drop the rest of a refused upload (up to the body cap, for
            # `linger` seconds) so the client gets to read the answer.
            self.discarded += len(data)
            if self.discarded > LINGER_DISCARD:
                self.abort()
            return
        if self.phase == HEAD and self.first_byte is None:
            self.first_byte = now
        try:
            self.h11.receive_data(data)
        except h11.RemoteProtocolError:
            self.refuse(400, "the request could not be read")
            return
        finished = self.process()
        if self.phase in (HEAD, BODY) and not finished and len(data) < SMALL_PACKET:
            # Small packets that complete nothing, three in a row: a trickle. Let the
            # kernel gather what comes next instead of waking for every byte of it.
            self.trickles += 1
            if self.trickles >= 3:
                delay = min(1.0, 0.05 * (1 << min(self.trickles - 3, 5)))
                self.trickle_paused = True
                self.update_reading()
                self.loop.call_later(delay, self._end_trickle_pause)
        else:
            self.trickles = 0

    def _end_trickle_pause(self) -> None:
        self.trickle_paused = False
        if self.phase not in (LINGER, CLOSED):
            self.update_reading()

    def update_reading(self) -> None:
        """Read from the socket unless a trickle pause is on, or the app is not reading
        a body whose buffered part is already at the limit."""
        cycle = self.cycle
        self.flow_paused = self.phase == BODY and cycle is not None and \
            cycle.buffered >= FLOW_LIMIT
        want = not (self.flow_paused or self.trickle_paused)
        if want != self.reading and self.transport is not None and not self.transport.is_closing():
            if want:
                self.transport.resume_reading()
            else:
                self.transport.pause_reading()
            self.reading = want

    # --- the protocol -----------------------------------------------------------------

    def process(self) -> bool:
        """Handle what h11 can make of the bytes so far; True when a head or a body was
        completed (the sign of a client that is not trickling)."""
        finished = False
        while self.phase in (HEAD, BODY):
            try:
                event = self.h11.next_event()
            except h11.RemoteProtocolError as exc:
                status = exc.error_status_hint
                self.refuse(status, "the request's head is too large" if status == 431
                            else "the request could not be read")
                return True
            if event is h11.NEED_DATA or event is h11.PAUSED:
                break
            if isinstance(event, h11.Request):
                finished = True
                self.start_request(event)
            elif isinstance(event, h11.Data):
                cycle = self.cycle
                assert cycle is not None
                n = len(event.data)
                if event.chunk_start and event.chunk_end and n < TINY_CHUNK:
                    cycle.tiny_chunks += 1
                    if cycle.tiny_chunks > self.limits.max_tiny_chunks:
                        self.refuse(400, "the request body is split into too many small "
                                         "chunks")
                        return True
                if n:
                    cycle.chunks.append(event.data)
                    cycle.buffered += n
                    cycle.received += n
                    cycle.wake()
                self.update_reading()
            elif isinstance(event, h11.EndOfMessage):
                finished = True
                if self.cycle is not None:
                    self.cycle.body_done = True
                    self.cycle.wake()
                self.set_phase(APP)
                self.update_reading()
            elif isinstance(event, h11.ConnectionClosed):
                break
        return finished

    def start_request(self, event: h11.Request) -> None:
        self.cycle = None
        size = len(event.target) + sum(len(n) + len(v) + 4 for n, v in event.headers)
        if size > self.limits.max_head:  # h11 bounds only a head still arriving
            self.refuse(431, "the request's head is too large")
            return
        names = [name for name, _ in event.headers]
        if b"transfer-encoding" in names and b"content-length" in names:
            # RFC 9112 6.1: a request with both is a smuggling attempt or a broken proxy.
            self.refuse(400, "the request has both Content-Length and Transfer-Encoding")
            return
        raw_path, _, query = event.target.partition(b"?")
        expect_100 = any(n == b"expect" and v.lower() == b"100-continue"
                         for n, v in event.headers)
        cycle = Cycle(self, event.method, expect_100)
        self.cycle = cycle
        scope: dict[str, Any] = {
            "type": "http", "asgi": {"version": "3.0", "spec_version": "2.4"},
            "http_version": event.http_version.decode("ascii"), "method":
            event.method.decode("ascii"), "scheme": "http",
            "path": unquote(raw_path.decode("ascii")), "raw_path": raw_path,
            "query_string": query, "root_path": "", "headers": list(event.headers),
            "client": self.client, "server": self.local, "state": {},
            "extensions": {"imhcard.upload": cycle},
        }
        self.first_byte = None
        if self.h11.their_state is h11.SEND_BODY:
            self.set_phase(BODY)
        else:
            cycle.body_done = True
            self.set_phase(APP)
        self.server.start_task(self, scope, cycle)

    def body_started(self) -> None:
        self.since = self.loop.time()  # the body's clock starts when the app reads it

    def response_done(self) -> None:
        cycle = self.cycle
        if self.transport is None or self.phase in (LINGER, CLOSED):
            return
        if cycle is None or cycle.close_after or self.h11.our_state is not h11.DONE \
                or self.h11.their_state is not h11.DONE:
            self.linger()
            return
        self.h11.start_next_cycle()
        self.cycle = None
        self.set_phase(HEAD)
        self.update_reading()
        # A pipelined request already in h11's buffer.
        if self.process():
            self.trickles = 0

    # --- endings ----------------------------------------------------------------------

    def write(self, data: bytes) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(data)

    def refuse(self, status: int, text: str, retry_after: int | None = None) -> None:
        """The server's own answer (with the security headers), then a lingering close;
        a response already begun is cut off instead."""
        self.server.count(status)
        cycle = self.cycle
        if cycle is not None:
            started = cycle.response_started
            cycle.disconnected = True
            cycle.wake()
            if started:
                self.abort()
                return
        self.write(canned(status, text, retry_after=retry_after))
        self.linger()

    def linger(self) -> None:
        """Send what is queued, shut our side, and discard what the client still sends
        for a moment, so that it reads our answer instead of a reset."""
        if self.transport is None or self.phase in (LINGER, CLOSED):
            return
        self.set_phase(LINGER)
        self.trickle_paused = self.flow_paused = False
        if not self.reading:
            self.transport.resume_reading()
            self.reading = True
        try:
            if self.transport.can_write_eof():
                self.transport.write_eof()
            else:
                self.transport.close()
        except OSError:  # the client is already gone
            self.transport.abort()

    def close(self) -> None:
        if self.transport is not None:
            self.transport.close()

    def abort(self) -> None:
        if self.transport is not None:
            self.transport.abort()

    def set_phase(self, phase: str) -> None:
        if phase != self.phase:
            self.server.move(self, self.phase, phase)
            self.phase = phase
            self.since = self.loop.time()
