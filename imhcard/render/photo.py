"""The supporter's photo: read any common image safely, upright, cropped to a circle."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageOps

from imhcard.core.images import open_image
from imhcard.errors import PhotoError, RefusedFile

SUPERSAMPLE = 4


def load_photo(path: Path, max_side: int = 1024, within: Sequence[Path] = ()) -> Image.Image:
    """The photo as upright RGBA, whatever its mode (CMYK, palette, 16-bit, alpha).

    A JPEG is decoded at a reduced scale when it is much bigger than `max_side`
    (a 12-megapixel phone photo becomes a circle a few hundred pixels across).
    With `within`, the photo must be in one of those folders."""
    try:
        return _to_rgba(open_image(path, "photo", within, max_side=max_side))
    except RefusedFile as exc:
        raise PhotoError("photo", str(exc)) from None


def _to_rgba(img: Image.Image) -> Image.Image:
    # The 16-bit greyscale modes Image.open gives (PNG: I;16; TIFF: I;16, I;16B, I):
    # scale to 8 bits rather than clipping to white. Every other mode, CMYK and a
    # palette with transparency included, converts to RGBA as it is.
    if img.mode in ("I;16", "I;16B", "I"):
        img = img.point(lambda v: v / 256).convert("L")
    return img.convert("RGBA")


@lru_cache(maxsize=16)
def _mask(shape: str, w: int, h: int) -> Image.Image:
    """An anti-aliased mask of the photo's shape, drawn large and scaled down."""
    big = Image.new("L", (w * SUPERSAMPLE, h * SUPERSAMPLE), 0)
    draw = ImageDraw.Draw(big)
    box = (0, 0, big.width - 1, big.height - 1)
    if shape == "circle":
        draw.ellipse(box, fill=255)
    elif shape == "rounded":
        draw.rounded_rectangle(box, radius=min(big.size) // 6, fill=255)
    else:
        draw.rectangle(box, fill=255)
    return big.resize((w, h), Image.Resampling.LANCZOS)


def shaped_photo(photo: Image.Image, w: int, h: int, shape: str = "circle") -> Image.Image:
    """The photo cropped to fill its shape (centred, like CSS object-fit: cover)."""
    if shape == "circle":
        w = h = min(w, h)
    fitted = ImageOps.fit(photo, (w, h), Image.Resampling.LANCZOS)
    fitted.putalpha(ImageChops.multiply(fitted.getchannel("A"), _mask(shape, w, h)))
    return fitted
