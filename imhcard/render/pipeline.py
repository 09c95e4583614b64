"""One card: a supporter's words and photo in; the finished image, its bytes, alt text
and caption out. The only place a card is made.

The CLI (output/cards.py), the batch (batch/row.py) and the page (web/jobs.py) are
thin callers that differ only in where the inputs come from (a file, a spreadsheet
row, an upload) and where the bytes go (a file, the journal, a response): the same
theme, words, format, style, photo bytes and crop give the same pixels through each.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from imhcard.core.formats import Format
from imhcard.core.layout import BACKDROP, Box, Element
from imhcard.core.supporter import CardText, Crop
from imhcard.core.theme import Theme
from imhcard.errors import OutputError
from imhcard.render.compose import Card, render_card
from imhcard.render.cover import cover_box
from imhcard.render.encode import EXTENSIONS, IMAGE_TYPES, MEDIA_TYPES, encode
from imhcard.render.faces import Face
from imhcard.render.framing import Rect, Window, auto_crop, face_window
from imhcard.render.photo import SupporterPhoto
from imhcard.render.static import MOVES, layout_for, marks_area, marks_shift, on_photo
from imhcard.render.words import card_style

# The least a photo is decoded at, whatever its frame: small frames still get a
# photo sharp enough to move and zoom in.
MIN_PHOTO_SIDE = 256
# A preview is the card at half size or less, as a JPEG: a phone shows it a few
# hundred pixels wide, and it must come back while the supporter is still typing.
PREVIEW_SIDE = 720


@dataclass(frozen=True)
class MadeCard:
    """A finished card and its encoded bytes."""

    card: Card
    data: bytes
    kind: str  # png, jpeg, webp or pdf
    size: tuple[int, int]  # of the encoded image: a preview is smaller than its card

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.kind]

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.kind]


# A photo enlarged more than this to fill its place looks soft: staff are told (the
# batch's review notes) and so is the supporter (the page).
ENLARGE_MAX = 1.5


def photo_need(theme: Theme, fmt: Format, style: str) -> int:
    """The longer side of the photo's frame in this format and style, in pixels."""
    el = layout_for(theme, fmt, style).get("photo")
    return max(el.box.w, el.box.h) if el is not None else MIN_PHOTO_SIDE


def photo_side(theme: Theme, text: CardText, fmt: Format) -> int:
    """How many pixels the photo's shorter side needs for this card: its frame's
    longer side in the card's style, magnified by the supporter's zoom. Depends on
    this card alone, so a card is the same whichever other cards are made with it."""
    style, _ = card_style(theme, text, fmt, True)
    zoom = text.crop.zoom if text.crop else 1.0
    return max(MIN_PHOTO_SIDE, math.ceil(photo_need(theme, fmt, style) * zoom))


def looks_soft(size: tuple[int, int], need: int) -> bool:
    """A photo of `size` enlarged past ENLARGE_MAX to fill `need` pixels."""
    return min(size) * ENLARGE_MAX < need


@dataclass(frozen=True)
class Framing:
    """Where the photo sits in a card's frame: the crop (None: the rule for a photo
    without faces, render.framing.default_crop) and where the marks on the photo (logo,
    wordmark, week) moved to, off a face: "" (they did not), or one of static.MOVES."""

    crop: Crop | None
    move_marks: str = ""


# A face counts as shown when this much of its box is in the window, and as hidden
# by the marks' chip when this much of it is under the chip.
SHOWN, UNDER_CHIP = 0.9, 0.1


def _faces_clear(faces: Sequence[Face], size: tuple[int, int], window: Window, crop: Crop,
                 chip: Box | None) -> int:
    """How many faces the crop shows whole in the window and not under the chip
    (`chip` in the window's pixels)."""
    left, top, right, _ = cover_box(size[0], size[1], window.w, window.h, crop)
    k = window.w / (right - left)
    n = 0
    for f in faces:
        x0, y0 = (f.x - left) * k, (f.y - top) * k
        x1, y1 = x0 + f.w * k, y0 + f.h * k
        area = max(1e-9, (x1 - x0) * (y1 - y0))
        if _overlap((x0, y0, x1, y1), (0, 0, window.w, window.h)) < SHOWN * area:
            continue
        if chip is not None and _overlap((x0, y0, x1, y1), (
                chip.x, chip.y, chip.right, chip.bottom)) >= UNDER_CHIP * area:
            continue
        n += 1
    return n


def _overlap(a: Rect, b: Rect) -> float:
    return max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))


def _chip_in_window(layout: Mapping[str, Element]) -> Box | None:
    chip, photo = layout.get("chip"), layout.get(BACKDROP)
    if chip is None or photo is None:
        return None
    return Box(chip.box.x - photo.box.x, chip.box.y - photo.box.y, chip.box.w, chip.box.h)


