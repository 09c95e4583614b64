"""Opening the files a theme, a batch or a supporter points at, safely.

One way in for every path that came from input: it must be a regular file (not a
folder, a device such as /dev/zero, or a named pipe that would block forever),
no bigger than a stated limit, and, where the caller says so, inside the folders
it may be read from (after following symlinks), so `../../etc/passwd` is refused.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

from imhcard.core.limits import FONT_MAX_BYTES, megabytes
from imhcard.errors import MissingFile, RefusedFile


def inside(path: Path, roots: Sequence[Path]) -> bool:
    """Whether `path`, symlinks followed, is in one of `roots` (or below)."""
    real = path.resolve()
    return any(real.is_relative_to(root.resolve()) for root in roots)


def open_regular(path: Path, what: str, max_bytes: int,
                 within: Sequence[Path] = ()) -> BinaryIO:
    """`path` opened for reading in binary; RefusedFile (saying why, with the limit)
    if it is missing, not a regular file, bigger than `max_bytes`, or outside `within`."""
    if within and not inside(path, within):
        folders = " or ".join(str(r) for r in within)
        raise RefusedFile(f"the {what} '{path}' is outside {folders}; put it in that folder "
                          "and give its path from there")
    try:
        # O_NONBLOCK: opening a named pipe must not wait for a writer that never comes.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise MissingFile(f"no {what} at '{path}'; check the file name and folder") from None
    except OSError as exc:
        raise RefusedFile(f"cannot open the {what} '{path}': {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise RefusedFile(f"the {what} '{path}' is a folder; give the path of a file")
        if not stat.S_ISREG(info.st_mode):
            raise RefusedFile(f"the {what} '{path}' is not a regular file (a device, pipe or "
                              "socket); give the path of a file")
        if info.st_size > max_bytes:
            raise RefusedFile(f"the {what} '{path}' is {megabytes(info.st_size)}; the limit is "
                              f"{megabytes(max_bytes)}")
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_regular(path: Path, what: str, max_bytes: int, within: Sequence[Path] = ()) -> bytes:
    """The whole file, refused as `open_regular` does; a file that grows past
    `max_bytes` while it is read is refused too."""
    with open_regular(path, what, max_bytes, within) as fh:
        data = fh.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise RefusedFile(f"the {what} '{path}' is over {megabytes(max_bytes)}, the limit")
    return data


def check_font(path: Path, what: str, within: Sequence[Path] = ()) -> None:
    """RefusedFile unless `path` is a TrueType or OpenType font imhcard can draw with."""
    from fontTools.ttLib import TTFont

    with open_regular(path, what, FONT_MAX_BYTES, within) as fh:
        try:
            font = TTFont(fh, lazy=True, fontNumber=0)
            try:
                if not font.getBestCmap():
                    raise ValueError("no character map")
            finally:
                font.close()
        # fontTools raises many kinds of exception on a damaged or foreign file;
        # any of them means "not a font we can use".
        except Exception:
            raise RefusedFile(f"the {what} '{path.name}' is not a TrueType or OpenType font "
                              "that can be read; use a .ttf or .otf file") from None
