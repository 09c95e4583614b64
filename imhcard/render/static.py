"""What every card of a theme, format, language and style shares, made once per
process: the layout with the theme's overrides, and the static layer (background,
panels, artwork, logo, QR code, title, dates, hashtag) each card starts from."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from functools import lru_cache

from PIL import Image, ImageDraw

from imhcard.core.formats import Format
from imhcard.core.layout import BACKDROP, Box, Element, build_layout, layout_name
from imhcard.core.theme import Theme
from imhcard.errors import FitError, FormatError, ThemeError
from imhcard.render.backdrop import union
from imhcard.render.draw import chain_for, contain, debug_overlay, draw_text, fit_in
from imhcard.render.fit import FittedText
from imhcard.render.qr import MIN_MODULE_PX, qr_image

# Where each static text element's words come from, for error messages.
STATIC_SOURCE = {"wordmark": "wordmark", "title": "title", "dates": "week_name",
                  "intro": "pledge_intro", "qr_label": "qr_label", "hashtag": "hashtags",
                  "signature": "signature"}


LABELS = {"dates": "week name and dates", "qr_label": "QR label", "intro": "pledge intro"}

def layout_for(theme: Theme, fmt: Format, style: str = "text") -> dict[str, Element]:
    """The format's layout in a style, with the theme's overrides and its minimum
    legible size (worked out once per theme, format and style: every card of a batch
    asks for it)."""
    return dict(_layout_for(theme, fmt, style))

@lru_cache(maxsize=64)
def _layout_for(theme: Theme, fmt: Format, style: str = "text") -> dict[str, Element]:
    floor = round(theme.min_text_size * fmt.scale)
    layout = build_layout(fmt, theme.layouts.get(layout_name(fmt.name, style)), style)
    for name, el in layout.items():
        if el.fill is None and name not in ("art", "logo", "photo", "qr"):
            size = max(el.size, floor)
            layout[name] = replace(el, size=size, min_size=min(size, max(el.min_size, floor)))
    return layout

def static_text(theme: Theme, language: str, name: str) -> str:
    words = theme.wording(language)
    if name == "dates":
        return f"{words.week_name}\n{theme.dates_text(language)}"
    if name == "hashtag":
        return theme.hashtag
    if name == "signature":
        return words.signature
    return {"wordmark": words.wordmark, "title": words.title, "intro": words.pledge_intro,
            "qr_label": words.qr_label}[name]


def on_photo(layout: Mapping[str, Element]) -> tuple[str, ...]:
    """Photo style: the elements that sit on the photo itself, inside the chip's box."""
    chip = layout.get("chip")
    if chip is None:
        return ()
    c = chip.box
    return tuple(k for k, el in layout.items() if k not in ("chip", BACKDROP) and el.fill is None
                 and c.x <= el.box.x and c.y <= el.box.y and el.box.right <= c.right
                 and el.box.bottom <= c.bottom)


# Where the marks may move to, off a face: the other end of the photo, its other side,
# or the far corner; tried in this order, the first that keeps most faces clear wins.
MOVES = ("vertical", "horizontal", "both")


def marks_shift(layout: Mapping[str, Element], fmt: Format, area: Box | None = None,
                how: str = "vertical") -> tuple[int, int] | None:
    """Photo style: how far (dx, dy) the chip, and what sits on the photo inside it, move
    to the other end ("vertical"), the other side ("horizontal") or the far corner
    ("both") of the photo: the place of `area` (what the marks really cover, marks_area;
    the whole chip box without it) mirrored within the part of the photo box the apps
    leave visible (a story's buttons cover its top). None when nothing sits on the photo,
    when it would not move, or when the moved marks would meet anything else drawn over
    the photo (a QR sticker, the panel)."""
    chip, photo = layout.get("chip"), layout.get(BACKDROP)
    names = on_photo(layout)
    if chip is None or photo is None or not names:
        return None
    top = max(photo.box.y, fmt.safe_top)
    bottom = min(photo.box.bottom, fmt.height - fmt.safe_bottom)
    a = area or chip.box
    dy = top + bottom - a.y - a.h - a.y if how in ("vertical", "both") else 0
    dx = photo.box.x + photo.box.right - a.x - a.w - a.x if how in ("horizontal", "both") \
        else 0
    if dx == 0 and dy == 0:
        return None
    new = replace(a, x=a.x + dx, y=a.y + dy)
    if new.y < top or new.bottom > bottom or new.x < photo.box.x \
            or new.right > photo.box.right or any(
                el.box.overlaps(new) for name, el in layout.items()
                if name not in (*names, "chip", BACKDROP, "art") and not el.hidden):
        return None
    return dx, dy


def marks_moved(layout: Mapping[str, Element], fmt: Format, area: Box | None = None,
                how: str = "vertical") -> dict[str, Element] | None:
    """The layout with the chip and what sits on the photo inside it moved (marks_shift),
    or None when they cannot move that way."""
    shift = marks_shift(layout, fmt, area, how)
    if shift is None:
        return None
    dx, dy = shift
    moved = {**layout}
    for name in (*on_photo(layout), "chip"):
        el = layout[name]
        moved[name] = replace(el, box=replace(el.box, x=el.box.x + dx, y=el.box.y + dy))
    return moved


def _fit_static(theme: Theme, fmt: Format, language: str, name: str,
                el: Element) -> FittedText:
    try:
        return fit_in(static_text(theme, language, name), el, chain_for(theme, el.font),
                    LABELS.get(name, name), fmt)
    except FitError as exc:
        where = theme.where("languages", language, STATIC_SOURCE[name])
        raise ThemeError(str(theme.path), [f"{where}: {exc}"]) from None


