"""One card: a supporter's words and photo in; the finished image, its bytes, alt text
and caption out. The only place a card is made.

The CLI (output/cards.py), the batch (batch/row.py) and the page (web/jobs.py) are
thin callers that differ only in where the inputs come from (a file, a spreadsheet
row, an upload) and where the bytes go (a file, the journal, a response): the same
theme, words, format, style, photo bytes and crop give the same pixels through each.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from imhcard.core.formats import Format
from imhcard.core.supporter import CardText, Crop
from imhcard.core.theme import Theme
from imhcard.errors import OutputError
from imhcard.render.compose import Card, render_card
from imhcard.render.encode import EXTENSIONS, IMAGE_TYPES, MEDIA_TYPES, encode
from imhcard.render.framing import auto_crop, face_window
from imhcard.render.photo import SupporterPhoto
from imhcard.render.static import layout_for, marks_area, on_photo
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


def photo_side(theme: Theme, text: CardText, fmt: Format) -> int:
    """How many pixels the photo's shorter side needs for this card: its frame's
    longer side in the card's style, magnified by the supporter's zoom. Depends on
    this card alone, so a card is the same whichever other cards are made with it."""
    style, _ = card_style(theme, text, fmt, True)
    el = layout_for(theme, fmt, style).get("photo")
    side = max(el.box.w, el.box.h) if el is not None else MIN_PHOTO_SIDE
    zoom = text.crop.zoom if text.crop else 1.0
    return max(MIN_PHOTO_SIDE, math.ceil(side * zoom))


def frame_crop(theme: Theme, text: CardText, fmt: Format, photo: SupporterPhoto) -> Crop | None:
    """Where the photo sits in this card's frame: the supporter's crop, or the one that
    keeps the faces in the photo whole and clear of what is drawn over it
    (render.framing), or None (the rule for a photo without faces)."""
    if text.crop is not None:
        return text.crop
    (w, h), faces = photo.faces()
    if not faces:
        return None
    style, _ = card_style(theme, text, fmt, True)
    layout = layout_for(theme, fmt, style)
    area = marks_area(theme, fmt, text.language) if style == "photo" else None
    if area is not None:  # what the marks on the photo really cover, for these words
        marks = on_photo(layout)
        layout = {k: v for k, v in layout.items() if k not in marks}
        layout["chip"] = replace(layout["chip"], box=area)
    window = face_window(layout, style, fmt)
    if window is None:
        return None
    return auto_crop(w, h, window.w, window.h, faces, window.clear, window.avoid)


def draw_card(theme: Theme, text: CardText, fmt: Format, photo: SupporterPhoto | None = None,
              debug: bool = False, shrink: int = 1) -> Card:
    """The card's image and words, not yet encoded. `shrink` decodes the photo smaller
    for a card that will be shown reduced by that factor (a preview)."""
    if photo is None:
        return render_card(theme, text, fmt, None, debug=debug)
    image = photo.image(max(32, math.ceil(photo_side(theme, text, fmt) / shrink)))
    return render_card(theme, text, fmt, image, debug=debug,
                       crop=frame_crop(theme, text, fmt, photo))


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
