"""Where a sheet's header row is: below a title and blank rows in a hand-made sheet,
on the sheet of a workbook that has the answers."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from imhcard.batch.inputs import open_input
from imhcard.errors import BatchInputError


def test_a_title_and_a_blank_row_above_the_headers(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(b"Pledge sign-ups 2026,,\r\n,,\r\nName,Pledge,Email\r\n"
                     b"Ann,listen,a@x.org\r\nBob,speak-up,b@x.org\r\n")
    table = open_input(path)
    assert table.columns.header("name") == "Name"
    # Numbered as the sheet shows them.
    assert [(r.number, r.get("name"), r.get("email")) for r in table.rows()] == [
        (4, "Ann", "a@x.org"), (5, "Bob", "b@x.org")]


def test_two_title_lines_and_a_note(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("Stronger from the Start,,,\nPledges collected at the Newry event,,,\n"
                    ",,,\nFirst name,Surname,Your pledge,Organisation\n"
                    "Mary,Murphy,listen,Sure Start Newry\n", encoding="utf-8")
    assert [(r.number, r.get("name")) for r in open_input(path).rows()] == [
        (5, "Mary Murphy")]


def test_a_header_row_with_a_known_header_stays_the_header(tmp_path: Path) -> None:
    # The first row is the header even if a later row holds words like headers.
    path = tmp_path / "t.csv"
    path.write_text("Name,Pledge\nName,Email\nAnn,listen\n", encoding="utf-8")
    assert [r.number for r in open_input(path).rows()] == [2, 3]


def workbook(path: Path, sheets: dict[str, list[list[str]]]) -> Path:
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for name, rows in sheets.items():
        ws = book.create_sheet(name)
        for row in rows:
            ws.append(row)
    book.save(path)
    return path


def test_a_workbook_whose_first_sheet_is_instructions(tmp_path: Path) -> None:
    path = workbook(tmp_path / "w.xlsx", {
        "Instructions": [["Fill in one row per supporter."], ["Ask before taking photos."]],
        "Sign-ups": [["Name", "Pledge"], ["Ann", "listen"]]})
    assert [(r.number, r.get("name")) for r in open_input(path).rows()] == [(2, "Ann")]


def test_no_sheet_has_the_columns_names_the_sheets_and_the_flag(tmp_path: Path) -> None:
    path = workbook(tmp_path / "w.xlsx", {
        "Instructions": [["Fill in one row per supporter."]],
        "Notes": [["Who", "What"], ["Ann", "listen"]]})
    with pytest.raises(BatchInputError) as err:
        open_input(path)
    message = str(err.value)
    assert message.startswith("w.xlsx: no column for the name (name) and the pledge (pledge)")
    assert message.endswith("The workbook's sheets are 'Instructions', 'Notes': if the "
                            "answers are on another sheet, name it with --worksheet NAME")
