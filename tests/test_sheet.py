"""`imhcard sheet`: every card of a batch on pages of thumbnails, row and name under each."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from imhcard.batch.options import BatchOptions, Shard
from imhcard.batch.runner import run_batch
from imhcard.batch.sheet import FAILED_FILL, PAD, PAGE_COLOUR, TITLE_SIZE, make_sheets
from imhcard.cli import cli
from imhcard.core.theme import resolve_theme
from imhcard.errors import BatchInputError


@pytest.fixture(scope="module")
def batch_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Five rows (one with no name, one in Arabic) in two formats and a PDF."""
    folder = tmp_path_factory.mktemp("sheet")
    path = folder / "signups.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["Name", "Pledge"])
        out.writerows([["Aoife Ní Bhriain", "speak-up"], ["", "listen"],
                       ["شيماء العلي", "champion"], ["Seán", "listen"],
                       ["Caoimhín Ó Súilleabháin-Wróbel", "relationships"]])
    run_batch(BatchOptions(input=path, out_dir=folder / "out", theme_path=resolve_theme("2026"),
                           formats=("instagram-square", "story", "print-a5"), workers=2))
    return folder / "out"


@pytest.mark.slow
def test_pages_per_format_with_a_tile_for_every_row(batch_folder: Path, tmp_path: Path) -> None:
    sheets = make_sheets(batch_folder, tmp_path, per_page=4, columns=2)
    assert [p.name for p in sheets.pages] == [
        "sheet-instagram-square-01.png", "sheet-instagram-square-02.png",
        "sheet-story-01.png", "sheet-story-02.png"]
    assert sheets.cards == 10
    assert sheets.left_off == ("print-a5",)  # PDFs have no thumbnail
    with Image.open(sheets.pages[0]) as page:
        page.load()
        # Two columns of 240-pixel thumbnails, at least 900 wide for the title.
        assert page.width == 900
        top = TITLE_SIZE + 2 * PAD
        # Row 2's card (a real thumbnail) and row 3's tile (not made: pink).
        assert page.getpixel((PAD + 120, top + 10)) != PAGE_COLOUR
        assert page.getpixel((PAD + 240 + PAD + 120, top + 120)) == FAILED_FILL
    with Image.open(sheets.pages[1]) as last:
        assert last.height < page.height  # one row of one tile


def test_thumbnails_are_the_cards(batch_folder: Path, tmp_path: Path) -> None:
    sheets = make_sheets(batch_folder, tmp_path, per_page=48, columns=8,
                         formats=["instagram-square"])
    assert len(sheets.pages) == 1
    with Image.open(batch_folder / "00002-aoife-ni-bhriain-instagram-square.png") as card:
        small = card.convert("RGB").resize((240, 240), Image.Resampling.LANCZOS)
    with Image.open(sheets.pages[0]) as page:
        top = TITLE_SIZE + 2 * PAD
        tile = page.convert("RGB").crop((PAD, top, PAD + 240, top + 240))
    diff = sum(abs(a - b) for a, b in zip(tile.tobytes(), small.tobytes(), strict=True))
    # Same picture, resampled the same way: tiny rounding differences at most.
    assert diff / len(small.tobytes()) < 2


@pytest.mark.slow
def test_sheet_reads_every_shard_manifest(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text("Name,Pledge\n" + "".join(f"P{i},listen\n" for i in range(5)),
                    encoding="utf-8")
    for i in (1, 2):
        run_batch(BatchOptions(input=path, out_dir=tmp_path / "out",
                               theme_path=resolve_theme("2026"), formats=("instagram-square",),
                               workers=1, shard=Shard(i, 2)))
    sheets = make_sheets(tmp_path / "out")
    assert sheets.cards == 5
    assert sheets.pages == (tmp_path / "out" / "sheets" / "sheet-instagram-square-01.png",)
    # A whole run into the same folder afterwards: still one tile per row.
    run_batch(BatchOptions(input=path, out_dir=tmp_path / "out", theme_path=resolve_theme("2026"),
                           formats=("instagram-square",), workers=1))
    assert make_sheets(tmp_path / "out").cards == 5


def test_folder_without_a_manifest(tmp_path: Path) -> None:
    with pytest.raises(BatchInputError, match=r"no manifest\.json"):
        make_sheets(tmp_path)


def test_unknown_format(batch_folder: Path, tmp_path: Path) -> None:
    with pytest.raises(BatchInputError, match="no cards in format x; the batch has: "
                                              "instagram-square, print-a5, story"):
        make_sheets(batch_folder, tmp_path, formats=["x"])


def test_sheet_command(batch_folder: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["sheet", str(batch_folder), "--out", str(tmp_path),
                                      "--format", "story"])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{tmp_path / 'sheet-story-01.png'}\n"
    assert "5 cards on 1 page(s)" in result.stderr
    result = CliRunner().invoke(cli, ["sheet", str(tmp_path / "nothing")])
    assert result.exit_code == 2


def pdf_pages(path: Path) -> list[Image.Image]:
    """The page images of a PDF Pillow wrote (one JPEG per page)."""
    import io
    import re

    data = path.read_bytes()
    pages = []
    for m in re.finditer(rb"/Subtype\s*/Image(.{0,400}?)/Length\s+(\d+)\s*>>\s*stream\r?\n", data,
                         re.DOTALL):
        start = m.end()
        pages.append(Image.open(io.BytesIO(data[start:start + int(m.group(2))])).convert("RGB"))
    return pages


def test_one_pdf_of_every_card_print_pdfs_included(batch_folder: Path, tmp_path: Path) -> None:
    sheets = make_sheets(batch_folder, tmp_path, per_page=4, columns=2, pdf=True)
    assert sheets.pdf == tmp_path / "sheets.pdf" and sheets.pages == ()
    assert sheets.cards == 15 and sheets.left_off == ()  # the print-a5 cards too
    assert sheets.pdf.read_bytes().startswith(b"%PDF")
    pages = pdf_pages(sheets.pdf)
    # Pages no taller than A4 landscape, so each prints at a useful size: here one row of
    # two cards a page, three pages per format.
    assert len(pages) == 9
    assert all(p.width == 900 and p.height <= 900 / 2**0.5 + 1 for p in pages)
    # The print card's picture is on its page, not a placeholder: the card's coral band.
    top = TITLE_SIZE + 2 * PAD
    print_page = pages[3]  # formats in manifest order: instagram-square, print-a5, story
    thumb = print_page.crop((PAD, top, PAD + 240, top + 339))
    colours = {c for _, c in thumb.getcolors(1 << 16) or []}
    assert len(colours) > 50  # a picture, not a flat tile


def test_sheet_pdf_command(batch_folder: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["sheet", str(batch_folder), "--out", str(tmp_path),
                                      "--pdf"])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{tmp_path / 'sheets.pdf'}\n"
    assert "15 cards on sheets.pdf" in result.stderr
