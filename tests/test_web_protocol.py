"""imhcard's own HTTP server, in process with short limits: deadlines for a request's
head and body, the connection cap, bodies read only once admitted, the server's own
answers with the security headers, and control characters escaped in the log."""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest

from imhcard.web.app import create_app
from imhcard.web.http_basics import Limits
from imhcard.web.server import Server

HEADERS = (b"x-content-type-options: nosniff", b"content-security-policy: default-src 'self'",
           b"x-frame-options: deny")


@dataclass
class Running:
    server: Server
    port: int

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def raw(self, data: bytes, wait: float = 5.0) -> bytes:
        """Send bytes as they are; what comes back before the server closes or `wait`."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=wait) as s:
            s.sendall(data)
            return _read_all(s, wait)


def _read_all(s: socket.socket, wait: float) -> bytes:
    out = b""
    s.settimeout(wait)
    try:
        while chunk := s.recv(65536):
            out += chunk
    except (TimeoutError, ConnectionResetError):
        pass
    return out


@pytest.fixture(scope="module")
def running() -> Iterator[Running]:
    ready = threading.Event()
    where: list[int] = []

    def on_ready(host: str, port: int) -> None:
        where.append(port)
        ready.set()

    limits = Limits(header_timeout=1.5, keepalive_timeout=1.0, body_idle_timeout=1.5,
                    body_grace=1.0, body_min_rate=64 * 1024, max_connections=40, linger=0.5)
    server = Server(create_app("2026", workers=1, upload_memory=16), "127.0.0.1", 0, limits,
                    on_ready=on_ready)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    assert ready.wait(120), "the server did not start"
    yield Running(server, where[0])
    server.stop()
    thread.join(30)


def test_a_card_and_keep_alive(running: Running) -> None:
    with httpx.Client(base_url=running.url) as client:
        for _ in range(3):
            r = client.post("/card", data={"name": "Aoife", "pledge": "speak-up"},
                            files={"photo": ("", b"", "application/octet-stream")})
            assert r.status_code == 200 and r.headers["content-type"] == "image/png"
            assert r.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize(("what", "request_bytes", "status"), [
    ("no request line", b"BLAH\r\n\r\n", b"400"),
    ("a 32 KB head", b"GET / HTTP/1.1\r\nHost: x\r\nX: " + b"a" * 32768 + b"\r\n\r\n", b"431"),
    ("Content-Length and chunked", b"POST /card HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
     b"Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n", b"400"),
    ("a header with a bare CR", b"GET / HTTP/1.1\r\nHost: x\r\nX: a\rb\r\n\r\n", b"400"),
])
def test_the_servers_own_refusals_carry_the_headers(running: Running, what: str,
                                                     request_bytes: bytes,
                                                     status: bytes) -> None:
    answer = running.raw(request_bytes)
    assert answer.startswith(b"HTTP/1.1 " + status), (what, answer[:80])
    head = answer.split(b"\r\n\r\n")[0].lower()
    for header in HEADERS:
        assert header in head, (what, header)
    assert b"connection: close" in head


@pytest.mark.slow  # waits out a real deadline
def test_a_head_that_never_ends_is_408_within_the_deadline(running: Running) -> None:
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", running.port)) as s:
        s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
        for _ in range(8):  # a header line every 0.3 s: each byte no longer buys time
            time.sleep(0.3)
            try:
                s.sendall(b"X-Slow: 1\r\n")
            except OSError:
                break
        answer = _read_all(s, 5)
    assert answer.startswith(b"HTTP/1.1 408"), answer[:60]
    assert b"x-content-type-options: nosniff" in answer.lower()
    assert time.monotonic() - started < 4


@pytest.mark.slow  # waits out a real deadline
def test_a_silent_connection_is_closed(running: Running) -> None:
    with socket.create_connection(("127.0.0.1", running.port)) as s:
        started = time.monotonic()
        assert _read_all(s, 5) == b""
        assert time.monotonic() - started < 3


@pytest.mark.slow  # waits out a real deadline
def test_a_stalled_body_is_408(running: Running) -> None:
    head = (b"POST /card HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; "
            b"boundary=b\r\nContent-Length: 100000\r\n\r\n--b\r\n")
    answer = running.raw(head, wait=6)
    assert answer.startswith(b"HTTP/1.1 408"), answer[:60]


def test_a_body_over_the_cap_is_413_before_it_is_read(running: Running) -> None:
    head = (b"POST /card HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; "
            b"boundary=b\r\nContent-Length: 40000000\r\nExpect: 100-continue\r\n\r\n")
    answer = running.raw(head, wait=3)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:60]  # no 100 Continue before it
    assert b"x-content-type-options: nosniff" in answer.lower()


@pytest.mark.slow  # waits out a real deadline
def test_100_continue_comes_only_once_admitted(running: Running) -> None:
    body = (b'--b\r\nContent-Disposition: form-data; name="name"\r\n\r\nAoife\r\n'
            b'--b\r\nContent-Disposition: form-data; name="pledge"\r\n\r\nlisten\r\n--b--\r\n')
    with socket.create_connection(("127.0.0.1", running.port), timeout=10) as s:
        s.sendall(b"POST /card HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; "
                  b"boundary=b\r\nExpect: 100-continue\r\nContent-Length: %d\r\n\r\n"
                  % len(body))
        assert s.recv(100).startswith(b"HTTP/1.1 100 Continue")
        s.sendall(body)
        assert _read_all(s, 3).startswith(b"HTTP/1.1 200")


def test_trickled_chunks_are_refused(running: Running) -> None:
    head = (b"POST /card HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
            b"Content-Type: multipart/form-data; boundary=b\r\n\r\n")
    answer = running.raw(head + b"1\r\nx\r\n" * 2000, wait=5)
    assert answer.startswith(b"HTTP/1.1 400"), answer[:60]
    assert b"too many small chunks" in answer


def test_at_the_cap_the_oldest_idle_connection_gives_way(running: Running) -> None:
    idle = [socket.create_connection(("127.0.0.1", running.port)) for _ in range(45)]
    try:
        time.sleep(0.6)
        r = httpx.get(running.url + "/healthz", timeout=5)
        assert r.status_code == 200
        assert running.server.open_connections <= 40
    finally:
        for s in idle:
            s.close()


def test_control_characters_are_escaped_in_the_log(running: Running,
                                                    caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, "imhcard.web"):
        answer = running.raw(b"GET /x%0d%0a2026-01-01%20GET%20/forged%20200%201ms HTTP/1.1\r\n"
                             b"Host: x\r\nConnection: close\r\n\r\n")
        assert answer.startswith(b"HTTP/1.1 404")
        time.sleep(0.2)
    lines = [r.getMessage() for r in caplog.records if "/x" in r.getMessage()]
    assert lines and all("\r" not in line and "\n" not in line for line in lines)
    assert "/x\\x0d\\x0a2026-01-01 GET /forged 200 1ms 404" in lines[0]


def test_an_oversized_boundary_is_400(running: Running) -> None:
    r = httpx.post(running.url + "/card", content=b"--" + b"b" * 300 + b"--\r\n",
                   headers={"content-type": "multipart/form-data; boundary=" + "b" * 300})
    assert r.status_code == 400
    assert "boundary" in r.json()["error"]["detail"]
