"""Opening a batch's input (CSV, XLSX, JSON, JSON Lines or YAML) as a table of
supporters, and where a row's photo cell may point."""

from __future__ import annotations

import codecs
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from imhcard.batch.read_csv import open_csv
from imhcard.batch.read_json import open_document, open_jsonl
from imhcard.batch.read_xlsx import open_xlsx
from imhcard.batch.table import InputRow, InputTable
from imhcard.core.fields import OWN
from imhcard.core.limits import FILE_NAME_MAX
from imhcard.core.safe_files import inside
from imhcard.core.supporter import Supporter
from imhcard.errors import BatchInputError, PhotoError

__all__ = ["InputRow", "InputTable", "open_input", "photo_path", "photo_roots", "supporter_of"]

KINDS = {".csv": "csv", ".tsv": "csv", ".txt": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx",
         ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".yaml": "yaml", ".yml": "yaml"}
_URL = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)


def photo_roots(base: Path, photos_dir: Path | None = None) -> tuple[Path, ...]:
    """The folders a batch's photos may be read from: the input file's, and --photos DIR."""
    return (base,) if photos_dir is None else (photos_dir, base)


def photo_path(cell: str, base: Path, photos_dir: Path | None = None) -> Path:
    """Where a photo cell points: a path relative to --photos DIR (when given, and the
    file is there) or to the input file's folder. A path that leads anywhere else
    (an absolute path, ../, a symlink out) is refused: a batch reads photos from
    those two folders only."""
    if _URL.match(cell):
        raise PhotoError("photo", f"the photo is a web link ({cell[:60]}); download the "
                         "photos into a folder beside the input file and put each "
                         "file's name in the photo column")
    if len(cell) > FILE_NAME_MAX * 4 or "\0" in cell:
        raise PhotoError("photo", f"the photo cell is not a file name ({len(cell):,} "
                         f"characters); give the photo's file name")
    if "\\" in cell and "/" not in cell and not Path(cell).is_absolute():
        cell = cell.replace("\\", "/")  # typed on Windows: photos\me.jpg
    roots = photo_roots(base, photos_dir)
    candidates = [root / cell for root in roots]  # an absolute cell stays as it is
    path = next((c for c in candidates if c.exists()), candidates[-1])
    if not inside(path, roots):
        folders = " or ".join(f"'{r}'" for r in roots)
        hint = "" if photos_dir else ", or name the photos' folder with --photos DIR"
        raise PhotoError("photo", f"the photo '{cell[:100]}' is outside {folders}; photos "
                         f"are read only from there: put it in that folder{hint}")
    return path


def supporter_of(row: InputRow, base: Path, photos_dir: Path | None = None) -> Supporter:
    """The row as a Supporter; a photo cell is a path confined by `photo_path`."""
    cell = row.get("photo").strip()
    photo = photo_path(cell, base, photos_dir) if cell else None
    # A language's name ('Irish') is matched to its code by the theme, in resolve().
    values: dict[str, Any] = {f.name: row.get(f.name) for f in OWN if f.kind != "photo"}
    return Supporter(**values, photo=photo)

def open_input(path: Path, columns: Mapping[str, str] | None = None,
               theme_columns: Mapping[str, str] | None = None, encoding: str | None = None,
               delimiter: str | None = None, sheet: str | None = None) -> InputTable:
    """Open a supporters file and match its columns; raise BatchInputError for a file
    that cannot be read as a table of supporters."""
    if not path.is_file():
        raise BatchInputError(f"{path}: no such file" if not path.exists()
                              else f"{path}: not a file")
    kind = KINDS.get(path.suffix.lower())
    if kind is None:
        raise BatchInputError(f"{path.name}: unknown kind of file '{path.suffix}'; use .csv, "
                              ".xlsx, .json, .jsonl or .yaml")
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise BatchInputError(f"--encoding {encoding}: unknown text encoding; try utf-8 "
                                  "or cp1252") from None
    if delimiter is not None and len(delimiter) != 1:
        raise BatchInputError(f"--delimiter {delimiter!r}: give one character, like ';'")
    explicit, theme_map = dict(columns or {}), dict(theme_columns or {})
    if kind == "csv":
        return open_csv(path, explicit, theme_map, encoding, delimiter)
    if kind == "xlsx":
        return open_xlsx(path, explicit, theme_map, sheet)
    if kind == "jsonl":
        return open_jsonl(path, explicit, theme_map, encoding or "utf-8")
    return open_document(path, kind, explicit, theme_map, encoding or "utf-8")
