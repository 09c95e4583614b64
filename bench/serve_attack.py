"""Attack a real `imhcard serve`, at its defaults, the way the open internet will, one
class of attack at a time, and print what a normal visitor saw meanwhile.

    python bench/serve_attack.py                 # every attack (~3 minutes)
    python bench/serve_attack.py slowloris trickle --seconds 10
    python bench/serve_attack.py --list
    python bench/serve_attack.py --checkout /tmp/before    # another checkout's server

The server runs with the open-file limit of a stock Linux login (`ulimit -n 1024`) and
no flag but --port. For each attack a "visitor" thread keeps making cards on fresh
connections, alternately without a photo and with a 12-megapixel phone JPEG, and the
report gives, per attack: the visitor's requests, statuses and latency (p50 and worst),
the server's peak memory growth (PSS of the server and its render processes), its peak
open descriptors, and which processes hold the listening socket. The attacks are
bounded in count and time and go to 127.0.0.1 only. tests/hostile/test_serve_attacks.py
runs each class, smaller, as a test.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import http.client
import io
import os
import re
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
CHECKOUT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(CHECKOUT / "tests"))
from batch_bench import _memory_kb, _tree  # noqa: E402

FIELDS = {"name": "Aoife Ní Bhriain", "pledge": "speak-up", "org": "Sure Start Newry"}
MB = 1024 * 1024


def at_once(*jobs: Callable[[], object]) -> None:
    """Run each job in its own thread, all at once, and wait for them all."""
    threads = [threading.Thread(target=job) for job in jobs]
    for th in threads:
        th.start()
    for th in threads:
        th.join()


# --- the server under attack ----------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _stock_limits() -> None:
    resource.setrlimit(resource.RLIMIT_NOFILE, (1024, 1024))


def _raise_own_fd_limit() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = min(hard, 8192) if hard != resource.RLIM_INFINITY else 8192
    if soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))


@dataclass
class Target:
    """`imhcard serve` as a small charity runs it: defaults, `ulimit -n 1024`."""

    process: subprocess.Popen[bytes]
    port: int
    folder: Path
    log: Path

    @classmethod
    def start(cls, *args: str, folder: Path | None = None, wait: float = 120,
              checkout: Path = CHECKOUT) -> Target:
        folder = folder or Path(tempfile.mkdtemp(prefix="serve-attack-"))
        (folder / "cwd").mkdir(exist_ok=True)
        (folder / "tmp").mkdir(exist_ok=True)
        port = free_port()
        log = folder / "server.log"
        env = {**os.environ, "PYTHONPATH": str(checkout), "TMPDIR": str(folder / "tmp")}
        with log.open("wb") as out:
            process = subprocess.Popen(
                [sys.executable, "-m", "imhcard", "serve", "--port", str(port), *args],
                cwd=folder / "cwd", env=env, stdout=out, stderr=subprocess.STDOUT,
                preexec_fn=_stock_limits)
        target = cls(process, port, folder, log)
        deadline = time.monotonic() + wait
        while True:
            if process.poll() is not None:
                raise RuntimeError("imhcard serve exited: " + target.log_text()[-2000:])
            with contextlib.suppress(OSError):
                if request(port, "GET", "/healthz", timeout=2)[0] == 200:
                    return target
            if time.monotonic() > deadline:
                target.stop()
                raise RuntimeError("imhcard serve did not start: " + target.log_text()[-2000:])
            time.sleep(0.25)

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    @property
    def pid(self) -> int:
        return self.process.pid

    def tree(self) -> list[int]:
        return _tree(self.pid)

    def workers(self) -> list[int]:
        """The render processes (children of the server's one child, the zygote)."""
        return [p for p in self.tree() if p != self.pid and _ppid(p) != self.pid]

    def pss_mb(self) -> float:
        return _memory_kb(self.tree())[0] / 1024

    def fds(self) -> int:
        try:
            return len(os.listdir(f"/proc/{self.pid}/fd"))
        except OSError:
            return 0

    def listening_inode(self) -> int | None:
        return listening_inode(self.port)

    def socket_holders(self) -> list[int]:
        """Every process holding the listening socket (only the server should)."""
        inode = self.listening_inode()
        return holders(inode) if inode is not None else []

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(40)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)


