"""The one check of "is this an image we accept", used for photos, theme artwork and
logos, and the card thumbnails of a contact sheet.

Only common photo formats are opened (Pillow also knows EPS, which runs Ghostscript,
and dozens of rarer decoders nobody needs here); an image's size is checked from
its header before any pixel is decoded, so a decompression bomb costs nothing.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

from pi_heif import register_heif_opener
from PIL import (
    BmpImagePlugin,
    GifImagePlugin,
    Image,
    ImageOps,
    JpegImagePlugin,
    PngImagePlugin,
    TiffImagePlugin,
    UnidentifiedImageError,
    WebPImagePlugin,
)

from imhcard.core.limits import IMAGE_MAX_BYTES, IMAGE_MAX_PIXELS
from imhcard.core.safe_files import open_regular
from imhcard.errors import RefusedFile

ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF", "TIFF", "BMP", "HEIF")
# Pillow's own guard warns past this and refuses past twice this; the explicit check
# below refuses past it, before decoding.
Image.MAX_IMAGE_PIXELS = IMAGE_MAX_PIXELS
# iPhones save HEIC by default; pi-heif (decode only) teaches Pillow to open it.
register_heif_opener()
# Register exactly the accepted formats' plugins: Image.open(formats=...) loads all of
# Pillow's ~50 plugins (a tenth of a second at every start) when one it names is not
# registered yet. (MPO, the multi-picture JPEG some phones write, is the JPEG plugin's.)
_PLUGINS = (BmpImagePlugin, GifImagePlugin, JpegImagePlugin, PngImagePlugin, TiffImagePlugin,
            WebPImagePlugin)  # imported for what importing them does: registering the format


def open_image(source: Path | BinaryIO, what: str, within: Sequence[Path] = (),
               max_side: int | None = None, upright: bool = True,
               name: str = "") -> Image.Image:
    """The first frame of an image file, decoded, turned upright by its EXIF orientation.

    `max_side` lets a JPEG decode at a reduced scale. Raises RefusedFile (saying why,
    with the limit) for anything that is not an image we accept."""
    if isinstance(source, Path):
        with open_regular(source, what, IMAGE_MAX_BYTES, within) as fh:
            return _decode(fh, f"the {what} '{name or source.name}'", max_side, upright)
    return _decode(source, f"the {what} '{name}'" if name else f"the {what}", max_side,
                   upright)


def draft_size(source: BinaryIO, max_side: int) -> tuple[int, int]:
    """The size `open_image(source, max_side=max_side)` decodes the image at, read from
    its header alone (a JPEG's reduced scale; any other image's full size), so two
    requests that would decode the same pixels can share one decode."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(source, formats=ACCEPTED_FORMATS) as img:
                if img.format == "JPEG":
                    img.draft(None, (max_side, max_side))
                size: tuple[int, int] = img.size
                return size
    except Image.DecompressionBombError:
        raise RefusedFile(f"the image is over {2 * IMAGE_MAX_PIXELS // 1_000_000} megapixels; "
                          f"the limit is {IMAGE_MAX_PIXELS // 1_000_000} megapixels: save a "
                          "smaller copy") from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError, IndexError,
            TypeError, KeyError, ZeroDivisionError):
        raise RefusedFile("cannot read the image: it is damaged or not a picture; save it as "
                          "a JPEG or PNG and try again", "photo_unreadable") from None


def _decode(fh: BinaryIO, called: str, max_side: int | None, upright: bool) -> Image.Image:
    try:
        with warnings.catch_warnings():
            # Past the limit is refused just below, with the image's size in the message.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(fh, formats=ACCEPTED_FORMATS) as img:
                pixels = img.width * img.height
                if pixels > IMAGE_MAX_PIXELS:
                    raise RefusedFile(
                        f"{called} is {img.width}×{img.height} pixels "
                        f"({pixels / 1e6:.0f} megapixels); the limit is "
                        f"{IMAGE_MAX_PIXELS // 1_000_000} megapixels: save a smaller copy",
                        "photo_too_many_pixels",
                        {"megapixels": round(pixels / 1e6), "max": IMAGE_MAX_PIXELS // 10**6})
                if max_side and img.format == "JPEG":
                    img.draft(None, (max_side, max_side))
                img.load()
                out: Image.Image = ImageOps.exif_transpose(img) if upright else img.copy()
                return out
    except RefusedFile:
        raise
    except Image.DecompressionBombError:  # Pillow's own guard: over twice the limit
        raise RefusedFile(f"{called} is over {2 * IMAGE_MAX_PIXELS // 1_000_000} "
                          f"megapixels; the limit is {IMAGE_MAX_PIXELS // 1_000_000} "
                          "megapixels: save a smaller copy", "photo_too_many_pixels",
                          {"megapixels": f"over {2 * IMAGE_MAX_PIXELS // 10**6}",
                           "max": IMAGE_MAX_PIXELS // 10**6}) from None
    # Pillow's decoders report a damaged or truncated file in all these ways.
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError, IndexError,
            TypeError, KeyError, ZeroDivisionError):
        raise RefusedFile(f"cannot read {called}: it is damaged or not a picture; save it "
                          "as a JPEG or PNG and try again", "photo_unreadable") from None
