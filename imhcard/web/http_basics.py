"""The HTTP server's plain parts: its limits and deadlines, how many connections the
open-file limit allows, the phases of a connection, and the server's own canned
answers (with the security headers) for when the app is not involved."""

from __future__ import annotations

import email.utils
import http
import resource
import time
from dataclasses import dataclass

from imhcard.errors import ImhcardError
from imhcard.web.headers import SECURITY_HEADERS


class ListenError(ImhcardError):
    """The server cannot open its listening socket (the port is taken, say)."""


@dataclass(frozen=True)
class Limits:
    header_timeout: float = 10.0  # first byte of a request head to its end
    keepalive_timeout: float = 5.0  # a connection that sends nothing is closed after this
    body_idle_timeout: float = 10.0  # the longest pause inside a body being read
    body_min_rate: int = 16 * 1024  # bytes a second, on average, after the grace
    body_grace: float = 10.0
    max_head: int = 16 * 1024  # request line and headers
    max_tiny_chunks: int = 1024
    max_connections: int | None = None  # None: from the open-file limit
    linger: float = 2.0  # keep reading (and discarding) after a refusal, so it is seen
    write_timeout: float = 30.0  # a response the client does not read is dropped after
    grace: float = 30.0  # seconds requests in hand have to finish when stopping
    stalled: float = 2.0  # an upload with no byte for this long may give way to others


def connection_cap(reserve: int = 96) -> int:
    """Connections the open-file limit allows, keeping `reserve` descriptors for the
    render workers' sockets, files the app opens and the event loop itself."""
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        soft = 65536
    return max(16, min(int(soft) - reserve, 16384))


def phrase(status: int) -> bytes:
    try:
        return http.HTTPStatus(status).phrase.encode()
    except ValueError:
        return b""


def canned(status: int, text: str, *, retry_after: int | None = None,
           close: bool = True) -> bytes:
    """A complete plain-text response, with the security headers, for the server's own
    refusals (the h11 connection may be in an error state, so it is written raw)."""
    body = (text + "\n").encode()
    lines = [b"HTTP/1.1 %d %s" % (status, phrase(status)),
             b"content-type: text/plain; charset=utf-8",
             b"content-length: %d" % len(body), b"cache-control: no-store",
             b"date: " + http_date()]
    if retry_after is not None:
        lines.append(b"retry-after: %d" % retry_after)
    if close:
        lines.append(b"connection: close")
    lines += [name + b": " + value for name, value in SECURITY_HEADERS]
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


_date_cache: tuple[int, bytes] = (0, b"")


def http_date() -> bytes:
    """The Date header's value, made once a second."""
    global _date_cache
    now = int(time.time())
    if _date_cache[0] != now:
        _date_cache = (now, email.utils.formatdate(now, usegmt=True).encode())
    return _date_cache[1]


# Phases of a connection.
HEAD, BODY, APP, LINGER, CLOSED = "head", "body", "app", "linger", "closed"


