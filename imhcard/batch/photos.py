"""Photos as forms deliver them.

A photo cell may be a file name beside the input, a file in the folder staff
downloaded (`--photos DIR`), or a web link: Google Forms' file-upload answers are
Drive links, Microsoft Forms' are OneDrive/SharePoint links, Jotform's, Typeform's
and Tally's are links to their own storage. With --photos, every row's photo is
found in the folder, all rows decided together (batch/photo_match.py) so that a
photo that could be someone else's is never used; without it, links are fetched:
https only, with size and time limits, images only. Fetched photos are kept in the
output folder's hidden cache (or only in memory for --check), so a re-run does not
fetch them again. Two rows of different people pointing at the very same file or
link get neither.

When a photo cannot be had the row says why (a `PhotoPick` with a problem);
the batch then makes the card without the photo, or fails the row with --strict.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from imhcard.batch import links
from imhcard.batch.inputs import photo_path
from imhcard.batch.links import (
    NOT_DOWNLOADED,
    NOT_HTTPS,
    NOT_IMAGE,
    NOT_SHARED,
    TOO_BIG,
    Refused,
    direct_url,
    drive_id,
    first_link,
    is_link,
    link_file_name,
)
from imhcard.batch.photo_folder import FOLDER_FILES_MAX, PhotoFolder, likeness
from imhcard.batch.photo_match import PhotoRow, Plan, nearest_rows, plan_photos
from imhcard.errors import PhotoError
from imhcard.output.files import write_atomic

__all__ = ["FOLDER_FILES_MAX", "NOT_DOWNLOADED", "NOT_HTTPS", "NOT_IMAGE", "NOT_SHARED",
           "TOO_BIG", "PhotoFolder", "PhotoPick", "PhotoResolver", "PhotoRow", "direct_url",
           "drive_id", "is_link", "link_file_name", "match_in_folder"]

THREADS = 4  # downloads at once: enough to hide latency, polite to the host
CACHE_DIR = ".imhcard-photos"

# The problems of a photo file, by kind (a link's are in imhcard.batch.links).
NOT_FOUND = "photo not found among the downloaded photos"
NOT_FOUND_BESIDE = "photo file not found"
OUTSIDE = "photo is outside the input's folder and --photos"
AMBIGUOUS = "photo could be someone else's: not used"


@dataclass(frozen=True)
class PhotoPick:
    """What became of one row's photo cell: a file to draw, or why there is none.
    In a --check run a fetched photo is verified but not kept: `checked` is True and
    `path` None. `note`: the photo is used, but staff should check it is the right one."""

    path: Path | None = None
    problem: str = ""  # the sentence for this row ("" when the photo is fine or absent)
    kind: str = ""  # the group it is counted in
    checked: bool = False
    note: str = ""

    @property
    def has_photo(self) -> bool:
        return self.path is not None or self.checked


NO_PHOTO = PhotoPick()


def match_in_folder(folder: PhotoFolder, cell: str, supporter: str) -> PhotoPick | None:
    """One row's photo in the folder, as a batch of that row alone would find it."""
    plan = plan_photos(folder, [PhotoRow(1, cell or "-", supporter)])
    if 1 in plan.chosen:
        return PhotoPick(plan.chosen[1].path)
    if 1 in plan.refused:
        return PhotoPick(problem=plan.refused[1], kind=AMBIGUOUS)
    return None


# --- one run's photos ----------------------------------------------------------------------


