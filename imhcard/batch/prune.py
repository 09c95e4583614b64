"""Nothing stale: the cards earlier runs made for rows that are no longer in the
input (deleted from the sheet, now failing, or left out as older duplicates).

The journals say which files imhcard wrote, with their SHA-256; a file is stale
when this run's manifest does not list it and it is still exactly as written (a
file someone changed or put there by hand is never touched).
"""

from __future__ import annotations

import contextlib
from collections.abc import Collection, Sequence
from pathlib import Path

from imhcard.batch.journal import journal_entries, sha256_file


def stale_files(out_dir: Path, current: Collection[str], rows: Collection[int],
                formats: Collection[str]) -> list[tuple[int, str]]:
    """(row, file) of every card file earlier runs made that `current` (this run's
    files) does not list, still there as imhcard wrote it; in row order. A card of a
    row still in the input, in a format this run did not make, is not stale: a run
    with --format story leaves the other formats alone."""
    stale: dict[str, int] = {}
    checked: set[str] = set()
    for entry in journal_entries(out_dir):
        if entry["row"] in rows and entry["format"] not in formats:
            continue
        for name, digest in entry["files"]:
            name = str(name)
            if name in current or name in checked:
                continue
            checked.add(name)
            path = (out_dir / name).resolve()
            if out_dir not in path.parents or not path.is_file():
                continue
            if sha256_file(path) == digest:
                stale[name] = int(entry["row"])
    return sorted((row, name) for name, row in stale.items())


def prune(out_dir: Path, stale: Sequence[tuple[int, str]]) -> list[tuple[int, str]]:
    """Remove the stale files (and a supporter's folder and zip once empty); return
    what was removed."""
    removed: list[tuple[int, str]] = []
    folders: set[Path] = set()
    for row, name in stale:
        path = out_dir / name
        try:
            path.unlink()
        except FileNotFoundError:
            continue
        removed.append((row, name))
        if path.parent != out_dir:
            folders.add(path.parent)
    for folder in sorted(folders, reverse=True):
        with contextlib.suppress(OSError):  # not empty: the supporter is still there
            folder.rmdir()
            (out_dir / f"{folder.name}.zip").unlink(missing_ok=True)
    return removed
