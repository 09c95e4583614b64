"""The supporter's photo: read any common image safely, upright, cropped to a circle."""

from __future__ import annotations

import warnings
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageOps, UnidentifiedImageError

from imhcard.errors import PhotoError

# A phone photo is ~12 megapixels; refuse the decompression bombs Pillow warns about.
MAX_PIXELS = 60_000_000
SUPERSAMPLE = 4


def load_photo(path: Path, max_side: int = 1024) -> Image.Image:
    """The photo as upright RGBA, whatever its mode (CMYK, palette, 16-bit, alpha).

    A JPEG is decoded at a reduced scale when it is much bigger than `max_side`
    (a 12-megapixel phone photo becomes a circle a few hundred pixels across)."""
    if not path.is_file():
        raise PhotoError("photo", f"no photo at '{path}'; check the file name and folder")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as img:
                if img.width * img.height > MAX_PIXELS:
                    raise PhotoError("photo", f"the photo '{path.name}' is {img.width}×"
                                     f"{img.height} pixels; use one under 60 megapixels")
                if img.format == "JPEG":
                    img.draft(None, (max_side, max_side))
                img.load()
                upright = ImageOps.exif_transpose(img)
    except PhotoError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError,
            Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
        raise PhotoError("photo", f"cannot read the photo '{path.name}' ({exc.__class__.__name__}"
                         "); save it as a JPEG or PNG and try again") from None
    return _to_rgba(upright)


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
    if fitted.mode != "RGBA":  # an opaque photo (render.cover.opaque): the shape alone
        fitted.putalpha(_mask(shape, w, h))
        return fitted
    fitted.putalpha(ImageChops.multiply(fitted.getchannel("A"), _mask(shape, w, h)))
    return fitted
