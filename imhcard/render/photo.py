"""The supporter's photo: read any common image safely, upright, cropped to a circle."""

from __future__ import annotations

import io
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO

from PIL import Image, ImageChops, ImageDraw, ImageOps

from imhcard.core.images import open_image
from imhcard.core.supporter import Crop
from imhcard.errors import PhotoError, RefusedFile

SUPERSAMPLE = 4
# What load_photo reads: a path, or the photo's bytes (an upload held in memory).
PhotoSource = Path | bytes | BinaryIO


def load_photo(source: PhotoSource, max_side: int = 1024, name: str = "",
               within: Sequence[Path] = ()) -> Image.Image:
    """The photo as upright RGBA, whatever its mode (CMYK, palette, 16-bit, alpha).

    `source` is a path, bytes or a binary file object; `name` is what messages call
    it (a path's file name by default). A JPEG is decoded at a reduced scale when it
    is much bigger than `max_side` (a 12-megapixel phone photo becomes a circle a few
    hundred pixels across). With `within`, a path must be in one of those folders.
    EXIF and other metadata are not carried into the result. Limits: core/images.py."""
    opened: Path | BinaryIO = io.BytesIO(source) if isinstance(source, bytes) else source
    try:
        upright = open_image(opened, "photo", within, max_side=max_side, name=name)
    except RefusedFile as exc:
        raise PhotoError("photo", str(exc)) from None
    rgba = _to_rgba(upright)
    rgba.info.clear()  # no EXIF, GPS, XMP or ICC text travels on
    return rgba


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


def crop_box(size: tuple[int, int], w: int, h: int, crop: Crop) -> tuple[float, float, float,
                                                                          float]:
    """The part of a photo of `size` that fills a w×h frame: covered (never squashed),
    magnified by crop.zoom, centred on (crop.x, crop.y) as fractions of the photo,
    and kept inside the photo so the frame never shows an empty edge."""
    pw, ph = size
    scale = max(w / pw, h / ph) * crop.zoom
    rw, rh = min(pw, w / scale), min(ph, h / scale)
    left = min(max(crop.x * pw - rw / 2, 0.0), pw - rw)
    top = min(max(crop.y * ph - rh / 2, 0.0), ph - rh)
    return (left, top, left + rw, top + rh)


def shaped_photo(photo: Image.Image, w: int, h: int, shape: str = "circle",
                 crop: Crop | None = None) -> Image.Image:
    """The photo cropped to fill its shape: centred, like CSS object-fit: cover, or
    moved and zoomed by `crop` (the supporter's choice on the web page)."""
    if shape == "circle":
        w = h = min(w, h)
    if crop is None or crop == Crop():
        fitted = ImageOps.fit(photo, (w, h), Image.Resampling.LANCZOS)
    else:
        fitted = photo.resize((w, h), Image.Resampling.LANCZOS,
                              box=crop_box(photo.size, w, h, crop))
    if fitted.mode != "RGBA":  # an opaque photo (render.cover.opaque): the shape alone
        fitted.putalpha(_mask(shape, w, h))
        return fitted
    fitted.putalpha(ImageChops.multiply(fitted.getchannel("A"), _mask(shape, w, h)))
    return fitted
