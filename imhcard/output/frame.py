"""The card's frame for the page's live preview: everything on the card but the photo,
as a layer with a transparent window, so the browser can draw the supporter's photo
beneath it and move it with no request at all.

The layer is drawn by the one composer (render.compose.render_card), twice: once with
a black photo and once with a white one. Where the two cards differ, the photo shows
through, and by how much (an anti-aliased circle's edge included); the black card is
the layer's colour, premultiplied by what it covers. So the layer is the card exactly
as the pipeline draws it, whatever a layout or theme puts over the photo.

What sits on the photo in the photo style (logo, wordmark, week) is drawn in whichever
of two colours reads on the photo there, over a chip when neither does
(render.backdrop). That depends on the photo's pixels, so the frame carries it apart:
its mask, its places, and the rule's numbers, which the browser applies to its own
pixels of the photo. Nothing of the supporter's photo is needed to make a frame.
"""

from __future__ import annotations

import base64
import io
import math
from dataclasses import dataclass
from typing import Any

from PIL import Image, ImageChops

from imhcard.core.colour import RGB, contrast
from imhcard.core.formats import Format
from imhcard.core.layout import BACKDROP, Box
from imhcard.core.supporter import CardText
from imhcard.core.theme import Theme
from imhcard.render.backdrop import CHIP_OPACITY, MAX_FAILING, MIN_CONTRAST
from imhcard.render.compose import Card, render_card
from imhcard.render.pipeline import PREVIEW_SIDE
from imhcard.render.static import (
    MOVES,
    chip_pad,
    marks_area,
    marks_shift,
    photo_marks,
    static_layer,
)

_BLACK = Image.new("RGB", (8, 8), (0, 0, 0))
_WHITE = Image.new("RGB", (8, 8), (255, 255, 255))


def preview_factor(fmt: Format, side: int = PREVIEW_SIDE) -> int:
    """How many card pixels make one preview pixel: the card's longer side brought to
    `side` or less by a whole factor (as render.pipeline.make_preview does)."""
    return max(1, math.ceil(max(fmt.width, fmt.height) / side))


@dataclass(frozen=True)
class Marks:
    """Photo style: what sits on the photo, for the browser to draw on its own pixels."""

    mask: Image.Image  # white, with the marks as alpha, at the preview's scale
    box: Box  # where the mask goes, in card pixels, at the layout's place
    chip: Box  # the chip drawn behind them when the photo is too busy there
    radius: int
    moved: dict[str, tuple[int, int]]  # where they can move off a face: (dx, dy) per move
    colours: tuple[RGB, RGB]  # the candidates, best first when equal
    failing: tuple[str, str]  # per candidate, "1" for each grey level it fails on

    def as_json(self) -> dict[str, Any]:
        return {"mask": _data_url(self.mask), "box": _box(self.box), "chip": _box(self.chip),
                "radius": self.radius,
                "moved": {how: list(shift) for how, shift in self.moved.items()},
                "colours": [_hex(c) for c in self.colours], "failing": list(self.failing),
                "chip_colour": _hex(self.colours[1]), "chip_opacity": CHIP_OPACITY,
                "max_failing": MAX_FAILING}


@dataclass(frozen=True)
class Frame:
    """A card without its photo, at the preview's scale, and where the photo goes."""

    layer: Image.Image  # RGBA: transparent where the photo shows
    factor: int  # card pixels per layer pixel
    card: Card  # the card the layer was drawn as (its words, style and layout)
    window: Box | None  # the box the photo covers, in card pixels; None without a photo
    shape: str  # of the photo in the text style: circle, rounded or square
    under: RGB  # what a transparent photo shows through to
    marks: Marks | None

    def as_json(self, kind: str = "png") -> dict[str, Any]:
        """The frame for the page; the layer as `kind` (webp or png)."""
        fmt = self.card.format
        return {"layer": _data_url(self.layer, kind), "factor": self.factor,
                "size": [fmt.width, fmt.height], "format": fmt.name,
                "style": self.card.style, "note": self.card.note,
                "window": _box(self.window) if self.window else None, "shape": self.shape,
                "under": _hex(self.under),
                "marks": self.marks.as_json() if self.marks else None}


