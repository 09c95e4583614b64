"""Fonts: the per-character fallback chain, text runs, measuring and drawing.

Text is split into grapheme clusters (so an emoji ZWJ sequence or a letter with
its accents stays whole), each cluster is given the first font in the chain
that has every character of it, and neighbouring clusters in the same font
form a run. A run is also one bidi embedding level (imhcard.render.bidi, the
Unicode algorithm): each is shaped by Raqm in its own direction, and a line's runs
are placed in the algorithm's visual order and drawn on one baseline.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import regex
from PIL import Image, ImageDraw, ImageFont, features

from imhcard.bundled import assets_dir
from imhcard.core.messages import problem
from imhcard.errors import GlyphError
from imhcard.render import bidi
from imhcard.render.sfnt import cmap_coverage, unhinted

# Characters that join or select a presentation; they need no glyph of their own.
_JOINERS = frozenset((0x200C, 0x200D, 0xFE0E, 0xFE0F))
_GRAPHEME = regex.compile(r"\X")
# Scripts Pillow's basic layout draws wrongly (unjoined, unordered, conjuncts split).
_NEEDS_SHAPING = regex.compile(r"[\p{Arabic}\p{Hebrew}\p{Syriac}\p{Thaana}\p{Devanagari}"
                               r"\p{Bengali}\p{Gurmukhi}\p{Gujarati}\p{Tamil}\p{Telugu}"
                               r"\p{Kannada}\p{Malayalam}\p{Sinhala}\p{Thai}\p{Khmer}]")
# Clusters drawn as colour emoji: pictographs whose default look is emoji, or
# any character asking for it with VS16, keycaps, skin tones and flags. Plain
# ©, ® and ™ (text by default) stay in the text font.
_EMOJI = regex.compile(r"\p{Emoji_Presentation}|\p{Emoji_Modifier}|\p{Regional_Indicator}"
                       r"|\uFE0F|\u20E3|[\U000E0020-\U000E007F]")
# A line may break after a space and on either side of an ideograph or kana.
_CJK = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}\u3000-\u303F\uFF00-\uFFEF]")

BUILTIN_FALLBACK = {
    "regular": ("NotoSans-Regular.ttf", "NotoSansArabic-Regular.ttf",
                "NotoSansDevanagari-Regular.ttf", "NotoSansCJKsc-Regular-subset.otf"),
    "bold": ("NotoSans-Bold.ttf", "NotoSansArabic-Bold.ttf",
             "NotoSansDevanagari-Bold.ttf", "NotoSansCJKsc-Bold-subset.otf"),
}
EMOJI_FONT = "NotoColorEmoji.ttf"


def builtin_font(name: str) -> Path:
    return assets_dir() / "fonts" / name


def shaping_available() -> bool:
    """Raqm does the shaping; FriBiDi, loaded by Pillow at run time, the ordering."""
    return bool(features.check_feature("raqm") and features.check_feature("fribidi"))


@cache
def _coverage(path: Path) -> frozenset[int]:
    """The code points a font has glyphs for, read once per process."""
    fast = cmap_coverage(path.read_bytes())
    if fast is not None:
        return fast
    from fontTools.ttLib import TTFont  # for fonts with other cmap formats

    font = TTFont(str(path), lazy=True, fontNumber=0)
    try:
        cmap = font.getBestCmap() or {}
        return frozenset(cmap)
    finally:
        font.close()


@dataclass(frozen=True)
class FontFace:
    """One font file of a chain. Bitmap emoji fonts are drawn at a fixed size and scaled."""

    path: Path
    emoji: bool = False

    @property
    def coverage(self) -> frozenset[int]:
        return _coverage(self.path)


@lru_cache(maxsize=256)
def pil_font(path: Path, size: int) -> ImageFont.FreeTypeFont:
    """A Pillow font object, made once per file and size, without hinting (see sfnt.py)."""
    engine = ImageFont.Layout.RAQM if shaping_available() else ImageFont.Layout.BASIC
    return ImageFont.truetype(io.BytesIO(unhinted(path)), size, layout_engine=engine)


# Colour bitmap fonts (CBDT) hold one strike; FreeType only opens them at that size.
EMOJI_STRIKE = 109


@lru_cache(maxsize=4096)
def emoji_image(path: Path, cluster: str, size: int) -> Image.Image:
    """A colour emoji drawn at its strike size, then scaled so its height is `size`."""
    font = pil_font(path, EMOJI_STRIKE)
    left, top, right, bottom = (round(v) for v in font.getbbox(cluster, anchor="ls"))
    canvas = Image.new("RGBA", (right - left, bottom - top))
    ImageDraw.Draw(canvas).text((-left, -top), cluster, font=font, anchor="ls",
                                embedded_color=True)
    scale = size / EMOJI_STRIKE
    w, h = max(1, round(canvas.width * scale)), max(1, round(canvas.height * scale))
    return canvas.resize((w, h), Image.Resampling.LANCZOS)


def emoji_advance(path: Path, cluster: str, size: int) -> float:
    return pil_font(path, EMOJI_STRIKE).getlength(cluster) * size / EMOJI_STRIKE


# Identity equality: chains are made once per theme and role (compose caches
# them), and they key several caches, so hashing must be cheap.
@dataclass(frozen=True, eq=False)
class FontChain:
    """Fonts tried in order for each character; the first is the role's own font."""

    faces: tuple[FontFace, ...]

    @classmethod
    def build(cls, primary: Path, extra: Sequence[Path] = (), weight: str = "regular") -> FontChain:
        faces = [FontFace(primary), *(FontFace(p) for p in extra)]
        faces += [FontFace(builtin_font(n)) for n in BUILTIN_FALLBACK[weight]]
        faces.append(FontFace(builtin_font(EMOJI_FONT), emoji=True))
        unique: dict[Path, FontFace] = {}
        for face in faces:
            if face.path.is_file():
                unique.setdefault(face.path, face)
        return cls(tuple(unique.values()))

    def face_for(self, cluster: str) -> FontFace | None:
        """The first face that draws every character of a grapheme cluster."""
        needed = {ord(c) for c in cluster} - _JOINERS
        if _EMOJI.search(cluster):
            # Prefer colour emoji to a text font's monochrome heart or digit.
            for face in self.faces:
                if face.emoji and needed <= face.coverage:
                    return face
        for face in self.faces:
            if needed <= face.coverage:
                return face
        # Combining marks a font lacks may still come from the base letter's font
        # as a precomposed form; try the NFC and NFD spellings.
        for form in ("NFC", "NFD"):
            alt = {ord(c) for c in unicodedata.normalize(form, cluster)} - _JOINERS
            for face in self.faces:
                if alt <= face.coverage:
                    return face
        return None