def _ppid(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return int(fh.read().rsplit(")", 1)[1].split()[1])
    except OSError:
        return -1


def listening_inode(port: int) -> int | None:
    """The inode of the TCP socket listening on 127.0.0.1:port (from /proc/net/tcp)."""
    want = f"0100007F:{port:04X}"
    with open("/proc/net/tcp") as fh:
        for line in fh.readlines()[1:]:
            cols = line.split()
            if cols[1] == want and cols[3] == "0A":  # 0A: LISTEN
                return int(cols[9])
    return None


def holders(inode: int) -> list[int]:
    out = []
    target = f"socket:[{inode}]"
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        with contextlib.suppress(OSError):
            for fd in os.listdir(f"/proc/{entry}/fd"):
                with contextlib.suppress(OSError):
                    if os.readlink(f"/proc/{entry}/fd/{fd}") == target:
                        out.append(int(entry))
                        break
    return out


def fd_targets(pid: int) -> list[str]:
    out = []
    with contextlib.suppress(OSError):
        for fd in os.listdir(f"/proc/{pid}/fd"):
            with contextlib.suppress(OSError):
                out.append(os.readlink(f"/proc/{pid}/fd/{fd}"))
    return out


# --- requests -------------------------------------------------------------------------


def multipart(fields: dict[str, str], photo: bytes | None = None,
              boundary: str | None = None) -> tuple[bytes, str]:
    boundary = boundary or uuid.uuid4().hex
    out = io.BytesIO()
    for k, v in fields.items():
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n'
                  f"{v}\r\n".encode())
    if photo is not None:
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="photo"; '
                  f'filename="IMG_0001.jpg"\r\nContent-Type: image/jpeg\r\n\r\n'.encode())
        out.write(photo + b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


def request(port: int, method: str, path: str, body: bytes | None = None,
            headers: dict[str, str] | None = None,
            timeout: float = 30) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body, headers or {})
        r = conn.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
    finally:
        conn.close()


def card(port: int, photo: bytes | None = None, path: str = "/card",
         timeout: float = 30) -> tuple[int, dict[str, str], bytes]:
    body, ctype = multipart(FIELDS, photo)
    return request(port, "POST", path, body, {"Content-Type": ctype}, timeout)


def phone_jpeg() -> bytes:
    from webhelp import phone_jpeg as make

    return make()


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


@dataclass
class Seen:
    """What the normal visitor saw during one attack."""

    latencies: list[float] = field(default_factory=list)  # seconds, answered cards
    statuses: Counter[str] = field(default_factory=Counter)

    def line(self) -> str:
        codes = ", ".join(f"{k}×{v}" for k, v in sorted(self.statuses.items()))
        return (f"visitor {sum(self.statuses.values())} cards [{codes}] p50 "
                f"{pct(self.latencies, 50) * 1000:.0f} ms, worst "
                f"{max(self.latencies, default=float('nan')) * 1000:.0f} ms")

    @property
    def ok(self) -> bool:
        """Every card answered 200, each within ~3 s."""
        return bool(self.latencies) and set(self.statuses) == {"200"} and \
            max(self.latencies) <= 3.0


class Visitor(threading.Thread):
    """A supporter making cards on fresh connections, with and without a photo."""

    def __init__(self, port: int, photo: bytes | None, pause: float = 0.3) -> None:
        super().__init__(daemon=True)
        self.port, self.photo, self.pause = port, photo, pause
        self.seen = Seen()
        self.done = threading.Event()

    def run(self) -> None:
        n = 0
        while not self.done.is_set():
            started = time.monotonic()
            try:
                status, _, _ = card(self.port, self.photo if n % 2 and self.photo else None,
                                    timeout=30)
                self.seen.statuses[str(status)] += 1
                self.seen.latencies.append(time.monotonic() - started)
            except OSError as exc:
                self.seen.statuses[type(exc).__name__] += 1
            n += 1
            self.done.wait(self.pause)

    def stop(self) -> Seen:
        self.done.set()
        self.join(60)
        return self.seen


