"""Reading an .xlsx workbook (Microsoft Forms' export, Excel) as a table of supporters,
after refusing a zip bomb or XML with a DOCTYPE."""

from __future__ import annotations

from collections.abc import Iterator
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


def open_xlsx(path: Path, explicit: dict[str, str], theme_map: dict[str, str],
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

    header_at, cols = matched(rows, path, explicit, theme_map)
    return InputTable(path, "xlsx", "row", cols, data_after(rows, header_at))
