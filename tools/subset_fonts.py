#!/usr/bin/env python3
"""Build the bundled Chinese font subsets (and optionally re-copy the other bundled fonts).

imhcard ships a *subset* of Noto Sans CJK SC instead of the full ~20 MB .ttc
collections.  This script regenerates

    assets/fonts/NotoSansCJKsc-Regular-subset.otf
    assets/fonts/NotoSansCJKsc-Bold-subset.otf

from Debian's ``fonts-noto-cjk`` package (``apt-get install fonts-noto-cjk``).
The outlines stay CFF (the source fonts are CFF-based OpenType), so the
output is an ``.otf`` that FreeType/Pillow load directly.

Character set (see docs/fonts.md):

* GB 2312 level 1 and level 2 (3,755 + 3,008 = 6,763 simplified
  characters; rows 16-87, decoded with Python's ``gb2312`` codec).
  Level 2 is included because many popular given-name characters
  (e.g. 梓 萱 昊 彤 琦 婧) are only in level 2.  ``--no-gb2312-level2`` keeps
  only level 1.
* Big5 "frequently used" level 1 (5,401 characters, bytes 0xA440-0xC67E,
  decoded with Python's ``big5`` codec) for traditional characters.
* CJK Symbols and Punctuation (U+3000-303F), Halfwidth and Fullwidth Forms
  (U+FF00-FFEF), the usual Chinese punctuation from General Punctuation
  (dashes, quotes, ellipsis, ‧ ·), printable ASCII.
* Hiragana and Katakana (U+3040-30FF, U+31F0-31FF) unless ``--no-kana``.
* Optionally (``--hangul``) the 2,350 KS X 1001 Hangul syllables.
* Anything passed with ``--extra-text`` / ``--extra-file``.

Usage (from the repository root)::

    python tools/subset_fonts.py                # CJK subsets only
    python tools/subset_fonts.py --copy-static  # also re-copy the other fonts
    python tools/subset_fonts.py --list-chars chars.txt

Requires fontTools (``pip install fonttools``).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import unicodedata
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT_DIR = REPO_ROOT / "assets" / "fonts"

DEBIAN_CJK_DIR = Path("/usr/share/fonts/opentype/noto")
DEFAULT_REGULAR = DEBIAN_CJK_DIR / "NotoSansCJK-Regular.ttc"
DEFAULT_BOLD = DEBIAN_CJK_DIR / "NotoSansCJK-Bold.ttc"

# Face inside the .ttc to use, chosen by PostScript name (index 2 in Debian's
# 2.004 collections, but the order is not guaranteed).
PS_NAMES = {"Regular": "NotoSansCJKsc-Regular", "Bold": "NotoSansCJKsc-Bold"}

# OpenType features kept.  Horizontal layout only; no 'locl' (it would pull in
# the JP/KR/TC glyph variants) and no 'fwid'/'hwid'/'pwid'/'aalt'/'vert'.
LAYOUT_FEATURES = ["ccmp", "calt", "liga", "kern", "mark", "mkmk", "halt", "palt"]

# Fonts that are bundled unmodified: target name -> (Debian package, source path).
_QS = "/usr/share/fonts/truetype/quicksand"
_NOTO = "/usr/share/fonts/truetype/noto"
STATIC_FONTS = {
    "brand-Regular.ttf": ("fonts-quicksand", f"{_QS}/Quicksand-Regular.ttf"),
    "brand-Bold.ttf": ("fonts-quicksand", f"{_QS}/Quicksand-Bold.ttf"),
    "NotoSans-Regular.ttf": ("fonts-noto-core", f"{_NOTO}/NotoSans-Regular.ttf"),
    "NotoSans-Bold.ttf": ("fonts-noto-core", f"{_NOTO}/NotoSans-Bold.ttf"),
    "NotoSansArabic-Regular.ttf": ("fonts-noto-core", f"{_NOTO}/NotoSansArabic-Regular.ttf"),
    "NotoSansArabic-Bold.ttf": ("fonts-noto-core", f"{_NOTO}/NotoSansArabic-Bold.ttf"),
    "NotoSansDevanagari-Regular.ttf": (
        "fonts-noto-core",
        f"{_NOTO}/NotoSansDevanagari-Regular.ttf",
    ),
    "NotoSansDevanagari-Bold.ttf": ("fonts-noto-core", f"{_NOTO}/NotoSansDevanagari-Bold.ttf"),
    "NotoColorEmoji.ttf": ("fonts-noto-color-emoji", f"{_NOTO}/NotoColorEmoji.ttf"),
}


# --------------------------------------------------------------------------
# character sets
# --------------------------------------------------------------------------


def _decode_double_byte(
    codec: str, leads: range, trails: list[int], last: int | None = None
) -> list[str]:
    chars: list[str] = []
    for hi in leads:
        for lo in trails:
            if last is not None and (hi << 8 | lo) > last:
                continue
            try:
                ch = bytes([hi, lo]).decode(codec)
            except UnicodeDecodeError:
                continue
            chars.append(ch)
    return chars


def gb2312_level1() -> list[str]:
    """GB 2312 level 1: rows 16-55 (lead bytes 0xB0-0xD7), 3,755 hanzi."""
    return _decode_double_byte("gb2312", range(0xB0, 0xD8), list(range(0xA1, 0xFF)))


def gb2312_level2() -> list[str]:
    """GB 2312 level 2: rows 56-87 (lead bytes 0xD8-0xF7), 3,008 hanzi."""
    return _decode_double_byte("gb2312", range(0xD8, 0xF8), list(range(0xA1, 0xFF)))


def big5_level1() -> list[str]:
    """Big5 frequently used characters: 0xA440-0xC67E, 5,401 hanzi."""
    trails = list(range(0x40, 0x7F)) + list(range(0xA1, 0xFF))
    return _decode_double_byte("big5", range(0xA4, 0xC7), trails, last=0xC67E)


def _block(start: int, end: int) -> list[str]:
    return [chr(c) for c in range(start, end + 1)]


PUNCTUATION = (
    _block(0x20, 0x7E)  # printable ASCII
    + list("\u00a0\u00b7\u00d7\u00f7")  # nbsp · × ÷
    + list(
        "\u2013\u2014\u2015\u2018\u2019\u201c\u201d\u2022\u2025\u2026\u2027\u2030\u2032\u2033\u203b"
    )
    + _block(0x3000, 0x303F)  # CJK Symbols and Punctuation
    + _block(0xFE30, 0xFE4F)  # CJK Compatibility Forms (vertical/overline punctuation)
    + _block(0xFF00, 0xFFEF)  # Halfwidth and Fullwidth Forms
)
KANA = _block(0x3040, 0x309F) + _block(0x30A0, 0x30FF) + _block(0x31F0, 0x31FF)


def ksx1001_hangul() -> list[str]:
    """KS X 1001 (EUC-KR) precomposed Hangul syllables: 2,350 characters."""
    return _decode_double_byte("euc_kr", range(0xB0, 0xC9), list(range(0xA1, 0xFF)))


def build_charset(
    *, level2: bool, kana: bool, hangul: bool = False, extra: str = ""
) -> tuple[list[str], dict[str, int]]:
    groups: dict[str, list[str]] = {
        "gb2312_level1": gb2312_level1(),
        "gb2312_level2": gb2312_level2() if level2 else [],
        "big5_level1": big5_level1(),
        "punctuation_ascii_fullwidth": PUNCTUATION,
        "kana": KANA if kana else [],
        "hangul": ksx1001_hangul() if hangul else [],
        "extra": [c for c in extra if not c.isspace() or c == " "],
    }
    # Unassigned code points inside the blocks above (U+3040, U+FFBF, ...) are skipped.
    groups = {k: [c for c in v if unicodedata.category(c) != "Cn"] for k, v in groups.items()}
    seen: dict[str, None] = {}
    for chars in groups.values():
        for c in chars:
            seen.setdefault(c, None)
    counts = {name: len(set(chars)) for name, chars in groups.items()}
    return list(seen), counts


# --------------------------------------------------------------------------
# subsetting
# --------------------------------------------------------------------------


def load_face(path: Path, ps_name: str) -> TTFont:
    """Load the face called ps_name from a .ttc, or the single font in an .otf/.ttf."""
    if path.suffix.lower() in (".ttc", ".otc"):
        collection = TTCollection(str(path), lazy=True)
        for index, face in enumerate(collection.fonts):
            if face["name"].getDebugName(6) == ps_name:
                return TTFont(str(path), fontNumber=index, recalcTimestamp=False)
        names = [f["name"].getDebugName(6) for f in collection.fonts]
        raise SystemExit(f"{path}: no face named {ps_name!r} (faces: {names})")
    return TTFont(str(path), recalcTimestamp=False)


def subset_font(src: Path, ps_name: str, chars: list[str], dest: Path) -> dict[str, int]:
    font = load_face(src, ps_name)
    cmap = font.getBestCmap()
    wanted = {ord(c) for c in chars}
    present = sorted(cp for cp in wanted if cp in cmap)
    missing = sorted(wanted - set(present))

    opts = subset.Options()
    opts.layout_features = list(LAYOUT_FEATURES)
    opts.name_IDs = ["*"]  # keep copyright / licence / designer records
    opts.name_languages = ["*"]
    opts.name_legacy = True
    opts.notdef_outline = True
    opts.glyph_names = False
    opts.hinting = True
    opts.recalc_timestamp = False  # reproducible output
    subsetter = subset.Subsetter(options=opts)
    subsetter.populate(unicodes=present)
    subsetter.subset(font)

    # Mark the file as a modified (subset) version, as the OFL expects.
    name = font["name"]
    for rec in list(name.names):
        if rec.nameID == 5:
            text = rec.toUnicode()
            if "subset" not in text:
                name.setName(
                    text + "; imhcard subset", rec.nameID, rec.platformID, rec.platEncID, rec.langID
                )

    dest.parent.mkdir(parents=True, exist_ok=True)
    font.flavor = None
    font.save(str(dest))
    return {
        "requested": len(wanted),
        "mapped": len(present),
        "missing": len(missing),
        "glyphs": font["maxp"].numGlyphs,
        "bytes": dest.stat().st_size,
    }


def copy_static(out_dir: Path) -> None:
    for target, (package, src) in STATIC_FONTS.items():
        src_path = Path(src)
        if not src_path.exists():
            raise SystemExit(f"missing {src} (apt-get install {package})")
        shutil.copyfile(src_path, out_dir / target)
        print(f"copied {src} -> {out_dir / target}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--regular",
        type=Path,
        default=DEFAULT_REGULAR,
        help="source Regular .ttc/.otf (default: %(default)s)",
    )
    ap.add_argument(
        "--bold",
        type=Path,
        default=DEFAULT_BOLD,
        help="source Bold .ttc/.otf (default: %(default)s)",
    )
    ap.add_argument(
        "--out-dir",
        type=Path,
        default=DEFAULT_OUT_DIR,
        help="output directory (default: %(default)s)",
    )
    ap.add_argument(
        "--no-gb2312-level2", action="store_true", help="only GB 2312 level 1 simplified characters"
    )
    ap.add_argument("--no-kana", action="store_true", help="drop hiragana/katakana")
    ap.add_argument(
        "--hangul",
        action="store_true",
        help="also keep the 2,350 KS X 1001 Hangul syllables (+~0.35 MB per weight)",
    )
    ap.add_argument("--extra-text", default="", help="extra characters to keep")
    ap.add_argument("--extra-file", type=Path, help="UTF-8 file whose characters are also kept")
    ap.add_argument(
        "--list-chars", type=Path, help="write the requested character set to this file and exit"
    )
    ap.add_argument(
        "--copy-static",
        action="store_true",
        help="also copy the unmodified Debian fonts (brand, Noto, emoji)",
    )
    args = ap.parse_args(argv)

    extra = args.extra_text
    if args.extra_file:
        extra += args.extra_file.read_text(encoding="utf-8")
    chars, counts = build_charset(
        level2=not args.no_gb2312_level2, kana=not args.no_kana, hangul=args.hangul, extra=extra
    )
    print("character groups:", ", ".join(f"{k}={v}" for k, v in counts.items()))
    print(f"unique characters requested: {len(chars)}")

    if args.list_chars:
        args.list_chars.write_text("".join(chars) + "\n", encoding="utf-8")
        print(f"wrote {args.list_chars}")
        return 0

    args.out_dir.mkdir(parents=True, exist_ok=True)
    if args.copy_static:
        copy_static(args.out_dir)

    for weight, src in (("Regular", args.regular), ("Bold", args.bold)):
        if not src.exists():
            raise SystemExit(f"missing {src} (apt-get install fonts-noto-cjk)")
        dest = args.out_dir / f"NotoSansCJKsc-{weight}-subset.otf"
        stats = subset_font(src, PS_NAMES[weight], chars, dest)
        print(
            f"{dest}: {stats['mapped']} characters mapped ({stats['missing']} not in font), "
            f"{stats['glyphs']} glyphs, {stats['bytes'] / 1e6:.2f} MB"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
