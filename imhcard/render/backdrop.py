"""The photo style's backdrop: the supporter's photo under the card, and what sits on
it readable whatever the photo (contrast measured on the photo's own pixels)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache

from PIL import Image, ImageDraw

from imhcard.core.colour import RGB, contrast
from imhcard.core.layout import Box

# WCAG AA for the 28 px body text on the photo (the week's dates).
MIN_CONTRAST = 4.5
# A photo is readable under text when at most this share of the pixels there fall
# short: anti-aliasing and a stray highlight are fine, a bright window is not.
MAX_FAILING = 0.02
# How much of the chip's own colour covers the photo: enough that the theme's
# checked colour pair decides the contrast, while the photo still shows through.
CHIP_OPACITY = 0.88


@lru_cache(maxsize=16)
def _failing_levels(colour: RGB) -> tuple[bool, ...]:
    """For each grey level, whether `colour` on it falls short of MIN_CONTRAST."""
    return tuple(contrast(colour, (v, v, v)) < MIN_CONTRAST for v in range(256))


def failing_share(region: Image.Image, colour: RGB) -> float:
    """The share of the region's pixels on which `colour` has less than MIN_CONTRAST.

    Each pixel's luminance is approximated by its grey level with the Rec. 709
    weights WCAG uses, then looked up through the histogram: 256 additions
    whatever the region's size."""
    rgb = region if region.mode == "RGB" else region.convert("RGB")
    counts = rgb.convert("L", (0.2126, 0.7152, 0.0722, 0)).histogram()
    failing = _failing_levels(colour)
    bad = sum(n for n, fails in zip(counts, failing, strict=True) if fails)
    return bad / (sum(counts) or 1)


def pick_colour(region: Image.Image, candidates: Sequence[RGB]) -> tuple[RGB, bool]:
    """The candidate colour that reads best on the region, and whether it needs a chip
    (when even the best fails on more than MAX_FAILING of the pixels)."""
    scored = sorted(((failing_share(region, c), i) for i, c in enumerate(candidates)))
    share, best = scored[0]
    return candidates[best], share > MAX_FAILING


def draw_chip(image: Image.Image, box: Box, colour: RGB, radius: int) -> None:
    """A rounded box of `colour` over the photo, CHIP_OPACITY opaque."""
    x0, y0, x1, y1 = box.x, box.y, box.right, box.bottom
    region = image.crop((x0, y0, x1, y1))
    solid = Image.new("RGB", region.size, colour)
    blended = Image.blend(region, solid, CHIP_OPACITY)
    mask = Image.new("L", region.size, 0)
    ImageDraw.Draw(mask).rounded_rectangle((0, 0, region.width - 1, region.height - 1),
                                           radius=radius, fill=255)
    image.paste(blended, (x0, y0), mask)


def union(boxes: Iterable[Box]) -> Box:
    items = list(boxes)
    x0 = min(b.x for b in items)
    y0 = min(b.y for b in items)
    x1 = max(b.right for b in items)
    y1 = max(b.bottom for b in items)
    return Box(x0, y0, x1 - x0, y1 - y0)
