"""Contact sheets: every card of a batch as a thumbnail, with its row number, name
and status under it, pages of a grid per format, for staff to look over before
anything is posted. A row that failed gets a tile saying why, so gaps show.

As PNG pages (one set per image format), or with `pdf` as one PDF of every card,
print PDFs included, to review on screen or on paper."""

from __future__ import annotations

import io
import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw

from imhcard.batch.manifest import NO_CONSENT_STATUS, Entry, read_manifests
from imhcard.batch.outcome import without_photo
from imhcard.batch.problems import REVIEW_KINDS
from imhcard.core.formats import FORMATS
from imhcard.core.images import open_image
from imhcard.core.limits import IMAGE_MAX_BYTES, IMAGE_MAX_PIXELS
from imhcard.core.safe_files import read_regular
from imhcard.errors import BatchInputError, GlyphError, RefusedFile
from imhcard.output.files import atomic_file, write_atomic
from imhcard.render.bidi import paragraph_rtl
from imhcard.render.encode import encode
from imhcard.render.fit import text_width
from imhcard.render.fonts import (
    FontChain,
    builtin_font,
    draw_runs,
    graphemes,
    line_runs,
    split_runs,
)

PER_PAGE = 48
COLUMNS = 8
THUMB_WIDTH = 240
PAD = 20
LABEL_SIZE = 18
TITLE_SIZE = 28
PAGE_COLOUR = (236, 240, 239)
EDGE = (196, 204, 202)
INK = (20, 33, 61)
MUTED = (90, 100, 110)
FAILED_FILL = (251, 227, 224)
FAILED_INK = (150, 30, 20)
WARN_INK = (120, 80, 0)
OK_INK = (27, 94, 32)
PLACEHOLDER_FILL = (250, 250, 250)
_IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp")
# A sheet PDF page is printed about this wide, in inches (A4 landscape, with margins).
PDF_PAGE_INCHES = 11.0
_PDF_IMAGE = re.compile(rb"/Subtype\s*/Image(.{0,400}?)>>\s*stream\r?\n", re.DOTALL)


@dataclass(frozen=True)
class Sheets:
    """The pages made, and the formats left off (PDFs have no thumbnail)."""

    pages: tuple[Path, ...]
    cards: int
    left_off: tuple[str, ...]
    pdf: Path | None = None


@cache
def _chain(weight: str) -> FontChain:
    name = "NotoSans-Bold.ttf" if weight == "bold" else "NotoSans-Regular.ttf"
    return FontChain.build(builtin_font(name), (), weight)


def _most(size: int, width: int) -> int:
    """More characters than a line `width` px wide can hold at `size` px: no glyph of
    the label fonts is narrower than a sixth of its size. Text past this is never
    measured, so a 9,000-character name costs what a long one does."""
    return width * 6 // max(1, size) + 2


def _fit_line(text: str, chain: FontChain, size: int, width: int) -> str:
    """The text, cut with an ellipsis if it is wider than the tile (a label, not the card:
    here a long name may be shortened); the cut found by bisection over whole characters
    (a letter with its accents, an emoji sequence)."""
    clusters = graphemes(text)
    if len(clusters) <= _most(size, width) and text_width(text, chain, size) <= width:
        return text
    clusters = clusters[:_most(size, width)]
    lo, hi = 0, len(clusters)  # lo characters and the ellipsis fit; hi do not
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if text_width("".join(clusters[:mid]) + "…", chain, size) <= width:
            lo = mid
        else:
            hi = mid
    return "".join(clusters[:lo]).rstrip() + "…"


def _drawable(text: str, chain: FontChain) -> str:
    """The text, with any character no bundled font has shown as '?'."""
    try:
        split_runs(text, chain, "label")
    except GlyphError:
        return "".join(ch if ch == " " or chain.face_for(ch) else "?" for ch in text)
    return text


