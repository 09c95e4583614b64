"""Hostile photos, made in code: each one a way an upload under the size cap could kill
a render worker or hold it for seconds of CPU. The unit tests, the real-server attack
tests and bench/serve_attack.py all use this one corpus.

Each entry says what a supporter (or attacker) must get back: a card (`"card"`, the
bad metadata ignored) or a refusal naming the photo (`"refused"`), and for a card
whether the EXIF orientation must have been applied.
"""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from PIL import Image

W, H = 64, 48  # the small pictures: a rotation shows as 48×64


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


def _exif(*entries: tuple[int, int, int, int], extra: bytes = b"", next_ifd: int = 0) -> bytes:
    """A little-endian EXIF block: IFD0 with (tag, type, count, value) entries."""
    ifd = struct.pack("<H", len(entries)) + b"".join(
        struct.pack("<HHII", *e) for e in entries) + struct.pack("<I", next_ifd)
    return b"Exif\x00\x00" + b"II*\x00" + struct.pack("<I", 8) + ifd + extra


def _jpeg(exif: bytes = b"", size: tuple[int, int] = (W, H), **save: object) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, (200, 100, 50)).save(buf, "JPEG", exif=exif, **save)  # type: ignore[arg-type]
    return buf.getvalue()


def _png(size: tuple[int, int] = (W, H)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, (30, 120, 200)).save(buf, "PNG")
    return buf.getvalue()


def _before_idat(png: bytes, *chunks: bytes) -> bytes:
    at = png.index(b"IDAT") - 4
    return png[:at] + b"".join(chunks) + png[at:]


ORIENT_6 = (0x0112, 3, 1, 6)  # rotated a quarter turn, stored as the standard says


def exif_orientation_wrong_type() -> bytes:
    """Orientation stored as ASCII text: cannot be read, so the photo stays as it is."""
    return _jpeg(_exif((0x0112, 2, 4, 0x00363600)))


def exif_other_tag_wrong_type() -> bytes:
    """A readable orientation beside a tag whose stored type is not the one Pillow writes
    back (ResolutionUnit as ASCII): Pillow's exif_transpose raised struct.error here."""
    return _jpeg(_exif(ORIENT_6, (0x0128, 2, 4, 0x00333231)))


def exif_rational_wrong_type() -> bytes:
    return _jpeg(_exif(ORIENT_6, (0x0213, 5, 1, 0)))


def exif_truncated() -> bytes:
    """IFD0 says it has 500 entries; the block ends after one."""
    block = _exif(ORIENT_6)
    return _jpeg(block[:14] + struct.pack("<H", 500) + block[16:])


def exif_loop() -> bytes:
    """IFD0's next-directory pointer points back at IFD0."""
    return _jpeg(_exif(ORIENT_6, next_ifd=8))


def exif_offset_out_of_range() -> bytes:
    block = b"Exif\x00\x00II*\x00" + struct.pack("<I", 0xFFFFFFF0)
    return _jpeg(block)


def progressive_thousands_of_scans(side: int = 7000, scans: int = 3000) -> bytes:
    """A progressive JPEG of side×side whose last (empty) refinement scan is repeated:
    libjpeg passes over the whole image once per scan (~20 s of CPU for 3,000)."""
    data = _jpeg(size=(side, side), progressive=True, quality=50)
    end = data.rindex(b"\xff\xd9")
    last = data.rindex(b"\xff\xda", 0, end)
    return data[:end] + data[last:end] * scans + data[end:]


def progressive_many_scans_big() -> bytes:
    """Under the scan cap, over the scans × pixels budget (30 scans at 49 megapixels)."""
    return progressive_thousands_of_scans(7000, 20)


def jpeg_many_segments() -> bytes:
    """Thousands of comment segments before the picture."""
    data = _jpeg()
    return data[:2] + b"\xff\xfe\x00\x03x" * 20_000 + data[2:]


def png_huge_exif(values: int = 1_800_000) -> bytes:
    """An eXIf chunk of 1.8 million rationals (~14 MB): Pillow's EXIF parser took ~18 s."""
    at = 8 + 2 + 2 * 12 + 4
    block = _exif(ORIENT_6, (0x011A, 5, values, at))[6:] + struct.pack("<II", 1, 1) * values
    return _before_idat(_png(), _chunk(b"eXIf", block))


def png_ztxt_bomb(chunks: int = 64) -> bytes:
    """zTXt chunks of ~1 KB that each inflate to 1 MB of text."""
    text = zlib.compress(b"a" * (1 << 20), 9)
    return _before_idat(_png(), *(_chunk(b"zTXt", b"k%d\x00\x00" % i + text)
                                  for i in range(chunks)))


def png_iccp_bomb() -> bytes:
    """An ICC profile chunk that inflates to 64 MB."""
    return _before_idat(_png(), _chunk(b"iCCP", b"icc\x00\x00" + zlib.compress(
        b"\x00" * (64 << 20), 9)))


def png_itxt_many(chunks: int = 3000) -> bytes:
    return _before_idat(_png(), *(_chunk(b"iTXt", b"k\x00\x00\x00\x00\x00" + b"v" * 4000)
                                  for _ in range(chunks)))


