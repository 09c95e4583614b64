"""Benchmark `imhcard batch`: cards per second with 1 and 2 workers, peak memory
for a small and a large batch, PNG file size, Pillow's own PNG encode time for one
of the finished cards (the "encode floor"), and how long `--check` takes next to a
real run, all measured in one run.

    python bench/batch_bench.py                 # 1,000 rows; memory at 500 and 10,000
    python bench/batch_bench.py --quick         # 300 rows; memory at 200 and 2,000
    python bench/batch_bench.py --rows 2000 --format story
    python bench/batch_bench.py --check-only    # just --check vs a real run

It ends with bench/card_bench.py's figures: where a card's time goes, in both
styles, and `imhcard card` end to end (--no-card skips them).

Each batch runs in a fresh child process (`--child`), so caches start cold and
the memory figures belong to that batch alone: the parent samples the child's
whole process tree (the batch's parent process and its workers) every 20 ms,
summing PSS (each shared page counted once, split between the processes that
share it) and RSS (shared pages counted in every process: an upper bound).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from people import FIRST, LAST, ORGS, PLEDGES

TARGET_RATIO = 0.75
TARGET_KB = 150
TARGET_SPEEDUP = 1.8
TARGET_MEMORY = 1.2
TARGET_CHECK = 0.3


def make_photos(folder: Path, count: int = 4) -> list[str]:
    """A few phone-sized JPEGs: gradients with shapes, so they compress like photos."""
    from PIL import Image, ImageDraw, ImageFilter

    names = []
    rng = random.Random(7)
    for i in range(count):
        img = Image.radial_gradient("L").resize((1200, 1600)).convert("RGB")
        draw = ImageDraw.Draw(img)
        for _ in range(40):
            x, y, r = rng.randrange(1200), rng.randrange(1600), rng.randrange(20, 200)
            draw.ellipse((x - r, y - r, x + r, y + r), fill=tuple(rng.randrange(256)
                                                                  for _ in range(3)))
        img = img.filter(ImageFilter.GaussianBlur(3))
        name = f"photo-{i + 1}.jpg"
        img.save(folder / name, quality=88)
        names.append(name)
    return names


def make_input(folder: Path, rows: int, photo_every: int = 40) -> Path:
    """A Google-Forms-like CSV of `rows` synthetic supporters; every `photo_every`-th
    row has a photo."""
    rng = random.Random(rows)
    photos = make_photos(folder)
    path = folder / f"signups-{rows}.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["Timestamp", "Email address", "What is your name?", "Your pledge",
                      "Organisation or role (optional)", "Photo (optional)"])
        for i in range(rows):
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            photo = photos[i // photo_every % len(photos)] if i % photo_every == 0 else ""
            out.writerow([f"2026/06/0{1 + i % 7} 09:{i % 60:02d}:00", f"person{i}@example.org",
                          name, rng.choice(PLEDGES), rng.choice(ORGS), photo])
    return path


# --- the child: one batch, timed from inside -------------------------------------------


def child(args: argparse.Namespace) -> None:
    from imhcard.batch.options import BatchOptions
    from imhcard.batch.outcome import RowOutcome
    from imhcard.batch.runner import run_batch
    from imhcard.core.theme import resolve_theme

    marks: dict[str, float] = {}

    class Clock:
        def start(self, total: int, workers: int) -> None:
            marks["start"] = time.perf_counter()

        def row_done(self, outcome: RowOutcome, problems: object) -> None:
            marks["end"] = time.perf_counter()

    import resource

    began = time.perf_counter()
    summary = run_batch(BatchOptions(input=Path(args.input), out_dir=Path(args.out),
                                     theme_path=resolve_theme(None),
                                     formats=tuple(args.format), workers=args.workers,
                                     check=args.check),
                        Clock())
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({"cards": summary.made, "rows": summary.rows, "failed": summary.failed,
                      "seconds": time.perf_counter() - began,
                      "parent_cpu": own.ru_utime + own.ru_stime,
                      "workers_cpu": kids.ru_utime + kids.ru_stime,
                      "steady": marks.get("end", 0) - marks.get("start", 0),
                      "workers": summary.workers}))


# --- the parent: runs children, watches their memory ------------------------------------


def _tree(pid: int) -> list[int]:
    """pid and all its descendants (Linux /proc)."""
    kids: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
            kids.setdefault(ppid, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo += kids.get(p, [])
    return out


def _memory_kb(tree: list[int]) -> tuple[int, int]:
    pss = rss = 0
    for p in tree:
        try:
            with open(f"/proc/{p}/smaps_rollup") as fh:
                for line in fh:
                    if line.startswith("Pss:"):
                        pss += int(line.split()[1])
                    elif line.startswith("Rss:"):
                        rss += int(line.split()[1])
        except OSError:
            continue
    return pss, rss


def run_child(input_path: Path, out: Path, workers: int, formats: list[str],
              memory: bool = False, check: bool = False) -> dict[str, float]:
    """One batch in a fresh process. With `memory`, its process tree's memory is
    sampled; not in the speed runs, where the sampling would take CPU from them."""
    cmd = [sys.executable, __file__, "--child", "--input", str(input_path), "--out", str(out),
           "--workers", str(workers)] + [a for f in formats for a in ("--format", f)]
    if check:
        cmd.append("--check")
    began = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    peak = [0, 0]
    done = threading.Event()

    def sample() -> None:
        tree, found = [proc.pid], 0.0
        while not done.is_set():
            if time.monotonic() - found > 0.5:  # workers come and go rarely
                tree, found = _tree(proc.pid), time.monotonic()
            pss, rss = _memory_kb(tree)
            peak[0], peak[1] = max(peak[0], pss), max(peak[1], rss)
            time.sleep(0.05)

    watcher = threading.Thread(target=sample, daemon=True)
    if memory and Path("/proc/self/smaps_rollup").exists():
        watcher.start()
    stdout, _ = proc.communicate()
    done.set()
    if proc.returncode != 0:
        raise SystemExit(f"batch failed ({proc.returncode}): {' '.join(cmd)}")
    result: dict[str, float] = json.loads(stdout.strip().splitlines()[-1])
    result["wall"] = time.perf_counter() - began
    result["pss_mb"], result["rss_mb"] = peak[0] / 1024, peak[1] / 1024
    return result


def encode_floor(card: Path, repeat: int = 7) -> float:
    """Median time for Pillow to save the finished card as PNG with default settings."""
    from PIL import Image

    with Image.open(card) as img:
        img.load()
        rgb = img.convert("RGB")
    times = []
    for _ in range(repeat):
        buf = io.BytesIO()
        t = time.perf_counter()
        rgb.save(buf, "PNG")
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def jpeg_kb(card: Path) -> float:
    from PIL import Image

    from imhcard.render.encode import encode

    with Image.open(card) as img:
        return len(encode(img.convert("RGB"), "jpeg")) / 1024


def check(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def check_figure(signups: Path, tmp: Path, formats: list[str], repeat: int,
                 real: dict[str, float] | None = None) -> None:
    """`batch --check` (every field, fit, glyph and photo checked; nothing written) next
    to a real run of the same rows, both with 1 worker, best of `repeat`."""
    if real is None:
        real = min((run_child(signups, tmp / f"real-{i}", 1, formats) for i in range(repeat)),
                   key=lambda r: r["seconds"])
    checks = [run_child(signups, tmp / f"check-{i}", 1, formats, check=True)
              for i in range(repeat)]
    best = min(checks, key=lambda r: r["seconds"])
    ratio = best["seconds"] / real["seconds"]
    all_runs = ", ".join(f"{x['seconds']:.2f}" for x in checks)
    print(f"  --check, 1 worker: {best['rows']:.0f} rows in {best['seconds']:.2f} s (runs: "
          f"{all_runs} s) = {ratio:.2f} x the real run's {real['seconds']:.2f} s "
          f"(target <= {TARGET_CHECK}) {check(ratio <= TARGET_CHECK)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, help="rows for the speed runs (default 1000)")
    parser.add_argument("--memory-rows", type=int, nargs=2, metavar=("SMALL", "LARGE"),
                        help="rows for the two memory runs (default 500 10000)")
    parser.add_argument("--quick", action="store_true", help="300 rows; memory at 200, 2000")
    parser.add_argument("--format", action="append", help="formats (default instagram-square)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of each worker count, best kept (default 3)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--no-card", action="store_true",
                        help="skip the per-card phases and `imhcard card` timings "
                             "(card_bench.py)")
    parser.add_argument("--check-only", action="store_true",
                        help="only compare `batch --check` with a real run (1 worker)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--check", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--input", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument("--workers", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.format = args.format or ["instagram-square"]
    if args.child:
        child(args)
        return
    rows = args.rows or (300 if args.quick else 1000)
    small, large = args.memory_rows or ((200, 2000) if args.quick else (500, 10_000))
    tmp = Path(tempfile.mkdtemp(prefix="imhcard-bench-"))
    print(f"imhcard batch benchmark: {rows} rows, format {', '.join(args.format)}, "
          f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}; work in {tmp}")

    signups = make_input(tmp, rows)
    if args.check_only:
        check_figure(signups, tmp, args.format, args.repeat)
        if not args.keep:
            import shutil

            shutil.rmtree(tmp, ignore_errors=True)
        return
    # This kind of machine is shared and noisy: alternate the runs and keep each
    # configuration's best, as timing tools do.
    runs: dict[int, list[dict[str, float]]] = {1: [], 2: []}
    for i in range(args.repeat):
        for w in (1, 2):
            out = tmp / f"out-{w}w-{i}"
            runs[w].append(run_child(signups, out, w, args.format))
    speed = {w: min(rs, key=lambda r: r["seconds"]) for w, rs in runs.items()}
    pngs = sorted((tmp / "out-1w-0").glob("*.png"))
    sizes = sorted(p.stat().st_size / 1024 for p in pngs)
    card = pngs[len(pngs) // 2]
    floor = encode_floor(card)
    for w, r in speed.items():
        all_runs = ", ".join(f"{x['seconds']:.2f}" for x in runs[w])
        print(f"  {w} worker{'s' if w > 1 else ' '}: {r['cards']:.0f} cards in {r['seconds']:.2f} s"
              f" = {r['cards'] / r['seconds']:.1f} cards/s  (runs: {all_runs} s; "
              f"{r['wall']:.2f} s with interpreter start-up; CPU: parent {r['parent_cpu']:.2f} s,"
              f" workers {r['workers_cpu']:.2f} s)")
    per_card = speed[1]["seconds"] / speed[1]["cards"]
    speedup = (speed[2]["cards"] / speed[2]["seconds"]) / (speed[1]["cards"] / speed[1]["seconds"])
    ratio = per_card / floor
    median_kb = statistics.median(sizes)
    print(f"  speed-up with 2 workers: {speedup:.2f}x  (target >= {TARGET_SPEEDUP}) "
          f"{check(speedup >= TARGET_SPEEDUP)}")
    print(f"  encode floor (Pillow img.save(buf, 'PNG') of {card.name}): {floor * 1000:.1f} ms")
    print(f"  per card, 1 worker: {per_card * 1000:.1f} ms = {ratio:.2f} x the floor "
          f"(target <= {TARGET_RATIO}) {check(ratio <= TARGET_RATIO)}")
    print(f"  PNG size: median {median_kb:.0f} KB, largest {sizes[-1]:.0f} KB "
          f"(target <= {TARGET_KB} KB typical) {check(median_kb <= TARGET_KB)}; "
          f"the same card as JPEG {jpeg_kb(card):.0f} KB")

    check_figure(signups, tmp, args.format, args.repeat, speed[1])

    memory = {}
    for n in (small, large):
        path = make_input(tmp, n)
        memory[n] = run_child(path, tmp / f"mem-{n}", 2, args.format, memory=True)
        r = memory[n]
        print(f"  {n:>6} rows, 2 workers: peak PSS {r['pss_mb']:.0f} MB, RSS {r['rss_mb']:.0f} MB"
              f" (parent + workers), {r['cards'] / r['seconds']:.1f} cards/s")
    grow = memory[large]["pss_mb"] / max(memory[small]["pss_mb"], 1e-9)
    print(f"  memory {large} vs {small} rows: {grow:.2f}x (target <= {TARGET_MEMORY}) "
          f"{check(grow <= TARGET_MEMORY)}")
    if not args.keep:
        import shutil

        shutil.rmtree(tmp, ignore_errors=True)
    if not args.no_card:
        # Where a card's time goes (text, fit, composite, encode, write) in both styles,
        # and `imhcard card` end to end: see card_bench.py.
        import card_bench

        card_bench.report_phases(100 if args.quick else 300, args.repeat)
        card_bench.report_single(3 if args.quick else 7)


if __name__ == "__main__":
    main()
