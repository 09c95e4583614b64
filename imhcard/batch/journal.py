"""The journal that makes a batch resumable.

It is append-only JSON Lines, one line per card made, flushed as each card is
written, so a run killed at any moment leaves a journal that says exactly which
cards exist. A torn last line (the kill landed mid-write) is ignored. Each line
records the card's content key and the SHA-256 of every file it wrote, so a re-run
can trust a card only if its files are still there, byte for byte.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from imhcard.core.limits import FILE_NAME_MAX
from imhcard.errors import BatchInputError, OutputError

JOURNAL_PREFIX = ".imhcard-journal"
FOLDER_LOCK = ".imhcard-lock"
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def sha256_file(path: Path, follow: bool = True) -> str | None:
    """The file's SHA-256, or None if it cannot be read or is not a regular file (a pipe
    or device would block or never end). With follow=False a symlink is not followed:
    a file in the output folder is only ever one imhcard wrote there."""
    digest = hashlib.sha256()
    flags = os.O_RDONLY | os.O_NONBLOCK | (0 if follow else _NOFOLLOW)
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as fh:
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                return None
            while chunk := fh.read(1 << 20):
                digest.update(chunk)
        except OSError:
            return None
    return digest.hexdigest()


def plain_name(name: str) -> bool:
    """A file name imhcard could have written in the output folder: a file, or a file in
    one supporter's folder (--by-supporter), with no '..', no hidden parts, not absurdly
    long. Journals and manifests are read back; a name that is anything else was not
    written by imhcard and is ignored or refused."""
    parts = name.split("/")
    return (0 < len(name) <= 2 * FILE_NAME_MAX and len(parts) <= 2
            and all(0 < len(p) <= FILE_NAME_MAX and not p.startswith(".")
                    and "\\" not in p and "\0" not in p for p in parts))


def suffix_for(shard: tuple[int, int] | None) -> str:
    """'' for a whole batch; '.shard-2-of-4' for one shard of it."""
    return f".shard-{shard[0]}-of-{shard[1]}" if shard else ""


@dataclass(frozen=True)
class Made:
    """A card an earlier run made: its content key and each file's SHA-256."""

    key: str
    files: tuple[tuple[str, str], ...]
    warning: str = ""  # made, but not as asked (without the photo, and why)

    def intact(self, out_dir: Path) -> bool:
        """Every file is still there with the bytes that were written."""
        return all(sha256_file(out_dir / name, follow=False) == digest
                   for name, digest in self.files)


class JournalIndex:
    """Where in the journals each (row, format)'s latest card is recorded.

    Only file offsets are kept in memory, not the entries, so a re-run of a big
    batch holds a few bytes per card; an entry is read back when its row comes up.
    """

    def __init__(self, out_dir: Path) -> None:
        self._where: dict[tuple[int, str], tuple[int, int]] = {}
        self._paths = sorted(out_dir.glob(JOURNAL_PREFIX + "*.jsonl"))
        self._handles: dict[int, IO[bytes]] = {}
        for n, path in enumerate(self._paths):
            offset = 0
            with _open_journal(path) as fh:
                for line in fh:
                    if line.endswith(b"\n") and (entry := _parse(line)) is not None:
                        self._where[(entry["row"], entry["format"])] = (n, offset)
                    offset += len(line)

    def __len__(self) -> int:
        return len(self._where)

    def get(self, row: int, fmt: str) -> Made | None:
        at = self._where.get((row, fmt))
        if at is None:
            return None
        n, offset = at
        if n not in self._handles:
            self._handles[n] = _open_journal(self._paths[n])
        fh = self._handles[n]
        fh.seek(offset)
        entry = _parse(fh.readline())
        if entry is None:
            return None
        return Made(entry["key"], tuple((str(a), str(b)) for a, b in entry["files"]),
                    str(entry.get("warning", "")))

    def close(self) -> None:
        for fh in self._handles.values():
            fh.close()
        self._handles.clear()


