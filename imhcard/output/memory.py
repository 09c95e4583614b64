"""One card in memory, for the web page: a supporter's details and photo bytes in;
the image's bytes, its alt text, caption and a download file name out. Nothing
touches the disk. The card itself is made by the one pipeline (render.pipeline), as
for `imhcard card` and `imhcard batch`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from imhcard.core.formats import Format
from imhcard.core.supporter import Supporter, resolve
from imhcard.core.theme import Theme
from imhcard.output.files import slug
from imhcard.render.photo import SupporterPhoto
from imhcard.render.pipeline import MadeCard, make_card, make_preview


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


def _as_bytes(made: MadeCard, name: str, suffix: str = "") -> CardBytes:
    card = made.card
    width, height = made.size
    return CardBytes(made.data, made.media_type,
                     f"{slug(name)}-{card.format.name}{suffix}{made.extension}", card.alt_text,
                     card.caption, card.format.name, width, height)


def _photo(photo: bytes | None, name: str) -> SupporterPhoto | None:
    return SupporterPhoto(photo, name) if photo else None


def card_bytes(theme: Theme, supporter: Supporter, fmt: Format, image_type: str = "png",
               photo: bytes | None = None, photo_name: str = "") -> CardBytes:
    """Make one card entirely in memory, with the same checks, wording and pixels as
    `imhcard card`. `supporter.photo` is ignored; `photo` is the photo's bytes."""
    text = resolve(supporter, theme)
    return _as_bytes(make_card(theme, text, fmt, _photo(photo, photo_name), image_type),
                     text.name)


def preview_bytes(theme: Theme, supporter: Supporter, fmt: Format, photo: bytes | None = None,
                  photo_name: str = "") -> CardBytes:
    """A small JPEG of the card for a live preview (render.pipeline.make_preview)."""
    text = resolve(supporter, theme)
    return _as_bytes(make_preview(theme, text, fmt, _photo(photo, photo_name)), text.name,
                     "-preview")
