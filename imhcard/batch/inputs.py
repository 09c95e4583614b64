"""Reading a batch's input: CSV, XLSX, JSON, JSON Lines or YAML, streamed one
supporter row at a time, with the file's columns matched to supporter fields.

Row numbers are the ones a person sees: in a spreadsheet the header is row 1
and the first supporter row 2 (a cell with a line break is still one row); in a
JSON or YAML list the first supporter is item 1; in JSON Lines, the line.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import json
import re
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import yaml

from imhcard.batch.columns import Columns, match_columns
from imhcard.core.fields import OWN
from imhcard.core.limits import (
    CELL_MAX_CHARS,
    COLUMNS_MAX,
    DOCUMENT_MAX_BYTES,
    DOCUMENT_MAX_NODES,
    FILE_NAME_MAX,
    LINE_MAX_BYTES,
    XLSX_MAX_PARTS,
    XLSX_MAX_UNPACKED_BYTES,
    YAML_DOCUMENT_MAX_BYTES,
    megabytes,
)
from imhcard.core.safe_files import inside, read_regular
from imhcard.core.safe_yaml import load_yaml
from imhcard.core.supporter import Supporter
from imhcard.errors import BatchInputError, PhotoError, RefusedFile

KINDS = {".csv": "csv", ".tsv": "csv", ".txt": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx",
         ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".yaml": "yaml", ".yml": "yaml"}

_SURROGATE = re.compile("[\ud800-\udfff]")
_URL = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)
_DELIMITERS = (",", ";", "\t", "|")
_CHUNK = 1 << 16

# (row number, cells); the cells are a message instead when the record is not a row.
Record = tuple[int, "list[Any] | str"]
RowSource = Callable[[], Iterator[Record]]


@dataclass(frozen=True)
class InputRow:
    """One supporter's cells, by field, and where they came from."""

    number: int
    values: Mapping[str, str]
    problem: str = ""  # set when the row itself is not a supporter (a JSON item that is no object)

    def get(self, name: str) -> str:
        return self.values.get(name, "")


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


