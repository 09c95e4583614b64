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
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from imhcard.errors import BatchInputError, OutputError

JOURNAL_PREFIX = ".imhcard-journal"


def sha256_file(path: Path) -> str | None:
    """The file's SHA-256, or None if it cannot be read."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as fh:
            while chunk := fh.read(1 << 20):
                digest.update(chunk)
    except OSError:
        return None
    return digest.hexdigest()


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
        return all(sha256_file(out_dir / name) == digest for name, digest in self.files)


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
            with path.open("rb") as fh:
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
            self._handles[n] = self._paths[n].open("rb")
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


def _parse(line: bytes) -> dict[str, Any] | None:
    try:
        entry = json.loads(line)
    except ValueError:
        return None
    if not (isinstance(entry, dict) and isinstance(entry.get("row"), int)
            and isinstance(entry.get("format"), str) and isinstance(entry.get("key"), str)
            and isinstance(entry.get("files"), list)):
        return None
    return entry


def journal_path(out_dir: Path, shard: tuple[int, int] | None) -> Path:
    return out_dir / f"{JOURNAL_PREFIX}{suffix_for(shard)}.jsonl"


class JournalLock:
    """The run's hold on its journal: a second run into the same folder (and shard)
    is refused while this one is going. Taken before any card is written."""

    def __init__(self, out_dir: Path, shard: tuple[int, int] | None) -> None:
        self.path = journal_path(out_dir, shard)
        try:
            self._fh = self.path.open("ab")
        except OSError as exc:
            raise OutputError(f"cannot write in {out_dir}: {exc.strerror or exc}") from None
        self._lock()
        # A run killed mid-line leaves a torn last line; start the next entry on a new one.
        if self._fh.tell():
            with self.path.open("rb") as fh:
                fh.seek(-1, os.SEEK_END)
                torn = fh.read(1) != b"\n"
            if torn:
                self._fh.write(b"\n")
                self._fh.flush()

    def _lock(self) -> None:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows: no advisory locks; trust the user
            return
        try:
            fcntl.flock(self._fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            self._fh.close()
            raise BatchInputError(f"another imhcard batch is writing to {self.path.parent}; "
                                  "wait for it to finish, or use another --out folder") from None

    def close(self) -> None:
        with contextlib.suppress(OSError):
            os.fsync(self._fh.fileno())
        self._fh.close()


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
        if self._fd is None:
            self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        entry: dict[str, Any] = {"row": row, "format": fmt, "key": key,
                                 "files": [list(f) for f in files]}
        if warning:
            entry["warning"] = warning
        line = json.dumps(entry, ensure_ascii=False, separators=(",", ":")) + "\n"
        os.write(self._fd, line.encode("utf-8"))

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
