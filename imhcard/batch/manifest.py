"""The record of a batch: the journal that makes a run resumable, and the manifest
(CSV and JSON) that tells staff what became of every row.

The journal is append-only JSON Lines, one line per card made, flushed as each
card is written, so a run killed at any moment leaves a journal that says
exactly which cards exist. A torn last line (the kill landed mid-write) is
ignored. Each line records the card's content key and the SHA-256 of every
file it wrote, so a re-run can trust a card only if its files are still there,
byte for byte.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import json
import os
import tempfile
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from imhcard import __version__
from imhcard.errors import BatchInputError, OutputError
from imhcard.output.files import atomic_file, publish

JOURNAL_PREFIX = ".imhcard-journal"
MANIFEST_COLUMNS = ("row", "name", "format", "status", "files", "sha256", "alt_text", "caption",
                    "field", "error")
STATUSES = ("made", "skipped", "failed")
# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Zip entries get a fixed date, so the same cards always make the same zip.
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def csv_safe(text: str) -> str:
    """The text with a leading quote if a spreadsheet would otherwise run it as a formula."""
    return "'" + text if text.startswith(_FORMULA_START) else text


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


# --- the journal ---------------------------------------------------------------------


@dataclass(frozen=True)
class Made:
    """A card an earlier run made: its content key and each file's SHA-256."""

    key: str
    files: tuple[tuple[str, str], ...]

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
        return Made(entry["key"], tuple((str(a), str(b)) for a, b in entry["files"]))

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

    def record(self, row: int, fmt: str, key: str, files: Sequence[tuple[str, str]]) -> None:
        """Note one card made, once its files are in place; on disk before the next."""
        if self._fd is None:
            self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        entry = {"row": row, "format": fmt, "key": key, "files": [list(f) for f in files]}
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


# --- the manifest --------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One row and format of the manifest."""

    row: int
    name: str
    format: str
    status: str
    files: tuple[str, ...] = ()
    sha256: str = ""
    alt_text: str = ""
    caption: str = ""
    field: str = ""
    error: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "name": self.name, "format": self.format,
                "status": self.status, "files": list(self.files), "sha256": self.sha256,
                "alt_text": self.alt_text, "caption": self.caption, "field": self.field,
                "error": self.error}


def _temp_beside(path: Path, mode: str) -> tuple[Path, IO[Any]]:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    if "b" in mode:
        return Path(tmp), os.fdopen(fd, mode)
    # UTF-8 with a byte-order mark: Excel reads UTF-8 without one as cp1252.
    return Path(tmp), os.fdopen(fd, mode, encoding="utf-8-sig" if path.suffix == ".csv"
                                else "utf-8", newline="")


@dataclass
class ManifestWriter:
    """manifest.csv and manifest.json, streamed as rows finish and put in place
    (atomically) only when the run ends, so a manifest is always complete."""

    out_dir: Path
    header: Mapping[str, Any]
    shard: tuple[int, int] | None = None
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))
    _first: bool = True

    def __post_init__(self) -> None:
        stem = f"manifest{suffix_for(self.shard)}"
        self.csv_path = self.out_dir / f"{stem}.csv"
        self.json_path = self.out_dir / f"{stem}.json"
        self._csv_tmp, self._csv_fh = _temp_beside(self.csv_path, "w")
        self._json_tmp, self._json_fh = _temp_beside(self.json_path, "w")
        self._csv = csv.writer(self._csv_fh)
        self._csv.writerow(MANIFEST_COLUMNS)
        head = json.dumps(dict(self.header), ensure_ascii=False, indent=1)[:-2]
        self._json_fh.write(head + ',\n "cards": [\n')

    def add(self, entries: Iterable[Entry]) -> None:
        for e in entries:
            self.counts[e.status] += 1
            self._csv.writerow([e.row, csv_safe(e.name), e.format, e.status, " ".join(e.files),
                                e.sha256, csv_safe(e.alt_text), csv_safe(e.caption), e.field,
                                csv_safe(e.error)])
            sep = "" if self._first else ",\n"
            self._first = False
            self._json_fh.write(sep + "  " + json.dumps(e.as_dict(), ensure_ascii=False))

    def finish(self, summary: Mapping[str, Any]) -> None:
        self._json_fh.write("\n ],\n \"summary\": "
                            + json.dumps(dict(summary), ensure_ascii=False) + "\n}\n")
        for tmp, fh, path in ((self._csv_tmp, self._csv_fh, self.csv_path),
                              (self._json_tmp, self._json_fh, self.json_path)):
            fh.flush()
            os.fsync(fh.fileno())
            fh.close()
            publish(tmp, path)

    def abort(self) -> None:
        for tmp, fh in ((self._csv_tmp, self._csv_fh), (self._json_tmp, self._json_fh)):
            fh.close()
            tmp.unlink(missing_ok=True)


