"""Composing a card: (theme, words, format, photo) -> image, alt text and caption. The
static layer (render/static.py) with the supporter's words (render/words.py) and photo on
it. No file I/O beyond the theme's own fonts and artwork, read once per process."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from PIL import Image

from imhcard.core.fields import PRINTED
from imhcard.core.formats import Format
from imhcard.core.layout import BACKDROP, FONT_ROLES, Element
from imhcard.core.pledge import tidy_sentence
from imhcard.core.supporter import CardText, Crop
from imhcard.core.theme import Theme
from imhcard.render.backdrop import draw_chip, pick_colour
from imhcard.render.cover import cover
from imhcard.render.describe import describe_layout, photo_sentence
from imhcard.render.draw import chain_for, debug_overlay, draw_text
from imhcard.render.photo import shaped_photo
from imhcard.render.static import (
    chip_pad,
    layout_for,
    marks_area,
    marks_moved,
    photo_marks,
    static_layer,
)
from imhcard.render.words import card_style, fitted


@dataclass(frozen=True)
class Card:
    """A finished card and the words that go with it."""

    image: Image.Image
    format: Format
    alt_text: str
    caption: str
    url: str
    sizes: Mapping[str, int]  # font size each text element ended at, for tests and --debug
    layout: Mapping[str, Element]  # the boxes as drawn (a long name moves the person row up)
    title: str = ""  # a document title for the print PDF: "<week name>: <name>"
    style: str = "text"  # the style it was drawn in
    note: str = ""  # said to the supporter, e.g. why a photo card fell back to text
    language: str = ""  # the language code of its words, tagged in its files (ga, en)

def _backdrop(image: Image.Image, base: Image.Image, layout: Mapping[str, Element],
              photo: Image.Image, crop: Crop | None) -> None:
    """Photo style: the photo under the whole photo box, then the opaque boxes of the
    static layer (panel, band, QR code) put back on top of it."""
    b = layout[BACKDROP].box
    covered = cover(photo, b.w, b.h, crop)
    # A transparent photo shows the card's background through it, as in the text style.
    image.paste(covered, (b.x, b.y), covered if covered.mode == "RGBA" else None)
    for name, el in layout.items():
        if (el.fill is not None and name != "chip") or name == "qr":
            e = el.box
            if e.overlaps(b):
                image.paste(base.crop((e.x, e.y, e.right, e.bottom)), (e.x, e.y))


def _marks_on_photo(image: Image.Image, theme: Theme, fmt: Format, language: str,
                    shift: tuple[int, int] = (0, 0)) -> None:
    """The logo, wordmark, title and week on the photo: in the theme's primary or
    background colour, whichever reads on the photo there, over a chip when neither
    does; `shift` (dx, dy) away from the layout's place when they moved off a face."""
    marks = photo_marks(theme, fmt, language)
    chip = marks_area(theme, fmt, language)
    if marks is None or chip is None:
        return
    mask, box = marks
    dx, dy = shift
    box = replace(box, x=box.x + dx, y=box.y + dy)
    c = theme.colours
    chip = replace(chip, x=chip.x + dx, y=chip.y + dy)
    pad = chip_pad(fmt)
    region = image.crop((chip.x, chip.y, chip.right, chip.bottom))
    colour, needs_chip = pick_colour(region, (c["primary"], c["background"]))
    if needs_chip:
        colour = c["primary"]
        draw_chip(image, chip, c["background"], radius=pad)
    image.paste(colour, (box.x, box.y, box.right, box.bottom), mask)

