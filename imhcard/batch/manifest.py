"""The manifest (CSV and JSON) that tells staff what became of every row of a batch."""

from __future__ import annotations

import contextlib
import csv
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from imhcard import __version__
from imhcard.batch.journal import plain_name, suffix_for
from imhcard.batch.problems import Problem, problems_of
from imhcard.core.limits import MANIFEST_MAX_BYTES
from imhcard.core.safe_files import read_regular
from imhcard.errors import BatchInputError, ImhcardError, OutputError, RefusedFile
from imhcard.output.files import publish, temp_beside

MANIFEST_COLUMNS = ("row", "name", "email", "format", "status", "files", "sha256", "alt_text",
                    "caption", "field", "error", "warning", "handle")
# made: this run made it; already made: an earlier run made it and it is unchanged
# (written "skipped" by imhcard 0.1.0; read back as "already made"); failed: not made
# (see error); duplicate: an older submission left out by --dedupe latest; no consent:
# the supporter said no (or left the consent box unticked), so nothing is made.
# A made card may have a warning (made without the photo, a duplicate, a check).
ALREADY_MADE = "already made"
NO_CONSENT_STATUS = "no consent"
STATUSES = ("made", ALREADY_MADE, "failed", "duplicate", NO_CONSENT_STATUS)
DELIVERED = ("made", ALREADY_MADE)
_OLD_STATUS = {"skipped": ALREADY_MADE}


def status_read(status: str) -> str:
    """A status as read back from a manifest, older names brought up to date."""
    return _OLD_STATUS.get(status, status)
# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(text: str) -> str:
    """The text with a leading quote if a spreadsheet would otherwise run it as a formula."""
    return "'" + text if text.startswith(_FORMULA_START) else text


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
    email: str = ""
    warning: str = ""
    problems: tuple[Problem, ...] = ()
    handle: str = ""  # as printed on the card (not in the alt text): for staff to see

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "name": self.name, "email": self.email, "format": self.format,
                "status": self.status, "files": list(self.files), "sha256": self.sha256,
                "alt_text": self.alt_text, "caption": self.caption, "field": self.field,
                "error": self.error, "warning": self.warning, "handle": self.handle,
                "problems": [p.as_dict() for p in self.problems]}


def _open_beside(path: Path, staged: list[Path]) -> tuple[Path, IO[str]]:
    try:
        fd = temp_beside(path, staged)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
    # UTF-8 with a byte-order mark: Excel reads UTF-8 without one as cp1252.
    return staged[-1], os.fdopen(fd, "w", newline="",
                                 encoding="utf-8-sig" if path.suffix == ".csv" else "utf-8")


@dataclass
class ManifestWriter:
    """manifest.csv and manifest.json, streamed as rows finish and put in place
    (atomically) only when the run ends, so a manifest is always complete."""

    out_dir: Path
    header: Mapping[str, Any]
    shard: tuple[int, int] | None = None
    # Where the temporary files' names go before they exist: the caller removes what is
    # in it if the run stops before abort() can (see output.files.temp_beside).
    staged: list[Path] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))
    _first: bool = True

    def __post_init__(self) -> None:
        stem = f"manifest{suffix_for(self.shard)}"
        self.csv_path = self.out_dir / f"{stem}.csv"
        self.json_path = self.out_dir / f"{stem}.json"
        for path in (self.csv_path, self.json_path):
            if path.is_dir() and not path.is_symlink():
                # Found now, not after every card is made.
                raise OutputError(f"cannot write {path}: there is a folder of that name; "
                                  "move it away")
        self._csv_tmp, self._csv_fh = _open_beside(self.csv_path, self.staged)
        self._json_tmp, self._json_fh = _open_beside(self.json_path, self.staged)
        self._csv = csv.writer(self._csv_fh)
        self._csv.writerow(MANIFEST_COLUMNS)
        head = json.dumps(dict(self.header), ensure_ascii=False, indent=1)[:-2]
        self._json_fh.write(head + ',\n "cards": [\n')

    def add(self, entries: Iterable[Entry]) -> None:
        try:
            self._add(entries)
        except OSError as exc:
            raise OutputError(f"cannot write the manifest in {self.out_dir}: "
                              f"{exc.strerror or exc}") from None

    def _add(self, entries: Iterable[Entry]) -> None:
        for e in entries:
            self.counts[e.status] += 1
            self._csv.writerow([e.row, csv_safe(e.name), csv_safe(e.email), e.format, e.status,
                                " ".join(e.files), e.sha256, csv_safe(e.alt_text),
                                csv_safe(e.caption), e.field, csv_safe(e.error),
                                csv_safe(e.warning), csv_safe(e.handle)])
            sep = "" if self._first else ",\n"
            self._first = False
            self._json_fh.write(sep + "  " + json.dumps(e.as_dict(), ensure_ascii=False))

    def finish(self, summary: Mapping[str, Any]) -> None:
        self._json_fh.write("\n ],\n \"summary\": "
                            + json.dumps(dict(summary), ensure_ascii=False) + "\n}\n")
        try:
            for tmp, fh, path in ((self._csv_tmp, self._csv_fh, self.csv_path),
                                  (self._json_tmp, self._json_fh, self.json_path)):
                fh.flush()
                os.fsync(fh.fileno())
                fh.close()
                publish(tmp, path)
        except OSError as exc:
            self.abort()
            raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None

    def abort(self) -> None:
        for tmp, fh in ((self._csv_tmp, self._csv_fh), (self._json_tmp, self._json_fh)):
            with contextlib.suppress(OSError):  # a full disk may refuse the last flush
                fh.close()
            tmp.unlink(missing_ok=True)


