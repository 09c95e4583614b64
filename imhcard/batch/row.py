"""One row of a batch, in a worker: content keys, and making the row's cards.

A card's content key hashes everything it is made from (the theme and the files it
draws with, imhcard's version, the row's values, its photo), so a rerun skips every
card whose key and files are unchanged. make_row renders, encodes and writes a
row's cards in every format and records each in the journal as soon as its files
are in place; the batch run (imhcard.batch.runner) decides which rows go to which worker.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from PIL import Image

from imhcard import __version__
from imhcard.batch.inputs import InputRow, supporter_of
from imhcard.batch.journal import JournalWriter, Made, sha256_file
from imhcard.batch.manifest import Entry
from imhcard.batch.photos import NO_PHOTO, NOT_IMAGE, PhotoPick
from imhcard.batch.problems import (
    ROW_UNREADABLE,
    Problem,
    from_error,
    resolve_all,
    stand_in_text,
)
from imhcard.core.formats import Format
from imhcard.core.safe_files import inside
from imhcard.core.supporter import CardText, clean_text
from imhcard.core.theme import Theme
from imhcard.errors import OutputError, PhotoError, SupporterError
from imhcard.output.files import slug, write_card
from imhcard.render.compose import fit_card, photo_side, render_card
from imhcard.render.cover import opaque
from imhcard.render.photo import load_photo

# File names start with the row number, so two supporters with the same name
# get distinct names, the same row always gets the same name, and a folder
# sorts in the order of the spreadsheet.
ROW_DIGITS = 5
SEPARATOR = " | "


@dataclass(frozen=True)
class RowOutcome:
    """What became of one row: a manifest entry per format, and every problem."""

    row: int
    name: str
    entries: tuple[Entry, ...]
    problems: tuple[Problem, ...] = ()

    @property
    def failed(self) -> bool:
        return any(e.status == "failed" for e in self.entries)

    @property
    def status(self) -> str:
        """made, made without photo, failed or duplicate: how the report describes it."""
        if self.failed:
            return "failed"
        if any(e.status == "duplicate" for e in self.entries):
            return "duplicate"
        if any(p.field == "photo" for p in self.problems):
            return "made without photo"
        return "made"


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
             image_type: str, debug: bool, by_supporter: bool = False) -> str:
    """What a card is made from (and where it goes): if this is unchanged, so are its
    bytes and its file's name."""
    parts: list[object] = [theme_digest, fmt.name, image_type, debug, row, pledge.name,
                           pledge.pledge, pledge.org, pledge.handle, pledge.language,
                           pledge.prompt_id, photo_digest, pledge.style]
    if by_supporter:
        parts.append("by-supporter")
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()


# --- one row, in a worker ------------------------------------------------------------------


@dataclass(frozen=True)
class Job:
    """A row to make, what earlier runs made of it, and what the parent found out
    first: its photo (fetched or matched), and whether it is a duplicate."""

    row: InputRow
    prior: Mapping[str, Made | None]
    photo: PhotoPick = NO_PHOTO
    notes: tuple[Problem, ...] = ()
    older_duplicate: bool = False


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
    check: bool = False  # find every problem, write nothing
    strict: bool = False  # a photo that cannot be had fails the row
    by_supporter: bool = False  # each supporter's files in a folder of their own


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return ""


def _fit_errors(theme: Theme, text: CardText, fmt: Format, has_photo: bool
                ) -> list[SupporterError]:
    """Every field of the card that does not fit or has a character no font has."""
    errors: list[SupporterError] = []
    current: CardText | None = text
    while current is not None and len(errors) < 4:
        try:
            fit_card(theme, current, fmt, has_photo)
            break
        except SupporterError as exc:
            errors.append(exc)
            current = stand_in_text(current, exc.field)
    return errors


def _merge(problems: list[Problem], by_format: dict[str, list[Problem]],
           formats: tuple[Format, ...]) -> list[Problem]:
    """The row's problems once each: a card problem in every format is the row's, in
    some formats it names them."""
    out = list(problems)
    seen: dict[tuple[str, str], list[str]] = {}
    for fmt_name, found in by_format.items():
        for p in found:
            seen.setdefault((p.kind, p.message), []).append(fmt_name)
    for found in by_format.values():
        for p in found:
            names = seen.pop((p.kind, p.message), None)
            if names is None:
                continue
            every = len(names) == len(formats)
            out.append(Problem(p.kind, p.message, p.field, p.fatal,
                               "" if every else ", ".join(names)))
    return out