def _cell_text(value: Any) -> str:
    """A cell from a workbook or a JSON/YAML value as the text a person typed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = json.dumps(value, ensure_ascii=False, default=str) if isinstance(value, (dict, list)) \
        else str(value)
    # JSON can carry lone UTF-16 surrogates ("\ud800"), which no file can hold: they
    # become U+FFFD, which resolve() refuses in the card's text, naming the field.
    if _SURROGATE.search(text):
        text = _SURROGATE.sub("\ufffd", text)
    return text


def _check_width(name: str, number: int, cells: list[Any]) -> None:
    if len(cells) > COLUMNS_MAX:
        raise BatchInputError(f"{name} row {number}: {len(cells):,} columns; the limit is "
                              f"{COLUMNS_MAX:,}. Keep only the form's own columns")


@dataclass
class InputTable:
    """An opened input file: its columns, matched, and its rows, streamed on demand.

    Iterating reads the file again from the start, so a table can be counted
    first and then read, without holding the rows in memory.
    """

    path: Path
    kind: str
    unit: str  # what a person calls a record of this file: row, item or line
    columns: Columns
    _rows: RowSource = field(repr=False)
    blank_rows: int = 0

    @property
    def base(self) -> Path:
        return self.path.parent

    def where(self, number: int) -> str:
        return f"{self.path.name} {self.unit} {number}"

    def rows(self, keep: Callable[[int], bool] | None = None) -> Iterator[InputRow]:
        """Rows with any content (for which `keep(number)` is true); wholly blank rows
        are counted in `blank_rows`."""
        self.blank_rows = 0
        index = self.columns.found
        for number, cells in self._rows():
            if keep is not None and not keep(number):
                continue
            if isinstance(cells, str):  # a record that is not a table row
                yield InputRow(number, {}, cells)
                continue
            _check_width(self.path.name, number, cells)
            texts = [_cell_text(c) for c in cells]
            if not any(t.strip() for t in texts):
                self.blank_rows += 1
                continue
            values = {name: texts[i] if i < len(texts) else "" for name, (i, _) in index.items()}
            yield InputRow(number, values)

    def count(self, keep: Callable[[int], bool] | None = None) -> int:
        """How many non-blank rows (for which `keep(number)` is true): a streaming pass."""
        n = 0
        for number, cells in self._rows():
            if keep is not None and not keep(number):
                continue
            if not isinstance(cells, str):
                _check_width(self.path.name, number, cells)
            if isinstance(cells, str) or any(_cell_text(c).strip() for c in cells):
                n += 1
        return n


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
        return _open_csv(path, explicit, theme_map, encoding, delimiter)
    if kind == "xlsx":
        return _open_xlsx(path, explicit, theme_map, sheet)
    if kind == "jsonl":
        return _open_jsonl(path, explicit, theme_map, encoding or "utf-8")
    return _open_document(path, kind, explicit, theme_map, encoding or "utf-8")


# --- CSV -------------------------------------------------------------------------


def _split(fh: BinaryIO, sep: bytes, path: Path) -> Iterator[bytes]:
    """The file's lines, each with its ending, read in chunks; a line past
    LINE_MAX_BYTES is refused rather than gathered (a file with no line breaks
    would otherwise be read whole)."""
    rest = b""
    number = 1
    while chunk := fh.read(_CHUNK):
        rest += chunk
        *lines, rest = rest.split(sep)
        for line in lines:
            yield line + sep
        number += len(lines)
        if len(rest) > LINE_MAX_BYTES:
            raise BatchInputError(_long_line(path, number))
    if rest:
        yield rest


def _long_line(path: Path, number: int) -> str:
    return (f"{path.name} line {number}: the line is longer than "
            f"{megabytes(LINE_MAX_BYTES)}, the limit for one line; is this really a "
            "spreadsheet export?")


def _decode_error(path: Path, line: int, encoding: str, exc: UnicodeDecodeError) -> str:
    byte = exc.object[exc.start:exc.start + 1].hex().upper() if exc.object else "?"
    if codecs.lookup(encoding).name == "utf-8":
        return (f"{path.name} line {line}: the text is not valid UTF-8 (byte 0x{byte}); the "
                "file was probably saved as plain 'CSV' rather than 'CSV UTF-8'. Save it as "
                "CSV UTF-8, or read it as it is with --encoding cp1252")
    return (f"{path.name} line {line}: the text is not valid {encoding} (byte 0x{byte}); "
            "check --encoding (utf-8 and cp1252 are the usual ones)")


def _text_lines(path: Path, encoding: str | None) -> Iterator[str]:
    """Decoded lines with their endings; a decoding error names the line."""
    with path.open("rb") as fh:
        head = fh.read(_CHUNK)
        fh.seek(0)
        if head.startswith(codecs.BOM_UTF8):
            encoding = "utf-8"  # a byte-order mark says UTF-8, whatever was asked
            fh.seek(len(codecs.BOM_UTF8))
        elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            encoding = "utf-16"
        encoding = encoding or "utf-8"
        if codecs.lookup(encoding).name.startswith(("utf-16", "utf-32")):
            # Wide encodings cannot be split at the byte b"\n"; let io decode them.
            text = io.TextIOWrapper(fh, encoding=encoding, newline="")
            done = 0  # lines decoded so far, for the error's line number
            try:
                while decoded := text.readline(LINE_MAX_BYTES // 2 + 1):
                    if len(decoded) > LINE_MAX_BYTES // 2:
                        raise BatchInputError(_long_line(path, done + 1))
                    yield decoded
                    done += 1
            except UnicodeDecodeError as exc:
                raise BatchInputError(_decode_error(path, done + 1, encoding, exc)) from None
            return
        # Old Mac spreadsheets end lines with a bare CR.
        sep = b"\r" if b"\r" in head and b"\n" not in head else b"\n"
        for number, raw in enumerate(_split(fh, sep, path), 1):
            try:
                yield raw.decode(encoding)
            except UnicodeDecodeError as exc:
                raise BatchInputError(_decode_error(path, number, encoding, exc)) from None


def _sniff(header: str) -> str:
    """The delimiter used most often outside quotes in the header row; comma on a tie."""
    counts = dict.fromkeys(_DELIMITERS, 0)
    quoted = False
    for ch in header:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _csv_records(path: Path, encoding: str | None,
                 delimiter: str | None) -> Iterator[tuple[int, list[str]]]:
    """(row number, cells) for every record; the header is row 1."""
    lines = _text_lines(path, encoding)
    # Peek at the first record (its quoted cells may span lines) to find the delimiter.
    peeked: list[str] = []
    for line in lines:
        peeked.append(line)
        head = "".join(peeked)
        if (head.count('"') % 2 == 0 and head.strip()) or len(peeked) > 200:
            break
    sep = delimiter or _sniff("".join(peeked))
    # A process-wide setting of the csv module; every reader in imhcard wants this one.
    csv.field_size_limit(CELL_MAX_CHARS)
    reader = csv.reader(itertools.chain(peeked, lines), delimiter=sep, strict=True)
    try:
        yield from enumerate(reader, 1)
    except csv.Error as exc:
        raise BatchInputError(f"{path.name} line {reader.line_num}: cannot read the CSV "
                              f"({exc}); is a quoted cell missing its closing quote? (a cell "
                              f"may hold at most {CELL_MAX_CHARS:,} characters)") from None


def _header_row(rows: Iterator[Record], path: Path) -> tuple[int, list[str]]:
    for number, cells in rows:
        if isinstance(cells, str):
            continue
        _check_width(path.name, number, cells)
        texts = [_cell_text(c).strip() for c in cells]
        if any(texts):
            return number, texts
    raise BatchInputError(f"{path.name}: the file is empty; expected a header row (like "
                          "Name, Pledge, Organisation) and a row per supporter")


def _data_after(rows: RowSource, header_at: int) -> RowSource:
    def read() -> Iterator[Record]:
        for number, cells in rows():
            if number > header_at:
                yield number, cells
    return read


def _open_csv(path: Path, explicit: dict[str, str], theme_map: dict[str, str],
              encoding: str | None, delimiter: str | None) -> InputTable:
    def rows() -> Iterator[Record]:
        return _csv_records(path, encoding, delimiter)

    header_at, headers = _header_row(rows(), path)
    cols = match_columns(headers, path.name, explicit, theme_map)
    return InputTable(path, "csv", "row", cols, _data_after(rows, header_at))


# --- XLSX ------------------------------------------------------------------------


def _check_workbook(path: Path) -> None:
    """Refuse a zip bomb or XML with a DOCTYPE (entity expansion, external entities)
    before openpyxl unpacks anything. A workbook Excel, Google or Microsoft Forms
    writes has neither."""
    import zipfile
    import zlib

    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
            if len(parts) > XLSX_MAX_PARTS:
                raise BatchInputError(f"{path.name}: {len(parts):,} parts inside; a workbook "
                                      f"has at most {XLSX_MAX_PARTS:,}")
            unpacked = sum(p.file_size for p in parts)
            if unpacked > XLSX_MAX_UNPACKED_BYTES:
                raise BatchInputError(f"{path.name}: unpacks to {megabytes(unpacked)}; the "
                                      f"limit is {megabytes(XLSX_MAX_UNPACKED_BYTES)}. Save "
                                      "it as CSV, which has no limit")
            for part in parts:
                if part.filename.endswith((".xml", ".rels")) and _has_doctype(archive, part):
                    raise BatchInputError(f"{path.name}: {part.filename} declares XML "
                                          "entities, which no spreadsheet program writes; "
                                          "save the file again from Excel")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, OSError, EOFError,
            NotImplementedError, ValueError) as exc:
        raise BatchInputError(f"{path.name}: cannot read it as an Excel workbook "
                              f"({exc.__class__.__name__}); save it again as .xlsx") from None


def _has_doctype(archive: Any, part: Any) -> bool:
    tail = b""
    with archive.open(part) as fh:
        while chunk := fh.read(_CHUNK):
            if b"<!DOCTYPE" in tail + chunk or b"<!ENTITY" in tail + chunk:
                return True
            tail = chunk[-16:]
    return False


def _open_xlsx(path: Path, explicit: dict[str, str], theme_map: dict[str, str],
               sheet: str | None) -> InputTable:
    from openpyxl import load_workbook

    _check_workbook(path)

    def rows() -> Iterator[Record]:
        try:
            book = load_workbook(path, read_only=True, data_only=True)
        except BatchInputError:
            raise
        # openpyxl and the XML and zip readers under it fail in many ways on a file
        # that is not a workbook; every one means the same to the person running this.
        except Exception as exc:
            raise BatchInputError(f"{path.name}: cannot read it as an Excel workbook "
                                  f"({exc.__class__.__name__}); save it again as .xlsx") from None
        try:
            if sheet is not None and sheet not in book.sheetnames:
                raise BatchInputError(f"{path.name}: no sheet '{sheet}'; the sheets are: "
                                      f"{', '.join(book.sheetnames)}")
            ws = book[sheet] if sheet is not None else book.worksheets[0]
            # Some writers record a wrong size; read the sheet as it really is.
            ws.reset_dimensions()
            # Read-only rows come in order from row 1, empty rows as empty tuples.
            for number, cells in enumerate(ws.iter_rows(values_only=True), 1):
                yield number, list(cells)
        except BatchInputError:
            raise
        except Exception as exc:  # as above: a damaged sheet inside a readable zip
            raise BatchInputError(f"{path.name}: cannot read the sheet "
                                  f"({exc.__class__.__name__}: {str(exc)[:100]}); save it "
                                  "again as .xlsx") from None
        finally:
            book.close()

    header_at, headers = _header_row(rows(), path)
    cols = match_columns(headers, path.name, explicit, theme_map)
    return InputTable(path, "xlsx", "row", cols, _data_after(rows, header_at))


# --- JSON, JSON Lines, YAML ----------------------------------------------------------


def _object_cells(item: Any, keys: list[str]) -> list[Any] | str:
    if not isinstance(item, dict):
        return "expected an object with name and pledge, found " + type(item).__name__
    return [item.get(k) for k in keys]


def _json(text: str, name: str, first_line: int) -> Any:
    """json.loads, with every way it can fail as one BatchInputError naming the line."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise BatchInputError(f"{name} line {first_line + exc.lineno - 1}: not valid JSON: "
                              f"{exc.msg}") from None
    except RecursionError:
        raise BatchInputError(f"{name} line {first_line}: lists or objects nested too deeply "
                              "to be a list of supporters") from None
    except ValueError as exc:  # a number with thousands of digits
        raise BatchInputError(f"{name} line {first_line}: not valid JSON: {exc}") from None


