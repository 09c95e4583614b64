"""Helpers shared by the tests, in the spirit of Pillow's Tests/helper.py.

Pixels are compared with a tolerance chosen per test (and a comment saying why);
when a comparison fails, the actual, expected and difference images are saved in
tests/failures/ so a person can look at them.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import zxingcpp
from PIL import Image, ImageChops, ImageOps

TESTS = Path(__file__).parent
FAILURES = TESTS / "failures"
GOLDEN = TESTS / "golden"


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name)


def mean_difference(a: Image.Image, b: Image.Image) -> float:
    """Mean absolute difference per channel, 0 (same) to 255."""
    x = np.asarray(a.convert("RGB"), dtype=np.int16)
    y = np.asarray(b.convert("RGB"), dtype=np.int16)
    return float(np.abs(x - y).mean())


def save_failure(name: str, **images: Image.Image) -> Path:
    """Save images as tests/failures/<name>.<label>.png; return the folder."""
    FAILURES.mkdir(exist_ok=True)
    for label, image in images.items():
        image.save(FAILURES / f"{_safe(name)}.{label}.png")
    return FAILURES


def assert_image_similar(actual: Image.Image, expected: Image.Image, epsilon: float,
                         name: str) -> None:
    """Fail if the mean absolute difference per channel is above `epsilon`.

    On failure the actual and expected images, and their difference (stretched so a
    small difference is visible), are written to tests/failures/<name>.*.png.
    """
    if actual.size != expected.size:
        folder = save_failure(name, actual=actual, expected=expected)
        raise AssertionError(f"{name}: size {actual.size} != expected {expected.size}; "
                             f"images saved in {folder}")
    diff = mean_difference(actual, expected)
    if diff > epsilon:
        delta = ImageChops.difference(actual.convert("RGB"), expected.convert("RGB"))
        stretched = ImageOps.autocontrast(delta.convert("L"))
        folder = save_failure(name, actual=actual, expected=expected, diff=stretched)
        raise AssertionError(f"{name}: mean difference {diff:.3f} per channel is above "
                             f"{epsilon}; actual, expected and diff saved in {folder}")


def decode_qr(image: Image.Image) -> list[str]:
    """Every QR code a real decoder (zxing-cpp) finds, as text. Dark-on-light only:
    an inverted code would not scan in many phone apps, so it must not count."""
    found = zxingcpp.read_barcodes(image.convert("RGB"), formats=zxingcpp.BarcodeFormat.QRCode,
                                   try_invert=False)
    return [b.text for b in found]


def line_of(text: str, prefix: str, after: str | None = None) -> int:
    """1-based number of the line of `text` that starts with `prefix` (indentation
    included). Without `after` it must be the only one; with `after`, the first one
    below the first line starting with `after`."""
    lines = text.splitlines()
    start = 0
    if after is not None:
        start = next(i for i, line in enumerate(lines) if line.startswith(after)) + 1
    hits = [i + 1 for i in range(start, len(lines)) if lines[i].startswith(prefix)]
    assert hits, f"no line starts with {prefix!r}"
    assert after is not None or len(hits) == 1, f"{prefix!r} starts lines {hits}"
    return hits[0]


def half(image: Image.Image) -> Image.Image:
    """Half size, as a social network shrinks an upload (and as goldens are stored)."""
    return image.resize((image.width // 2, image.height // 2), Image.Resampling.LANCZOS)


def changed_mask(a: Image.Image, b: Image.Image) -> np.ndarray:
    """Boolean array, True where two same-sized images differ at all."""
    x = np.asarray(a.convert("RGB"), dtype=np.int16)
    y = np.asarray(b.convert("RGB"), dtype=np.int16)
    mask: np.ndarray = np.abs(x - y).max(axis=2) > 0
    return mask
