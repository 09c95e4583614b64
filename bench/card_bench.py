"""Benchmark one card: where a card's time goes, and `imhcard card` end to end.

    python bench/card_bench.py                  # both parts
    python bench/card_bench.py --phases         # per-card phases only
    python bench/card_bench.py --single         # `imhcard card` wall time only

Phases: the batch's per-card work (render, encode, write) for a few hundred
synthetic supporters in this process, 1080x1080 PNG, each phase timed by
wrapping the function that does it, in CPU time (steadier than wall time on a
shared machine): `fit` (fitting the pledge, name and
organisation), `text` (drawing the fitted lines), `composite` (the rest of
render_card: copying the static layer, pasting the photo, the scrim), `encode`
(PNG bytes) and `write` (the atomic file writes). The total is the median over
rounds of the per-card wall time; CPU time (process time) is printed beside it,
as it is steadier on a shared machine.

Single card: `imhcard card` as a subprocess, one format and all seven, median
of several runs, with interpreter start-up; and the CPU seconds it used.
batch_bench.py runs both parts after the batch figures.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

TARGET_TEXT_MS = 7.0
TARGET_PHOTO_RATIO = 1.3
TARGET_ONE_S = 0.15
TARGET_ALL_S = 0.4
TARGET_PNG_KB = 150
PHASES = ("fit", "text", "composite", "encode", "write")


UNIQUE = False  # --unique: every pledge different, so no line is drawn twice


def _supporters(n: int) -> list[dict[str, str]]:
    sys.path.insert(0, str(Path(__file__).parent))
    from people import FIRST, LAST, ORGS, PLEDGES

    rng = random.Random(n)
    people = [{"name": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
               "pledge": rng.choice(PLEDGES), "org": rng.choice(ORGS)} for _ in range(n)]
    if UNIQUE:
        for i, p in enumerate(people):
            p["pledge"] = f"{PLEDGES[6 + i % 6]} with {i} friends"
    return people


def phases(cards: int = 300, rounds: int = 3, style: str = "text",
           fmt_name: str = "instagram-square", theme_path: str | None = None) -> dict[str, float]:
    """Milliseconds per card in each phase, and the total (wall and CPU)."""
    from PIL import Image, ImageDraw

    from imhcard.core.formats import FORMATS
    from imhcard.core.supporter import Supporter, resolve
    from imhcard.core.theme import load_theme, resolve_theme
    from imhcard.output import files
    from imhcard.render import compose, draw, pipeline

    spent: dict[str, float] = defaultdict(float)

    def timed(module: Any, attr: str, phase: str) -> None:
        inner: Callable[..., Any] = getattr(module, attr)

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            t = time.process_time()
            try:
                return inner(*args, **kwargs)
            finally:
                spent[phase] += time.process_time() - t

        setattr(module, attr, wrapper)

    timed(draw, "fit_text", "fit")
    timed(compose, "draw_text", "text")
    timed(pipeline, "encode", "encode")
    timed(files, "write_together", "write")

    theme = load_theme(resolve_theme(theme_path))
    fmt = FORMATS[fmt_name]
    photos: list[Image.Image | None] = [None]
    if style == "photo":
        from imhcard.render.cover import opaque

        # Four phone-portrait-sized photos, as load_photo gives them (a 12-megapixel
        # JPEG decoded at half scale) and as the batch passes them on: opaque, RGB.
        photos = []
        for i in range(4):
            img = Image.linear_gradient("L").resize((1512, 2016)).convert("RGBA")
            ImageDraw.Draw(img).ellipse((400 + 40 * i, 300, 1100, 1200),
                                        fill=(220, 170 - 10 * i, 140, 255))
            # A camera's grain: without it the photo compresses like a drawing.
            grain = Image.effect_noise(img.size, 24).convert("RGBA")
            photos.append(opaque(Image.blend(img, grain, 0.08)))
    # (An older imhcard without styles can be measured too, for before/after figures.)
    styled = "style" in Supporter.__dataclass_fields__
    people = [resolve(Supporter(**p, **({"style": style} if styled else {})), theme)
              for p in _supporters(cards)]
    out = Path(tempfile.mkdtemp(prefix="imhcard-cardbench-"))
    # Warm the per-process caches (static layers, fonts) as a batch worker would.
    files.write_card(pipeline.encode_card(compose.render_card(theme, people[0], fmt, photos[0])),
                     out, "warm")
    render_card: Any = compose.render_card
    totals, cpus, per_phase = [], [], []
    png_kb: list[float] = []
    jpeg_kb: list[float] = []
    for r in range(rounds):
        spent.clear()
        t, c = time.perf_counter(), time.process_time()
        render = 0.0
        for i, person in enumerate(people):
            t0 = time.process_time()
            card = render_card(theme, person, fmt, photos[i % len(photos)])
            render += time.process_time() - t0
            written = files.write_card(pipeline.encode_card(card), out, f"{r}-{i:04d}")
            if r == 0:
                png_kb.append(written.image.stat().st_size / 1024)
                if i % 20 == 0:
                    jpeg_kb.append(len(pipeline.encode_card(card, "jpeg").data) / 1024)
        totals.append((time.perf_counter() - t) / cards)
        cpus.append((time.process_time() - c) / cards)
        row = {k: spent[k] / cards for k in ("fit", "text", "encode")}
        row["composite"] = render / cards - row["fit"] - row["text"]
        row["write"] = spent["write"] / cards
        per_phase.append(row)
    import shutil

    shutil.rmtree(out, ignore_errors=True)
    result = {k: statistics.median(p[k] for p in per_phase) * 1000 for k in PHASES}
    result["total"] = statistics.median(totals) * 1000
    result["cpu"] = statistics.median(cpus) * 1000
    result["png_kb"] = statistics.median(png_kb)
    result["jpeg_kb"] = statistics.median(jpeg_kb)
    return result


def single(repeat: int = 7) -> dict[str, float]:
    """`imhcard card` end to end: median wall seconds for one format and for all."""
    exe = Path(sys.executable).with_name("imhcard")
    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="imhcard-single-") as tmp:
        for label, extra in (("one", ["--format", "instagram-square"]), ("all", [])):
            walls, cpus = [], []
            for i in range(repeat):
                cmd = [str(exe), "card", "--name", "Aoife Ní Bhriain", "--pledge", "speak-up",
                       "--org", "Sure Start Newry", "--out", f"{tmp}/{label}{i}", *extra]
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                t = time.perf_counter()
                subprocess.run(cmd, check=True, capture_output=True)
                walls.append(time.perf_counter() - t)
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
            out[label] = statistics.median(walls)
            out[label + "_min"] = min(walls)
            out[label + "_cpu"] = statistics.median(cpus)
    return out


def check(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def report_phases(cards: int, rounds: int, text_only: bool = False,
                  theme_path: str | None = None) -> None:
    text = phases(cards, rounds, "text", theme_path=theme_path)
    if text_only:
        split = ", ".join(f"{k} {text[k]:.2f}" for k in PHASES)
        print(f"  per card, text style, 1 process, 1080x1080 PNG: {text['total']:.2f} ms wall, "
              f"{text['cpu']:.2f} ms CPU  ({split} ms)")
        return
    photo = phases(cards, rounds, "photo")
    for label, r in (("text style ", text), ("photo style", photo)):
        split = ", ".join(f"{k} {r[k]:.2f}" for k in PHASES)
        print(f"  per card, {label}, 1 process, 1080x1080 PNG: {r['total']:.2f} ms wall, "
              f"{r['cpu']:.2f} ms CPU  ({split} ms)")
    print(f"  text style: {check(text['cpu'] <= TARGET_TEXT_MS)} (target <= {TARGET_TEXT_MS} ms, "
          f"CPU); photo / text: {photo['cpu'] / text['cpu']:.2f}x "
          f"{check(photo['cpu'] <= TARGET_PHOTO_RATIO * text['cpu'])} "
          f"(target <= {TARGET_PHOTO_RATIO}x)")
    for label, r in (("text style ", text), ("photo style", photo)):
        print(f"  size, {label}: PNG median {r['png_kb']:.0f} KB, the same cards as JPEG "
              f"(quality 85) {r['jpeg_kb']:.0f} KB")
    print(f"  text-style PNG: {check(text['png_kb'] <= TARGET_PNG_KB)} (target <= "
          f"{TARGET_PNG_KB} KB typical); photo cards: JPEG is "
          f"{photo['png_kb'] / photo['jpeg_kb']:.1f}x smaller than PNG")


def report_single(repeat: int) -> None:
    s = single(repeat)
    print(f"  imhcard card, one format: {s['one']:.3f} s median wall (best {s['one_min']:.3f} s,"
          f" CPU {s['one_cpu']:.3f} s) {check(s['one'] <= TARGET_ONE_S)} "
          f"(target <= {TARGET_ONE_S} s)")
    print(f"  imhcard card, all seven:  {s['all']:.3f} s median wall (best {s['all_min']:.3f} s,"
          f" CPU {s['all_cpu']:.3f} s) {check(s['all'] <= TARGET_ALL_S)} "
          f"(target <= {TARGET_ALL_S} s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--phases", action="store_true", help="per-card phases only")
    parser.add_argument("--single", action="store_true", help="`imhcard card` only")
    parser.add_argument("--cards", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--theme", help="theme name or file (default: the newest shipped)")
    parser.add_argument("--unique", action="store_true",
                        help="every pledge different (by default pledges come from 12 texts, "
                             "half of them prompts, as in a real batch)")
    parser.add_argument("--text-only", action="store_true",
                        help="phases of the text style only (works on older imhcard too)")
    args = parser.parse_args()
    both = not (args.phases or args.single)
    global UNIQUE
    UNIQUE = args.unique
    print(f"imhcard card benchmark: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
    if args.phases or both:
        report_phases(args.cards, args.rounds, args.text_only, args.theme)
    if args.single or both:
        report_single(args.repeat)


if __name__ == "__main__":
    main()
