"""TrueType fonts without their hinting programs, for faster rendering.

FreeType runs a TrueType font's bytecode ("hinting") every time it loads a glyph,
and Pillow loads each glyph three times per line it draws. On a card the text is
28 px or larger, where hinting does not visibly change the letters (compare
`docs/gallery/hinting.png`), yet it costs about a fifth of the card's CPU. Pillow
has no switch for it, so the font is handed to FreeType without its programs:
the `fpgm`, `prep` and `cvt ` tables are dropped and `maxp.maxSizeOfInstructions`
is set to 0. The glyph outlines are untouched; only the table directory is
rewritten, in memory, in well under a millisecond (no font parser involved).

Fonts that are not plain TrueType (CFF-based OpenType, collections, colour
bitmap emoji) are returned as they are.
"""

from __future__ import annotations

import struct
from functools import cache
from pathlib import Path

HINTING_TABLES = frozenset((b"fpgm", b"prep", b"cvt "))
_TRUETYPE = (b"\x00\x01\x00\x00", b"true")
_MAXP_INSTRUCTIONS = 26  # byte offset of maxSizeOfInstructions in a version 1.0 maxp


def strip_hinting(data: bytes) -> bytes:
    """The font file `data` with its hinting programs removed (see the module docstring);
    `data` itself when it is not a hinted TrueType font."""
    if len(data) < 12 or data[:4] not in _TRUETYPE:
        return data
    count = struct.unpack_from(">H", data, 4)[0]
    records = [struct.unpack_from(">4sIII", data, 12 + 16 * i) for i in range(count)]
    tags = {tag for tag, *_ in records}
    if b"glyf" not in tags or not tags & HINTING_TABLES:
        return data
    kept = [r for r in records if r[0] not in HINTING_TABLES]
    n = len(kept)
    power = 1 << (n.bit_length() - 1)  # largest power of two <= n
    header = struct.pack(">4sHHHH", data[:4], n, power * 16, power.bit_length() - 1,
                         n * 16 - power * 16)
    offset = 12 + 16 * n
    directory, bodies = [], []
    for tag, checksum, start, length in kept:
        body = bytearray(data[start:start + length])
        if tag == b"maxp" and length >= _MAXP_INSTRUCTIONS + 2 and body[:4] == b"\x00\x01\x00\x00":
            struct.pack_into(">H", body, _MAXP_INSTRUCTIONS, 0)
        directory.append(struct.pack(">4sIII", tag, checksum, offset, length))
        padded = bytes(body) + b"\0" * (-length % 4)
        bodies.append(padded)
        offset += len(padded)
    return header + b"".join(directory) + b"".join(bodies)


@cache
def unhinted(path: Path) -> bytes:
    """The font at `path` without hinting, read once per process."""
    return strip_hinting(path.read_bytes())
