"""Reading an .xlsx workbook (Microsoft Forms' export, Excel) as a table of supporters,
after refusing a zip bomb or XML with a DOCTYPE."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from imhcard.batch.table import InputTable, Record, data_after, matched
from imhcard.batch.text_file import CHUNK
from imhcard.core.limits import XLSX_MAX_PARTS, XLSX_MAX_UNPACKED_BYTES, megabytes
from imhcard.errors import BatchInputError


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
            NotImplementedError, ValueError):
        raise BatchInputError(f"{path.name}: cannot read it as an Excel workbook (it is "
                              "damaged, or not a workbook); save it again as .xlsx") from None


def _has_doctype(archive: Any, part: Any) -> bool:
    tail = b""
    with archive.open(part) as fh:
        while chunk := fh.read(CHUNK):
            if b"<!DOCTYPE" in tail + chunk or b"<!ENTITY" in tail + chunk:
                return True
            tail = chunk[-16:]
    return False


def _sheet_rows(path: Path, sheet: str | None) -> Callable[[], Iterator[Record]]:
    """The rows of one sheet (the first when `sheet` is None), read afresh each call."""
    from openpyxl import load_workbook

    def rows() -> Iterator[Record]:
        try:
            book = load_workbook(path, read_only=True, data_only=True)
        except BatchInputError:
            raise
        # openpyxl and the XML and zip readers under it fail in many ways on a file
        # that is not a workbook; every one means the same to the person running this.
        except Exception:
            raise BatchInputError(f"{path.name}: cannot read it as an Excel workbook (it is "
                                  "damaged, or not a workbook); save it again as .xlsx") from None
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
                                  f"({str(exc)[:100] or 'it is damaged'}); save it "
                                  "again as .xlsx") from None
        finally:
            book.close()

    return rows


def _sheet_names(path: Path) -> list[str]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception:
        return []  # reading the first sheet says what is wrong
    try:
        return list(book.sheetnames)
    finally:
        book.close()


def open_xlsx(path: Path, explicit: dict[str, str], theme_map: dict[str, str],
              sheet: str | None) -> InputTable:
    """The workbook's sheet `sheet`; without one, the first sheet whose columns match
    (a workbook may start with an "Instructions" sheet)."""
    _check_workbook(path)
    if sheet is not None:
        rows = _sheet_rows(path, sheet)
        header_at, cols = matched(rows, path, explicit, theme_map)
        return InputTable(path, "xlsx", "row", cols, data_after(rows, header_at))
    names = _sheet_names(path)
    first_error: BatchInputError | None = None
    candidates: list[str | None] = [*names] if len(names) > 1 else [None]
    for name in candidates:
        rows = _sheet_rows(path, name)
        try:
            header_at, cols = matched(rows, path, explicit, theme_map)
        except BatchInputError as exc:
            first_error = first_error or exc
            continue
        return InputTable(path, "xlsx", "row", cols, data_after(rows, header_at))
    assert first_error is not None
    if len(names) < 2:
        raise first_error
    listed = ", ".join(f"'{n}'" for n in names)
    raise BatchInputError(f"{first_error}. The workbook's sheets are {listed}: if the "
                          "answers are on another sheet, name it with --worksheet NAME")
