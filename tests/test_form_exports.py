"""Form exports as they really come (tests/fixtures/exports/README.md says what each
mimics): the right cards with no hand edits, and never a stranger's photo."""

from __future__ import annotations

import shutil
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from exporthelp import by_row, run
from PIL import Image

from imhcard.batch.options import BatchOptions
from imhcard.batch.runner import run_batch
from imhcard.core.theme import resolve_theme

EXPORTS = Path(__file__).parent / "fixtures" / "exports"
SQUARE = ("instagram-square",)


def photo(path: Path, colour: tuple[int, int, int] = (40, 120, 90)) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (1200, 1500), colour).save(path)  # as a phone sends it


def kinds(card: dict[str, Any]) -> set[str]:
    return {p["kind"] for p in card["problems"]}


def copy(tmp_path: Path, name: str) -> Path:
    shutil.copy(EXPORTS / name, tmp_path / name)
    return tmp_path / name


def no_card_says_write_my_own_or_mixes(rows: dict[int, dict[str, Any]]) -> None:
    for card in rows.values():
        text = (card["alt_text"] + " " + card["caption"]).casefold()
        assert "write my own" not in text and "(below)" not in text
        assert "geallaim i pledge" not in text and "i pledge to i pledge" not in text
        assert "n/a" not in text and "@-" not in text


def test_google_forms_with_drive_uploads(tmp_path: Path) -> None:
    src = copy(tmp_path, "google-forms-drive.csv")
    folder = tmp_path / "Upload a photo of yourself (optional) (File responses)"
    photo(folder / "IMG_4411 - Aoife Ni Bhriain.jpg")
    photo(folder / "image - Niamh Kelly.jpg", (200, 40, 40))  # two people of one name
    photo(folder / "image - Niamh Kelly (1).jpg", (40, 40, 200))
    photo(folder / "PXL_0601 - Sean O Suilleabhain.jpg", (90, 90, 90))  # his first, then
    photo(folder / "PXL_0601 - Sean O Suilleabhain (1).jpg", (10, 200, 10))  # corrected
    photo(folder / "IMG_0032 - Mum.jpg")  # Máire's upload, under her account's name
    summary = run(src, tmp_path / "cards", photos_dir=folder, zip=True)
    rows = by_row(tmp_path / "cards")
    no_card_says_write_my_own_or_mixes(rows)
    # The choice given as the prompt's text, with "I pledge to": the prompt.
    assert "speak up for babies and the people who care for them" in rows[2]["alt_text"]
    assert "@aoife.nb" in rows[2]["alt_text"] or "@aoife.nb" in rows[2]["caption"] \
        or rows[2]["status"] == "made"
    # Own words beat the "write my own" choice.
    assert "read to my baby every night" in rows[3]["alt_text"]
    # "Write my own" with nothing written: the row's problem, no card.
    assert rows[5]["status"] == "failed"
    assert "asks for the supporter's own words" in rows[5]["error"]
    # An Irish prompt with "Geallaim" in front is that prompt, in Irish, once.
    assert rows[7]["status"] == "made" and "Geallaim éisteacht le leanaí" in rows[7]["alt_text"]
    assert "check: the name is in capitals" in kinds(rows[7])
    # "As Gaeilge", "English please", "Béarla" are languages.
    assert "Geallaim" in rows[6]["alt_text"] and "I pledge" in rows[10]["alt_text"]
    # No consent: nothing made, no e-mail kept, nothing in the zip.
    assert rows[8]["status"] == "no consent" and rows[8]["email"] == "" and not rows[8]["files"]
    with zipfile.ZipFile(tmp_path / "cards" / "cards.zip") as archive:
        assert not any(n.startswith("00008-") for n in archive.namelist())
    # Two Niamh Kellys: neither gets either photo, and each is told about the other.
    for row, other in ((3, "4"), (4, "3")):
        assert rows[row]["status"] == "made" and "could claim them too" in rows[row]["warning"]
        assert f"row {other} could claim" in rows[row]["warning"]
        assert "image - Niamh Kelly (1).jpg" in rows[row]["warning"]
    # Seán sent the form twice: the newer submission gets the newer photo.
    assert not any(p["field"] == "photo" for row in (6, 9) for p in rows[row]["problems"])
    assert rows[9]["warning"].startswith("also sent as")
    cards = tmp_path / "cards"
    assert _green(cards / rows[9]["files"][0]) > _green(cards / rows[6]["files"][0])
    # Máire's upload is under her account's name: not found, and the file is listed.
    assert "not found among the photos in" in rows[10]["warning"]
    assert any(line.startswith("'IMG_0032 - Mum.jpg': no row uses it")
               for line in summary.unused_photos)
    assert summary.row_status["no consent"] == 1 and summary.row_status["failed"] == 1


