"""Benchmark `imhcard serve`: starts the real server, drives it with concurrent
clients, and prints requests/s, p50/p95/p99 latency and the CPU each request cost the
server process and the render workers at concurrency 1, 8 and 32
for a 1080×1080 PNG card without a photo, the same with a 12-megapixel ~4 MB phone
JPEG, and the page's live preview; and the server's memory (PSS of the server and its
render workers, sampled every 50 ms) before, during and after.

    python bench/serve_bench.py                  # ~2 minutes
    python bench/serve_bench.py --quick          # fewer requests, ~40 s
    python bench/serve_bench.py --batch          # also runs batch_bench.py --quick, to compare

The clients are threads in this process using http.client with keep-alive and
bodies encoded once, so as little of the two cores as possible goes to the load
itself; they share the machine with the server all the same (see bench/README.md).
"""

from __future__ import annotations

import argparse
import http.client
import io
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
CHECKOUT = HERE.parent
sys.path.insert(0, str(HERE))
from batch_bench import _memory_kb, _tree  # noqa: E402

TARGETS = {"card p50 c=1": 40.0, "photo p50 c=1": 150.0, "preview p50 c=1": 25.0}


def phone_jpeg() -> bytes:
    """A 12-megapixel (4000×3000) JPEG of about 4 MB, with camera-like noise."""
    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(1)
    coarse = Image.fromarray(rng.integers(0, 256, (300, 400, 3), dtype=np.uint8))
    smooth = np.asarray(coarse.resize((4000, 3000), Image.Resampling.BILINEAR), dtype=np.int16)
    noisy = np.clip(smooth + rng.integers(-12, 13, smooth.shape, dtype=np.int16), 0, 255)
    buf = io.BytesIO()
    Image.fromarray(noisy.astype(np.uint8)).save(buf, "JPEG", quality=88)
    return buf.getvalue()


