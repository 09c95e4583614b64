"""Making one supporter's cards: the library call behind `imhcard card`."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from imhcard.core.formats import Format
from imhcard.core.supporter import Supporter, resolve
from imhcard.core.theme import Theme
from imhcard.output.files import (
    Written,
    caption_file,
    card_files,
    prepare_out_dir,
    slug,
    write_together,
)
from imhcard.render.compose import render_card
from imhcard.render.photo import load_photo


@dataclass(frozen=True)
class MadeCards:
    files: list[Written]
    caption: Path


def make_cards(theme: Theme, supporter: Supporter, formats: Sequence[Format], out_dir: Path,
               image_type: str = "png", debug: bool = False, stem: str | None = None) -> MadeCards:
    """Render every format first, then write: a supporter's error writes nothing."""
    pledge = resolve(supporter, theme)
    photo = load_photo(supporter.photo) if supporter.photo else None
    cards = [render_card(theme, pledge, fmt, photo, debug=debug) for fmt in formats]
    stem = stem or slug(pledge.name)
    out_dir = prepare_out_dir(out_dir)
    files = [card_files(card, out_dir, stem, image_type) for card in cards]
    caption = caption_file(cards[0].caption, out_dir, stem)
    # Every card, alt text and the caption in place together, or none of them.
    write_together([f for pair in files for f in pair] + [caption])
    written = [Written(image, alt, hashlib.sha256(data).hexdigest())
               for (image, data), (alt, _) in files]
    return MadeCards(written, caption[0])
