"""The page's own fonts, light: each a subset of the theme's font with the letters the
page's words use (Latin with every accent of Ireland's and Europe's languages,
punctuation), as WOFF2.

The subsets of the bundled fonts are made at build time by tools/web_fonts.py and
committed in static/fonts/ with a manifest naming each source font's SHA-256; a
test checks they match the fonts bundled now. A theme with a font of its own gets
its subset made once when the page first asks for it (WOFF2 when the brotli module
is installed, else WOFF): a supporter's phone never downloads a whole font.
Characters outside the subset (a name in Greek, say) fall through to the phone's
own fonts, as in any web page.
"""

from __future__ import annotations

import hashlib
import io
import json
from functools import cache
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

FONTS = Path(__file__).parent / "static" / "fonts"
MANIFEST = FONTS / "fonts.json"

# What the page's words need, and the accents of the names people type: Basic Latin,
# Latin-1, Latin Extended-A, the comma-below letters of Romanian, general
# punctuation (quotes, dashes, ellipsis), the euro sign, the arrows of the photo's
# buttons and the dots of an app's menu (the in-app browser's hint names them).
UNICODES: tuple[tuple[int, int], ...] = (
    (0x0020, 0x007E), (0x00A0, 0x017F), (0x0218, 0x021B), (0x02C6, 0x02C7),
    (0x02D8, 0x02DD), (0x2010, 0x2027), (0x2030, 0x203A), (0x20AC, 0x20AC),
    (0x2122, 0x2122), (0x2190, 0x2193), (0x21BA, 0x21BA), (0x2212, 0x2212),
    (0x22EE, 0x22EF),
)


def unicodes() -> list[int]:
    return [c for lo, hi in UNICODES for c in range(lo, hi + 1)]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def make_subset(path: Path, flavor: str = "woff2") -> bytes:
    """`path`'s font cut down to UNICODES (and the layout features that shape them),
    without hinting, as `flavor` (woff2 needs the brotli module; woff does not)."""
    options = subset.Options()
    options.flavor = flavor
    options.layout_features = ["kern", "liga", "calt", "ccmp", "locl", "mark", "mkmk"]
    options.hinting = False
    options.desubroutinize = True
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6]  # the copyright and names the licence asks for
    options.notdef_outline = True
    font = TTFont(path, lazy=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=unicodes())
    subsetter.subset(font)
    buf = io.BytesIO()
    font.flavor = flavor
    font.save(buf)
    return buf.getvalue()


@cache
def _manifest() -> dict[str, dict[str, str]]:
    try:
        data: dict[str, dict[str, str]] = json.loads(MANIFEST.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data


@cache
def web_font(path: Path) -> tuple[bytes, str]:
    """The page's copy of the font at `path` and its media type: the committed WOFF2
    subset when one was made from exactly this font, else a subset made now."""
    sha = digest(path)
    for entry in _manifest().values():
        if entry.get("sha256") == sha:
            return (FONTS / entry["file"]).read_bytes(), "font/woff2"
    try:
        import brotli  # noqa: F401  (fontTools needs it for WOFF2)
    except ImportError:
        return make_subset(path, "woff"), "font/woff"
    return make_subset(path, "woff2"), "font/woff2"