def _open_journal(path: Path) -> IO[bytes]:
    """A journal, opened for reading without following a symlink out of the folder."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | _NOFOLLOW)
    except OSError as exc:
        raise OutputError(f"cannot read the journal {path}: {exc.strerror or exc}; it must "
                          "be a file imhcard wrote (delete it to start the batch afresh)") from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise OutputError(f"the journal {path} is not a file; delete it to start the batch "
                          "afresh")
    os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")


def _parse(line: bytes) -> dict[str, Any] | None:
    try:
        entry = json.loads(line)
    except ValueError:
        return None
    if not (isinstance(entry, dict) and isinstance(entry.get("row"), int)
            and isinstance(entry.get("format"), str) and isinstance(entry.get("key"), str)
            and isinstance(entry.get("files"), list)):
        return None
    files = entry["files"]
    if not all(isinstance(f, list) and len(f) == 2 and all(isinstance(x, str) for x in f)
               and plain_name(f[0]) for f in files):
        return None  # not a line imhcard wrote: never read or remove what it names
    return entry


def journal_path(out_dir: Path, shard: tuple[int, int] | None) -> Path:
    return out_dir / f"{JOURNAL_PREFIX}{suffix_for(shard)}.jsonl"


class JournalLock:
    """The run's hold on its journal: a second run into the same folder (and shard)
    is refused while this one is going. Taken before any card is written."""

    def __init__(self, out_dir: Path, shard: tuple[int, int] | None) -> None:
        self.path = journal_path(out_dir, shard)
        # The folder's lock: a whole run holds it alone (it tidies the whole folder);
        # shards share it, so shards can run side by side but not beside a whole run.
        self._folder = _open_append(out_dir / FOLDER_LOCK, out_dir)
        if not _flock(self._folder, exclusive=shard is None):
            self._folder.close()
            raise BatchInputError(
                f"another imhcard batch is writing to {out_dir} "
                f"({'a shard of it' if shard is None else 'the whole batch'}); wait for it "
                "to finish, or use another --out folder")
        self._fh = _open_append(self.path, out_dir)
        if not _flock(self._fh, exclusive=True):
            self._fh.close()
            self._folder.close()
            raise BatchInputError(f"another imhcard batch is writing to {self.path.parent}; "
                                  "wait for it to finish, or use another --out folder")
        # A run killed mid-line leaves a torn last line; start the next entry on a new one.
        if self._fh.tell():
            with _open_journal(self.path) as fh:
                fh.seek(-1, os.SEEK_END)
                torn = fh.read(1) != b"\n"
            if torn:
                self._fh.write(b"\n")
                self._fh.flush()

    def close(self) -> None:
        with contextlib.suppress(OSError):
            os.fsync(self._fh.fileno())
        self._fh.close()
        self._folder.close()


def _open_append(path: Path, out_dir: Path) -> IO[bytes]:
    """A file in the output folder opened to append, never through a symlink."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NONBLOCK | _NOFOLLOW,
                     0o644)
    except OSError as exc:
        hint = " (it is a symlink or a folder; delete it)" if path.is_symlink() \
            or path.is_dir() else ""
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}{hint}") from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise OutputError(f"cannot write {path}: it is not a file; delete it")
    os.set_blocking(fd, True)
    return os.fdopen(fd, "ab")


def _flock(fh: IO[bytes], exclusive: bool) -> bool:
    """Take an advisory lock without waiting; False if another process holds it."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no advisory locks; trust the user
        return True
    try:
        fcntl.flock(fh.fileno(), (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


class JournalWriter:
    """Appends entries to a journal. Every worker process has its own; each entry is
    one write() to a file opened for appending, which the kernel places whole at the
    end, so entries from several workers never interleave."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    def record(self, row: int, fmt: str, key: str, files: Sequence[tuple[str, str]],
               warning: str = "") -> None:
        """Note one card made, once its files are in place; on disk before the next."""
        entry: dict[str, Any] = {"row": row, "format": fmt, "key": key,
                                 "files": [list(f) for f in files]}
        if warning:
            entry["warning"] = warning
        line = json.dumps(entry, ensure_ascii=False, separators=(",", ":")) + "\n"
        try:
            if self._fd is None:
                self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT
                                   | _NOFOLLOW, 0o644)
            os.write(self._fd, line.encode("utf-8"))
        except OSError as exc:
            raise OutputError(f"cannot write the journal {self.path}: "
                              f"{exc.strerror or exc}") from None

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def journal_entries(out_dir: Path) -> Iterator[dict[str, Any]]:
    """Every whole entry of every journal in the folder, oldest first per file."""
    for path in sorted(out_dir.glob(JOURNAL_PREFIX + "*.jsonl")):
        with path.open("rb") as fh:
            for line in fh:
                if line.endswith(b"\n") and (entry := _parse(line)) is not None:
                    yield entry
