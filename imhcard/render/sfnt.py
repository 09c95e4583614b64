"""Font files read and rewritten in memory, without a font library: a TrueType font
without its hinting programs, and the characters a font has (its cmap).

Without hinting:

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

The character map is read straight from the `cmap` table's format 4 and 12
subtables (every font the card uses has one or both), a few milliseconds faster
per font than fontTools, which matters when `imhcard card` makes one card and
exits; any other font falls back to fontTools.
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


def _table(data: bytes, tag: bytes) -> bytes | None:
    if len(data) < 12:
        return None
    count = struct.unpack_from(">H", data, 4)[0]
    for i in range(count):
        name, _, start, length = struct.unpack_from(">4sIII", data, 12 + 16 * i)
        if name == tag:
            return data[start:start + length]
    return None


def _format4(t: bytes, at: int) -> set[int]:
    segs = struct.unpack_from(">H", t, at + 6)[0] // 2
    ends = struct.unpack_from(f">{segs}H", t, at + 14)
    starts = struct.unpack_from(f">{segs}H", t, at + 16 + 2 * segs)
    deltas = struct.unpack_from(f">{segs}h", t, at + 16 + 4 * segs)
    offsets_at = at + 16 + 6 * segs
    offsets = struct.unpack_from(f">{segs}H", t, offsets_at)
    out: set[int] = set()
    for i, (start, end, delta, offset) in enumerate(zip(starts, ends, deltas, offsets,
                                                         strict=True)):
        if start == 0xFFFF:
            continue
        if offset == 0:
            out.update(c for c in range(start, end + 1) if (c + delta) & 0xFFFF)
            continue
        for c in range(start, end + 1):
            where = offsets_at + 2 * i + offset + 2 * (c - start)
            if where + 2 <= len(t) and struct.unpack_from(">H", t, where)[0]:
                out.add(c)
    return out


def _format12(t: bytes, at: int) -> set[int]:
    groups = struct.unpack_from(">I", t, at + 12)[0]
    out: set[int] = set()
    for g in range(groups):
        start, end, glyph = struct.unpack_from(">III", t, at + 16 + 12 * g)
        out.update(range(start if glyph else start + 1, end + 1))
    return out


def cmap_coverage(data: bytes) -> frozenset[int] | None:
    """The code points the font `data` maps to a glyph (from its Unicode cmap
    subtables of format 4 and 12), or None when it has neither."""
    t = _table(data, b"cmap")
    if t is None:
        return None
    found: set[int] = set()
    seen = False
    for i in range(struct.unpack_from(">H", t, 2)[0]):
        platform, encoding, at = struct.unpack_from(">HHI", t, 4 + 8 * i)
        if (platform, encoding) not in ((3, 1), (3, 10), (0, 3), (0, 4), (0, 6)):
            continue
        kind = struct.unpack_from(">H", t, at)[0]
        if kind == 4:
            found |= _format4(t, at)
            seen = True
        elif kind == 12:
            found |= _format12(t, at)
            seen = True
    return frozenset(found) if seen else None
