"""What people write in the handle and photo cells when they have none: a placeholder
("n/a", "-", "No photo") or a sentence ("n/a - I don't use social media") is a blank
cell, never a fake handle or a photo's name."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from exporthelp import by_row, run, write
from PIL import Image

from imhcard.core.fields import clean_handle, is_placeholder

# --- 4. sentences in the handle ------------------------------------------------------------


@pytest.mark.parametrize("answer", [
    "n/a - I don't use social media", "N/A (not on social media)", "Don't have one, sorry",
    "None, sorry", "No - not on socials", "Níl ceann agam", "I don't use social media",
    "not on instagram",
])
def test_a_sentence_saying_no_handle_is_none(answer: str) -> None:
    assert clean_handle(answer) == ""
    assert is_placeholder(answer, sentence=True)


@pytest.mark.parametrize("answer, handle", [
    ("aoife", "@aoife"), ("@ aoife", "@aoife"), ("Insta: @aoife.b", "@aoife.b"),
    ("@aoife on Instagram", "@aoife"), ("https://www.instagram.com/aoife.b/", "@aoife.b"),
    ("aoife on insta", ""), ("my handle is aoife", ""), ("aoife!!", ""),
])
def test_a_handle_has_no_spaces(answer: str, handle: str) -> None:
    assert clean_handle(answer) == handle


def test_sentences_in_the_handle_column(tmp_path: Path) -> None:
    src = write(tmp_path / "i.csv", "Name,Pledge,Instagram\n"
                                    "Ann Able,listen,n/a - I don't use social media\n"
                                    "Bob Baker,listen,aoife on insta\n"
                                    "Cara Cole,listen,@cara.c\n")
    run(src, tmp_path / "out")
    rows = by_row(tmp_path / "out")
    assert all(r["status"] == "made" for r in rows.values())
    assert rows[2]["handle"] == "" and not rows[2]["problems"]
    assert rows[3]["handle"] == "" and rows[3]["warning"].startswith("the handle 'aoife on "
                                                                       "insta' is not a handle")
    assert "check" in rows[3]["problems"][0]["kind"]
    assert rows[4]["handle"] == "@cara.c"
    with (tmp_path / "out" / "manifest.csv").open(encoding="utf-8-sig", newline="") as fh:
        # A cell starting with @ is quoted against spreadsheet formulas, as every cell is.
        assert [r["handle"] for r in csv.DictReader(fh)] == ["", "", "'@cara.c"]


# --- 5. a placeholder in the photo cell ----------------------------------------------------


PHOTO_ROWS = ("Name,Pledge,Photo\nAoife Ni Bhriain,listen,n/a\nBob Baker,listen,-\n"
              "Cara Cole,listen,none\nDan Doyle,listen,No photo\nEve Egan,listen,níl\n"
              "Fionn Flynn,listen,\n")


def test_a_placeholder_photo_cell_is_a_blank_one(tmp_path: Path) -> None:
    src = write(tmp_path / "p.csv", PHOTO_ROWS)
    summary = run(src, tmp_path / "out", strict=True)
    rows = by_row(tmp_path / "out")
    assert summary.failed_rows == 0
    assert all(r["status"] == "made" and not r["problems"] for r in rows.values())


def test_a_placeholder_photo_cell_takes_no_photo_from_the_folder(tmp_path: Path) -> None:
    src = write(tmp_path / "p.csv", PHOTO_ROWS)
    folder = tmp_path / "photos"
    folder.mkdir()
    Image.new("RGB", (1200, 1500), (40, 120, 90)).save(folder / "IMG_1234 - Aoife Ni Bhriain.jpg")
    run(src, tmp_path / "out", photos_dir=folder)
    rows = by_row(tmp_path / "out")
    assert rows[2]["status"] == "made" and "Their photo" not in rows[2]["alt_text"]
    assert all(r["status"] == "made" and not r["problems"] for r in rows.values())