def _label(draw: ImageDraw.ImageDraw, image: Image.Image, text: str, x: int, y: int,
           width: int, size: int, colour: tuple[int, int, int], weight: str = "regular") -> None:
    """One line of text from the top-left corner (x, y), cut to `width`, in any script."""
    chain = _chain(weight)
    line = _fit_line(_drawable(text[:_most(size, width)], chain), chain, size, width)
    runs = line_runs(line, chain, "label", paragraph_rtl(line))
    draw_runs(draw, image, runs, x, y + size, size, colour)


def _wrap(text: str, chain: FontChain, size: int, width: int, lines: int) -> list[str]:
    """Greedy word wrap into at most `lines` lines, the last cut with an ellipsis."""
    out: list[str] = []
    current = ""
    text = text[:_most(size, width) * lines]  # never more than the lines could show
    for word in _drawable(text, chain).split():
        trial = f"{current} {word}".strip()
        if current and text_width(trial, chain, size) > width:
            out.append(current)
            current = word
        else:
            current = trial
    out.append(current)
    if len(out) > lines:
        out = out[:lines]
        out[-1] = out[-1] + " …"
    return [_fit_line(line, chain, size, width) for line in out]


def _thumbnail(path: Path, box: tuple[int, int]) -> Image.Image | None:
    """The card scaled down; None for a file that is missing, not an image we accept,
    or outside the batch folder (a symlink out of it)."""
    try:
        # JPEG decodes at a fraction of the size.
        img = open_image(path, "card", within=(path.parent,), max_side=max(box), upright=False)
    except RefusedFile:
        return None
    img.thumbnail(box, Image.Resampling.LANCZOS)
    return img.convert("RGB")


def _pdf_thumbnail(path: Path, box: tuple[int, int]) -> Image.Image | None:
    """A print card's picture: imhcard's PDFs hold the card as one JPEG image, which is
    read straight out of the file (no PDF renderer needed). None for any other PDF."""
    try:  # a regular file in the batch folder, not a pipe or a link out of it
        data = read_regular(path, "card", IMAGE_MAX_BYTES, (path.parent,))
    except (RefusedFile, OSError):
        return None
    m = _PDF_IMAGE.search(data)
    if m is None or b"/DCTDecode" not in m.group(1):
        return None
    start = m.end()
    length = re.search(rb"/Length\s+(\d+)(?!\s+\d+\s+R)", m.group(1))
    end = start + int(length.group(1)) if length else data.find(b"endstream", start)
    try:
        img = open_image(io.BytesIO(data[start:end]), "card", max_side=max(box), upright=False)
    except RefusedFile:
        return None
    img.thumbnail(box, Image.Resampling.LANCZOS)
    return img.convert("RGB")


def status_of(entry: Entry) -> tuple[str, tuple[int, int, int]]:
    """The card's status in words for its label, and the label's colour."""
    if entry.status == "failed":
        return "not made", FAILED_INK
    if entry.status == "duplicate":
        return "left out: older duplicate", WARN_INK
    if entry.status == NO_CONSENT_STATUS:
        return "not made: no consent", WARN_INK
    if any(without_photo(p) for p in entry.problems):
        return "made without photo", WARN_INK
    checks = [p.kind.removeprefix("check: ") for p in entry.problems if p.kind in REVIEW_KINDS]
    if checks:
        return "made; check: " + "; ".join(dict.fromkeys(c.split(" ", 2)[-1] for c in checks)), \
            WARN_INK
    return "made", OK_INK


