"""Drawing on a card: the fonts of a layout's roles, text fitted in a box and drawn at
whole pixels, the theme's pictures fitted in their boxes, and the --debug overlay.
Read once per process: fonts, pictures and the masks of lines that recur."""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from imhcard.core.colour import RGB
from imhcard.core.formats import Format
from imhcard.core.images import open_image
from imhcard.core.layout import Element
from imhcard.core.theme import Theme
from imhcard.errors import RefusedFile, ThemeError
from imhcard.render.fit import FittedText, fit_text
from imhcard.render.fonts import (
    FontChain,
    builtin_font,
    draw_runs,
    line_runs,
    pil_font,
    shaping_available,
)


@lru_cache(maxsize=32)
def _chain(primary: Path, extra: tuple[Path, ...], weight: str) -> FontChain:
    return FontChain.build(primary, extra, weight)


def chain_for(theme: Theme, role: str) -> FontChain:
    """The fallback chain for a layout's font role: display, body or body_bold."""
    return _chain(theme.fonts.of(role), theme.fonts.fallback,
                  "regular" if role == "body" else "bold")

def fit_in(text: str, el: Element, chain: FontChain, field: str, fmt: Format) -> FittedText:
    return fit_text(text, chain, el.box.w, el.box.h, el.size, el.min_size, el.max_lines,
                    el.line_height, field=field, where=fmt.name)


def draw_text(image: Image.Image, el: Element, fitted: FittedText, chain: FontChain,
               colour: RGB, field: str) -> tuple[float, float]:
    """Draw fitted text in its box; return where the last line ends (x, baseline)."""
    draw = ImageDraw.Draw(image)
    box = el.box
    top = {"top": box.y, "middle": box.y + (box.h - fitted.height) / 2,
           "bottom": box.bottom - fitted.height}[el.valign]
    # Centre the font's ascent+descent in each line's height, then stand on the baseline.
    inner = (fitted.line_height - (fitted.ascent + fitted.descent)) / 2
    # A layout's "left" is the start of the line: a right-to-left paragraph (an Arabic
    # or Hebrew name or pledge) starts at the right, as its reader expects.
    align = "right" if el.align == "left" and fitted.rtl else el.align
    for i, (line, width) in enumerate(zip(fitted.lines, fitted.widths, strict=True)):
        x = {"left": box.x, "center": box.x + (box.w - width) / 2,
             "right": box.right - width}[align]
        baseline = top + i * fitted.line_height + inner + fitted.ascent
        # Every line in the whole text's direction, so an Arabic pledge whose second
        # line starts with a Latin word still reads right to left.
        runs = line_runs(line, chain, field, fitted.rtl)
        if len(runs) == 1 and not runs[0].face.emoji:
            mask, left, up = _line_mask(runs[0].face.path, fitted.size, runs[0].text,
                                        runs[0].rtl)
            draw.bitmap((round(x) + left, round(baseline) + up), mask, fill=colour)
        else:
            draw_runs(draw, image, runs, x, baseline, fitted.size, colour)
    return x + width, baseline


# A prompt's lines recur on card after card of a batch (names rarely do): each line
# in one font is rasterised once and its mask reused. 128 masks are a few MB.
@lru_cache(maxsize=128)
def _line_mask(path: Path, size: int, text: str, rtl: bool) -> tuple[Image.Image, int, int]:
    """A line in one font drawn once as a coverage mask: (mask, left, top) relative
    to the start of its baseline, placed at whole pixels."""
    font = pil_font(path, size)
    direction = ("rtl" if rtl else "ltr") if shaping_available() else None
    x0, y0, x1, y1 = font.getbbox(text, anchor="ls", direction=direction)
    left, top, right, bottom = math.floor(x0), math.floor(y0), math.ceil(x1), math.ceil(y1)
    mask = Image.new("L", (max(1, right - left), max(1, bottom - top)), 0)
    ImageDraw.Draw(mask).text((-left, -top), text, font=font, fill=255, anchor="ls",
                              direction=direction)
    return mask, left, top


@lru_cache(maxsize=16)
def _picture(path: Path) -> Image.Image:
    try:
        return open_image(path, "image").convert("RGBA")
    except RefusedFile as exc:  # checked when the theme was loaded; changed since
        raise ThemeError(str(path), [f"{path}: {exc}"]) from None


@lru_cache(maxsize=16)
def _reduced(path: Path, factor: int) -> Image.Image:
    """The theme's picture shrunk by a whole factor (a cheap box filter), once per factor."""
    img = _picture(path)
    return img.reduce(factor) if factor > 1 else img


def contain(path: Path, w: int, h: int) -> Image.Image:
    """The picture at `path`, as large as fits a w x h box.

    It is box-reduced by a whole factor first (a 1600 px artwork for a 350 px box),
    so the filtering resize, which premultiplies alpha over the whole image, works
    on a small one: several times faster, and the same look at the card's size."""
    img = _picture(path)
    scale = min(w / img.width, h / img.height)
    size = (max(1, round(img.width * scale)), max(1, round(img.height * scale)))
    return _reduced(path, int(1 / scale)).resize(size, Image.Resampling.LANCZOS)

def debug_overlay(image: Image.Image, layout: Mapping[str, Element], fmt: Format) -> None:
    """Outline every box with its name, and shade the zones a story's app covers."""
    draw = ImageDraw.Draw(image)
    if fmt.safe_top:
        draw.rectangle((0, 0, fmt.width, fmt.safe_top), outline=(200, 0, 0), width=3)
    if fmt.safe_bottom:
        draw.rectangle((0, fmt.height - fmt.safe_bottom, fmt.width, fmt.height),
                       outline=(200, 0, 0), width=3)
    label = ImageFont.truetype(str(builtin_font("NotoSans-Bold.ttf")), max(14, fmt.width // 60))
    for name, el in layout.items():
        b = el.box
        draw.rectangle((b.x, b.y, b.right - 1, b.bottom - 1), outline=(230, 0, 160), width=2)
        draw.text((b.x + 4, b.y + 2), name, fill=(230, 0, 160), font=label)
