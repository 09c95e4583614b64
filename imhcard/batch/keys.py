"""A card's content key: a hash of everything it is made from (the theme and the files
it draws with, imhcard's version, the row's values, its photo) and where it goes. A rerun
skips every card whose key and files are unchanged."""

from __future__ import annotations

import hashlib
import json

from imhcard import __version__
from imhcard.batch.journal import sha256_file
from imhcard.core.formats import Format
from imhcard.core.supporter import CardText
from imhcard.core.theme import Theme


def theme_key(theme: Theme) -> str:
    """A hash of the theme file and every file it draws with, and imhcard's version:
    change any of them and every card is made again."""
    digest = hashlib.sha256(__version__.encode())
    f = theme.fonts
    for path in (theme.path, theme.artwork, theme.logo, f.display, f.body, f.body_bold,
                 *f.fallback):
        digest.update(b"\0" + (sha256_file(path) or "missing").encode() if path else b"\0-")
    return digest.hexdigest()


def card_key(theme_digest: str, text: CardText, photo_digest: str, row: int, fmt: Format,
             image_type: str, debug: bool, by_supporter: bool = False) -> str:
    """What a card is made from (and where it goes): if this is unchanged, so are its
    bytes and its file's name."""
    parts: list[object] = [theme_digest, fmt.name, image_type, debug, row, *text.key_parts(),
                           photo_digest]
    if by_supporter:
        parts.append("by-supporter")
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()