def text_fields(theme: Theme, pledge: CardText, has_photo: bool,
                layout: Mapping[str, Element] | None = None, fmt: Format | None = None,
                style: str = "text") -> dict[str, str]:
    """The values the alt text and caption templates may use. With the card's layout,
    `{photo}` and `{layout}` say where the photo, hashtag and QR code actually are."""
    words = theme.wording(pledge.language)
    dates = theme.dates_text(pledge.language).replace("\u00a0", " ")
    accounts = " ".join(theme.accounts)
    photo = f"{words.photo_alt} " if has_photo and words.photo_alt else ""
    where = ""
    if layout is not None and fmt is not None:
        said = photo_sentence(layout, fmt, style, has_photo, pledge.language)
        photo = f"{said} " if said is not None and has_photo else photo
        where = describe_layout(layout, fmt, pledge.language, theme.hashtag)
    return {
        **{f.name: getattr(pledge, f.name) for f in PRINTED},
        "by": f", {pledge.org}" if pledge.org else "", "title": words.title,
        "tagline": words.tagline,
        "week_name": words.week_name, "dates": dates, "hashtag": theme.hashtag,
        "hashtags": " ".join(theme.hashtags), "accounts": accounts, "url": theme.url,
        "year": str(theme.year), "photo": photo, "layout": where,
    }


def _tidy(text: str) -> str:
    # A pledge ending "!" or "." meets the template's own full stop: "night!. Every".
    return tidy_sentence(" ".join(text.split()))

def render_card(theme: Theme, pledge: CardText, fmt: Format, photo: Image.Image | None = None,
                debug: bool = False, crop: Crop | None = None, move_marks: str = "",
                ) -> Card:
    """Compose one card in the supporter's style (or the theme's for the format).
    Raises FitError naming the field when text cannot fit. The photo is framed by the
    supporter's crop (`pledge.crop`, or `crop` when given) in both styles.
    `move_marks`: in the photo style, what sits on the photo (logo, wordmark, week) is
    drawn at the other end, the other side or the far corner of the photo (one of
    static.MOVES; static.marks_moved), off a face the crop could not keep clear of it
    (render.pipeline decides)."""
    style, note = card_style(theme, pledge, fmt, photo is not None)
    has_photo = photo is not None and "photo" in layout_for(theme, fmt, style)
    layout, drawn = fitted(theme, pledge, fmt, photo is not None, style)
    shift = (0, 0)
    moved = marks_moved(layout, fmt, marks_area(theme, fmt, pledge.language), move_marks) \
        if move_marks and style == "photo" and has_photo else None
    if moved is not None:
        shift = (moved["chip"].box.x - layout["chip"].box.x,
                 moved["chip"].box.y - layout["chip"].box.y)
        layout = moved
    base, sizes = static_layer(theme, fmt, pledge.language, debug, style, has_photo)
    sizes = dict(sizes)
    c = theme.colours
    chain = {role: chain_for(theme, role) for role in FONT_ROLES}
    image = base.copy()
    if style == "photo" and photo is not None:
        _backdrop(image, base, layout, photo, crop or pledge.crop)
        _marks_on_photo(image, theme, fmt, pledge.language, shift)
    for field, fit in drawn:
        el = layout[field]
        sizes[field] = fit.size
        draw_text(image, replace(el, box=replace(el.box, h=max(el.box.h, fit.height))), fit,
                   chain[el.font], c[el.colour], field)
    if style == "text" and photo is not None and "photo" in layout:
        el = layout["photo"]
        b = el.box
        shaped = shaped_photo(photo, b.w, b.h, el.shape, crop or pledge.crop)
        image.paste(shaped, (b.x + (b.w - shaped.width) // 2, b.y + (b.h - shaped.height) // 2),
                    shaped)
    if debug:
        debug_overlay(image, {k: layout[k] for k in ("pledge", "name", "org", "photo")
                               if k in layout}, fmt)

    fields = text_fields(theme, pledge, has_photo, layout, fmt, style)
    words = theme.wording(pledge.language)
    return Card(image=image, format=fmt, alt_text=_tidy(words.alt_text.format(**fields)),
                caption=_tidy(words.caption.format(**fields)), url=theme.campaign_url(fmt),
                sizes=sizes, layout=layout, title=f"{words.week_name}: {pledge.name}",
                style=style, note=note, language=pledge.language)
