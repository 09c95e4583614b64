"""Which downloaded photo is whose: every row's photo decided together, so no card ever
gets a photo that may be someone else's.

Each row that gave a photo is matched to the files of the --photos folder by the
surest clue first: the Drive file id, the path or file name in its cell or link (1),
then the whole name in the file's name (2), then part of the name or the e-mail's
name (3). At each step, rows and files that claim each other are settled together:

- one row, one file: the row's photo;
- several rows of one person (the same name and e-mail: a corrected, newer
  submission), as many files that can be put in order (Drive's "(1)" copies, or the
  files' times): in order of submission, so the newer submission gets the newer photo;
- anything else (two people of the same name, a row with two files): nobody gets
  those files, and each row is told which files could be its photo.

Files no row took are listed with the rows whose names are nearest.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import unquote, urlsplit

from imhcard.batch.links import drive_id, first_link, is_link, link_file_name
from imhcard.batch.photo_folder import (
    FolderFile,
    PhotoFolder,
    compact,
    likeness,
    name_clue,
    words,
)

TIERS = 3
SHOWN = 3  # candidates named in a message


@dataclass(frozen=True)
class PhotoRow:
    """What a row says about its photo."""

    number: int
    cell: str
    name: str
    email: str = ""
    when: datetime | None = None

    @property
    def person(self) -> tuple[str, str]:
        """Two rows are one person when their names and e-mail addresses agree."""
        return (words(self.name), self.email.strip().casefold() if "@" in self.email else "")


def exact_files(folder: PhotoFolder, cell: str) -> list[FolderFile]:
    """The files a cell names exactly: a Drive id, a link's folder and file name
    (Jotform: .../SUBMISSION/name.jpg), a link's or cell's file name."""
    if is_link(cell):
        url = first_link(cell)
        if (fid := drive_id(url)) and (hits := folder.containing(fid)):
            return hits
        name = link_file_name(url)
        if not name:
            return []
        parts = [p for p in unquote(urlsplit(url).path).split("/") if p]
        return folder.by_path_end("/".join(parts[-2:])) or folder.by_file_name(name)
    tail = cell.replace("\\", "/").strip("/")
    return folder.by_path_end(tail) or folder.by_file_name(tail)


def candidates(folder: PhotoFolder, row: PhotoRow, tier: int) -> list[FolderFile]:
    if tier == 1:
        return exact_files(folder, row.cell)
    want = words(row.name)
    local = compact(row.email.partition("@")[0]) if "@" in row.email else ""
    return [f for f in folder.sharing(want, local) if name_clue(f, want, local) == 4 - tier]


@dataclass
class Plan:
    """Every row's photo: the file, or why there is none; and the files left over."""

    chosen: dict[int, FolderFile] = field(default_factory=dict)
    partly: set[int] = field(default_factory=set)  # matched by part of the name only
    refused: dict[int, str] = field(default_factory=dict)  # row -> why it gets none
    unused: list[FolderFile] = field(default_factory=list)


def _ordered(rows: list[PhotoRow], files: list[FolderFile]) -> list[FolderFile] | None:
    """One person's files in the order they were sent, or None if that cannot be told."""
    if len(files) != len(rows) or len({r.person for r in rows}) != 1 or not rows[0].person[1]:
        return None
    if len({f.base for f in files}) == 1 and len({f.copy for f in files}) == len(files):
        return sorted(files, key=lambda f: f.copy)
    if len({f.mtime for f in files}) == len(files) and all(f.mtime for f in files):
        return sorted(files, key=lambda f: f.mtime)
    return None


def _settle(plan: Plan, rows: list[PhotoRow], files: list[FolderFile], tier: int) -> None:
    """One group of rows and the files they claim."""
    if len(files) == 1 and (len(rows) == 1 or len({(r.person, r.cell) for r in rows}) == 1):
        for r in rows:  # one row, or one person's rows giving the very same photo
            plan.chosen[r.number] = files[0]
            if tier == TIERS:
                plan.partly.add(r.number)
        return
    by_time = sorted(rows, key=lambda r: (r.when or datetime.min, r.number))
    order = _ordered(by_time, files)
    if order is not None:
        for r, f in zip(by_time, order, strict=True):
            plan.chosen[r.number] = f
        return
    names = ", ".join(f"'{f.rel}'" for f in files[:SHOWN]) + \
        (f" and {len(files) - SHOWN} more" if len(files) > SHOWN else "")
    numbers = [r.number for r in rows]
    for r in rows:
        rest = [n for n in numbers if n != r.number]
        what = (f"{len(files)} photos in the folder could be this row's ({names})"
                if len(files) > 1 else f"the photo {names} could be this row's")
        if rest:
            them = "them" if len(files) > 1 else "it"
            what += (f", and row{'s' if len(rest) > 1 else ''} "
                     f"{', '.join(map(str, rest[:5]))} could claim {them} too")
        plan.refused[r.number] = (f"{what}: no photo is used rather than one that may be "
                                  "someone else's. Put the right file's name in the photo "
                                  "cell, or rename the file after its owner")


def _groups(claims: dict[int, list[FolderFile]]) -> list[tuple[list[int], list[FolderFile]]]:
    """Rows and files that claim each other, in row order."""
    owner: dict[str, int] = {}
    parent: dict[int, int] = {n: n for n in claims}

    def root(n: int) -> int:
        while parent[n] != n:
            n = parent[n]
        return n

    for n, files in claims.items():
        for f in files:
            if f.rel in owner:
                parent[root(n)] = root(owner[f.rel])
            else:
                owner[f.rel] = n
    groups: dict[int, tuple[list[int], dict[str, FolderFile]]] = {}
    for n in sorted(claims):
        members, found = groups.setdefault(root(n), ([], {}))
        members.append(n)
        found.update({f.rel: f for f in claims[n]})
    return [(members, list(found.values())) for members, found in groups.values()]


def plan_photos(folder: PhotoFolder, rows: Sequence[PhotoRow]) -> Plan:
    """Decide every row's photo from the folder, surest clue first."""
    plan = Plan()
    by_number = {r.number: r for r in rows}
    taken: set[str] = set()
    todo = [r for r in rows if r.cell.strip()]
    for tier in range(1, TIERS + 1):
        claims: dict[int, list[FolderFile]] = {}
        for r in todo:
            found = [f for f in candidates(folder, r, tier) if f.rel not in taken]
            if found:
                claims[r.number] = found
        for numbers, files in _groups(claims):
            _settle(plan, [by_number[n] for n in numbers], files, tier)
            taken.update(f.rel for f in files)
        todo = [r for r in todo if r.number not in claims]
    used = {f.rel for f in plan.chosen.values()}
    plan.unused = [f for f in folder.files if f.rel not in used]
    return plan


def nearest_rows(f: FolderFile, rows: Sequence[PhotoRow], plan: Plan, n: int = 2) -> str:
    """'row 14 (Máire Ní Néill), row 20 (Mary Smith)': the rows whose names are most
    like the file's, those still without a photo first."""
    scored = sorted(((likeness(f, r.name), r.number not in plan.chosen, -r.number, r)
                     for r in rows if r.cell.strip()), reverse=True)
    best = [r for score, _, _, r in scored if score > 0][:n]
    return ", ".join(f"row {r.number} ({r.name.strip()[:40]})" for r in best)
