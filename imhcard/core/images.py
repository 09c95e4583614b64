"""The one check of "is this an image we accept", used for photos, theme artwork and
logos, and the card thumbnails of a contact sheet.

Only common photo formats are opened (Pillow also knows EPS, which runs Ghostscript,
and dozens of rarer decoders nobody needs here). What decoding will cost is bounded
before any pixel is decoded, from the file's own structure: its size in pixels (so a
decompression bomb costs nothing), a progressive JPEG's number of scans, the PNG
chunks and GIF blocks Pillow walks in Python, and the metadata read at all. Metadata
is read only for the photo's orientation, by a small parser of our own that ignores
anything malformed (a photo is never refused for its EXIF, and never rotated by a
tag that cannot be read).
"""

from __future__ import annotations

import io
import re
import struct
import warnings
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from pi_heif import register_heif_opener
from PIL import (
    BmpImagePlugin,
    GifImagePlugin,
    Image,
    JpegImagePlugin,
    PngImagePlugin,
    TiffImagePlugin,
    UnidentifiedImageError,
    WebPImagePlugin,
)

from imhcard.core.limits import (
    BMP_RLE_MAX_BYTES,
    EXIF_MAX_BYTES,
    GIF_MAX_BLOCKS,
    IMAGE_MAX_BYTES,
    IMAGE_MAX_FULL_DECODE_PIXELS,
    IMAGE_MAX_PIXELS,
    JPEG_MAX_SCAN_PIXELS,
    JPEG_MAX_SCANS,
    JPEG_MAX_SEGMENTS,
    PNG_MAX_CHUNKS,
    megabytes,
)
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
_JPEGS = ("JPEG", "MPO")
_NAMES = {"WEBP": "WebP", "HEIF": "HEIC"}
_SAVE_AGAIN = "save it again as an ordinary JPEG or PNG"


def open_image(source: Path | BinaryIO, what: str, within: Sequence[Path] = (),
               max_side: int | None = None, upright: bool = True,
               name: str = "") -> Image.Image:
    """The first frame of an image file, decoded, turned upright by its EXIF orientation.

    `max_side` lets a JPEG decode at a reduced scale. Raises RefusedFile (saying why,
    with the limit) for anything that is not an image we accept, or that would cost
    more to decode than the limits in core/limits.py allow."""
    if isinstance(source, Path):
        with open_regular(source, what, IMAGE_MAX_BYTES, within) as fh:
            return _decode(fh, f"the {what} '{name or source.name}'", max_side, upright)
    return _decode(source, f"the {what} '{name}'" if name else f"the {what}", max_side,
                   upright)


@contextmanager
def _checked(fh: BinaryIO, called: str) -> Iterator[Image.Image]:
    """The image in `fh`, opened (header only) once what decoding it would cost has been
    bounded from its structure and its header; every refusal as one RefusedFile."""
    data = fh.read(IMAGE_MAX_BYTES + 1)
    if len(data) > IMAGE_MAX_BYTES:
        raise RefusedFile(f"{called} is over {megabytes(IMAGE_MAX_BYTES)}; the limit is "
                          f"{megabytes(IMAGE_MAX_BYTES)}: save a smaller copy",
                          "photo_over_size", {"mb": IMAGE_MAX_BYTES // 2**20})
    try:
        progressive_scans = 0
        if data.startswith(b"\xff\xd8"):
            progressive_scans = _jpeg_scans(data, called)
        elif data.startswith(b"\x89PNG\r\n\x1a\n"):
            data = _png_essentials(data, called)
        elif data.startswith((b"GIF87a", b"GIF89a")):
            _check_gif(data, called)
        elif data.startswith(b"BM"):
            _check_bmp(data, called)
        with warnings.catch_warnings():
            # Past the limit is refused just below, with the image's size in the message;
            # Pillow's warnings about odd metadata concern what is never used.
            warnings.simplefilter("ignore")
            with Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS) as img:
                _check_cost(img, called, progressive_scans)
                yield img
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
            TypeError, KeyError, ZeroDivisionError, struct.error):
        raise RefusedFile(f"cannot read {called}: it is damaged or not a picture; save it "
                          "as a JPEG or PNG and try again", "photo_unreadable") from None


def draft_size(source: BinaryIO, max_side: int) -> tuple[int, int]:
    """The size `open_image(source, max_side=max_side)` decodes the image at, read from
    its header alone (a JPEG's reduced scale; any other image's full size), so two
    requests that would decode the same pixels can share one decode. Refused as
    open_image refuses it."""
    with _checked(source, "the image") as img:
        if img.format in _JPEGS:
            img.draft(None, (max_side, max_side))
        size: tuple[int, int] = img.size
        return size


