"""Paired before/after of `imhcard serve` on a shared machine: two servers at their
defaults, this checkout's and another's (an older commit unpacked with git archive),
asked in turn, so that whatever else the machine is doing weighs on both alike. Prints,
per kind of card, each server's p50 latency one request at a time and the CPU each
request cost its web process and its render processes; then each one's throughput at 32
clients, in alternating rounds.

    git archive bdb689b | tar -x -C /tmp/before
    python bench/serve_paired.py /tmp/before --before-args "--queue 256"
"""

from __future__ import annotations

import argparse
import http.client
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))
import serve_attack as sa  # noqa: E402
from serve_bench import cpu_seconds, drive  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("before", type=Path, help="the other checkout")
    parser.add_argument("--cards", type=int, default=60, help="requests per kind and server")
    parser.add_argument("--before-args", default="",
                        help="flags for the other checkout's server, e.g. '--queue 256' so "
                             "that its old queue-length limit does not refuse the c=32 rounds")
    args = parser.parse_args()
    servers = {"before": sa.Target.start(*args.before_args.split(), checkout=args.before),
               "after": sa.Target.start()}
    try:
        photo = sa.phone_jpeg()
        for kind, (body, ctype), n in (("card", sa.multipart(sa.FIELDS), args.cards),
                                       ("photo", sa.multipart(sa.FIELDS, photo),
                                        max(8, args.cards // 4))):
            conns = {k: http.client.HTTPConnection("127.0.0.1", t.port, timeout=60)
                     for k, t in servers.items()}
            lat: dict[str, list[float]] = {k: [] for k in servers}
            web = dict.fromkeys(servers, 0.0)
            render = dict.fromkeys(servers, 0.0)
            for i in range(n + 3):  # the first three warm both up
                for k, t in servers.items():
                    procs = [p for p in t.tree() if p != t.pid]
                    w0, r0 = cpu_seconds(t.pid), sum(cpu_seconds(p) for p in procs)
                    started = time.perf_counter()
                    conns[k].request("POST", "/card", body, {"Content-Type": ctype})
                    response = conns[k].getresponse()
                    response.read()
                    if i >= 3:
                        lat[k].append((time.perf_counter() - started) * 1000)
                        web[k] += cpu_seconds(t.pid) - w0
                        render[k] += sum(cpu_seconds(p) for p in procs) - r0
            for k in servers:
                print(f"{kind:<6} {k:<7} c=1  p50 {statistics.median(lat[k]):6.1f} ms   CPU per "
                      f"request: web {web[k] / n * 1000:5.1f} ms, "
                      f"render {render[k] / n * 1000:5.1f} ms")
        # Throughput at 32 clients, in alternating rounds of 96 cards without a photo.
        body, ctype = sa.multipart(sa.FIELDS)
        rates: dict[str, list[float]] = {k: [] for k in servers}
        codes: dict[str, dict[int, int]] = {k: {} for k in servers}
        for _ in range(3):
            for k, t in servers.items():
                seconds, _, statuses = drive(t.port, "/card", body, ctype, 32, 96)
                rates[k].append(96 / seconds)
                for code, count in statuses.items():
                    codes[k][code] = codes[k].get(code, 0) + count
        for k in servers:
            print(f"card   {k:<7} c=32 {statistics.median(rates[k]):6.1f} req/s (median of 3 "
                  f"rounds: {', '.join(f'{r:.1f}' for r in rates[k])}) statuses {codes[k]}")
    finally:
        for t in servers.values():
            t.stop()


if __name__ == "__main__":
    main()