def png_tiny_chunks(chunks: int = 60_000) -> bytes:
    """Its picture split into 60,000 one-byte IDAT chunks (Pillow walks each in Python)."""
    png = _png((2000, 1500))
    at = png.index(b"IDAT") - 4
    (length,) = struct.unpack(">I", png[at:at + 4])
    data = png[at + 8:at + 8 + length]
    pieces = [data[i:i + 1] for i in range(len(data))] + [b""] * max(0, chunks - len(data))
    return png[:at] + b"".join(_chunk(b"IDAT", p) for p in pieces) + png[at + 12 + length:]


def png_exif_rotated_small() -> bytes:
    """A PNG with a small, valid eXIf saying 'rotated': turned upright."""
    return _before_idat(_png(), _chunk(b"eXIf", _exif(ORIENT_6)[6:]))


def png_50_megapixels() -> bytes:
    """50 megapixels of one colour: ~160 KB, ~0.75 s of CPU to decode whole."""
    return _png((7071, 7071))


def webp_huge_exif() -> bytes:
    buf = io.BytesIO()
    block = _exif(ORIENT_6, extra=b"\x00" * (8 << 20))
    Image.new("RGB", (W, H), (1, 2, 3)).save(buf, "WEBP", exif=block)
    return buf.getvalue()


def gif_many_blocks(blocks: int = 2_000_000) -> bytes:
    """Two million one-byte comment sub-blocks before the first picture."""
    buf = io.BytesIO()
    Image.new("P", (W, H)).save(buf, "GIF")
    gif = buf.getvalue()
    at = 13 + ((3 << ((gif[10] & 7) + 1)) if gif[10] & 0x80 else 0)
    return gif[:at] + b"\x21\xfe" + b"\x01x" * blocks + b"\x00" + gif[at:]


def bmp_rle(nbytes: int = 4 << 20) -> bytes:
    """An RLE8 BMP: Pillow decodes it in Python, ~0.7 s of CPU per MB."""
    data = b"\x01\x05" * (nbytes // 2)
    palette = b"\x00\x00\xff\x00" * 256
    offset = 14 + 40 + len(palette)
    return (b"BM" + struct.pack("<IHHI", offset + len(data), 0, 0, offset)
            + struct.pack("<IiiHHIIiiII", 40, 4000, 3000, 1, 8, 1, len(data), 2835, 2835, 256, 0)
            + palette + data)


def pixel_bomb() -> bytes:
    """A tiny PNG whose header claims 30000×30000 pixels (900 megapixels)."""
    row = b"\x00" + b"\x00" * 30000
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", struct.pack(">IIBBBBB", 30000, 30000, 8, 0,
                                                              0, 0, 0))
            + _chunk(b"IDAT", zlib.compress(row * 64, 9)) + _chunk(b"IEND", b""))


def truncated_jpeg() -> bytes:
    buf = io.BytesIO()
    Image.effect_noise((800, 600), 60).convert("RGB").save(buf, "JPEG")
    return buf.getvalue()[:5000]


@dataclass(frozen=True)
class Hostile:
    name: str
    make: Callable[[], bytes]
    outcome: str  # "card" or "refused"
    rotated: bool = False  # a card turned upright by its orientation (48×64)


CORPUS = [
    Hostile("exif-orientation-wrong-type", exif_orientation_wrong_type, "card"),
    Hostile("exif-other-tag-wrong-type", exif_other_tag_wrong_type, "card", rotated=True),
    Hostile("exif-rational-wrong-type", exif_rational_wrong_type, "card", rotated=True),
    Hostile("exif-truncated", exif_truncated, "card", rotated=True),
    Hostile("exif-loop", exif_loop, "card", rotated=True),
    Hostile("exif-offset-out-of-range", exif_offset_out_of_range, "card"),
    Hostile("progressive-3000-scans", progressive_thousands_of_scans, "refused"),
    Hostile("progressive-30-scans-49mp", progressive_many_scans_big, "refused"),
    Hostile("jpeg-20000-segments", jpeg_many_segments, "refused"),
    Hostile("png-huge-exif", png_huge_exif, "card", rotated=True),
    Hostile("png-ztxt-bomb", png_ztxt_bomb, "card"),
    Hostile("png-iccp-bomb", png_iccp_bomb, "card"),
    Hostile("png-itxt-many", png_itxt_many, "card"),
    Hostile("png-60000-chunks", png_tiny_chunks, "refused"),
    Hostile("png-exif-rotated", png_exif_rotated_small, "card", rotated=True),
    Hostile("png-50-megapixels", png_50_megapixels, "refused"),
    Hostile("webp-huge-exif", webp_huge_exif, "card", rotated=True),
    Hostile("gif-2m-blocks", gif_many_blocks, "refused"),
    Hostile("bmp-rle-4mb", bmp_rle, "refused"),
    Hostile("pixel-bomb", pixel_bomb, "refused"),
    Hostile("truncated-jpeg", truncated_jpeg, "refused"),
]


@cache
def made(name: str) -> bytes:
    """The corpus entry's bytes, made once per process."""
    return next(h for h in CORPUS if h.name == name).make()
