"""One row of a batch, in a worker: content keys, and making the row's cards.

A card's content key hashes everything it is made from (the theme and the files it
draws with, imhcard's version, the row's values, its photo), so a rerun skips every
card whose key and files are unchanged. make_row makes a row's cards in every format
through the one card pipeline (render.pipeline), writes each and records it in the
journal as soon as its files are in place; the batch run (imhcard.batch.runner)
decides which rows go to which worker.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from imhcard.batch.answers import understood
from imhcard.batch.inputs import InputRow, supporter_of
from imhcard.batch.journal import JournalWriter, Made, sha256_file
from imhcard.batch.keys import card_key
from imhcard.batch.manifest import ALREADY_MADE, NO_CONSENT_STATUS, Entry
from imhcard.batch.outcome import RowOutcome, failed_outcome, joined, merge
from imhcard.batch.photos import NO_PHOTO, NOT_IMAGE, PhotoPick
from imhcard.batch.problems import (
    NO_CONSENT,
    REVIEW_PHOTO_MATCH,
    REVIEW_SCREENSHOT,
    REVIEW_SMALL_PHOTO,
    ROW_UNREADABLE,
    Problem,
    from_error,
    resolve_all,
    stand_in_text,
)
from imhcard.core.fields import BY_NAME
from imhcard.core.formats import Format
from imhcard.core.safe_files import inside
from imhcard.core.supporter import CardText
from imhcard.core.theme import Theme
from imhcard.errors import OutputError, PhotoError, SupporterError
from imhcard.output.files import slug, write_card
from imhcard.render.photo import SupporterPhoto
from imhcard.render.pipeline import MIN_PHOTO_SIDE, looks_soft, make_card, photo_side
from imhcard.render.words import fit_card

# File names start with the row number, so two supporters with the same name
# get distinct names, the same row always gets the same name, and a folder
# sorts in the order of the spreadsheet.
ROW_DIGITS = 5


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
    no_consent: str = ""  # why the row may not be made (batch/consent.py), or ""


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


@dataclass(frozen=True)
class Done:
    """A format of the row that is in place: made now, made earlier, or checked."""

    status: str  # made, already made (an earlier run's, unchanged) or checked
    files: tuple[str, ...] = ()
    sha256: str = ""
    alt_text: str = ""
    caption: str = ""


class RowFailed(Exception):
    """A --strict row whose photo could not be read once its cards were being made."""


@dataclass
class _Row:
    """One row's work in progress: its words, photo and every problem found so far."""

    st: WorkerState
    job: Job
    text: CardText
    problems: list[Problem]
    photo: SupporterPhoto | None
    photo_digest: str
    photo_problem: Problem | None
    by_format: dict[str, list[Problem]] = field(default_factory=dict)
    done: dict[str, Done] = field(default_factory=dict)
    caption: tuple[str, str] | None = None

    @property
    def has_photo(self) -> bool:
        return self.job.photo.has_photo and self.photo_problem is None

    def photofailed_outcome(self, problem: Problem) -> None:
        self.photo_problem = problem
        self.problems.append(problem)
        self.photo = None


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


def _card_problems(theme: Theme, text: CardText, fmt: Format, has_photo: bool
                   ) -> list[Problem]:
    return [from_error(e, True, fmt.name) for e in _fit_errors(theme, text, fmt, has_photo)]


def _photo_of(st: WorkerState, pick: PhotoPick) -> tuple[SupporterPhoto | None, Problem | None]:
    """The row's photo file read once, or why it cannot be."""
    problem = Problem(pick.kind, pick.problem, "photo", st.strict) if pick.problem else None
    if pick.path is None:
        return None, problem
    try:
        return SupporterPhoto.read(pick.path), problem
    except PhotoError as exc:
        return None, Problem(NOT_IMAGE, str(exc), "photo", st.strict)