def _check_keys(name: str, keys: Collection[str]) -> None:
    if len(keys) > COLUMNS_MAX:
        raise BatchInputError(f"{name}: the objects have more than {COLUMNS_MAX:,} different "
                              f"keys, the limit; keep only {', '.join(f.name for f in OWN)}")


def _open_document(path: Path, kind: str, explicit: dict[str, str], theme_map: dict[str, str],
                   encoding: str) -> InputTable:
    """A JSON or YAML list of objects (or an object holding one such list). Scripts
    write these; they are read whole, unlike the streamed spreadsheet formats."""
    limit = DOCUMENT_MAX_BYTES if kind == "json" else YAML_DOCUMENT_MAX_BYTES
    try:
        raw = read_regular(path, "input file", limit)
    except RefusedFile as exc:
        raise BatchInputError(f"{exc}; a {kind.upper()} input is read whole, so for a bigger "
                              "batch use JSON Lines (.jsonl) or CSV, which are streamed") from None
    try:
        text = raw.decode("utf-8-sig" if encoding == "utf-8" else encoding)
    except UnicodeDecodeError as exc:
        line = exc.object[:exc.start].count(b"\n") + 1
        raise BatchInputError(_decode_error(path, line, encoding, exc)) from None
    try:
        data = _json(text, path.name, 1) if kind == "json" else \
            load_yaml(text, DOCUMENT_MAX_NODES)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" line {mark.line + 1}" if mark else ""
        raise BatchInputError(f"{path.name}{at}: not valid YAML: "
                              f"{getattr(exc, 'problem', None) or exc}") from None
    if isinstance(data, dict):
        lists = [v for v in data.values() if isinstance(v, list)]
        data = lists[0] if len(lists) == 1 else data
    if not isinstance(data, list):
        raise BatchInputError(f"{path.name}: expected a list of supporters (objects with "
                              f"name and pledge), found {type(data).__name__}")
    keys = list(dict.fromkeys(str(k) for item in data if isinstance(item, dict) for k in item))
    _check_keys(path.name, keys)
    cols = match_columns(keys, path.name, explicit, theme_map)
    items = data

    def rows() -> Iterator[Record]:
        for number, item in enumerate(items, 1):
            yield number, _object_cells(item, keys)

    return InputTable(path, kind, "item", cols, rows)


def _open_jsonl(path: Path, explicit: dict[str, str], theme_map: dict[str, str],
                encoding: str) -> InputTable:
    def rows() -> Iterator[tuple[int, Any]]:
        for number, line in enumerate(_text_lines(path, encoding), 1):
            if not line.strip():
                yield number, []
                continue
            yield number, _json(line, path.name, number)

    # The keys are gathered in one streaming pass; only the set of names is kept.
    seen: dict[str, None] = {}
    for _, item in rows():
        if isinstance(item, dict):
            seen.update(dict.fromkeys(str(k) for k in item))
            _check_keys(path.name, seen)
    keys = list(seen)
    cols = match_columns(keys, path.name, explicit, theme_map)

    def cells() -> Iterator[Record]:
        for number, item in rows():
            yield number, item if item == [] else _object_cells(item, keys)

    return InputTable(path, "jsonl", "line", cols, cells)
