"""Benchmark the automatic crop's face detection: what it adds per photo.

    python bench/face_bench.py              # per photo, model load, detector sizes (~1 min)
    python bench/face_bench.py --quick      # one round, two detector sizes (~20 s)
    python bench/face_bench.py --look DIR   # also draw the faces and chosen windows

Per photo: five 12-megapixel JPEGs (4000x3000 or 3000x4000, quality 90, with grain so
they cost what a phone photo costs to decode), made from the real faces in
tests/fixtures/faces/ (tests/facehelp.py): four people, two side by side, a child held
low, a face against an edge, a face a twentieth of the width. Each is decoded as the
card pipeline decodes it, `load_photo(bytes, max_side=1080)` (the JPEG draft halves it
to 2000x1500), then `find_faces` on it, then `auto_crop` for the 14 photo windows
(7 formats x 2 styles). Medians over rounds, in this process, at the defaults a user
has (DETECT_SIDE 640, one OpenCV thread).

Model load: a fresh interpreter importing OpenCV, creating the detector, and its first
detection, each timed (median of 3 processes).

Detector sizes: how many faces of 3, 4, 5 and 7% of a 12 MP photo's width each copy
size finds, at three places in the photo, with four different people, and what one
detection costs at that size: the measurement behind DETECT_SIDE.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import facehelp as H  # noqa: E402
from PIL import Image, ImageDraw  # noqa: E402

from imhcard.core.formats import FORMATS  # noqa: E402
from imhcard.core.layout import build_layout  # noqa: E402
from imhcard.render import faces  # noqa: E402
from imhcard.render.cover import cover_box  # noqa: E402
from imhcard.render.framing import Window, auto_crop, face_window  # noqa: E402
from imhcard.render.photo import load_photo  # noqa: E402

BIG_L, BIG_P = (4000, 3000), (3000, 4000)


def photos() -> list[H.Scene]:
    """The five 12 MP scenes."""
    return [
        H.compose(BIG_L, [("kodim04", 0.11, 0.18, 0.40), ("astronaut", 0.10, 0.42, 0.36),
                          ("kodim15", 0.09, 0.64, 0.45), ("camera", 0.08, 0.85, 0.38)],
                  "four people", grain=60),
        H.compose(BIG_L, [("astronaut", 0.13, 0.40, 0.42), ("kodim04", 0.15, 0.62, 0.45)],
                  "two side by side", grain=60),
        H.compose(BIG_P, [("kodim04", 0.16, 0.45, 0.30), ("kodim15", 0.09, 0.60, 0.64)],
                  "child held low", grain=60),
        H.compose(BIG_P, [("astronaut", 0.14, 1.0, 0.5)], "face at the right edge", grain=60),
        H.compose(BIG_L, [("kodim15", 0.05, 0.3, 0.7)], "face 5% of the width", grain=60),
    ]


def windows() -> list[tuple[str, Window]]:
    out = []
    for fmt in FORMATS.values():
        for style in ("photo", "text"):
            win = face_window(build_layout(fmt, None, style), style, fmt)
            assert win is not None
            out.append((f"{fmt.name}@{style}", win))
    return out


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def per_photo(rounds: int, look: Path | None) -> None:
    scenes = photos()
    jpegs = [s.jpeg(90) for s in scenes]
    wins = windows()
    faces.find_faces(Image.new("RGB", (640, 480)))  # the model, loaded once per process
    print(f"Per photo: {len(scenes)} photos of 12 MP, JPEG quality 90 "
          f"({statistics.median(len(j) for j in jpegs) / 1e6:.1f} MB median), "
          f"{rounds} rounds, DETECT_SIDE {faces.DETECT_SIDE}, OpenCV "
          f"{__import__('cv2').__version__}, 1 thread")
    decode_all, detect_all, cpu_all, crop_all = [], [], [], []
    for scene, data in zip(scenes, jpegs, strict=True):
        decode, detect, cpu, crop = [], [], [], []
        for _ in range(rounds):
            t0 = time.perf_counter()
            photo = load_photo(data, max_side=1080)
            t1, c1 = time.perf_counter(), time.process_time()
            found = faces.find_faces(photo)
            t2, c2 = time.perf_counter(), time.process_time()
            for _, w in wins:
                auto_crop(photo.width, photo.height, w.w, w.h, found, w.clear, w.avoid)
            t3 = time.perf_counter()
            decode.append(t1 - t0)
            detect.append(t2 - t1)
            cpu.append(c2 - c1)
            crop.append(t3 - t2)
        decode_all.append(statistics.median(decode))
        detect_all.append(statistics.median(detect))
        cpu_all.append(statistics.median(cpu))
        crop_all.append(statistics.median(crop))
        print(f"  {scene.name:24} {photo.width}x{photo.height}: decode {ms(decode_all[-1])}, "
              f"find_faces {ms(detect_all[-1])} (CPU {ms(cpu_all[-1])}; {len(found)} of "
              f"{len(scene.faces)} faces), auto_crop x{len(wins)} windows {ms(crop_all[-1])}")
        if look is not None:
            draw_look(look, scene, photo, found, wins)
    print(f"  median over photos: decode {ms(statistics.median(decode_all))}; "
          f"find_faces {ms(statistics.median(detect_all))} (CPU "
          f"{ms(statistics.median(cpu_all))}); auto_crop for all "
          f"{len(wins)} windows {ms(statistics.median(crop_all))} "
          f"({ms(statistics.median(crop_all) / len(wins))} per card)")


LOAD = """
import time, sys
t0 = time.perf_counter()
import cv2, numpy
t1 = time.perf_counter()
from imhcard.render import faces
d = faces._detector()
t2 = time.perf_counter()
from PIL import Image
faces.find_faces(Image.new("RGB", (640, 480), (128, 128, 128)))
t3 = time.perf_counter()
faces.find_faces(Image.new("RGB", (640, 480), (120, 128, 128)))
t4 = time.perf_counter()
print(t1 - t0, t2 - t1, t3 - t2, t4 - t3)
"""


def model_load(runs: int) -> None:
    rows = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", LOAD], capture_output=True, text=True,
                             check=True, cwd=ROOT)
        rows.append([float(v) for v in out.stdout.split()])
    imp, create, first, second = (statistics.median(c) for c in zip(*rows, strict=True))
    size = faces.model_path().stat().st_size
    print(f"Model load, fresh process (median of {runs}): import cv2 {ms(imp)}; create the "
          f"detector ({size / 1024:.0f} KB model) {ms(create)}; first detection {ms(first)}; "
          f"the next {ms(second)}")


def sizes(quick: bool) -> None:
    sides = (320, 480, 640, 800) if not quick else (480, 640)
    fracs = (0.03, 0.04, 0.05, 0.07) if not quick else (0.05,)
    people = ("astronaut", "kodim04", "kodim15", "camera")[:2 if quick else 4]
    places = ((0.5, 0.5), (0.1, 0.85), (0.9, 0.15))[:2 if quick else 3]
    found: dict[tuple[float, int], int] = {}
    cost: dict[int, list[float]] = {s: [] for s in sides}
    original = faces.DETECT_SIDE, faces.MAX_DETECT_PIXELS
    try:
        for frac in fracs:
            for who in people:
                for where in places:
                    scene = H.compose(BIG_L, [(who, frac, *where)], "small", grain=60)
                    photo = load_photo(scene.jpeg(88), max_side=1080)
                    k = photo.width / scene.image.width
                    fx, fy, fw, fh = (v * k for v in scene.faces[0])
                    for side in sides:
                        faces.DETECT_SIDE, faces.MAX_DETECT_PIXELS = side, side * side
                        t = time.perf_counter()
                        got = faces.find_faces(photo)
                        cost[side].append(time.perf_counter() - t)
                        hit = any(abs(f.x + f.w / 2 - fx - fw / 2) < fw / 2
                                  and abs(f.y + f.h / 2 - fy - fh / 2) < fh / 2 for f in got)
                        found[(frac, side)] = found.get((frac, side), 0) + hit
    finally:
        faces.DETECT_SIDE, faces.MAX_DETECT_PIXELS = original
    n = len(people) * len(places)
    print(f"Detector copy size: faces found of {n} ({len(people)} people x {len(places)} "
          "places), 12 MP photo decoded to 2000x1500")
    print("  face width   " + "".join(f"{s:>10} px" for s in sides))
    for frac in fracs:
        print(f"  {frac:>9.0%}    " + "".join(f"{found[(frac, s)]:>10}/{n}" for s in sides))
    print("  per detection" + "".join(f"{statistics.median(cost[s]) * 1000:>10.1f} ms"
                                      for s in sides))


def draw_look(folder: Path, scene: H.Scene, photo: Image.Image, found: tuple[faces.Face, ...],
              wins: list[tuple[str, Window]]) -> None:
    """A contact sheet: each window as the card would crop it, clear in green, what
    covers it in red, the faces found in yellow."""
    folder.mkdir(parents=True, exist_ok=True)
    tiles = []
    for name, win in wins:
        crop = auto_crop(photo.width, photo.height, win.w, win.h, found, win.clear, win.avoid)
        box = cover_box(*photo.size, win.w, win.h, crop)
        tile = photo.convert("RGB").resize((win.w, win.h), Image.Resampling.BILINEAR, box=box)
        d = ImageDraw.Draw(tile, "RGBA")
        for a in win.avoid:
            d.rectangle(a, fill=(255, 0, 0, 90))
        d.rectangle(win.clear, outline=(0, 255, 0), width=3)
        s = win.w / (box[2] - box[0])
        for f in found:
            d.rectangle(((f.x - box[0]) * s, (f.y - box[1]) * s, (f.right - box[0]) * s,
                         (f.bottom - box[1]) * s), outline=(255, 230, 0), width=4)
        d.text((8, 8), f"{name} zoom {crop.zoom:.2f}", fill="white", stroke_width=2,
               stroke_fill="black", font_size=max(18, win.w // 20))
        k = 300 / max(tile.size)
        tiles.append(tile.resize((round(tile.width * k), round(tile.height * k))))
    sheet = Image.new("RGB", (7 * 310, 2 * 310), "white")
    for i, t in enumerate(tiles):
        sheet.paste(t, ((i // 2) * 310, (i % 2) * 310))
    out = folder / f"{scene.name.replace(' ', '-').replace('%', '')}.png"
    sheet.save(out)
    print(f"    drawn: {out}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="fewer rounds and sizes")
    ap.add_argument("--look", type=Path, help="draw each photo's windows into this folder")
    args = ap.parse_args()
    if not faces.available():
        sys.exit('The face extra is not installed: pip install ".[face]"')
    model_load(1 if args.quick else 3)
    per_photo(1 if args.quick else 7, args.look)
    sizes(args.quick)


if __name__ == "__main__":
    main()