def make_row(st: WorkerState, job: Job) -> RowOutcome:
    """Make (or confirm, or with st.check only check) one row's cards in every format,
    finding every problem; a bad row is an outcome, not an exception. Only problems
    that stop the whole batch raise."""
    row = job.row
    name = BY_NAME["name"].clean(row.get("name"))
    email = BY_NAME["email"].clean(row.get("email"))
    if row.problem:
        return failed_outcome(row.number, name, email, st.formats,
                       [Problem(row.problem_kind or ROW_UNREADABLE, row.problem)])
    if job.no_consent:
        # No card, no e-mail address kept: the supporter said no.
        return failed_outcome(row.number, name, "", st.formats,
                              [Problem(NO_CONSENT, job.no_consent, "consent")], NO_CONSENT_STATUS)
    row, found = understood(row, st.theme)
    problems = [*job.notes, *found]
    if job.photo.note:
        problems.append(Problem(REVIEW_PHOTO_MATCH, job.photo.note, "photo", fatal=False))
    if job.older_duplicate:
        return failed_outcome(row.number, name, email, st.formats, problems, "duplicate")
    # The photo cell was looked at by the parent (imhcard.batch.photos).
    supporter = replace(supporter_of(replace(row, values={**row.values, "photo": ""}), st.base),
                        photo=job.photo.path)
    text, errors = resolve_all(supporter, st.theme)
    said = {(p.kind, p.field) for p in problems}  # the row's answers said it already
    problems += [p for p in map(from_error, errors) if (p.kind, p.field) not in said]
    photo, photo_problem = _photo_of(st, job.photo)
    if photo is not None and (st.check or text is None or any(p.fatal for p in problems)):
        # --check reads every photo, and so does a row that will not be made (its
        # report lists every problem); otherwise a photo is decoded only to draw it.
        photo_problem = _decode_problem(photo, MIN_PHOTO_SIDE, st.strict) or photo_problem
    if photo_problem is not None:
        problems.append(photo_problem)
    has_photo = job.photo.has_photo and photo_problem is None
    if text is None or any(p.fatal for p in problems):
        # Not made: look for the card's own problems too, with stand-ins for bad fields.
        card_problems = {fmt.name: _card_problems(st.theme, text, fmt, has_photo)
                         for fmt in st.formats} if text is not None else {}
        return failed_outcome(row.number, name, email, st.formats,
                       merge(problems, card_problems, st.formats))
    # The photo file is part of the key even when it cannot be read: the same file
    # gives the same card (made without it) again.
    digest = photo.digest if photo is not None else (
        sha256_file(job.photo.path) or "" if job.photo.path else "")
    work = _Row(st, job, text, problems, photo if has_photo else None, digest, photo_problem)
    try:
        _make_formats(work)
    except RowFailed:
        return failed_outcome(row.number, name, email, st.formats, work.problems)
    return _outcome(work, email)


def _decode_problem(photo: SupporterPhoto, side: int, strict: bool) -> Problem | None:
    try:
        photo.image(side)
    except PhotoError as exc:
        return Problem(NOT_IMAGE, str(exc), "photo", strict)
    return None


def _folder(st: WorkerState, stem: str) -> Path:
    folder = st.out_dir / stem if st.by_supporter else st.out_dir
    if st.by_supporter and (folder.is_symlink() or not inside(folder, (st.out_dir,))):
        # Writes only ever land in the output folder: a link planted where a supporter's
        # folder goes would carry their cards (and the next run's) somewhere else.
        raise OutputError(f"refusing to write outside {st.out_dir}: {folder} is a link; "
                          "remove it and run the same command again")
    return folder


# A photo may be enlarged this much before it looks soft on the card.


def photo_reviews(st: WorkerState, text: CardText, photo: SupporterPhoto) -> list[Problem]:
    """What staff should look at in a photo before the cards go out (nothing is changed):
    one smaller than its place on the card (it will look soft), or a phone screenshot
    (its status bar shows on the card)."""
    out: list[Problem] = []
    try:
        w, h = photo.pixel_size()
        screenshot = photo.looks_like_a_screenshot()
    except PhotoError:
        return out  # reported where it is decoded
    need = max(photo_side(st.theme, text, fmt) for fmt in st.formats)
    if looks_soft((w, h), need):
        out.append(Problem(REVIEW_SMALL_PHOTO, f"the photo is {w}×{h} pixels, smaller than "
                           f"its place on the card (about {need} pixels): it will look soft; "
                           "ask for a bigger one if you can", "photo", fatal=False))
    if screenshot:
        out.append(Problem(REVIEW_SCREENSHOT, "the photo looks like a phone screenshot "
                           f"({w}×{h}, no camera details): check that no status bar or "
                           "app shows on the card", "photo", fatal=False))
    return out