@dataclass(frozen=True)
class Run:
    """Consecutive characters drawn in one font at one bidi embedding level."""

    text: str
    face: FontFace
    level: int = 0

    @property
    def rtl(self) -> bool:
        """Whether the run reads right to left (an odd level): shaped, and brackets
        mirrored, that way."""
        return self.level % 2 == 1


def _strong(cluster: str) -> bool:
    """Whether a cluster has a letter with a direction of its own (not a space,
    digit, punctuation mark or emoji)."""
    return any(unicodedata.bidirectional(c) in ("L", "R", "AL") for c in cluster)


@lru_cache(maxsize=16384)
def split_runs(text: str, chain: FontChain, field: str,
               rtl: bool | None = None) -> tuple[Run, ...]:
    """Split one line into runs of one font and one bidi level each, in reading
    (logical) order; raise GlyphError for any character no font has.

    `rtl` is the direction of the paragraph the line belongs to; None takes the
    line's own (its first letter's). The levels come from imhcard.render.bidi.
    """
    if not shaping_available() and (m := _NEEDS_SHAPING.search(text)):
        raise problem(GlyphError, field, "needs_shaping", char=m.group())
    levels = bidi.line_levels(text, bidi.paragraph_rtl(text) if rtl is None else rtl)
    runs: list[Run] = []
    buf, buf_face, buf_level = "", None, 0
    offset = 0
    for cluster in _GRAPHEME.findall(text):
        face = chain.face_for(cluster)
        if face is None:
            missing = next((c for c in cluster if not any(
                ord(c) in f.coverage for f in chain.faces) and ord(c) not in _JOINERS), cluster[0])
            raise problem(GlyphError, field, "no_glyph", char=missing,
                          codepoint=f"U+{ord(missing):04X}",
                          char_name=unicodedata.name(missing, "unnamed character"))
        # A cluster keeps together (a letter and its marks, an emoji sequence) at the
        # level of its first character.
        level = levels[offset]
        offset += len(cluster)
        # A space or punctuation mark stays in the font of the text before it when
        # that font has it; an emoji is always a run of its own.
        neutral = not face.emoji and not _strong(cluster)
        joins = buf_face is not None and not buf_face.emoji and level == buf_level and (
            face == buf_face or (neutral and all(ord(c) in buf_face.coverage
                                                 or ord(c) in _JOINERS for c in cluster)))
        if buf and joins:
            buf += cluster
            continue
        if buf and buf_face is not None:
            runs.append(Run(buf, buf_face, buf_level))
        buf, buf_face, buf_level = cluster, face, level
    if buf and buf_face is not None:
        runs.append(Run(buf, buf_face, buf_level))
    return tuple(runs)


def line_runs(line: str, chain: FontChain, field: str, rtl: bool) -> list[Run]:
    """One line's runs in visual order, left to right, as they are drawn; `rtl` is
    the direction of the paragraph the line belongs to (bidi.paragraph_rtl)."""
    runs = split_runs(line, chain, field, rtl)
    return [runs[i] for i in bidi.visual_order([run.level for run in runs])]


def run_width(run: Run, size: int) -> float:
    if run.face.emoji:
        return sum(emoji_advance(run.face.path, c, size) for c in _GRAPHEME.findall(run.text))
    direction = "rtl" if run.rtl else "ltr"
    return float(pil_font(run.face.path, size).getlength(
        run.text, direction=direction if shaping_available() else None))


def draw_runs(draw: ImageDraw.ImageDraw, image: Image.Image, runs: Sequence[Run],
              x: float, baseline: float, size: int, fill: tuple[int, int, int]) -> None:
    """Draw runs (already in visual order) left to right from `x` on one baseline."""
    for run in runs:
        if run.face.emoji:
            for cluster in _GRAPHEME.findall(run.text):
                glyph = emoji_image(run.face.path, cluster, size)
                # Sit the emoji on the baseline, dropped a little as text descends.
                top = round(baseline - glyph.height * 0.88)
                image.paste(glyph, (round(x), top), glyph)
                x += emoji_advance(run.face.path, cluster, size)
            continue
        font = pil_font(run.face.path, size)
        direction = ("rtl" if run.rtl else "ltr") if shaping_available() else None
        draw.text((x, baseline), run.text, font=font, fill=fill, anchor="ls", direction=direction)
        x += run_width(run, size)


def breaks_inside(text: str) -> bool:
    """Whether text may wrap between characters with no space (Chinese, Japanese)."""
    return bool(_CJK.search(text))


def graphemes(text: str) -> list[str]:
    return list(_GRAPHEME.findall(text))