def _faces_layout(layout: Mapping[str, Element], area: Box | None,
                  shift: tuple[int, int] = (0, 0)) -> dict[str, Element]:
    """The layout as faces must see it: what the marks on the photo really cover for
    these words (static.marks_area), `shift` (dx, dy) away when they moved, in place of
    the layout's chip and the marks inside it."""
    if area is None:
        return dict(layout)
    marks = on_photo(layout)
    out = {k: v for k, v in layout.items() if k not in marks}
    out["chip"] = replace(layout["chip"], box=replace(area, x=area.x + shift[0],
                                                      y=area.y + shift[1]))
    return out


def framing(theme: Theme, fmt: Format, style: str, photo: SupporterPhoto,
            asked: Crop | None = None, language: str | None = None) -> Framing:
    """The photo's place in a card of this format and style, with the words in
    `language` (the theme's own by default): `asked` (the supporter's crop) or the one
    that keeps the faces in the photo whole and clear of what is drawn over it
    (render.framing), or None (the rule for a photo without faces).

    Photo style: when even that crop leaves a face under the marks' chip and moving
    the marks to the other end, the other side or the far corner of the photo
    (static.MOVES) lets the automatic crop show more faces clear, the marks move (the
    first move that shows the most). That is decided from the photo and the layout
    alone, so a crop the supporter sets moves the photo, never the marks."""
    (w, h), faces = photo.faces()
    if not faces:
        return Framing(asked)
    full = layout_for(theme, fmt, style)
    language = language or theme.default_language
    area = marks_area(theme, fmt, language) if style == "photo" else None
    layout = _faces_layout(full, area)
    window = face_window(layout, style, fmt)
    if window is None:
        return Framing(asked)
    auto = auto_crop(w, h, window.w, window.h, faces, window.clear, window.avoid)
    if style != "photo":
        return Framing(asked or auto)
    best, kept = Framing(asked or auto), _faces_clear(faces, (w, h), window, auto,
                                                      _chip_in_window(layout))
    for how in MOVES:
        shift = marks_shift(full, fmt, area, how) if kept < len(faces) else None
        if shift is None:
            continue
        other_layout = _faces_layout(full, area, shift)
        other = face_window(other_layout, style, fmt)
        if other is None:
            continue
        crop = auto_crop(w, h, other.w, other.h, faces, other.clear, other.avoid)
        clear = _faces_clear(faces, (w, h), other, crop, _chip_in_window(other_layout))
        if clear > kept:
            best, kept = Framing(asked or crop, how), clear
    return best


def frame_crop(theme: Theme, text: CardText, fmt: Format, photo: SupporterPhoto) -> Crop | None:
    """Where the photo sits in this card's frame (see framing)."""
    style, _ = card_style(theme, text, fmt, True)
    return framing(theme, fmt, style, photo, text.crop, text.language).crop


def draw_card(theme: Theme, text: CardText, fmt: Format, photo: SupporterPhoto | None = None,
              debug: bool = False, shrink: int = 1) -> Card:
    """The card's image and words, not yet encoded. `shrink` decodes the photo smaller
    for a card that will be shown reduced by that factor (a preview)."""
    if photo is None:
        return render_card(theme, text, fmt, None, debug=debug)
    image = photo.image(max(32, math.ceil(photo_side(theme, text, fmt) / shrink)))
    style, _ = card_style(theme, text, fmt, True)
    placed = framing(theme, fmt, style, photo, text.crop, text.language)
    return render_card(theme, text, fmt, image, debug=debug, crop=placed.crop,
                       move_marks=placed.move_marks)


def encode_card(card: Card, image_type: str = "png") -> MadeCard:
    """The card's bytes: `image_type` for a screen card; a print card is always a PDF."""
    if image_type not in IMAGE_TYPES:
        raise OutputError(f"unknown image type '{image_type[:20]}'; "
                          f"choose one of: {', '.join(IMAGE_TYPES)}")
    fmt = card.format
    if fmt.is_print:
        data = encode(card.image, "pdf", card.alt_text, fmt.print_dpi, title=card.title,
                      language=card.language)
        return MadeCard(card, data, "pdf", card.image.size)
    return MadeCard(card, encode(card.image, image_type, card.alt_text, language=card.language),
                    image_type, card.image.size)


def make_card(theme: Theme, text: CardText, fmt: Format, photo: SupporterPhoto | None = None,
              image_type: str = "png", debug: bool = False) -> MadeCard:
    """One supporter's card in one format: photo decoded at the scale this card needs,
    cropped by the one crop rule, composed, encoded. Raises the SupporterError
    (FitError, GlyphError, PhotoError) that says which field to change."""
    return encode_card(draw_card(theme, text, fmt, photo, debug), image_type)


def make_preview(theme: Theme, text: CardText, fmt: Format,
                 photo: SupporterPhoto | None = None, side: int = PREVIEW_SIDE) -> MadeCard:
    """A small, fast JPEG of the card for a live preview: the same layout and checks as
    the real card, scaled so its longer side is at most `side` pixels."""
    factor = max(1, -(-max(fmt.width, fmt.height) // side))  # ceiling division
    card = draw_card(theme, text, fmt, photo, shrink=factor)
    image = card.image.reduce(factor) if factor > 1 else card.image
    return MadeCard(card, encode(image, "jpeg"), "jpeg", image.size)