def make_frame(theme: Theme, text: CardText, fmt: Format, with_photo: bool) -> Frame:
    """The frame of `text`'s card in `fmt`, for a card with a photo or without one.
    Raises the same SupporterError the card would (a name too long, a character no
    font has), so the preview tells the supporter before they make the card."""
    factor = preview_factor(fmt)
    if not with_photo:
        card = render_card(theme, text, fmt)
        layer = _reduce(card.image, factor).convert("RGBA")
        return Frame(layer, factor, card, None, "square", theme.colours["background"], None)
    dark = render_card(theme, text, fmt, _BLACK)
    light = render_card(theme, text, fmt, _WHITE)
    window, shape = _window(dark)
    black, white = _reduce(dark.image, factor), _reduce(light.image, factor)
    bands = ImageChops.subtract(white, black).split()
    coverage = ImageChops.lighter(ImageChops.lighter(bands[0], bands[1]), bands[2])
    alpha = ImageChops.invert(coverage)
    marks = _marks(theme, dark, factor, text.language)
    if marks is not None:  # the browser draws these itself, in the photo's colours
        for chip in (marks.chip, *(_moved(marks.chip, s) for s in marks.moved.values())):
            alpha.paste(0, _scaled(chip, factor))
    layer = Image.merge("RGBa", (*black.split(), alpha)).convert("RGBA")
    under = _under(theme, dark, window, text.language)
    return Frame(layer, factor, dark, window, shape, under, marks)


def _reduce(image: Image.Image, factor: int) -> Image.Image:
    rgb = image if image.mode == "RGB" else image.convert("RGB")
    return rgb.reduce(factor) if factor > 1 else rgb


def _window(card: Card) -> tuple[Box | None, str]:
    """The box the photo covers on this card (render.compose's own geometry)."""
    layout = card.layout
    if card.style == "photo" and BACKDROP in layout:
        return layout[BACKDROP].box, "square"
    el = layout.get("photo")
    if el is None:
        return None, "square"
    b = el.box
    w, h = (min(b.w, b.h),) * 2 if el.shape == "circle" else (b.w, b.h)
    return Box(b.x + (b.w - w) // 2, b.y + (b.h - h) // 2, w, h), el.shape


def _marks(theme: Theme, card: Card, factor: int, language: str) -> Marks | None:
    fmt = card.format
    found = photo_marks(theme, fmt, language) if card.style == "photo" else None
    chip = marks_area(theme, fmt, language) if found is not None else None
    if found is None or chip is None or "chip" not in card.layout:
        return None
    mask, box = found
    radius = chip_pad(fmt)
    moved = {how: shift for how in MOVES
             if (shift := marks_shift(card.layout, fmt, chip, how)) is not None}
    c = theme.colours
    colours = (c["primary"], c["background"])
    failing = tuple("".join("1" if contrast(colour, (v, v, v)) < MIN_CONTRAST else "0"
                            for v in range(256)) for colour in colours)
    return Marks(_mask_at_scale(mask, box, factor), box, chip, radius, moved, colours,
                 (failing[0], failing[1]))


def _mask_at_scale(mask: Image.Image, box: Box, factor: int) -> Image.Image:
    """The marks' mask on the preview's pixel grid, as white with the mask as alpha,
    from the grid line at or before the box's corner."""
    ox, oy = box.x % factor, box.y % factor
    w = math.ceil((ox + box.w) / factor) * factor
    h = math.ceil((oy + box.h) / factor) * factor
    grid = Image.new("L", (w, h), 0)
    grid.paste(mask, (ox, oy))
    alpha = grid.reduce(factor) if factor > 1 else grid
    return Image.merge("LA", (Image.new("L", alpha.size, 255), alpha))


def _moved(box: Box, shift: tuple[int, int]) -> Box:
    return Box(box.x + shift[0], box.y + shift[1], box.w, box.h)


def _scaled(box: Box, factor: int) -> tuple[int, int, int, int]:
    return (box.x // factor, box.y // factor, math.ceil(box.right / factor),
            math.ceil(box.bottom / factor))


def _under(theme: Theme, card: Card, window: Box | None, language: str) -> RGB:
    """The card's own colour behind the photo (a transparent photo shows it)."""
    if window is None:
        return theme.colours["background"]
    base, _ = static_layer(theme, card.format, language, False, card.style, True)
    pixel = base.getpixel((window.x + window.w // 2, window.y + window.h // 2))
    assert isinstance(pixel, tuple)
    return (int(pixel[0]), int(pixel[1]), int(pixel[2]))


def _data_url(image: Image.Image, kind: str = "png") -> str:
    """The image as a data: URL: lossless WebP (a third of the PNG's size for a layer)
    or PNG, for a browser without WebP."""
    buf = io.BytesIO()
    if kind == "webp":
        image.save(buf, "WEBP", lossless=True, quality=60, method=1)
    else:
        image.save(buf, "PNG", compress_level=6)
    return f"data:image/{kind};base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def _box(b: Box) -> list[int]:
    return [b.x, b.y, b.w, b.h]


def _hex(c: RGB) -> str:
    return f"#{c[0]:02x}{c[1]:02x}{c[2]:02x}"