class Watch(threading.Thread):
    """Samples the server's memory and descriptors every 100 ms."""

    def __init__(self, target: Target) -> None:
        super().__init__(daemon=True)
        self.target = target
        self.base = target.pss_mb()
        self.peak = self.base
        self.server_base = self.server_peak = _memory_kb([target.pid])[0] / 1024
        self.fds = target.fds()
        self.done = threading.Event()
        self.start()

    def run(self) -> None:
        while not self.done.wait(0.1):
            self.peak = max(self.peak, self.target.pss_mb())
            self.server_peak = max(self.server_peak, _memory_kb([self.target.pid])[0] / 1024)
            self.fds = max(self.fds, self.target.fds())

    def stop(self) -> str:
        self.done.set()
        self.join(5)
        return (f"memory +{self.peak - self.base:.0f} MB (peak PSS {self.peak:.0f} MB; the "
                f"web process alone +{self.server_peak - self.server_base:.0f} MB), "
                f"descriptors max {self.fds}")


# --- attacks --------------------------------------------------------------------------
# Each takes the target and a duration, runs from this process (a second process to
# the server), and returns a one-line description of what the attacker got.


async def _open(port: int) -> tuple[asyncio.StreamReader, asyncio.StreamWriter] | None:
    try:
        return await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), 10)
    except (OSError, asyncio.TimeoutError):
        return None


async def _first_status(reader: asyncio.StreamReader, timeout: float) -> str:
    """The status the server answered with, or how the connection ended."""
    try:
        line = await asyncio.wait_for(reader.readline(), timeout)
    except asyncio.TimeoutError:
        return "still open"
    except OSError:
        return "reset"
    if not line:
        return "closed"
    parts = line.split()
    return parts[1].decode() if len(parts) > 1 else "garbage"


def slowloris(target: Target, seconds: float, connections: int = 1100) -> str:
    """Half-open connections: half send nothing, half send a header line every 2 s and
    never finish. ~1,100 exhausted the old server's 1,024 descriptors."""
    async def one(i: int, outcomes: Counter[str]) -> None:
        opened = await _open(target.port)
        if opened is None:
            outcomes["connect failed"] += 1
            return
        reader, writer = opened
        ends = time.monotonic() + seconds
        status = "still open"
        try:
            if i % 2:
                writer.write(b"GET / HTTP/1.1\r\nHost: x\r\n")
            while time.monotonic() < ends:
                status = await _first_status(reader, 2.0)
                if status != "still open":
                    break
                if i % 2:
                    writer.write(b"X-Slow: %d\r\n" % i)
                    await writer.drain()
        except OSError:
            status = "reset"
        outcomes[status] += 1
        writer.close()

    async def main() -> Counter[str]:
        outcomes: Counter[str] = Counter()
        tasks = []
        for i in range(connections):
            tasks.append(asyncio.ensure_future(one(i, outcomes)))
            if i % 50 == 49:
                await asyncio.sleep(0.05)
        await asyncio.gather(*tasks)
        return outcomes

    outcomes = asyncio.run(main())
    return f"{connections} half-open connections: " + ", ".join(
        f"{k} ×{v}" for k, v in outcomes.most_common())


