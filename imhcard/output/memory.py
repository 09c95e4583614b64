"""One card in memory: a supporter's details and photo bytes in, the image's bytes,
its alt text, caption and a download file name out. Nothing touches the disk; the web
page (imhcard.web) calls this where the CLI calls make_cards."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from PIL import Image

from imhcard.core.formats import Format
from imhcard.core.supporter import Supporter, resolve
from imhcard.core.theme import Theme
from imhcard.errors import OutputError
from imhcard.output.files import IMAGE_TYPES, card_extension, encode_card, slug
from imhcard.render.compose import layout_for, render_card
from imhcard.render.encode import encode
from imhcard.render.photo import load_photo

MEDIA_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".webp": "image/webp",
               ".pdf": "application/pdf"}
# A preview is the card at half size or less, as a JPEG: a phone shows it a few
# hundred pixels wide, and it must come back while the supporter is still typing.
PREVIEW_SIDE = 720


@dataclass(frozen=True)
class CardBytes:
    """A finished card as bytes, and the words that go with it."""

    data: bytes
    media_type: str
    filename: str
    alt_text: str
    caption: str
    format: str
    width: int
    height: int

    def as_json(self, encoded_image: str) -> dict[str, Any]:
        """The card's description for an API answer, with the image already encoded."""
        return {"image": encoded_image, "media_type": self.media_type,
                "filename": self.filename, "alt_text": self.alt_text, "caption": self.caption,
                "format": self.format, "width": self.width, "height": self.height}


def _photo(photo: bytes | None, theme: Theme, fmt: Format, zoom: float, name: str,
           shrink: int = 1) -> Image.Image | None:
    """The photo decoded just big enough for its circle on this card at this zoom: a
    phone's 12-megapixel JPEG is decoded at 1/8 scale for most cards (Pillow's draft),
    which is most of the difference between 0.3 s and 0.05 s per card."""
    if not photo:
        return None
    el = layout_for(theme, fmt).get("photo")
    side = min(el.box.w, el.box.h) if el else 64
    return load_photo(photo, max_side=max(32, math.ceil(side * zoom / shrink)), name=name)


def card_bytes(theme: Theme, supporter: Supporter, fmt: Format, image_type: str = "png",
               photo: bytes | None = None, photo_name: str = "") -> CardBytes:
    """Make one card entirely in memory, with the same checks, wording and encoders as
    `imhcard card`. `supporter.photo` is ignored; `photo` is the photo's bytes."""
    if image_type not in IMAGE_TYPES:
        raise OutputError(f"unknown image type '{image_type}'; "
                          f"choose one of: {', '.join(IMAGE_TYPES)}")
    text = resolve(supporter, theme)
    zoom = text.crop.zoom if text.crop else 1.0
    card = render_card(theme, text, fmt, _photo(photo, theme, fmt, zoom, photo_name))
    ext = card_extension(fmt.is_print, image_type)
    return CardBytes(encode_card(card, image_type), MEDIA_TYPES[ext],
                     f"{slug(text.name)}-{fmt.name}{ext}", card.alt_text, card.caption,
                     fmt.name, fmt.width, fmt.height)


def preview_bytes(theme: Theme, supporter: Supporter, fmt: Format, photo: bytes | None = None,
                  photo_name: str = "", side: int = PREVIEW_SIDE) -> CardBytes:
    """A small, fast JPEG of the card for a live preview: the same layout and checks
    as the real card, scaled so its longer side is at most `side` pixels."""
    text = resolve(supporter, theme)
    factor = max(1, -(-max(fmt.width, fmt.height) // side))  # ceiling division
    zoom = text.crop.zoom if text.crop else 1.0
    card = render_card(theme, text, fmt, _photo(photo, theme, fmt, zoom, photo_name, factor))
    image = card.image
    if factor > 1:
        image = image.reduce(factor)
    return CardBytes(encode(image, "jpeg"), "image/jpeg",
                     f"{slug(text.name)}-{fmt.name}-preview.jpg", card.alt_text, card.caption,
                     fmt.name, image.width, image.height)