def _green(card: Path) -> int:
    with Image.open(card) as img:
        return int(img.convert("RGB").resize((1, 1)).getpixel((0, 0))[1])


def test_surveymonkey_two_header_rows(tmp_path: Path) -> None:
    src = copy(tmp_path, "surveymonkey.csv")
    run(src, tmp_path / "cards")
    rows = by_row(tmp_path / "cards")
    assert sorted(rows) == [3, 4, 5, 6]  # numbered as the sheet: two header rows
    assert rows[3]["name"] == "Aoife Ní Bhriain" and rows[3]["email"] == "aoife@example.org"
    # Own words from "Other (please specify)", in English for an Irish card: not made,
    # rather than a card mixing the two.
    assert rows[4]["status"] == "failed"
    assert "the pledge is in English but the card is in Irish" in rows[4]["error"]
    assert rows[5]["status"] == "failed" and "own words" in rows[5]["error"]
    assert rows[6]["status"] == "made" and "chéad 1,001 lá" in rows[6]["alt_text"]
    no_card_says_write_my_own_or_mixes(rows)


def test_tally_first_and_last_name_and_consent_checkbox(tmp_path: Path) -> None:
    src = copy(tmp_path, "tally.csv")
    folder = tmp_path / "tally-files"
    photo(folder / "IMG_3321.jpg")
    run(src, tmp_path / "cards", photos_dir=folder)
    rows = by_row(tmp_path / "cards")
    assert rows[2]["name"] == "Aoife Ní Bhriain" and rows[2]["warning"] == ""
    # Own words starting "I pledge to" on an Irish card would mix the languages.
    assert rows[3]["status"] == "failed" and "would mix the two" in rows[3]["error"]
    assert rows[4]["status"] == "no consent"


def test_typeform_other_column_and_legal_answers(tmp_path: Path) -> None:
    src = copy(tmp_path, "typeform.csv")
    folder = tmp_path / "files"
    photo(folder / "IMG_2231.jpg")
    run(src, tmp_path / "cards", photos_dir=folder)
    rows = by_row(tmp_path / "cards")
    assert rows[2]["warning"] == "" and rows[2]["status"] == "made"
    assert "learn the signs my baby is telling me something" in rows[3]["alt_text"]
    assert rows[4]["status"] == "failed" and "own words" in rows[4]["error"]
    assert rows[5]["status"] == "no consent"


def test_jotform_uploads_of_the_same_name_by_submission(tmp_path: Path) -> None:
    src = copy(tmp_path, "jotform.csv")
    folder = tmp_path / "jotform-files"
    photo(folder / "5912345678901234567" / "image.jpg", (200, 30, 30))
    photo(folder / "5912345678901239999" / "image.jpg", (30, 30, 200))
    summary = run(src, tmp_path / "cards", photos_dir=folder)
    rows = by_row(tmp_path / "cards")
    assert rows[2]["warning"] == "" and rows[3]["warning"] == ""
    assert "hold my baby close every day" in rows[3]["alt_text"]
    assert rows[4]["status"] == "no consent"
    assert summary.unused_photos == ()


def test_a_hand_made_sheet(tmp_path: Path) -> None:
    src = copy(tmp_path, "hand-made.csv")
    photo(tmp_path / "photos" / "aoife.jpg")
    photo(tmp_path / "photos" / "image.jpg")
    run(src, tmp_path / "cards")
    rows = by_row(tmp_path / "cards")
    assert rows[2]["warning"] == "" and "Geallaim" in rows[2]["alt_text"]
    assert "check: the name is in capitals" in kinds(rows[3])
    # Two people named the same file: neither gets it.
    for row in (4, 5):
        assert "is also given by row" in rows[row]["warning"]
    no_card_says_write_my_own_or_mixes(rows)


