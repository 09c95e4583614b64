"""One row of a batch, in a worker: content keys, and making the row's cards.

A card's content key hashes everything it is made from (the theme and the files it
draws with, imhcard's version, the row's values, its photo), so a rerun skips every
card whose key and files are unchanged. make_row renders, encodes and writes a
row's cards in every format and records each in the journal as soon as its files
are in place; the batch run (imhcard.batch.runner) decides which rows go to which worker.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from imhcard import __version__
from imhcard.batch.inputs import InputRow, supporter_of
from imhcard.batch.journal import JournalWriter, Made, sha256_file
from imhcard.batch.manifest import Entry
from imhcard.core.formats import Format
from imhcard.core.supporter import CardText, clean_text, resolve
from imhcard.core.theme import Theme
from imhcard.errors import PhotoError, SupporterError
from imhcard.output.files import slug, write_caption, write_card
from imhcard.render.compose import photo_side, render_card
from imhcard.render.cover import opaque
from imhcard.render.photo import load_photo

# File names start with the row number, so two supporters with the same name
# get distinct names, the same row always gets the same name, and a folder
# sorts in the order of the spreadsheet.
ROW_DIGITS = 5


@dataclass(frozen=True)
class RowOutcome:
    """What became of one row: a manifest entry per format, and the cards made."""

    row: int
    name: str
    entries: tuple[Entry, ...]

    @property
    def failed(self) -> bool:
        return any(e.status == "failed" for e in self.entries)


# --- content keys ----------------------------------------------------------------------


def theme_key(theme: Theme) -> str:
    """A hash of the theme file and every file it draws with, and imhcard's version:
    change any of them and every card is made again."""
    digest = hashlib.sha256(__version__.encode())
    f = theme.fonts
    for path in (theme.path, theme.artwork, theme.logo, f.display, f.body, f.body_bold,
                 *f.fallback):
        digest.update(b"\0" + (sha256_file(path) or "missing").encode() if path else b"\0-")
    return digest.hexdigest()


def card_key(theme_digest: str, pledge: CardText, photo_digest: str, row: int, fmt: Format,
             image_type: str, debug: bool) -> str:
    """What a card is made from: if this is unchanged, so are its bytes."""
    parts = [theme_digest, fmt.name, image_type, debug, row, pledge.name, pledge.pledge, pledge.org,
             pledge.handle, pledge.language, pledge.prompt_id, photo_digest, pledge.style]
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()


# --- one row, in a worker ------------------------------------------------------------------


@dataclass(frozen=True)
class Job:
    row: InputRow
    prior: Mapping[str, Made | None]


@dataclass(frozen=True)
class WorkerState:
    """What each worker loads once: the theme, the formats and where to write."""

    theme: Theme
    theme_digest: str
    formats: tuple[Format, ...]
    image_type: str
    debug: bool
    out_dir: Path
    base: Path
    journal: JournalWriter


def _photo_digest(path: Path | None) -> str:
    if path is None:
        return ""
    digest = sha256_file(path)
    if digest is None:
        # load_photo says what is wrong in words a supporter understands.
        load_photo(path)
        raise PhotoError("photo", f"cannot read the photo '{path.name}'")
    return digest


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return ""


def _failed(row: int, name: str, formats: Iterable[Format],
            exc: SupporterError | str) -> RowOutcome:
    error, where = (str(exc), exc.field) if isinstance(exc, SupporterError) else (exc, "")
    return RowOutcome(row, name, tuple(
        Entry(row, name, f.name, "failed", field=where, error=error) for f in formats))


def make_row(st: WorkerState, job: Job) -> RowOutcome:
    """Make (or confirm) one row's cards in every format; a bad row is an outcome, not an
    exception. Only problems that stop the whole batch raise."""
    row = job.row
    name = clean_text(row.get("name"))
    if row.problem:
        return _failed(row.number, name, st.formats, row.problem)
    try:
        pledge = resolve(supporter_of(row, st.base), st.theme)
        photo_digest = _photo_digest(pledge.photo)
    except SupporterError as exc:
        return _failed(row.number, name, st.formats, exc)
    stem = f"{row.number:0{ROW_DIGITS}d}-{slug(pledge.name)}"
    entries: list[Entry] = []
    photo: Image.Image | None = None
    photo_error: SupporterError | None = None
    caption: tuple[str, str] | None = None
    for fmt in st.formats:
        key = card_key(st.theme_digest, pledge, photo_digest, row.number, fmt, st.image_type,
                       st.debug)
        prior = job.prior.get(fmt.name)
        if prior is not None and prior.key == key and prior.intact(st.out_dir):
            names = [n for n, _ in prior.files]
            texts = [_read_text(st.out_dir / n) for n in names[1:3]] + ["", ""]
            entries.append(Entry(row.number, pledge.name, fmt.name, "skipped", tuple(names),
                                 prior.files[0][1], texts[0], texts[1]))
            continue
        try:
            if photo_error is not None:
                raise photo_error
            if pledge.photo is not None and photo is None:
                # Decoded once per row, only when some format needs making.
                try:
                    photo = opaque(load_photo(pledge.photo,
                                              photo_side(st.theme, pledge, st.formats)))
                except PhotoError as exc:
                    photo_error = exc  # the same reason for every format of the row
                    raise
            card = render_card(st.theme, pledge, fmt, photo, debug=st.debug)
            written = write_card(card, st.out_dir, stem, st.image_type)
            if caption is None:
                path = write_caption(card.caption, st.out_dir, stem)
                caption = (path.name, sha256_file(path) or "")
        except SupporterError as exc:
            entries.append(Entry(row.number, pledge.name, fmt.name, "failed", field=exc.field,
                                 error=str(exc)))
            continue
        files = ((written.image.name, written.digest),
                 (written.alt.name, sha256_file(written.alt) or ""), caption)
        st.journal.record(row.number, fmt.name, key, files)
        if prior is not None:
            _remove_superseded(st.out_dir, prior, files)
        entries.append(Entry(row.number, pledge.name, fmt.name, "made",
                             tuple(n for n, _ in files), written.digest, card.alt_text,
                             card.caption))
    return RowOutcome(row.number, pledge.name, tuple(entries))


def _remove_superseded(out_dir: Path, prior: Made, files: Sequence[tuple[str, str]]) -> None:
    """A row whose name changed gets new file names; remove the old card's files, but
    only those still exactly as imhcard wrote them."""
    keep = {n for n, _ in files}
    for name, digest in prior.files:
        path = out_dir / name
        if name not in keep and sha256_file(path) == digest:
            path.unlink(missing_ok=True)
