"""What decoding a photo costs, in CPU, as the page's render processes decode it
(load_photo with a card's photo size): normal phone photos in each format, and every
hostile photo of tests/hostile/photo_corpus.py. The limits in imhcard/core/limits.py
("what decoding an image may cost") are set from these figures.

    python bench/photo_cost.py
"""

from __future__ import annotations

import io
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parent / "tests"))

import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402

from imhcard.errors import PhotoError  # noqa: E402
from imhcard.render.photo import load_photo  # noqa: E402


def camera(width: int, height: int) -> Image.Image:
    """A photo-like picture: smooth colour with sensor-like noise."""
    rng = np.random.default_rng(1)
    coarse = Image.fromarray(rng.integers(0, 256, (height // 10, width // 10, 3), np.uint8))
    smooth = np.asarray(coarse.resize((width, height), Image.Resampling.BILINEAR), np.int16)
    noisy = np.clip(smooth + rng.integers(-12, 13, smooth.shape, dtype=np.int16), 0, 255)
    return Image.fromarray(noisy.astype(np.uint8))


def encoded(image: Image.Image, fmt: str, **save: object) -> bytes:
    buf = io.BytesIO()
    image.save(buf, fmt, **save)  # type: ignore[arg-type]
    return buf.getvalue()


def cost(data: bytes, repeat: int = 3) -> tuple[float, str]:
    """Best-of CPU seconds for load_photo as the page calls it, and the outcome."""
    best, outcome = float("inf"), ""
    for _ in range(repeat):
        started = time.process_time()
        try:
            outcome = "{}×{}".format(*load_photo(data, max_side=1080).size)
        except PhotoError as exc:
            outcome = "refused: " + str(exc).split(";")[0][:70]
        best = min(best, time.process_time() - started)
    return best, outcome


def main() -> None:
    from hostile.photo_corpus import CORPUS, made

    twelve, twenty_four = camera(4000, 3000), camera(5712, 4284)
    normal: list[tuple[str, Callable[[], bytes]]] = [
        ("12 MP JPEG (a phone's photo)", lambda: encoded(twelve, "JPEG", quality=88)),
        ("12 MP progressive JPEG", lambda: encoded(twelve, "JPEG", quality=88,
                                                   progressive=True)),
        ("12 MP WebP", lambda: encoded(twelve, "WEBP", quality=80)),
        ("24 MP WebP (size of an iPhone's HEIC)", lambda: encoded(twenty_four, "WEBP",
                                                                  quality=80)),
        ("24 MP JPEG", lambda: encoded(twenty_four, "JPEG", quality=85)),
        ("48 MP flat PNG (refused: over 30 MP)",
         lambda: encoded(Image.new("RGB", (8000, 6000), (20, 90, 200)), "PNG")),
        ("30 MP flat PNG (the most a PNG may have)",
         lambda: encoded(Image.new("RGB", (6324, 4743), (20, 90, 200)), "PNG")),
    ]
    print(f"load_photo(max_side=1080), best of 3, CPU seconds; Python {sys.version.split()[0]}")
    for name, make in normal:
        data = make()
        seconds, outcome = cost(data)
        print(f"  {name:<42} {len(data) / 1e6:6.2f} MB  {seconds * 1000:7.0f} ms  {outcome}")
    print("hostile photos (tests/hostile/photo_corpus.py):")
    for hostile in CORPUS:
        data = made(hostile.name)
        seconds, outcome = cost(data, repeat=1)
        print(f"  {hostile.name:<42} {len(data) / 1e6:6.2f} MB  {seconds * 1000:7.0f} ms  "
              f"{outcome}")


if __name__ == "__main__":
    main()