def test_microsoft_forms_workbook(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    ws.append(["ID", "Start time", "Completion time", "Email", "Name", "Last modified time",
               "What name should go on your card?", "Choose a pledge", "Organisation",
               "Card language", "Upload a photo",
               "Do you consent to us making and sharing your pledge card?"])
    base = ("https://contoso-my.sharepoint.com/personal/staff_contoso_org/Documents/Apps/"
            "Microsoft%20Forms/Pledge%20cards/Upload%20a%20photo/")
    ws.append([1, datetime(2026, 6, 1, 9, 0), datetime(2026, 6, 1, 9, 2), "anonymous",
               "anonymous", None, "Aoife Ní Bhriain", "be there for every bath time",
               "n/a", "Irish (Gaeilge)", base + "IMG_0420_Aoife%20Ni%20Bhriain.jpg", "Yes"])
    ws.append([2, datetime(2026, 6, 2, 9, 5), datetime(2026, 6, 2, 9, 6), "anonymous",
               "anonymous", None, "Aoife Ní Bhriain", "Speak up for babies and the people "
               "who care for them", "Sure Start", "Irish (Gaeilge)",
               base + "IMG_0420_Aoife%20Ni%20Bhriain%201.jpg", "Yes"])
    ws.append([3, datetime(2026, 6, 2, 10, 5), datetime(2026, 6, 2, 10, 6), "anonymous",
               "anonymous", None, "Colm Ward", "listen", "", "English", None, "No"])
    book.save(tmp_path / "Pledge cards(1-3).xlsx")
    folder = tmp_path / "Upload a photo"
    photo(folder / "IMG_0420_Aoife Ni Bhriain.jpg")
    photo(folder / "IMG_0420_Aoife Ni Bhriain 1.jpg", (30, 30, 200))
    run(tmp_path / "Pledge cards(1-3).xlsx", tmp_path / "cards", photos_dir=folder)
    rows = by_row(tmp_path / "cards")
    assert rows[2]["warning"] == "" and rows[3]["warning"] == ""
    assert "Geallaim labhairt amach ar son leanaí" in rows[3]["alt_text"]
    assert rows[4]["status"] == "no consent"


@pytest.mark.parametrize(("answer", "code"), [
    ("Gaeilge / Irish", "ga"), ("Irish (Gaeilge)", "ga"), ("As Gaeilge", "ga"),
    ("Béarla", "en"), ("English please", "en"), ("ENGLISH", "en"), ("n/a", ""),
])
def test_language_answers(answer: str, code: str) -> None:
    from imhcard.batch.answers import language_for
    from imhcard.core.theme import load_theme

    assert language_for(answer, load_theme(resolve_theme("2026")))[0] == code


def test_small_photos_and_screenshots_are_flagged_for_review(tmp_path: Path) -> None:
    """Made as they are (nothing is changed), but staff are told to look: a 160 px photo
    enlarged to fill a card, and a phone screenshot whose status bar would show."""
    camera = Image.Exif()
    camera[0x010F], camera[0x0110] = "PhoneMaker", "Model 12"
    Image.new("RGB", (160, 200), (120, 90, 80)).save(tmp_path / "tiny.jpg")
    Image.new("RGB", (1170, 2532), (30, 30, 30)).save(tmp_path / "screen.png")
    Image.new("RGB", (1170, 2532), (30, 60, 30)).save(tmp_path / "tall.jpg",
                                                       exif=camera.tobytes())
    Image.new("RGB", (3000, 4000), (90, 60, 30)).save(tmp_path / "fine.jpg",
                                                       exif=camera.tobytes())
    (tmp_path / "in.csv").write_text(
        "Name,Pledge,Photo\nAoife,listen,tiny.jpg\nBrian,listen,screen.png\n"
        "Cara,listen,tall.jpg\nDara,listen,fine.jpg\n", encoding="utf-8")
    summary = run_batch(BatchOptions(input=tmp_path / "in.csv", out_dir=tmp_path / "out",
                                     theme_path=resolve_theme("2026"), workers=1,
                                     formats=("instagram-square",)))
    kinds = {r.name: [p.kind for p in r.problems] for r in summary.tally.rows}
    assert kinds["Aoife"] == ["check: the photo is smaller than its place on the card"]
    assert kinds["Brian"] == ["check: the photo looks like a phone screenshot"]
    assert "Cara" not in kinds and "Dara" not in kinds  # a camera's tall photo, a big one
    assert summary.failed == 0 and summary.made == 4
    report = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "smaller than its place on the card" in report and "phone screenshot" in report