def manifest_header(input_path: Path, theme_path: Path, formats: Sequence[str], image_type: str,
                    shard: tuple[int, int] | None) -> dict[str, Any]:
    return {"imhcard": __version__, "input": input_path.name, "theme": str(theme_path),
            "formats": list(formats), "image_format": image_type,
            "shard": f"{shard[0]}/{shard[1]}" if shard else None}


def read_manifests(folder: Path) -> list[Entry]:
    """The entries of the manifest*.json in a batch folder (one per shard), by row; where
    two manifests cover a row and format (shards, then a whole run), the newer wins."""
    paths = sorted(folder.glob("manifest*.json"), key=lambda p: (p.stat().st_mtime_ns, p.name))
    if not paths:
        raise BatchInputError(f"{folder}: no manifest.json; make the batch with "
                              "`imhcard batch ... --out FOLDER` first")
    entries: list[Entry] = []
    for path in paths:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            cards = data["cards"]
            entries += [Entry(row=int(c["row"]), name=str(c["name"]), format=str(c["format"]),
                              status=str(c["status"]), files=tuple(c.get("files", ())),
                              sha256=str(c.get("sha256", "")), error=str(c.get("error", "")))
                        for c in cards]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise BatchInputError(f"{path}: not a manifest imhcard wrote "
                                  f"({exc.__class__.__name__}: {exc})") from None
    latest = {(e.row, e.format): e for e in entries}
    return sorted(latest.values(), key=lambda e: (e.row, e.format))


# --- the zip -------------------------------------------------------------------------


def zip_batch(out_dir: Path, manifests: Sequence[Path], zip_path: Path) -> Path:
    """Pack the cards, alt texts and captions a manifest lists, with the manifest, into
    one zip for sending. Images are stored as they are (they are compressed already)."""
    with atomic_file(zip_path) as tmp, zipfile.ZipFile(tmp, "w") as archive:
        seen: set[str] = set()
        for manifest in manifests:
            _add(archive, out_dir / manifest.name, manifest.name)
        for name in _listed_files(manifests):
            if name not in seen:
                seen.add(name)
                _add(archive, out_dir / name, name)
    return zip_path


def _listed_files(manifests: Sequence[Path]) -> Iterator[str]:
    """Files of made and skipped cards, streamed from the CSV manifests."""
    for manifest in manifests:
        if manifest.suffix != ".csv":
            continue
        with manifest.open(encoding="utf-8-sig", newline="") as fh:
            for record in csv.DictReader(fh):
                if record["status"] in ("made", "skipped"):
                    yield from record["files"].split()


def _add(archive: zipfile.ZipFile, path: Path, name: str) -> None:
    info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
    info.external_attr = 0o644 << 16
    text = path.suffix in (".txt", ".csv", ".json")
    info.compress_type = zipfile.ZIP_DEFLATED if text else zipfile.ZIP_STORED
    with path.open("rb") as src, archive.open(info, "w") as dst:
        while chunk := src.read(1 << 20):
            dst.write(chunk)