def trickle(target: Target, seconds: float, connections: int = 300) -> str:
    """Clients sending one byte at a time: a third trickle a request head, two thirds a
    chunked card body ("1\\r\\nx\\r\\n" per byte of body)."""
    sent = Counter[str]()

    async def one(i: int) -> str:
        opened = await _open(target.port)
        if opened is None:
            return "connect failed"
        reader, writer = opened
        ends = time.monotonic() + seconds
        if i % 3 == 0:
            stream = b"POST /card HTTP/1.1\r\nHost: x\r\n" + b"X-Pad: y\r\n" * 1000
        else:
            writer.write(b"POST /card HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                         b"Content-Type: multipart/form-data; boundary=b\r\n\r\n")
            stream = b"".join(b"1\r\n%c\r\n" % c for c in b"--b\r\n" + b"x" * 100_000)
        pos = 0
        try:
            while time.monotonic() < ends and pos < len(stream):
                writer.write(stream[pos:pos + 1])
                pos += 1
                sent["bytes"] += 1
                await writer.drain()
                status = await _first_status(reader, 0.01) if pos % 20 == 0 else "still open"
                if status != "still open":
                    writer.close()
                    return status
                await asyncio.sleep(0.02)
        except OSError:
            return "reset"
        writer.close()
        return "still open"

    async def main() -> Counter[str]:
        results = await asyncio.gather(*(one(i) for i in range(connections)))
        return Counter(results)

    health: list[float] = []
    stop = threading.Event()

    def check() -> None:
        while not stop.wait(0.25):
            t = time.monotonic()
            with contextlib.suppress(OSError):
                request(target.port, "GET", "/healthz", timeout=10)
                health.append(time.monotonic() - t)

    checker = threading.Thread(target=check, daemon=True)
    checker.start()
    outcomes = asyncio.run(main())
    stop.set()
    checker.join(15)
    return (f"{connections} trickling clients sent {sent['bytes']} bytes: " + ", ".join(
        f"{k} ×{v}" for k, v in outcomes.most_common())
        + f"; /healthz p50 {pct(health, 50) * 1000:.0f} ms, worst "
          f"{max(health, default=float('nan')) * 1000:.0f} ms")


def stalled_uploads(target: Target, seconds: float, uploads: int = 64,
                    size: int = 20 * MB) -> str:
    """Uploads of 20 MB that stall: a third declare 20 MB (over the cap), a third declare
    14 MB and stop after 13, a third are chunked and stop after 14 MB."""
    async def one(i: int) -> str:
        opened = await _open(target.port)
        if opened is None:
            return "connect failed"
        reader, writer = opened
        kind = i % 3
        head = b"POST /card HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; " \
               b"boundary=b\r\n"
        if kind == 0:
            head += b"Content-Length: %d\r\n\r\n" % size
            total = size
        elif kind == 1:
            head += b"Content-Length: %d\r\n\r\n" % (14 * MB)
            total = 13 * MB
        else:
            head += b"Transfer-Encoding: chunked\r\n\r\n"
            total = 14 * MB
        writer.write(head)
        part = b'--b\r\nContent-Disposition: form-data; name="photo"; filename="a.jpg"\r\n\r\n'
        block = b"\xff" * 65536
        sent = 0
        ends = time.monotonic() + seconds
        try:
            if kind == 2:
                writer.write(b"%x\r\n%s\r\n" % (len(part), part))
            else:
                writer.write(part)
            while sent < total and time.monotonic() < ends:
                writer.write(b"%x\r\n%s\r\n" % (len(block), block) if kind == 2 else block)
                sent += len(block)
                try:
                    await asyncio.wait_for(writer.drain(), max(0.1, ends - time.monotonic()))
                except asyncio.TimeoutError:
                    break
            status = await _first_status(reader, max(0.1, ends - time.monotonic()))
        except OSError:
            status = "reset"
        writer.transport.abort()
        return f"{['declared 20 MB', 'declared 14 MB', 'chunked'][kind]}: {status}"

    async def main() -> Counter[str]:
        return Counter(await asyncio.gather(*(one(i) for i in range(uploads))))

    outcomes = asyncio.run(main())
    return f"{uploads} stalled uploads: " + ", ".join(
        f"{k} ×{v}" for k, v in sorted(outcomes.items()))


def hostile_photos(target: Target, seconds: float) -> str:
    """Every photo of tests/hostile/photo_corpus.py, round and round from 3 clients."""
    from hostile.photo_corpus import CORPUS, made

    bodies = [(h.name, h.outcome, *multipart(FIELDS, made(h.name))) for h in CORPUS]
    outcomes: Counter[str] = Counter()
    wrong: list[str] = []
    ends = time.monotonic() + seconds
    before = target.workers()

    def client(k: int) -> None:
        i = k
        while time.monotonic() < ends:
            name, expected, body, ctype = bodies[i % len(bodies)]
            i += 3
            try:
                status, _, _ = request(target.port, "POST", "/card", body,
                                       {"Content-Type": ctype}, timeout=60)
            except OSError as exc:
                status = 0
                outcomes[type(exc).__name__] += 1
            outcomes[str(status)] += 1
            if status != (200 if expected == "card" else 422):
                wrong.append(f"{name}: {status}")

    at_once(*(functools.partial(client, k) for k in range(3)))
    replaced = len(set(target.workers()) - set(before))
    return (f"{sum(outcomes.values())} hostile photos: " + ", ".join(
        f"{k} ×{v}" for k, v in sorted(outcomes.items()))
        + f"; render processes replaced: {replaced}"
        + (f"; UNEXPECTED: {sorted(set(wrong))}" if wrong else ""))


def kill_workers(target: Target, seconds: float) -> str:
    """`kill -9` a render process every second; each replacement must hold no listening
    socket and no client connection (only its own socket to the server)."""
    ends = time.monotonic() + seconds
    kills, bad = 0, []
    inode = target.listening_inode()
    while time.monotonic() < ends:
        workers = target.workers()
        if workers:
            os.kill(workers[0], signal.SIGKILL)
            kills += 1
        time.sleep(1.0)
        for pid in target.workers():
            sockets = [t for t in fd_targets(pid) if t.startswith("socket:")]
            if len(sockets) > 1 or f"socket:[{inode}]" in sockets:
                bad.append(f"{pid}: {sockets}")
    return (f"{kills} render processes killed; their replacements' sockets: "
            + ("each only its own" if not bad else f"UNEXPECTED {bad}"))


def burst(target: Target, seconds: float, visitors: int = 32) -> str:
    """32 visitors at once, each loading the page, a preview and a card (96 requests)."""
    barrier = threading.Barrier(visitors)
    outcomes: Counter[str] = Counter()
    slowest = [0.0]

    def visitor() -> None:
        barrier.wait()
        t = time.monotonic()
        for method, path in (("GET", "/"), ("POST", "/preview"), ("POST", "/card")):
            try:
                if method == "GET":
                    status = request(target.port, "GET", path)[0]
                else:
                    status = card(target.port, path=path)[0]
            except OSError as exc:
                status = 0
                outcomes[type(exc).__name__] += 1
            outcomes[str(status)] += 1
        slowest[0] = max(slowest[0], time.monotonic() - t)

    at_once(*[visitor] * visitors)
    return (f"{visitors} visitors × 3 requests at once: " + ", ".join(
        f"{k} ×{v}" for k, v in sorted(outcomes.items()))
        + f"; slowest visitor {slowest[0]:.2f} s")


def flood(target: Target, seconds: float, clients: int = 64) -> str:
    """64 clients making cards back to back: 200 or 503 with Retry-After, nothing else."""
    outcomes: Counter[str] = Counter()
    retry_after: Counter[str] = Counter()
    ends = time.monotonic() + seconds
    body, ctype = multipart(FIELDS)

    def client() -> None:
        while time.monotonic() < ends:
            try:
                status, headers, _ = request(target.port, "POST", "/card", body,
                                             {"Content-Type": ctype})
            except OSError as exc:
                outcomes[type(exc).__name__] += 1
                continue
            outcomes[str(status)] += 1
            if status == 503:
                retry_after[headers.get("retry-after", "none")] += 1

    at_once(*[client] * clients)
    return (f"{clients} clients for {seconds:.0f} s: " + ", ".join(
        f"{k} ×{v}" for k, v in sorted(outcomes.items()))
        + (f"; Retry-After {dict(retry_after)}" if retry_after else ""))


def small_ones(target: Target, seconds: float) -> str:
    """An oversized boundary, CR/LF in the path, and the server layer's own errors."""
    found = []
    body, ctype = multipart(FIELDS, boundary="b" * 300)
    status = request(target.port, "POST", "/card", body, {"Content-Type": ctype})[0]
    found.append(f"300-character boundary: {status}")
    request(target.port, "GET", "/x%0d%0a2026-01-01%2000:00:00,000%20GET%20/forged%20200%201ms")
    forged = any(line.startswith("2026-01-01") for line in target.log_text().splitlines())
    found.append("CR/LF in the path: " + ("FORGED A LOG LINE" if forged else "escaped"))
    for what, raw in (("bad request line", b"BLAH\r\n\r\n"),
                      ("32 KB head",
                       b"GET / HTTP/1.1\r\nHost: x\r\nX: " + b"a" * 32768 + b"\r\n\r\n"),
                      ("Content-Length and chunked", b"POST /card HTTP/1.1\r\nHost: x\r\n"
                       b"Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")):
        with socket.create_connection(("127.0.0.1", target.port), timeout=10) as s:
            s.sendall(raw)
            answer = s.recv(65536)
        status_line = answer.split(b"\r\n", 1)[0].decode("latin-1")
        nosniff = b"x-content-type-options: nosniff" in answer.lower()
        found.append(f"{what}: {status_line[9:12]}{' nosniff' if nosniff else ' NO NOSNIFF'}")
    return "; ".join(found)


ATTACKS: dict[str, Callable[..., str]] = {
    "hostile-photos": hostile_photos, "kill-workers": kill_workers, "slowloris": slowloris,
    "trickle": trickle, "stalled-uploads": stalled_uploads, "burst": burst,
    "flood": flood, "small-ones": small_ones,
}


def run_attack(target: Target, name: str, seconds: float, photo: bytes | None,
               **options: Any) -> tuple[str, Seen, str]:
    """One attack with a visitor and a watch on the server; (attacker's line, what the
    visitor saw, memory and descriptors)."""
    watch = Watch(target)
    visitor = Visitor(target.port, photo)
    visitor.start()
    try:
        detail = ATTACKS[name](target, seconds, **options)
    finally:
        time.sleep(0.5)
        seen = visitor.stop()
        resources = watch.stop()
    return detail, seen, resources


def kill_server(target: Target) -> str:
    """`kill -9` of the server: the port must be free at once, every process gone."""
    tree = target.tree()
    os.kill(target.pid, signal.SIGKILL)
    target.process.wait(10)
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", target.port))
            s.listen()
            port = "free at once"
        except OSError as exc:
            port = f"STILL HELD ({exc.strerror})"
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(_alive(p) for p in tree[1:]):
        time.sleep(0.1)
    left = [p for p in tree[1:] if _alive(p)]
    return (f"kill -9 of the server: port {port}; its {len(tree) - 1} render processes "
            + ("all gone" if not left else f"STILL RUNNING: {left}"))


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("attacks", nargs="*", help="which (default: all)")
    parser.add_argument("--seconds", type=float, default=15, help="per attack")
    parser.add_argument("--list", action="store_true")
    parser.add_argument("--checkout", type=Path, default=CHECKOUT,
                        help="run the server of another checkout (e.g. an older commit "
                             "unpacked with git archive), to compare")
    args = parser.parse_args()
    if args.list:
        for name, fn in ATTACKS.items():
            print(f"{name:<16} {(fn.__doc__ or '').splitlines()[0]}")
        return
    _raise_own_fd_limit()
    chosen = args.attacks or list(ATTACKS)
    photo = phone_jpeg()
    target = Target.start(checkout=args.checkout)
    try:
        print(f"imhcard serve ({args.checkout}) at its defaults, ulimit -n 1024, pid {target.pid}, "
              f"{len(os.sched_getaffinity(0))} CPUs; at rest PSS {target.pss_mb():.0f} MB, "
              f"{target.fds()} descriptors")
        ok = True
        for name in chosen:
            detail, seen, resources = run_attack(target, name, args.seconds, photo)
            holders_now = target.socket_holders()
            sole = holders_now == [target.pid]
            ok &= seen.ok and sole
            print(f"\n{name}: {detail}\n  {seen.line()}{'' if seen.ok else '  <- NOT MET'}\n"
                  f"  {resources}; listening socket held by "
                  f"{'the server alone' if sole else holders_now}")
            time.sleep(1)
        leftovers = list((target.folder / "cwd").iterdir()) + list(
            (target.folder / "tmp").iterdir())
        print(f"\nfiles the server wrote to its folder and TMPDIR: {len(leftovers)}")
        print(kill_server(target))
        lines = [line for line in target.log_text().splitlines() if "render process" in line]
        print(f"log lines about render processes: {len(lines)}"
              + (f", e.g. {lines[0][20:]!r}" if lines else ""))
        names = re.findall(r"Aoife|IMG_0001", target.log_text())
        print(f"personal data in the log: {'none' if not names else names[:3]}")
        print("\nevery attack handled with the visitor's cards within ~3 s: "
              + ("yes" if ok else "NO"))
    finally:
        target.stop()


if __name__ == "__main__":
    main()