STATIC_TEXT = ("wordmark", "title", "dates", "intro", "qr_label", "hashtag", "signature")


# A 1080-wide layer is 3.5 MB; 32 holds every format in two languages, with room.
@lru_cache(maxsize=32)
def static_layer(theme: Theme, fmt: Format, language: str, debug: bool = False,
                 style: str = "text", has_photo: bool = False,
                 ) -> tuple[Image.Image, dict[str, int]]:
    """Everything on a card that is the same for every supporter, made once per
    theme, format, language and style; each card starts from a copy of it (never
    draw on the returned image itself). In the text style a photo takes the
    artwork's place; in the photo style what sits on the photo is drawn per card."""
    layout = layout_for(theme, fmt, style)
    skip = set(on_photo(layout)) | {"chip"}
    if has_photo and "photo" in layout and "art" in layout \
            and layout["photo"].box.overlaps(layout["art"].box):
        skip.add("art")
    c = theme.colours
    image = Image.new("RGB", (fmt.width, fmt.height), c["background"])
    draw = ImageDraw.Draw(image)
    sizes: dict[str, int] = {}
    for name, el in layout.items():
        if el.fill is not None and name not in skip:
            draw.rectangle((el.box.x, el.box.y, el.box.right - 1, el.box.bottom - 1),
                           fill=c[el.fill])
    if "art" in layout and theme.artwork and "art" not in skip:
        art = contain(theme.artwork, layout["art"].box.w, layout["art"].box.h)
        b = layout["art"].box
        image.paste(art, (b.x + (b.w - art.width) // 2, b.y + (b.h - art.height) // 2), art)
    if "logo" in layout and theme.logo and "logo" not in skip:
        b = layout["logo"].box
        mark = contain(theme.logo, b.w, b.h)
        # The mark is drawn as a shape in the theme's colour, so it suits every palette.
        x, y = b.x + (b.w - mark.width) // 2, b.y + (b.h - mark.height) // 2
        image.paste(c["primary"], (x, y, x + mark.width, y + mark.height), mark.getchannel("A"))
    if "qr" in layout:
        b = layout["qr"].box
        url = theme.campaign_url(fmt)
        min_module = max(1, int(MIN_MODULE_PX * fmt.scale))
        try:
            code = qr_image(url, min(b.w, b.h), min_module, c["text"])
        except FormatError as exc:
            raise ThemeError(str(theme.path), [f"{theme.where('layouts', fmt.name, 'qr')}: "
                                               f"{exc}"]) from None
        image.paste(code, (b.x + (b.w - code.width) // 2, b.y + (b.h - code.height) // 2))
    for name in STATIC_TEXT:
        if name not in layout:
            continue
        el = layout[name]
        fitted = _fit_static(theme, fmt, language, name, el)
        sizes[name] = fitted.size
        if name in skip:
            continue
        end, baseline = draw_text(image, el, fitted, chain_for(theme, el.font), c[el.colour],
                                   name)
        if name == "signature":
            # A ruled line to sign on, from the label to the box's right edge.
            thickness = max(2, fitted.size // 16)
            draw.line((end + fitted.size // 2, baseline, el.box.right, baseline),
                      fill=c[el.colour], width=thickness)
    if debug:
        debug_overlay(image, layout, fmt)
    return image, sizes


@lru_cache(maxsize=32)
def photo_marks(theme: Theme, fmt: Format, language: str) -> tuple[Image.Image, Box] | None:
    """Photo style: what sits on the photo (logo, wordmark, week) as one mask, and the
    box it covers; drawn per card in whichever colour reads on that photo."""
    layout = layout_for(theme, fmt, "photo")
    names = on_photo(layout)
    if not names:
        return None
    area = union(layout[k].box for k in names)
    canvas = Image.new("RGB", (area.w, area.h), (0, 0, 0))
    white = (255, 255, 255)
    for name in names:
        el = layout[name]
        b = replace(el.box, x=el.box.x - area.x, y=el.box.y - area.y)
        if name == "logo" and theme.logo:
            mark = contain(theme.logo, b.w, b.h)
            x, y = b.x + (b.w - mark.width) // 2, b.y + (b.h - mark.height) // 2
            canvas.paste(white, (x, y, x + mark.width, y + mark.height), mark.getchannel("A"))
        elif name in STATIC_TEXT:
            fitted = _fit_static(theme, fmt, language, name, el)
            draw_text(canvas, replace(el, box=b), fitted, chain_for(theme, el.font), white,
                       name)
    mask = canvas.convert("L")
    # Only as big as what was drawn: a short wordmark needs a short chip.
    bbox = mask.getbbox() or (0, 0, 1, 1)
    mask = mask.crop(bbox)
    return mask, Box(area.x + bbox[0], area.y + bbox[1], bbox[2] - bbox[0], bbox[3] - bbox[1])


def chip_pad(fmt: Format) -> int:
    """The room around the marks on the photo, and the corner radius of their chip."""
    return max(8, round(16 * fmt.scale))


def marks_area(theme: Theme, fmt: Format, language: str) -> Box | None:
    """Photo style: where the marks on the photo (logo, wordmark, title, week) sit with
    the room around them, inside the layout's chip box: what their chip covers when the
    photo is too busy for them, and what a face must stay clear of."""
    marks = photo_marks(theme, fmt, language)
    if marks is None:
        return None
    _, box = marks
    limit = layout_for(theme, fmt, "photo")["chip"].box
    pad = chip_pad(fmt)
    x0, y0 = max(limit.x, box.x - pad), max(limit.y, box.y - pad)
    x1, y1 = min(limit.right, box.right + pad), min(limit.bottom, box.bottom + pad)
    return Box(x0, y0, x1 - x0, y1 - y0)
