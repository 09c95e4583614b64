"""Photos as forms deliver them.

A photo cell may be a file name beside the input, a file in the folder staff
downloaded (`--photos DIR`), or a web link: Google Forms' file-upload answers are
Drive links, Microsoft Forms' are OneDrive/SharePoint links, and people paste
others. Links are first matched against the downloaded folder (by the Drive file
id, the file name in the link, or the supporter's name in the file name, as
Google and Microsoft name uploads: "IMG_1234 - Aoife Ni Bhriain.jpg"), then
fetched: https only, with size and time limits, images only. Fetched photos are
kept in the output folder's hidden cache (or only in memory for --check), so a
re-run does not fetch them again.

When a photo cannot be had the row says why (a `PhotoPick` with a problem);
the batch then makes the card without the photo, or fails the row with --strict.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from imhcard.batch import links
from imhcard.batch.inputs import photo_path
from imhcard.batch.links import (
    IMAGE_SUFFIXES,
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
from imhcard.errors import PhotoError
from imhcard.output.files import write_atomic

__all__ = ["NOT_DOWNLOADED", "NOT_HTTPS", "NOT_IMAGE", "NOT_SHARED", "TOO_BIG", "PhotoFolder",
           "PhotoPick", "PhotoResolver", "direct_url", "drive_id", "is_link",
           "link_file_name", "match_in_folder"]

THREADS = 4  # downloads at once: enough to hide latency, polite to the host
CACHE_DIR = ".imhcard-photos"
FOLDER_FILES_MAX = 50_000  # a --photos folder bigger than this is probably the wrong one

# The problems of a photo file, by kind (a link's are in imhcard.batch.links).
NOT_FOUND = "photo file not found"
OUTSIDE = "photo is outside the input's folder and --photos"
AMBIGUOUS = "several downloaded photos match"


@dataclass(frozen=True)
class PhotoPick:
    """What became of one row's photo cell: a file to draw, or why there is none.
    In a --check run a fetched photo is verified but not kept: `checked` is True and
    `path` None."""

    path: Path | None = None
    problem: str = ""  # the sentence for this row ("" when the photo is fine or absent)
    kind: str = ""  # the group it is counted in
    checked: bool = False

    @property
    def has_photo(self) -> bool:
        return self.path is not None or self.checked


NO_PHOTO = PhotoPick()



def _words(text: str) -> str:
    """'IMG_1234 - Aoife Ní Bhriain' -> 'img 1234 aoife ni bhriain'."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()
    return " ".join(re.findall(r"[a-z0-9]+", plain))


# --- the folder staff downloaded -------------------------------------------------------------


class PhotoFolder:
    """The files of a --photos folder (and its subfolders, as a Drive or OneDrive zip
    unpacks), indexed by file name, Drive id and the words of the name."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.by_name: dict[str, list[Path]] = {}
        self.stems: list[tuple[str, Path]] = []
        count = 0
        for dirpath, dirnames, filenames in os.walk(self.root):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for filename in sorted(filenames):
                path = Path(dirpath) / filename
                if path.suffix.lower() not in IMAGE_SUFFIXES or filename.startswith("."):
                    continue
                count += 1
                if count > FOLDER_FILES_MAX:
                    return
                self.by_name.setdefault(filename.casefold(), []).append(path)
                self.stems.append((_words(path.stem), path))

    def by_file_name(self, name: str) -> list[Path]:
        return self.by_name.get(Path(name).name.casefold(), [])

    def containing(self, token: str) -> list[Path]:
        """Files whose name contains a Drive id (Google names some downloads by it)."""
        return [p for _, p in self.stems if token in p.name]

    def named_for(self, supporter: str) -> list[Path]:
        """Files whose name ends with the supporter's name ("IMG_1234 - Aoife Ní Bhriain",
        "IMG_1234_Aoife Ni Bhriain") or is just the name."""
        want = _words(supporter)
        if not want:
            return []
        return [p for words, p in self.stems if words == want or words.endswith(" " + want)]


def _one(paths: list[Path], what: str) -> PhotoPick | None:
    if len(paths) == 1:
        return PhotoPick(paths[0])
    if len(paths) > 1:
        names = ", ".join(f"'{p.name}'" for p in paths[:3])
        return PhotoPick(problem=f"several photos in --photos match {what} ({names}); put "
                         "the right file's name in the photo cell", kind=AMBIGUOUS)
    return None


def match_in_folder(folder: PhotoFolder, cell: str, supporter: str) -> PhotoPick | None:
    """The downloaded file for a link or file name, by the most certain clue first."""
    if is_link(cell):
        url = first_link(cell)
        if (fid := drive_id(url)) and (pick := _one(folder.containing(fid),
                                                    "the Drive file id")):
            return pick
        if (name := link_file_name(url)) and (pick := _one(folder.by_file_name(name),
                                                             f"'{name}'")):
            return pick
    elif pick := _one(folder.by_file_name(cell), f"'{Path(cell).name}'"):
        return pick
    return _one(folder.named_for(supporter), "the supporter's name")


# --- one run's photos ----------------------------------------------------------------------


@dataclass
class PhotoResolver:
    """Finds every row's photo. Build it, `prefetch` the run's links (in a few threads,
    before rows are made), then `pick` each row's photo."""

    base: Path  # the input file's folder: photo file names are relative to it
    folder: PhotoFolder | None = None
    cache: Path | None = None  # where fetched photos are kept; None: memory only (--check)
    fetch: Callable[[str], bytes] | None = None  # default: download

    def __post_init__(self) -> None:
        self.base = self.base.resolve()
        self._fetched: dict[str, PhotoPick] = {}

    def prefetch(self, cells: Iterable[tuple[str, str]]) -> int:
        """Fetch the links of (cell, supporter name) pairs that the folder does not
        already hold, THREADS at a time. Returns how many links were fetched."""
        todo: dict[str, None] = {}
        for cell, name in cells:
            if not is_link(cell):
                continue
            if self.folder is not None and match_in_folder(self.folder, cell, name) is not None:
                continue
            url = first_link(cell)
            if url not in self._fetched:
                todo[url] = None
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

    def pick(self, cell: str, supporter: str) -> PhotoPick:
        """The photo for a row's photo cell and name."""
        cell = cell.strip()
        if not cell:
            return NO_PHOTO
        if is_link(cell):
            if self.folder is not None and (pick := match_in_folder(self.folder, cell,
                                                                    supporter)):
                return pick
            url = first_link(cell)
            if url not in self._fetched:
                self._fetched[url] = self._get(url)
            return self._fetched[url]
        return self._local(cell, supporter)

    def _local(self, cell: str, supporter: str) -> PhotoPick:
        # One rule for where a batch may read photos from: inputs.photo_path.
        try:
            path = photo_path(cell, self.base, self.folder.root if self.folder else None)
        except PhotoError as exc:
            return PhotoPick(problem=str(exc), kind=OUTSIDE)
        if path.is_file():
            return PhotoPick(path)
        if self.folder is not None and (pick := match_in_folder(self.folder, cell, supporter)):
            return pick
        where = f"'{self.base.name}/'" + (f" or --photos '{self.folder.root.name}/'"
                                          if self.folder else "")
        return PhotoPick(problem=f"no photo '{cell}' in {where}; check the file name, or "
                         "give the folder of downloaded photos with --photos DIR",
                         kind=NOT_FOUND)