def _entry(c: Any) -> Entry:
    """One card of a manifest read back; a file name that is not a plain name in the
    batch folder ('../x', '/etc/x') means the manifest was not written by imhcard."""
    if not isinstance(c, dict):
        raise TypeError("a card is not an object")
    files = c.get("files", [])
    if not isinstance(files, list) or not all(isinstance(f, str) and plain_name(f)
                                              for f in files):
        raise ValueError(f"row {str(c.get('row'))[:20]}: files must be names of files in the "
                         "batch folder")
    return Entry(row=int(c["row"]), name=str(c["name"]), format=str(c["format"]),
                 status=status_read(str(c["status"])), files=tuple(files),
                 sha256=str(c.get("sha256", "")),
                 error=str(c.get("error", "")), email=str(c.get("email", "")),
                 warning=str(c.get("warning", "")), alt_text=str(c.get("alt_text", "")),
                 caption=str(c.get("caption", "")), field=str(c.get("field", "")),
                 handle=str(c.get("handle", "")),
                 problems=tuple(problems_of([c])))


def manifest_header(input_path: Path, theme_path: Path, formats: Sequence[str], image_type: str,
                    shard: tuple[int, int] | None, theme_draft: str | None = None,
                    theme_digest: str = "") -> dict[str, Any]:
    """The manifest's record of how the cards were made: `theme_draft` is the draft
    theme's reason (None for a final theme), which `imhcard mail` goes by."""
    return {"imhcard": __version__, "input": input_path.name, "theme": str(theme_path),
            "theme_draft": theme_draft, "theme_sha256": theme_digest,
            "formats": list(formats), "image_format": image_type,
            "shard": f"{shard[0]}/{shard[1]}" if shard else None}


def made_with_draft(folder: Path) -> str | None:
    """Why the cards in `folder` were made with a draft theme, as their manifests
    record it, or None. A manifest from before this was recorded is judged by the
    theme file it names, if that is still there."""
    from imhcard.core.theme import load_theme

    for path in sorted(folder.glob("manifest*.json")):
        try:
            data = json.loads(read_regular(path, "manifest", MANIFEST_MAX_BYTES, (folder,)))
        except (RefusedFile, OSError, ValueError, RecursionError):
            continue
        if not isinstance(data, dict):
            continue
        if "theme_draft" in data:
            if data["theme_draft"]:
                return f"{data.get('theme', 'the theme')}: {data['theme_draft']}"
            continue
        recorded = data.get("theme")
        if isinstance(recorded, str) and Path(recorded).is_file():
            try:
                theme = load_theme(recorded)
            except ImhcardError:  # an unreadable old theme tells nothing either way
                continue
            if theme.draft is not None:
                return f"{recorded}: {theme.draft.reason}"
    return None


def read_manifests(folder: Path) -> list[Entry]:
    """The entries of the manifest*.json in a batch folder (one per shard), by row; where
    two manifests cover a row and format (shards, then a whole run), the newer wins."""
    paths = sorted(folder.glob("manifest*.json"), key=lambda p: (p.stat().st_mtime_ns, p.name))
    whole = folder / "manifest.json"
    if whole in paths:
        # A whole run covers every row: shard manifests from before it may list rows
        # since deleted from the input.
        paths = paths[paths.index(whole):]
    if not paths:
        raise BatchInputError(f"{folder}: no manifest.json; make the batch with "
                              "`imhcard batch ... --out FOLDER` first")
    entries: list[Entry] = []
    for path in paths:
        try:
            data = json.loads(read_regular(path, "manifest", MANIFEST_MAX_BYTES, (folder,)))
            cards = data["cards"]
            if not isinstance(cards, list):
                raise TypeError("cards is not a list")
            entries += [_entry(c) for c in cards]
        except RefusedFile as exc:
            raise BatchInputError(str(exc)) from None
        except RecursionError:
            raise BatchInputError(f"{path}: not a manifest imhcard wrote (nested too "
                                  "deeply)") from None
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise BatchInputError(f"{path}: not a manifest imhcard wrote "
                                  f"({str(exc)[:200] or 'it cannot be read'})") from None
    latest = {(e.row, e.format): e for e in entries}
    return sorted(latest.values(), key=lambda e: (e.row, e.format))