def joined(problems: Iterable[Problem]) -> str:
    """Several problems in one manifest cell (their messages may hold ';' themselves)."""
    return SEPARATOR.join(p.message for p in problems)


def _failed(row: int, name: str, email: str, formats: Iterable[Format],
            problems: list[Problem], status: str = "failed") -> RowOutcome:
    # A row not made lists everything to fix, its photo too; notes (duplicates) stay
    # warnings.
    fatal = [p for p in problems if p.fatal or p.field == "photo"] or problems
    error = joined(fatal) if status == "failed" else ""
    warning = joined(p for p in problems if not p.fatal)
    where = fatal[0].field if fatal and status == "failed" else ""
    return RowOutcome(row, name, tuple(
        Entry(row, name, f.name, status, field=where, error=error, email=email,
              warning=warning, problems=tuple(problems)) for f in formats), tuple(problems))


def make_row(st: WorkerState, job: Job) -> RowOutcome:
    """Make (or confirm, or with st.check only check) one row's cards in every format,
    finding every problem; a bad row is an outcome, not an exception. Only problems
    that stop the whole batch raise."""
    row = job.row
    name = clean_text(row.get("name"))
    email = clean_text(row.get("email"))
    if row.problem:
        return _failed(row.number, name, email, st.formats,
                       [Problem(ROW_UNREADABLE, row.problem)])
    problems = list(job.notes)
    if job.older_duplicate:
        return _failed(row.number, name, email, st.formats, problems, "duplicate")
    # The photo cell was looked at by the parent (imhcard.batch.photos).
    pick = job.photo
    supporter = replace(supporter_of(replace(row, values={**row.values, "photo": ""}), st.base),
                        photo=pick.path)
    text, errors = resolve_all(supporter, st.theme)
    problems += [from_error(e) for e in errors]
    photo_problem = (Problem(pick.kind, pick.problem, "photo", st.strict) if pick.problem
                     else None)
    photo: Image.Image | None = None
    photo_digest = ""
    if pick.path is not None:
        photo_digest = sha256_file(pick.path) or ""
        if st.check or not photo_digest or text is None or any(p.fatal for p in problems):
            # --check reads every photo, and so does a row that will not be made (its
            # report lists every problem); otherwise a photo is read only to draw it.
            try:
                photo = load_photo(pick.path)
            except PhotoError as exc:
                photo_problem = Problem(NOT_IMAGE, str(exc), "photo", st.strict)
    has_photo = pick.has_photo and photo_problem is None
    if photo_problem is not None:
        problems.append(photo_problem)
    if text is None or any(p.fatal for p in problems):
        # Not made: look for the card's own problems too, with stand-ins for bad fields.
        card_problems = {fmt.name: [from_error(e, True, fmt.name)
                                    for e in _fit_errors(st.theme, text, fmt, has_photo)]
                         for fmt in st.formats} if text is not None else {}
        return _failed(row.number, name, email, st.formats,
                       _merge(problems, card_problems, st.formats))
    pledge = text
    stem = f"{row.number:0{ROW_DIGITS}d}-{slug(pledge.name)}"
    folder = st.out_dir / stem if st.by_supporter else st.out_dir
    if st.by_supporter and (folder.is_symlink() or not inside(folder, (st.out_dir,))):
        # Writes only ever land in the output folder: a link planted where a supporter's
        # folder goes would carry their cards (and the next run's) somewhere else.
        raise OutputError(f"refusing to write outside {st.out_dir}: {folder} is a link; "
                          "remove it and run the same command again")
    prefix = f"{stem}/" if st.by_supporter else ""
    by_format: dict[str, list[Problem]] = {}
    made: list[tuple[Format, str, tuple[str, ...], str, str, str]] = []
    caption: tuple[str, str] | None = None
    for fmt in st.formats:
        # The photo file is part of the key even when it cannot be read: the same file
        # gives the same card (made without it) again.
        key = card_key(st.theme_digest, pledge, photo_digest, row.number,
                       fmt, st.image_type, st.debug, st.by_supporter)
        prior = job.prior.get(fmt.name)
        if st.check:
            found = _fit_errors(st.theme, pledge, fmt, has_photo)
            by_format[fmt.name] = [from_error(e, True, fmt.name) for e in found]
            if not found:
                made.append((fmt, "checked", (), "", "", ""))
            continue
        if prior is not None and prior.key == key and prior.intact(st.out_dir):
            names = [n for n, _ in prior.files]
            texts = [_read_text(st.out_dir / n) for n in names[1:3]] + ["", ""]
            if prior.warning and photo_problem is None and pick.path is not None:
                photo_problem = Problem(NOT_IMAGE, prior.warning, "photo", False)
                problems.append(photo_problem)
            made.append((fmt, "skipped", tuple(names), prior.files[0][1], texts[0], texts[1]))
            continue
        try:
            if has_photo and photo is None and pick.path is not None:
                # Decoded once per row, only when some format needs making.
                try:
                    photo = opaque(load_photo(pick.path,
                                              photo_side(st.theme, pledge, st.formats)))
                except PhotoError as exc:
                    photo_problem = Problem(NOT_IMAGE, str(exc), "photo", st.strict)
                    problems.append(photo_problem)
                    if st.strict:
                        return _failed(row.number, name, email, st.formats, problems)
                    has_photo = False
            card = render_card(st.theme, pledge, fmt, photo if has_photo else None,
                               debug=st.debug)
            # The card, its alt text and (with the row's first card) the caption are
            # written together or not at all.
            written = write_card(card, folder, stem, st.image_type, caption=caption is None)
            if written.caption is not None:
                caption = (prefix + written.caption.name,
                           sha256_file(written.caption, follow=False) or "")
        except SupporterError as exc:
            found = _fit_errors(st.theme, pledge, fmt, has_photo) or [exc]
            by_format[fmt.name] = [from_error(e, True, fmt.name) for e in found]
            continue
        assert caption is not None, "the row's first card written carries its caption"
        files = ((prefix + written.image.name, written.digest),
                 (prefix + written.alt.name, sha256_file(written.alt, follow=False) or ""),
                 caption)
        warning = photo_problem.message if photo_problem is not None else ""
        st.journal.record(row.number, fmt.name, key, files, warning)
        if prior is not None:
            _remove_superseded(st.out_dir, prior, files)
        made.append((fmt, "made", tuple(n for n, _ in files), written.digest, card.alt_text,
                     card.caption))
    problems = _merge(problems, by_format, st.formats)
    warning = joined(p for p in problems if not p.fatal)
    entries = []
    for fmt in st.formats:
        failed = by_format.get(fmt.name)
        if failed:
            entries.append(Entry(row.number, pledge.name, fmt.name, "failed",
                                 field=failed[0].field,
                                 error=joined(failed), email=email,
                                 warning=warning, problems=tuple(problems)))
            continue
        done = next(m for m in made if m[0] is fmt)
        entries.append(Entry(row.number, pledge.name, fmt.name, done[1], done[2], done[3],
                             done[4], done[5], email=email, warning=warning,
                             problems=tuple(problems)))
    return RowOutcome(row.number, pledge.name, tuple(entries), tuple(problems))


def _remove_superseded(out_dir: Path, prior: Made, files: Sequence[tuple[str, str]]) -> None:
    """A row whose name changed gets new file names; remove the old card's files, but
    only those still exactly as imhcard wrote them."""
    keep = {n for n, _ in files}
    for name, digest in prior.files:
        path = out_dir / name
        if name not in keep and sha256_file(path) == digest:
            path.unlink(missing_ok=True)
            _remove_empty_folder(path.parent, out_dir)


def _remove_empty_folder(folder: Path, out_dir: Path) -> None:
    """A supporter's own folder (--by-supporter) once its last file has gone."""
    if folder != out_dir and out_dir in folder.parents:
        with contextlib.suppress(OSError):  # not empty, or gone already
            folder.rmdir()