@dataclass
class PhotoResolver:
    """Finds every row's photo. Build it, `plan` the run's rows (every row's photo
    decided together), `prefetch` the links to fetch (in a few threads, before rows
    are made), then `pick` each row's photo."""

    base: Path  # the input file's folder: photo file names are relative to it
    folder: PhotoFolder | None = None
    cache: Path | None = None  # where fetched photos are kept; None: memory only (--check)
    fetch: Callable[[str], bytes] | None = None  # default: download
    plan_: Plan = field(default_factory=Plan)
    rows: list[PhotoRow] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.base = self.base.resolve()
        self._fetched: dict[str, PhotoPick] = {}
        self._shared: dict[int, str] = {}  # row -> why its file or link is not used

    def _source(self, cell: str) -> str | None:
        """What a cell points at beside the input or on the web (None: in the folder)."""
        if is_link(cell):
            return None if self.folder is not None else direct_url(first_link(cell))
        try:
            path = photo_path(cell, self.base, self.folder.root if self.folder else None)
        except PhotoError:
            return None
        if not path.is_file():
            return None
        path = path.resolve()
        # A file in the folder is decided with the folder's other files.
        in_folder = self.folder is not None and path.is_relative_to(self.folder.root)
        return None if in_folder else str(path)

    def plan(self, rows: Sequence[PhotoRow]) -> None:
        """Decide every row's photo before any is made: in the --photos folder all rows
        together (photo_match.py); and a file or link given by rows of two people is
        nobody's."""
        self.rows = [r for r in rows if r.cell.strip()]
        by_source: dict[str, list[PhotoRow]] = {}
        in_folder: list[PhotoRow] = []
        for r in self.rows:
            source = self._source(r.cell.strip())
            if source is not None:
                by_source.setdefault(source, []).append(r)
            elif self.folder is not None:
                in_folder.append(r)
        for group in by_source.values():
            if len({x.person for x in group}) > 1:
                numbers = [x.number for x in group]
                for x in group:
                    rest = ", ".join(str(n) for n in numbers if n != x.number)
                    self._shared[x.number] = (
                        f"the photo '{x.cell.strip()[:80]}' is also given by row"
                        f"{'s' if len(numbers) > 2 else ''} {rest}, with another name: no "
                        "photo is used rather than one that may be someone else's")
        if self.folder is not None:
            self.plan_ = plan_photos(self.folder, in_folder)

    def links_to_fetch(self) -> list[str]:
        """The links of rows whose photo is not in the folder and not refused."""
        plan = self.plan_
        return [first_link(r.cell) for r in self.rows
                if is_link(r.cell.strip()) and r.number not in self._shared
                and r.number not in plan.chosen and r.number not in plan.refused]

    def prefetch(self, urls: Iterable[str]) -> int:
        """Fetch the links, THREADS at a time. Returns how many links were fetched."""
        todo = {url: None for url in urls if url not in self._fetched}
        if not todo:
            return 0
        with ThreadPoolExecutor(min(THREADS, len(todo))) as pool:
            for url, pick in zip(todo, pool.map(self._get, todo), strict=True):
                self._fetched[url] = pick
        return len(todo)

    def _cached(self, url: str) -> Path | None:
        if self.cache is None:
            return None
        digest = hashlib.sha256(direct_url(url).encode()).hexdigest()[:32]
        return self.cache / f"{digest}.img"

    def _get(self, url: str) -> PhotoPick:
        cached = self._cached(url)
        if cached is not None and cached.is_file():
            return PhotoPick(cached)
        try:
            data = (self.fetch or links.download)(url)
        except Refused as exc:
            return PhotoPick(problem=str(exc), kind=exc.kind)
        if cached is None:
            return PhotoPick(checked=True)
        write_atomic(cached, data)
        return PhotoPick(cached)

    def pick(self, cell: str, supporter: str, number: int = 0) -> PhotoPick:
        """The photo for a row's photo cell (its number, as planned)."""
        cell = cell.strip()
        if not cell:
            return NO_PHOTO
        if number in self._shared:
            return PhotoPick(problem=self._shared[number], kind=AMBIGUOUS)
        plan = self.plan_
        if number in plan.chosen:
            f = plan.chosen[number]
            note = (f"the photo '{f.rel}' was matched by part of the name in its file name; "
                    "check it is this supporter's") if number in plan.partly else ""
            return PhotoPick(f.path, note=note)
        if number in plan.refused:
            return PhotoPick(problem=plan.refused[number], kind=AMBIGUOUS)
        if is_link(cell):
            url = first_link(cell)
            if url not in self._fetched:
                self._fetched[url] = self._get(url)
            fetched = self._fetched[url]
            if self.folder is not None and not fetched.has_photo:
                # Not in the folder staff downloaded, and the link would not give it.
                missing = self._not_in_folder(cell, supporter)
                return PhotoPick(problem=f"{missing.problem}; the link could not be used "
                                 f"either ({fetched.problem.rstrip('.')})", kind=NOT_FOUND)
            return fetched
        return self._local(cell, supporter)

    def _not_in_folder(self, cell: str, supporter: str) -> PhotoPick:
        assert self.folder is not None
        near = sorted(((likeness(f, supporter), f.rel) for f in self.plan_.unused),
                      reverse=True)
        hint = ("; the photos no row took that are nearest by name: "
                + ", ".join(f"'{rel}'" for score, rel in near[:2] if score > 0)
                if near and near[0][0] > 0 else "")
        return PhotoPick(problem=f"not found among the photos in '{self.folder.root.name}/' "
                         f"(no file there carries this row's link, file name or name){hint}",
                         kind=NOT_FOUND)

    def _local(self, cell: str, supporter: str) -> PhotoPick:
        # One rule for where a batch may read photos from: inputs.photo_path.
        try:
            path = photo_path(cell, self.base, self.folder.root if self.folder else None)
        except PhotoError as exc:
            return PhotoPick(problem=str(exc), kind=OUTSIDE)
        if path.is_file():
            return PhotoPick(path)
        if self.folder is not None:
            return self._not_in_folder(cell, supporter)
        return PhotoPick(problem=f"no photo '{cell}' in '{self.base.name}/'; check the file "
                         "name, or give the folder of downloaded photos with --photos DIR",
                         kind=NOT_FOUND_BESIDE)

    def unused(self) -> list[str]:
        """A line for every photo in the folder no row took, with the nearest rows."""
        lines = []
        for f in self.plan_.unused:
            near = nearest_rows(f, self.rows, self.plan_)
            lines.append(f"'{f.rel}': no row uses it" + (f"; nearest by name: {near}"
                                                            if near else ""))
        return lines
