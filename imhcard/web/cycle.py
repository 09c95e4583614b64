"""One request's ASGI side on the server's own HTTP connection (web/protocol.py): its
body handed to the app as it arrives, and the app's response written back."""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any, Protocol

import h11

from imhcard.web.http_basics import CLOSED, LINGER, http_date, phrase


class _Server(Protocol):
    stopping: bool
    counts: Counter[str]


class ConnectionSide(Protocol):
    """What a request asks of its connection (web/protocol.py: Connection)."""

    loop: asyncio.AbstractEventLoop
    h11: h11.Connection
    phase: str
    last_rx: float
    write_paused: bool

    @property
    def server(self) -> _Server: ...

    def body_started(self) -> None: ...

    def update_reading(self) -> None: ...

    def write(self, data: bytes) -> None: ...

    def refuse(self, status: int, text: str, retry_after: int | None = None) -> None: ...

    def response_done(self) -> None: ...

    async def drained(self) -> None: ...


class Cycle:
    """One request's ASGI side: its body as it arrives, and its response."""

    def __init__(self, conn: ConnectionSide, method: bytes, expect_100: bool) -> None:
        self.conn = conn
        self.method = method
        self.expect_100 = expect_100
        self.chunks: list[bytes] = []
        self.buffered = 0
        self.received = 0
        self.body_done = False
        self.disconnected = False
        self.response_started = False
        self.response_complete = False
        self.reading_since: float | None = None  # the app's first receive()
        self.waiting_since: float | None = None  # the app waits for body bytes since
        self.waiter: asyncio.Future[None] | None = None
        self.tiny_chunks = 0
        self.close_after = False

    def stalled_for(self, now: float) -> float:
        """Seconds the app has been waiting for more of the body with none arriving (0
        while it is not waiting: before it reads, or while it is busy with a chunk)."""
        if self.waiting_since is None or self.body_done:
            return 0.0
        return now - max(self.conn.last_rx, self.waiting_since)

    def evict(self) -> None:
        """Give this stalled upload's place to others: 408, and the connection closes."""
        self.conn.server.counts["evicted: stalled upload"] += 1
        self.conn.refuse(408, "the request body stopped arriving")

    def wake(self) -> None:
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_result(None)

    async def receive(self) -> dict[str, Any]:
        conn = self.conn
        if self.disconnected or self.response_complete:
            return {"type": "http.disconnect"}
        if self.reading_since is None:
            self.reading_since = conn.loop.time()
            conn.body_started()
        if self.expect_100 and not self.body_done and conn.h11.they_are_waiting_for_100_continue:
            conn.write(conn.h11.send(h11.InformationalResponse(
                status_code=100, headers=[], reason=b"Continue")))
        self.expect_100 = False
        while not self.chunks and not self.body_done and not self.disconnected:
            self.waiter = conn.loop.create_future()
            self.waiting_since = conn.loop.time()
            conn.update_reading()
            try:
                await self.waiter
            finally:
                self.waiter = None
                self.waiting_since = None
        if not self.chunks and self.disconnected:
            return {"type": "http.disconnect"}
        body = self.chunks[0] if len(self.chunks) == 1 else b"".join(self.chunks)
        self.chunks.clear()
        self.buffered = 0
        conn.update_reading()
        return {"type": "http.request", "body": body, "more_body": not self.body_done}

    async def send(self, message: dict[str, Any]) -> None:
        conn = self.conn
        if self.disconnected or self.response_complete or conn.phase in (LINGER, CLOSED):
            return
        kind = message["type"]
        if kind == "http.response.start":
            if self.response_started:
                raise RuntimeError("the response has already started")
            self.response_started = True
            headers = [(bytes(k), bytes(v)) for k, v in message.get("headers", [])]
            headers.append((b"date", http_date()))
            if conn.server.stopping or not self.body_done:
                # The rest of an unread body cannot be told from the next request.
                self.close_after = True
                headers.append((b"connection", b"close"))
            try:
                status = int(message["status"])
                data = conn.h11.send(h11.Response(status_code=status, headers=headers,
                                                  reason=phrase(status)))
            except h11.LocalProtocolError:  # a header the app should not have sent
                conn.refuse(500, "the server could not make this response")
                return
            conn.write(data)
        elif kind == "http.response.body":
            if not self.response_started:
                raise RuntimeError("a body before the response started")
            body = message.get("body", b"")
            if body and self.method != b"HEAD":
                conn.write(conn.h11.send(h11.Data(data=body)))
            if not message.get("more_body", False):
                conn.write(conn.h11.send(h11.EndOfMessage()))
                self.response_complete = True
                conn.response_done()
            elif conn.write_paused:
                await conn.drained()