def multipart(fields: dict[str, str], photo: bytes | None) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    out = io.BytesIO()
    for k, v in fields.items():
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n'
                  f"{v}\r\n".encode())
    if photo:
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="photo"; '
                  f'filename="IMG_0001.jpg"\r\nContent-Type: image/jpeg\r\n\r\n'.encode())
        out.write(photo + b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


FIELDS = {"name": "Aoife Ní Bhriain", "pledge": "speak-up", "org": "Sure Start Newry",
          "format": "instagram-square", "image_format": "png"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class Memory:
    """Samples the server tree's PSS every 50 ms; remembers the peak and the last."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak, self.last, self.stop = pid, 0, 0, False
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self) -> None:
        while not self.stop:
            pss, _ = _memory_kb(_tree(self.pid))
            self.last, self.peak = pss, max(self.peak, pss)
            time.sleep(0.05)


def drive(port: int, path: str, body: bytes, ctype: str, concurrency: int,
          total: int) -> tuple[float, list[float], dict[int, int]]:
    """`total` requests from `concurrency` keep-alive clients; (seconds, latencies ms,
    status counts)."""
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    left = [total]

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        while True:
            with lock:
                if left[0] == 0:
                    break
                left[0] -= 1
            t = time.perf_counter()
            try:
                conn.request("POST", path, body, {"Content-Type": ctype})
                response = conn.getresponse()
                response.read()
                status = response.status
            except OSError:  # counted as status 0: a connection the server dropped
                status = 0
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            ms = (time.perf_counter() - t) * 1000
            with lock:
                latencies.append(ms)
                statuses[status] = statuses.get(status, 0) + 1
        conn.close()

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    started = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return time.perf_counter() - started, latencies, statuses


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds a process has used (Linux /proc)."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def batch_rate() -> float | None:
    """Cards/s of `imhcard batch` with 2 workers, from batch_bench.py --quick."""
    out = subprocess.run([sys.executable, str(HERE / "batch_bench.py"), "--quick"],
                         capture_output=True, text=True, check=False).stdout
    m = re.search(r"2 workers: .*? = ([\d.]+) cards/s", out)
    return float(m.group(1)) if m else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer requests per step")
    parser.add_argument("--workers", type=int, default=len(os.sched_getaffinity(0)),
                        help="render processes (default: one per CPU)")
    parser.add_argument("--batch", action="store_true",
                        help="also run batch_bench.py --quick and compare throughput")
    args = parser.parse_args()
    scale = 0.4 if args.quick else 1.0

    port = free_port()
    tmp = Path(tempfile.mkdtemp(prefix="serve-bench-"))
    env = {**os.environ, "PYTHONPATH": str(CHECKOUT), "TMPDIR": str(tmp)}
    server = subprocess.Popen([sys.executable, "-m", "imhcard", "serve", "--port", str(port),
                               "--workers", str(args.workers)],
                              cwd=tmp, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        for _ in range(400):
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.25)
        else:
            raise SystemExit("imhcard serve did not start")
        memory = Memory(server.pid)
        time.sleep(0.3)
        idle = memory.last
        photo = phone_jpeg()
        plain = multipart(FIELDS, None)
        with_photo = multipart(FIELDS, photo)
        print(f"imhcard serve benchmark: {args.workers} render workers, "
              f"{len(os.sched_getaffinity(0))} CPUs, Python {sys.version.split()[0]}; "
              f"photo {len(photo) / 1e6:.1f} MB, 4000×3000 JPEG")
        print(f"  server memory at rest: PSS {idle / 1024:.0f} MB (server + workers)")
        results: dict[str, float] = {}
        steps: list[tuple[str, str, tuple[bytes, str], Callable[[int], int]]] = [
            ("card", "/card", plain, lambda c: max(40, 12 * c)),
            ("photo", "/card", with_photo, lambda c: max(20, 5 * c)),
            ("preview", "/preview", plain, lambda c: max(40, 12 * c)),
        ]
        for name, path, (body, ctype), count in steps:
            drive(port, path, body, ctype, 2, 6)  # warm the workers' caches
            for c in (1, 8, 32):
                n = max(c, int(count(c) * scale))
                workers = [p for p in _tree(server.pid) if p != server.pid]
                cpu_before = [cpu_seconds(p) for p in (server.pid, *workers)]
                seconds, lat, statuses = drive(port, path, body, ctype, c, n)
                cpu_after = [cpu_seconds(p) for p in (server.pid, *workers)]
                spent = [(a - b) * 1000 / n for a, b in zip(cpu_after, cpu_before, strict=True)]
                rate = n / seconds
                results[f"{name} p50 c={c}"] = pct(lat, 50)
                results[f"{name} rps c={c}"] = rate
                codes = ", ".join(f"{k}×{v}" for k, v in sorted(statuses.items()))
                print(f"  {name:<8} c={c:<3} {n:>4} requests  {rate:6.1f} req/s  "
                      f"p50 {pct(lat, 50):6.1f} ms  p95 {pct(lat, 95):6.1f} ms  "
                      f"p99 {pct(lat, 99):6.1f} ms  [{codes}]  PSS now "
                      f"{memory.last / 1024:.0f} MB  CPU/request: server {spent[0]:.1f} ms, "
                      f"workers {sum(spent[1:]):.1f} ms")
        # Memory flat under load: a second round of the heaviest step, then compare.
        before = memory.peak
        drive(port, "/card", with_photo[0], with_photo[1], 32, max(32, int(160 * scale)))
        time.sleep(0.3)
        print(f"  peak PSS {memory.peak / 1024:.0f} MB over the run; after another "
              f"{max(32, int(160 * scale))} photo cards at c=32: peak {memory.peak / 1024:.0f}"
              f" MB (was {before / 1024:.0f} MB), at rest {memory.last / 1024:.0f} MB")
        memory.stop = True
        for key, target in TARGETS.items():
            ok = "ok" if results[key] <= target else "MISSED"
            print(f"  target {key} <= {target:.0f} ms: {results[key]:.1f} ms {ok}")
        if args.batch:
            rate = batch_rate()
            if rate:
                ratio = results["card rps c=32"] / rate
                print(f"  batch (batch_bench.py --quick, 2 workers): {rate:.1f} cards/s; "
                      f"serve at c=32: {results['card rps c=32']:.1f} req/s = {ratio:.2f}x "
                      f"(target >= 0.8) {'ok' if ratio >= 0.8 else 'MISSED'}")
        leftovers = list(tmp.iterdir())
        print(f"  files the server wrote to its cwd/TMPDIR: {len(leftovers)}")
    finally:
        server.terminate()
        server.wait(30)
        for p in tmp.iterdir():
            p.unlink()
        tmp.rmdir()


if __name__ == "__main__":
    main()