def _tile_failed(draw: ImageDraw.ImageDraw, image: Image.Image, x: int, y: int, w: int, h: int,
                 why: str, heading: str = "NOT MADE", fill: tuple[int, int, int] = FAILED_FILL,
                 ink: tuple[int, int, int] = FAILED_INK) -> None:
    """A tile in place of a card that was not made (or cannot be shown), saying why."""
    draw.rectangle((x, y, x + w - 1, y + h - 1), fill=fill, outline=ink, width=2)
    size = 16
    _label(draw, image, heading, x + 12, y + 12, w - 24, size + 2, ink, "bold")
    lines = _wrap(why, _chain("regular"), size, w - 24, max(1, (h - 60) // (size + 6)))
    for i, line in enumerate(lines):
        _label(draw, image, line, x + 12, y + 44 + i * (size + 6), w - 24, size, ink)


def _page(folder: Path, fmt_name: str, entries: Sequence[Entry], page: int, pages: int,
          columns: int, thumb_w: int) -> Image.Image:
    fmt = FORMATS.get(fmt_name)
    aspect = fmt.height / fmt.width if fmt else 1.0
    thumb_h = round(thumb_w * aspect)
    label_h = 3 * (LABEL_SIZE + 8) + 4
    cols = min(columns, len(entries))
    rows = math.ceil(len(entries) / cols)
    title_h = TITLE_SIZE + 2 * PAD
    width = PAD + cols * (thumb_w + PAD)
    height = title_h + rows * (thumb_h + label_h + PAD) + PAD
    if max(width, 900) * height > IMAGE_MAX_PIXELS:
        raise BatchInputError(f"a page of {len(entries)} cards would be {width}×{height} "
                              f"pixels, over the {IMAGE_MAX_PIXELS // 1_000_000}-megapixel "
                              "limit; use a smaller --per-page")
    image = Image.new("RGB", (max(width, 900), height), PAGE_COLOUR)
    draw = ImageDraw.Draw(image)
    first, last = entries[0].row, entries[-1].row
    failed = sum(e.status == "failed" for e in entries)
    title = (f"{folder.name}  ·  {fmt_name}  ·  page {page} of {pages}  ·  rows {first}–{last}"
             + (f"  ·  {failed} not made" if failed else ""))
    _label(draw, image, title, PAD, PAD - 6, image.width - 2 * PAD, TITLE_SIZE, INK, "bold")
    for i, entry in enumerate(entries):
        x = PAD + (i % cols) * (thumb_w + PAD)
        y = title_h + (i // cols) * (thumb_h + label_h + PAD)
        thumb = None
        heading, fill, ink = "NOT MADE", FAILED_FILL, FAILED_INK
        if entry.status not in ("failed", "duplicate", NO_CONSENT_STATUS):
            image_file = next((f for f in entry.files if f.endswith(_IMAGE_SUFFIXES)), None)
            pdf_file = next((f for f in entry.files if f.endswith(".pdf")), None)
            if image_file:
                thumb = _thumbnail(folder / image_file, (thumb_w, thumb_h))
            elif pdf_file:
                thumb = _pdf_thumbnail(folder / pdf_file, (thumb_w, thumb_h))
                heading, fill, ink = "PDF CARD", PLACEHOLDER_FILL, MUTED
            why = (f"{pdf_file}: open the PDF to see it" if pdf_file and not image_file
                   else "the card's file is missing or unreadable; run the batch again")
        elif entry.status == "duplicate":
            heading, fill, ink = "LEFT OUT", PLACEHOLDER_FILL, WARN_INK
            why = entry.warning or "an older duplicate submission"
        elif entry.status == NO_CONSENT_STATUS:
            heading, fill, ink = "NO CONSENT", PLACEHOLDER_FILL, WARN_INK
            why = "the supporter did not consent: no card was made"
        else:
            why = entry.error or "failed"
        if thumb is not None:
            left = x + (thumb_w - thumb.width) // 2
            image.paste(thumb, (left, y))
            # A hairline edge, so a pale card stands apart from the page.
            draw.rectangle((left - 1, y - 1, left + thumb.width, y + thumb.height), outline=EDGE)
        else:
            _tile_failed(draw, image, x, y, thumb_w, thumb_h, why, heading, fill, ink)
        ly = y + thumb_h + 6
        _label(draw, image, f"Row {entry.row}", x, ly, thumb_w, LABEL_SIZE, MUTED, "bold")
        _label(draw, image, entry.name or "(no name)", x, ly + LABEL_SIZE + 8, thumb_w,
               LABEL_SIZE, INK)
        status, colour = status_of(entry)
        _label(draw, image, status, x, ly + 2 * (LABEL_SIZE + 8), thumb_w, LABEL_SIZE, colour)
    return image


def _printable(fmt_name: str, per_page: int, columns: int, thumb_w: int) -> int:
    """Cards per PDF page: at most `per_page`, and no more rows than keep the page as
    wide as A4 landscape is (so tall story cards print at a useful size)."""
    fmt = FORMATS.get(fmt_name)
    thumb_h = round(thumb_w * (fmt.height / fmt.width if fmt else 1.0))
    cols = min(columns, per_page)
    width = max(PAD + cols * (thumb_w + PAD), 900)
    room = width / math.sqrt(2) - (TITLE_SIZE + 2 * PAD) - PAD
    rows = max(1, int(room // (thumb_h + 3 * (LABEL_SIZE + 8) + 4 + PAD)))
    return max(1, min(per_page, cols * rows))


def make_sheets(folder: Path, out_dir: Path | None = None, per_page: int = PER_PAGE,
                columns: int = COLUMNS, formats: Sequence[str] = (),
                thumb_width: int = THUMB_WIDTH, pdf: bool = False) -> Sheets:
    """Contact sheet pages for the batch in `folder`, one set per format, read from its
    manifest; written to `out_dir` (default: FOLDER/sheets) as sheet-FORMAT-NN.png, or
    with `pdf` as one sheets.pdf of every format, print PDFs included."""
    if per_page < 1 or columns < 1 or thumb_width < 40:
        raise BatchInputError("a sheet needs at least 1 card per page, 1 column and "
                              "thumbnails 40 pixels wide")
    entries = read_manifests(folder)
    wanted = set(formats)
    by_format: dict[str, list[Entry]] = {}
    for e in entries:
        if not wanted or e.format in wanted:
            by_format.setdefault(e.format, []).append(e)
    if wanted - set(by_format):
        missing = ", ".join(sorted(wanted - set(by_format)))
        have = ", ".join(sorted({e.format for e in entries}))
        raise BatchInputError(f"{folder}: no cards in format {missing}; the batch has: {have}")
    out_dir = out_dir or folder / "sheets"
    left_off = [name for name in by_format
                if not pdf and (fmt := FORMATS.get(name)) is not None and fmt.is_print]
    shown = sum(len(group) for name, group in by_format.items() if name not in left_off)

    def pages() -> Iterator[tuple[str, int, Image.Image]]:
        for fmt_name, group in by_format.items():
            if fmt_name in left_off:
                continue
            size = _printable(fmt_name, per_page, columns, thumb_width) if pdf else per_page
            count = math.ceil(len(group) / size)
            for p in range(count):
                chunk = group[p * size:(p + 1) * size]
                yield fmt_name, p + 1, _page(folder, fmt_name, chunk, p + 1, count, columns,
                                             thumb_width)

    if pdf:
        path = out_dir / "sheets.pdf"
        with atomic_file(path) as tmp:
            for n, (_, _, image) in enumerate(pages()):
                # Page by page (append), so a thousand cards never sit in memory at once.
                image.save(tmp, "PDF", append=n > 0, quality=88,
                           resolution=image.width / PDF_PAGE_INCHES,
                           title=f"Contact sheets: {folder.name}")
        return Sheets((), shown, (), path)
    written: list[Path] = []
    for fmt_name, number, image in pages():
        path = out_dir / f"sheet-{fmt_name}-{number:02d}.png"
        write_atomic(path, encode(image, "png"))
        written.append(path)
    return Sheets(tuple(written), shown, tuple(left_off))