def _make_formats(work: _Row) -> None:
    """Check, confirm or make each format's card, noting what became of it."""
    st, text = work.st, work.text
    stem = f"{work.job.row.number:0{ROW_DIGITS}d}-{slug(text.name)}"
    folder = _folder(st, stem)
    if work.photo is not None and work.has_photo:  # read from its header: no pixels
        work.problems.extend(photo_reviews(st, text, work.photo))
    for fmt in st.formats:
        if st.check:
            found = _card_problems(st.theme, text, fmt, work.has_photo)
            if found:
                work.by_format[fmt.name] = found
            else:
                work.done[fmt.name] = Done("checked")
            continue
        key = card_key(st.theme_digest, text, work.photo_digest, work.job.row.number, fmt,
                       st.image_type, st.debug, st.by_supporter)
        prior = work.job.prior.get(fmt.name)
        if prior is not None and prior.key == key and prior.intact(st.out_dir):
            _confirm(work, prior)
            work.done[fmt.name] = _earlier(st.out_dir, prior)
            continue
        _make_one(work, fmt, key, folder, stem, prior)


def _confirm(work: _Row, prior: Made) -> None:
    """An earlier run's card, unchanged: its photo warning still holds."""
    if prior.warning and work.photo_problem is None and work.job.photo.path is not None:
        work.photo_problem = Problem(NOT_IMAGE, prior.warning, "photo", False)
        work.problems.append(work.photo_problem)


def _earlier(out_dir: Path, prior: Made) -> Done:
    names = [n for n, _ in prior.files]
    alt, caption = ([_read_text(out_dir / n) for n in names[1:3]] + ["", ""])[:2]
    return Done(ALREADY_MADE, tuple(names), prior.files[0][1], alt, caption)


def _make_one(work: _Row, fmt: Format, key: str, folder: Path, stem: str,
              prior: Made | None) -> None:
    """Make, write and journal one format's card, or note why it could not be."""
    st = work.st
    if work.photo is not None:
        # Decoded once per row (at each scale the formats need), only when a card is made.
        problem = _decode_problem(work.photo, photo_side(st.theme, work.text, fmt), st.strict)
        if problem is not None:
            work.photofailed_outcome(problem)
            if problem.fatal:
                raise RowFailed
    try:
        made = make_card(st.theme, work.text, fmt, work.photo if work.has_photo else None,
                         st.image_type, st.debug)
    except SupporterError as exc:
        found = _card_problems(st.theme, work.text, fmt, work.has_photo)
        work.by_format[fmt.name] = found or [from_error(exc, True, fmt.name)]
        return
    # The card, its alt text and (with the row's first card) the caption are written
    # together or not at all.
    written = write_card(made, folder, stem, caption=work.caption is None)
    prefix = f"{stem}/" if st.by_supporter else ""
    if written.caption is not None:
        work.caption = (prefix + written.caption.name,
                        sha256_file(written.caption, follow=False) or "")
    assert work.caption is not None, "the row's first card written carries its caption"
    files = ((prefix + written.image.name, written.digest),
             (prefix + written.alt.name, sha256_file(written.alt, follow=False) or ""),
             work.caption)
    warning = work.photo_problem.message if work.photo_problem is not None else ""
    st.journal.record(work.job.row.number, fmt.name, key, files, warning)
    if prior is not None:
        _remove_superseded(st.out_dir, prior, files)
    work.done[fmt.name] = Done("made", tuple(n for n, _ in files), written.digest,
                               made.card.alt_text, made.card.caption)


def _outcome(work: _Row, email: str) -> RowOutcome:
    st, text = work.st, work.text
    problems = merge(work.problems, work.by_format, st.formats)
    warning = joined(p for p in problems if not p.fatal)
    entries = []
    for fmt in st.formats:
        failed = work.by_format.get(fmt.name)
        if failed:
            entries.append(Entry(work.job.row.number, text.name, fmt.name, "failed",
                                 field=failed[0].field, error=joined(failed), email=email,
                                 warning=warning, problems=tuple(problems)))
            continue
        done = work.done[fmt.name]
        entries.append(Entry(work.job.row.number, text.name, fmt.name, done.status,
                             done.files, done.sha256, done.alt_text, done.caption,
                             email=email, warning=warning, problems=tuple(problems),
                             handle=text.handle))
    return RowOutcome(work.job.row.number, text.name, tuple(entries), tuple(problems))


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
