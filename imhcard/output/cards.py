"""Making one supporter's cards (or blank ones): the library call behind `imhcard card`.

A card is never written over a different earlier card: when a file of the same name
holds something else, the whole set (every format, alt texts and caption) gets the next
free name, `aoife-2-story.png`, unless `force` is given. Re-making the same card writes
the same bytes to the same names.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from imhcard.core.formats import Format
from imhcard.core.supporter import Supporter, resolve
from imhcard.core.theme import Theme
from imhcard.errors import SupporterError
from imhcard.output.files import (
    Written,
    caption_file,
    card_files,
    prepare_out_dir,
    slug,
    write_together,
)
from imhcard.render.blank import render_blank
from imhcard.render.photo import SupporterPhoto
from imhcard.render.pipeline import MadeCard, encode_card, make_card

BLANK_STEM = "blank"
DEBUG_SUFFIX = "-debug"


@dataclass(frozen=True)
class MadeCards:
    files: list[Written]
    caption: Path
    stem: str = ""
    wanted_stem: str = ""  # differs from `stem` when that name held a different card
    notes: tuple[str, ...] = ()  # e.g. the photo style asked for without a photo
    photo_cards: int = 0  # how many are in the photo style (JPEG suits them better)

    @property
    def renamed(self) -> bool:
        return self.stem != self.wanted_stem


def _planned(cards: Sequence[MadeCard], out_dir: Path, stem: str) -> list[tuple[Path, bytes]]:
    files = [f for made in cards for f in card_files(made, out_dir, stem)]
    return [*files, caption_file(cards[0].card.caption, out_dir, stem)]


def _same_or_absent(path: Path, data: bytes) -> bool:
    # Never through a symlink, and never waiting on a pipe: only a regular file that
    # imhcard could have written counts as "the same card".
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    except FileNotFoundError:
        return not path.is_symlink()
    except OSError:
        return False
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode) or info.st_size != len(data):
        os.close(fd)
        return False  # a folder of that name is reported when the set is written
    with os.fdopen(fd, "rb") as fh:
        return fh.read() == data


def write_set(cards: Sequence[MadeCard], out_dir: Path, stem: str,
              force: bool = False) -> MadeCards:
    """Write the cards, their alt texts and the caption under `stem`, or under the first
    of stem-2, stem-3 ... whose files are absent or identical, unless `force`."""
    out_dir = prepare_out_dir(out_dir)
    chosen = stem
    for n in itertools.count(1):
        chosen = stem if n == 1 else f"{stem}-{n}"
        files = _planned(cards, out_dir, chosen)
        if force or all(_same_or_absent(path, data) for path, data in files):
            break
    # Every card, alt text and the caption in place together, or none of them.
    write_together(files)
    written = [Written(image, alt, hashlib.sha256(data).hexdigest())
               for (image, data), (alt, _) in zip(files[0:-1:2], files[1:-1:2], strict=True)]
    return MadeCards(written, files[-1][0], chosen, stem)


def make_cards(theme: Theme, supporter: Supporter, formats: Sequence[Format], out_dir: Path,
               image_type: str = "png", debug: bool = False, stem: str | None = None,
               force: bool = False) -> MadeCards:
    """Render every format first, then write: a supporter's error writes nothing.
    Debug cards (every box outlined) get their own names: `aoife-debug-story.png`."""
    text = resolve(supporter, theme)
    photo = SupporterPhoto.read(supporter.photo) if supporter.photo else None
    cards = [make_card(theme, text, fmt, photo, image_type, debug) for fmt in formats]
    stem = (stem or slug(text.name)) + (DEBUG_SUFFIX if debug else "")
    made = write_set(cards, out_dir, stem, force)
    return replace(made, notes=tuple(dict.fromkeys(m.card.note for m in cards if m.card.note)),
                   photo_cards=sum(m.card.style == "photo" for m in cards))


def make_blank_cards(theme: Theme, formats: Sequence[Format], out_dir: Path,
                     image_type: str = "png", language: str | None = None,
                     force: bool = False, debug: bool = False) -> MadeCards:
    """Blank cards to fill in by hand (see imhcard.render.blank), as `blank-<format>`."""
    asked = (language or "").strip() or theme.default_language
    code = theme.language_code(asked)
    if code is None:
        raise SupporterError("language", f"the language '{asked}' has no wording in this "
                             f"theme; choose one of: {', '.join(theme.languages)}")
    cards = [encode_card(render_blank(theme, fmt, code, debug), image_type) for fmt in formats]
    stem = BLANK_STEM if code == theme.default_language else f"{BLANK_STEM}-{code}"
    stem += DEBUG_SUFFIX if debug else ""
    return write_set(cards, out_dir, stem, force)
