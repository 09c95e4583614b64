"""A row with more cells than the header (an unquoted comma in a hand-made CSV), and a
CSV saved as UTF-16 with no byte-order mark."""

from __future__ import annotations

from pathlib import Path

from exporthelp import by_row, messages, run, write
from openpyxl import Workbook

# --- 3. more cells than headers ------------------------------------------------------------


def test_a_row_with_more_cells_than_headers_is_its_problem(tmp_path: Path) -> None:
    src = write(tmp_path / "h.csv", "Name,Pledge,Organisation,Consent\n"
                                    "Ann Able,make time every day to play, talk and cuddle,"
                                    "Sure Start,Yes\nBob Baker,listen,Sure Start,Yes,,\n")
    run(src, tmp_path / "out")
    rows = by_row(tmp_path / "out")
    assert rows[2]["status"] == "failed" and not rows[2]["files"]
    said = messages(rows[2])
    assert "5 cells but the header has 4" in said and "quotes" in said
    assert rows[3]["status"] == "made"  # empty cells at the end are fine


def test_a_workbook_row_with_a_note_past_the_headers_is_read(tmp_path: Path) -> None:
    # A workbook's cells cannot shift as a CSV's do: a note typed past the last column
    # is only not read.
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Name", "Pledge", "Organisation"])
    sheet.append(["Ann Able", "listen", "Sure Start", "rang her on Tuesday"])
    book.save(tmp_path / "w.xlsx")
    run(tmp_path / "w.xlsx", tmp_path / "out")
    assert by_row(tmp_path / "out")[2]["status"] == "made"


def test_utf16_without_a_byte_order_mark(tmp_path: Path) -> None:
    src = write(tmp_path / "u.csv", "Name,Pledge\r\nAoife Ní Bhriain,listen\r\n", "utf-16-le")
    summary = run(src, tmp_path / "out")
    assert summary.rows == 1 and summary.failed_rows == 0
    assert by_row(tmp_path / "out")[2]["name"] == "Aoife Ní Bhriain"
    big = write(tmp_path / "b.csv", "Name,Pledge\nSeán,listen\n", "utf-16-be")
    assert run(big, tmp_path / "out-be").failed_rows == 0
