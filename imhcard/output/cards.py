"""Making one supporter's cards: the library call behind `imhcard card`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from imhcard.core.formats import Format
from imhcard.core.supporter import Supporter, resolve
from imhcard.core.theme import Theme
from imhcard.output.files import Written, slug, write_caption, write_card
from imhcard.render.compose import photo_side, render_card
from imhcard.render.cover import opaque
from imhcard.render.photo import load_photo


@dataclass(frozen=True)
class MadeCards:
    files: list[Written]
    caption: Path
    notes: tuple[str, ...] = ()  # e.g. the photo style asked for without a photo


def make_cards(theme: Theme, supporter: Supporter, formats: Sequence[Format], out_dir: Path,
               image_type: str = "png", debug: bool = False, stem: str | None = None) -> MadeCards:
    """Render every format first, then write: a supporter's error writes nothing."""
    pledge = resolve(supporter, theme)
    photo = (opaque(load_photo(supporter.photo, photo_side(theme, pledge, formats)))
             if supporter.photo else None)
    cards = [render_card(theme, pledge, fmt, photo, debug=debug) for fmt in formats]
    stem = stem or slug(pledge.name)
    files = [write_card(card, out_dir, stem, image_type) for card in cards]
    caption = write_caption(cards[0].caption, out_dir, stem)
    return MadeCards(files, caption, tuple(dict.fromkeys(c.note for c in cards if c.note)))