def _decode(fh: BinaryIO, called: str, max_side: int | None, upright: bool) -> Image.Image:
    with _checked(fh, called) as img:
        orientation = _orientation(img) if upright else 1
        if max_side and img.format in _JPEGS:
            img.draft(None, (max_side, max_side))
        img.load()
        out: Image.Image = img  # decoded: it outlives the closed file
    # Nothing of the file's metadata travels on, but a palette's transparent colour.
    out.info = {k: v for k, v in out.info.items() if k == "transparency"}
    method = _TRANSPOSE.get(orientation)
    return out.transpose(method) if method is not None else out


def _check_cost(img: Image.Image, called: str, scans: int) -> None:
    """Refuse, from the header alone, an image whose decoding would cost too much."""
    pixels = img.width * img.height
    if pixels > IMAGE_MAX_PIXELS:
        raise RefusedFile(f"{called} is {img.width}×{img.height} pixels "
                          f"({pixels / 1e6:.0f} megapixels); the limit is "
                          f"{IMAGE_MAX_PIXELS // 1_000_000} megapixels: save a smaller copy",
                          "photo_too_many_pixels",
                          {"megapixels": round(pixels / 1e6), "max": IMAGE_MAX_PIXELS // 10**6})
    if img.format in _JPEGS:
        if scans * pixels > JPEG_MAX_SCAN_PIXELS:
            raise RefusedFile(f"{called} is a progressive JPEG of {scans} scans at "
                              f"{pixels / 1e6:.0f} megapixels, too costly to decode (the limit "
                              f"is {JPEG_MAX_SCAN_PIXELS // 1_000_000} megapixels × scans): "
                              f"{_SAVE_AGAIN}", "photo_too_costly")
    elif pixels > IMAGE_MAX_FULL_DECODE_PIXELS:
        kind = _NAMES.get(img.format or "", img.format)
        raise RefusedFile(f"{called} is {img.width}×{img.height} pixels "
                          f"({pixels / 1e6:.0f} megapixels); a {kind} photo may have up "
                          f"to {IMAGE_MAX_FULL_DECODE_PIXELS // 1_000_000} megapixels (a JPEG "
                          f"up to {IMAGE_MAX_PIXELS // 1_000_000}): save a smaller copy or a JPEG",
                          "photo_too_many_pixels", {"megapixels": round(pixels / 1e6),
                                                    "max": IMAGE_MAX_FULL_DECODE_PIXELS // 10**6})


# --- JPEG: count the scans --------------------------------------------------------------

# After a scan's entropy-coded data, the next marker: 0xFF followed by anything but a
# stuffed zero, a restart marker (they sit inside the data) or another 0xFF (fill).
_NEXT_MARKER = re.compile(rb"\xff[^\x00\xd0-\xd7\xff]")
_STANDALONE = {0x01, *range(0xD0, 0xD9)}


def _jpeg_scans(data: bytes, called: str) -> int:
    """How many scans a progressive JPEG's first image has (0 for a baseline one).

    Walks the marker segments up to the first image's end (a phone's second picture,
    after it, is never decoded); a damaged structure is left for Pillow to refuse."""
    pos, scans, progressive, segments, n = 2, 0, False, 0, len(data)
    while pos < n:
        segments += 1
        if segments > JPEG_MAX_SEGMENTS:
            raise RefusedFile(f"{called} has over {JPEG_MAX_SEGMENTS} JPEG segments; "
                              f"{_SAVE_AGAIN}", "photo_too_costly")
        if data[pos] != 0xFF:  # stray bytes between segments: libjpeg skips them too
            found = _NEXT_MARKER.search(data, pos)
            if found is None:
                break
            pos = found.start()
        while pos < n and data[pos] == 0xFF:
            pos += 1
        if pos + 2 >= n:
            break
        marker = data[pos]
        pos += 1
        if marker == 0xD9:  # the end of the first image
            break
        if marker in _STANDALONE:
            continue
        length = int.from_bytes(data[pos:pos + 2], "big")
        if length < 2:
            break
        if marker in (0xC2, 0xC6, 0xCA, 0xCE):
            progressive = True
        pos += length
        if marker == 0xDA:  # start of scan: skip its entropy-coded data
            scans += 1
            if scans > JPEG_MAX_SCANS:
                raise RefusedFile(f"{called} is a JPEG of over {JPEG_MAX_SCANS} scans (a "
                                  f"photo has up to about 12); {_SAVE_AGAIN}", "photo_too_costly")
            found = _NEXT_MARKER.search(data, pos)
            if found is None:
                break
            pos = found.start()
    return scans if progressive else 0


# --- PNG: only the chunks that make the picture -----------------------------------------

_PNG_KEEP = {b"IHDR", b"PLTE", b"tRNS"}


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return (struct.pack(">I", len(body)) + kind + body
            + struct.pack(">I", zlib.crc32(body, zlib.crc32(kind)) & 0xFFFFFFFF))


def _png_essentials(data: bytes, called: str) -> bytes:
    """The PNG with only what makes its picture: the header, palette, transparency, its
    image data as one chunk, and the start of its EXIF (for the orientation).

    Text (tEXt, zTXt, iTXt), ICC profiles and everything else never reach Pillow, which
    would decompress and parse them; nor do the thousands of tiny chunks it would walk
    one by one in Python; an animated PNG becomes its still picture."""
    pos, n, chunks = 8, len(data), 0
    kept: list[bytes] = []
    idat: list[bytes] = []
    exif = b""
    while pos + 8 <= n:
        chunks += 1
        if chunks > PNG_MAX_CHUNKS:
            raise RefusedFile(f"{called} is a PNG of over {PNG_MAX_CHUNKS} chunks; "
                              f"{_SAVE_AGAIN}", "photo_too_costly")
        length, kind = struct.unpack_from(">I4s", data, pos)
        body = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
        elif kind in _PNG_KEEP:
            kept.append(data[pos - 12 - length:pos])
        elif kind == b"eXIf" and not exif:
            exif = body[:EXIF_MAX_BYTES]  # only its start is read, for the orientation
    if not idat:  # nothing to decode: let Pillow say what is wrong with it
        return data
    parts = [data[:8], *kept]
    if exif:
        parts.append(_png_chunk(b"eXIf", exif))
    parts += [_png_chunk(b"IDAT", b"".join(idat)), _png_chunk(b"IEND", b"")]
    return b"".join(parts)


# --- GIF and BMP: what Pillow would walk in Python ----------------------------------------


def _check_gif(data: bytes, called: str) -> None:
    """Bound the extension blocks before a GIF's first picture (Pillow reads them one by
    one in Python; a GIF has a handful)."""
    if len(data) < 13:
        return
    pos = 13 + ((3 << ((data[10] & 7) + 1)) if data[10] & 0x80 else 0)
    blocks, n = 0, len(data)
    while pos < n and data[pos] == 0x21:  # an extension: label, then sub-blocks
        pos += 2
        while pos < n and data[pos]:
            blocks += 1
            if blocks > GIF_MAX_BLOCKS:
                raise RefusedFile(f"{called} is a GIF of over {GIF_MAX_BLOCKS} blocks before "
                                  f"its picture; {_SAVE_AGAIN}", "photo_too_costly")
            pos += data[pos] + 1
        pos += 1


def _check_bmp(data: bytes, called: str) -> None:
    """A run-length-compressed BMP is decoded in Python, ~0.7 s per MB: refuse big ones."""
    if len(data) >= 34 and int.from_bytes(data[14:18], "little") >= 40 and \
            int.from_bytes(data[30:34], "little") in (1, 2) and len(data) > BMP_RLE_MAX_BYTES:
        raise RefusedFile(f"{called} is a run-length-compressed BMP over "
                          f"{megabytes(BMP_RLE_MAX_BYTES)}; {_SAVE_AGAIN}", "photo_too_costly")


# --- orientation ------------------------------------------------------------------------

_TRANSPOSE = {2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180,
              4: Image.Transpose.FLIP_TOP_BOTTOM, 5: Image.Transpose.TRANSPOSE,
              6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE,
              8: Image.Transpose.ROTATE_90}


def _orientation(img: Image.Image) -> int:
    """The EXIF orientation (1-8), or 1 when there is none or it cannot be read."""
    try:
        if img.format == "TIFF":  # a TIFF's orientation is one of its own tags
            value = img.tag_v2.get(0x0112, 1)  # type: ignore[attr-defined]
            return value if isinstance(value, int) and value in _TRANSPOSE else 1
        raw = img.info.get("exif")
        return exif_orientation(raw) if isinstance(raw, bytes) else 1
    except Exception:  # whatever a malformed tag raises: the photo is used as it is
        return 1


def exif_orientation(exif: bytes) -> int:
    """The Orientation tag of an EXIF block's first directory, read with the type and
    count the standard gives it (one SHORT); 1 for anything else, malformed or not."""
    if exif.startswith(b"Exif\x00\x00"):
        exif = exif[6:]
    exif = exif[:EXIF_MAX_BYTES]
    if exif[:4] == b"II*\x00":
        order = "<"
    elif exif[:4] == b"MM\x00*":
        order = ">"
    else:
        return 1
    try:
        (offset,) = struct.unpack_from(order + "I", exif, 4)
        (count,) = struct.unpack_from(order + "H", exif, offset)
        for i in range(min(count, (len(exif) - offset - 2) // 12)):
            tag, kind, n = struct.unpack_from(order + "HHI", exif, offset + 2 + 12 * i)
            if tag == 0x0112:
                if kind != 3 or n != 1:
                    return 1
                (value,) = struct.unpack_from(order + "H", exif, offset + 2 + 12 * i + 8)
                return value if value in _TRANSPOSE else 1
    except struct.error:
        return 1
    return 1
