"""Launch day, staff side: --check finds every problem and writes nothing, problems are
grouped, report.html, duplicates, --prune, --by-supporter and per-supporter zips."""

from __future__ import annotations

import csv
import json
import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from imhcard.batch.options import BatchOptions
from imhcard.batch.problems import rows_text, summary_lines
from imhcard.batch.report import render_report
from imhcard.batch.runner import run_batch
from imhcard.batch.summary import BatchSummary
from imhcard.cli import cli
from imhcard.core.theme import resolve_theme

SQUARE = ("instagram-square",)
HEADER = ("Timestamp", "Email Address", "Name", "Pledge", "Organisation", "Photo")


def write_csv(path: Path, rows: list[list[str]], header: tuple[str, ...] = HEADER) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(header)
        out.writerows(rows)
    return path


def run(input_path: Path, out: Path, formats: tuple[str, ...] = SQUARE,
        **kwargs: object) -> BatchSummary:
    return run_batch(BatchOptions(input=input_path, out_dir=out,
                                  theme_path=resolve_theme("2026"), formats=formats, workers=1,
                                  **kwargs))  # type: ignore[arg-type]


def manifest(out: Path) -> list[dict[str, str]]:
    with (out / "manifest.csv").open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def files_in(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")
            if p.is_file() and not any(part.startswith(".") for part in
                                       p.relative_to(folder).parts)}


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def many_bad(tmp_path: Path) -> Path:
    """60 rows with an empty name, 3 with a pledge too long, 1 good."""
    rows = [["", f"p{i}@example.org", "", "listen", "", ""] for i in range(60)]
    rows += [["", "", f"Supporter {i}", "x" * 141, "", ""] for i in range(3)]
    rows.append(["", "", "Aoife", "speak-up", "", "nowhere.jpg"])
    return write_csv(tmp_path / "responses.csv", rows)


@pytest.mark.slow
def test_check_finds_every_problem_and_writes_nothing(tmp_path: Path) -> None:
    Image.new("RGB", (1200, 1200)).save(tmp_path / "ok.jpg")
    (tmp_path / "broken.jpg").write_bytes(b"\xff\xd8\xffnot really")
    path = write_csv(tmp_path / "responses.csv", [
        ["", "a@x.org", "", "y" * 150, "", "broken.jpg"],      # row 2: three problems
        ["", "b@x.org", "Seán", "listen", "", "ok.jpg"],      # row 3: fine, with photo
        ["", "c@x.org", "Tomasz \ue000", "listen", "Org \ue001", ""],  # row 4: two glyphs
        ["", "d@x.org", "Niamh", "champion", "", "gone.jpg"],  # row 5: no such photo
    ])
    out = tmp_path / "cards"
    before = files_in(tmp_path)
    checked = run(path, out, formats=("instagram-square", "story"), check=True)
    assert not out.exists() and files_in(tmp_path) == before  # nothing written
    assert (checked.rows, checked.failed_rows) == (4, 2)
    by_row = {r.row: r for r in checked.tally.rows}
    assert sorted(by_row) == [2, 4, 5]
    assert [p.kind for p in by_row[2].problems] == [
        "the name is empty", "the pledge is too long", "photo is not a picture imhcard can read"]
    assert [p.kind for p in by_row[4].problems] == [
        "the name has a character no font has", "the organisation has a character no font has"]
    assert by_row[5].status == "made without photo"
    # The real run finds the same problems.
    made = run(path, out, formats=("instagram-square", "story"))
    assert made.tally.by_kind == checked.tally.by_kind
    assert made.failed_rows == checked.failed_rows


@pytest.mark.slow
def test_check_command_exit_code_and_optional_report(tmp_path: Path) -> None:
    path = many_bad(tmp_path)
    code, stdout, stderr = invoke("batch", str(path), "--check", "--format", "instagram-square",
                                  "--workers", "1", "--out", str(tmp_path / "cards"))
    assert code == 1 and stdout == ""
    assert "imhcard: checked 64 rows: 1 would make their cards, 1 without photo, 63 would " \
           "fail; nothing was written" in stderr
    assert not (tmp_path / "cards").exists()
    report = tmp_path / "check.html"
    code, stdout, _ = invoke("batch", str(path), "--check", "--report", str(report),
                             "--format", "instagram-square", "--workers", "1")
    assert code == 1 and stdout.strip() == str(report)
    assert "60" in report.read_text(encoding="utf-8")


def test_sixty_identical_problems_are_one_summary_line(tmp_path: Path) -> None:
    path = many_bad(tmp_path)
    code, _, stderr = invoke("batch", str(path), "--format", "instagram-square", "--workers",
                             "1", "--out", str(tmp_path / "cards"))
    assert code == 1
    lines = stderr.splitlines()
    # The first ten rows as they happen, then one line, then the summary by kind.
    assert sum("column 'Name': the name is empty" in line for line in lines) == 10
    assert "imhcard: more rows have problems; they are summarised at the end" in lines
    assert "imhcard:   the name is empty: rows 2, 3, 4, 5, 6 and 55 more" in lines
    assert "imhcard:   the pledge is too long: rows 62, 63 and 64" in lines
    assert "imhcard:   photo file not found: row 65" in lines
    assert f"imhcard: every row and problem is in {tmp_path / 'cards' / 'report.html'}" in lines
    data = json.loads((tmp_path / "cards" / "manifest.json").read_text(encoding="utf-8"))
    assert data["summary"]["problems"]["the name is empty"]["count"] == 60


def test_rows_text() -> None:
    assert rows_text([3]) == "row 3"
    assert rows_text([3, 5, 9]) == "rows 3, 5 and 9"
    assert rows_text(list(range(2, 62))) == "rows 2, 3, 4, 5, 6 and 55 more"
    assert summary_lines([("k", [1, 2])]) == ["k: rows 1 and 2"]


def test_report_is_self_contained_accessible_and_escaped(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "responses.csv", [
        ["", "", "<script>alert('x')</script>", "y" * 150, "", ""],
        ["", "", "Aoife & Co", "listen", "", "<img src=x onerror=1>.jpg"],
    ])
    summary = run(path, tmp_path / "cards", check=True)
    html = render_report(summary, "responses <1>.csv", None)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<img" not in html and "Aoife &amp; Co" in html
    assert "responses &lt;1&gt;.csv" in html
    # Nothing is fetched: no external URLs in attributes, and a policy that forbids it.
    assert not re.search(r'(src|href)="(?!#)', html)
    assert "default-src 'none'" in html
    assert '<html lang="en">' in html and "<caption>" in html and 'scope="col"' in html
    assert 'id="row-2"' in html and 'href="#row-2"' in html
    assert "not made" in html  # the status in words, not only colour


@pytest.mark.slow
def test_dedupe_latest_makes_only_the_newest(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "responses.csv", [
        ["01/06/2026 10:00:00", "aoife@example.org", "Aoife", "speak-up", "", ""],
        ["01/06/2026 09:00:00", "seán@example.org", "Seán", "listen", "", ""],
        ["01/06/2026 09:30:00", "AOIFE@example.org", "aoife", "listen", "", ""],  # older
        ["02/06/2026 08:00:00", "", "Seán", "listen", "Sure Start", ""],  # same name+pledge
    ])
    out = tmp_path / "cards"
    flagged = run(path, out)
    assert flagged.made == 4
    assert [r["warning"][:26] for r in manifest(out)] == [
        "also sent as row 4 (same n", "row 5 is a newer submissio",
        "row 2 is a newer submissio", "also sent as row 3 (same n"]
    summary = run(path, out, dedupe="latest", prune=True)
    assert [(r["row"], r["status"]) for r in manifest(out)] == [
        ("2", "already made"), ("3", "duplicate"), ("4", "duplicate"), ("5", "already made")]
    assert summary.duplicates == 2
    # The older submissions' cards from the first run are pruned.
    assert sorted(f for _, f in summary.pruned) == [
        "00003-sean-caption.txt", "00003-sean-instagram-square.alt.txt",
        "00003-sean-instagram-square.png", "00004-aoife-caption.txt",
        "00004-aoife-instagram-square.alt.txt", "00004-aoife-instagram-square.png"]


@pytest.mark.slow
def test_prune_removes_cards_of_deleted_rows(tmp_path: Path) -> None:
    rows = [["", f"{name.lower()}@example.org", name, "listen", "", ""]
            for name in ("Aoife", "Sean", "Niamh")]
    path = write_csv(tmp_path / "responses.csv", rows)
    out = tmp_path / "cards"
    run(path, out, zip=True)
    assert len(list(out.glob("*.png"))) == 3
    write_csv(path, rows[:2])  # Niamh's row deleted from the sheet
    code, _, stderr = invoke("batch", str(path), "--format", "instagram-square", "--workers",
                             "1", "--out", str(out), "--zip")
    assert code == 0
    assert "3 files of rows no longer in the input" in stderr
    # Without --prune the files stay, but no manifest, sheet or zip lists them.
    assert (out / "00004-niamh-instagram-square.png").exists()
    assert {r["row"] for r in manifest(out)} == {"2", "3"}
    with zipfile.ZipFile(out / "cards.zip") as archive:
        assert not [n for n in archive.namelist() if "niamh" in n]
        # The zip goes to whoever posts or prints the cards: no e-mail addresses in it.
        assert b"@example.org" not in archive.read("manifest.csv")
        assert b"@example.org" not in archive.read("manifest.json")
        assert b"00002-aoife-instagram-square.png" in archive.read("manifest.csv")
    assert b"aoife@example.org" in (out / "manifest.csv").read_bytes()
    hand_made = out / "notes-for-the-printer.txt"
    hand_made.write_text("keep me", encoding="utf-8")
    code, _, stderr = invoke("batch", str(path), "--format", "instagram-square", "--workers",
                             "1", "--out", str(out), "--prune")
    assert code == 0
    assert ("imhcard: removed row 4's files (the row is no longer in the input): "
            "00004-niamh-caption.txt, 00004-niamh-instagram-square.alt.txt, "
            "00004-niamh-instagram-square.png") in stderr.splitlines()
    assert not list(out.glob("00004-*"))
    assert hand_made.exists()  # only files imhcard made are ever removed
    assert len(list(out.glob("*.png"))) == 2


@pytest.mark.slow
def test_by_supporter_folders_and_zips(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "responses.csv", [
        ["", "aoife@example.org", "Aoife Ní Bhriain", "speak-up", "", ""],
        ["", "", "", "listen", "", ""],
        ["", "sean@example.org", "Seán", "listen", "", ""],
    ])
    out = tmp_path / "cards"
    summary = run(path, out, formats=("instagram-square", "story"), by_supporter=True, zip=True)
    assert files_in(out) >= {
        "00002-aoife-ni-bhriain/00002-aoife-ni-bhriain-instagram-square.png",
        "00002-aoife-ni-bhriain/00002-aoife-ni-bhriain-instagram-square.alt.txt",
        "00002-aoife-ni-bhriain/00002-aoife-ni-bhriain-story.png",
        "00002-aoife-ni-bhriain/00002-aoife-ni-bhriain-story.alt.txt",
        "00002-aoife-ni-bhriain/00002-aoife-ni-bhriain-caption.txt",
        "00002-aoife-ni-bhriain.zip", "00004-sean.zip", "cards.zip"}
    assert not (out / "00003-").exists()
    assert [p.name for p in summary.supporter_zips] == ["00002-aoife-ni-bhriain.zip",
                                                        "00004-sean.zip"]
    with zipfile.ZipFile(out / "00004-sean.zip") as archive:
        assert sorted(archive.namelist()) == [
            "00004-sean/00004-sean-caption.txt", "00004-sean/00004-sean-instagram-square.alt.txt",
            "00004-sean/00004-sean-instagram-square.png", "00004-sean/00004-sean-story.alt.txt",
            "00004-sean/00004-sean-story.png"]
    again = run(path, out, formats=("instagram-square", "story"), by_supporter=True)
    assert (again.made, again.skipped) == (0, 4)
    # Back to one folder: the cards move, and the supporters' folders go.
    flat = run(path, out, formats=("instagram-square", "story"), prune=True)
    assert flat.made == 4
    assert not (out / "00002-aoife-ni-bhriain").exists()
    assert (out / "00002-aoife-ni-bhriain-story.png").exists()


@pytest.mark.slow
def test_prune_leaves_formats_this_run_did_not_make(tmp_path: Path) -> None:
    rows = [["", "", name, "listen", "", ""] for name in ("Aoife", "Seán")]
    path = write_csv(tmp_path / "responses.csv", rows)
    out = tmp_path / "cards"
    run(path, out, formats=("instagram-square", "story"))
    write_csv(path, rows[:1])
    summary = run(path, out, formats=("story",), prune=True)
    # Seán's row is gone: both his formats go. Aoife's square card stays, though this run
    # made only stories.
    assert sorted(f for _, f in summary.pruned) == [
        "00003-sean-caption.txt", "00003-sean-instagram-square.alt.txt",
        "00003-sean-instagram-square.png", "00003-sean-story.alt.txt", "00003-sean-story.png"]
    assert (out / "00002-aoife-instagram-square.png").exists()


def test_fetching_photos_is_announced(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "responses.csv", [
        ["", "", "Aoife", "listen", "", "ftp://example.org/me.jpg"]])
    code, _, stderr = invoke("batch", str(path), "--check", "--workers", "1",
                             "--format", "instagram-square")
    assert code == 0
    assert "imhcard: fetching photos from 1 web link (4 at a time)" in stderr
    assert "made without photo: the photo link is ftp://, not https://" in stderr


def test_form_timestamps() -> None:
    from datetime import datetime

    from imhcard.batch.dedupe import parse_timestamp

    want = datetime(2026, 6, 1, 21, 2, 11)
    for text in ("2026/06/01 9:02:11 pm GMT+1",  # Google Sheets, English (UK) locale
                 "01/06/2026 21:02:11",  # Google Forms CSV, day first
                 "2026-06-01 21:02:11",  # Microsoft Forms workbook cell, read as text
                 "2026-06-01T21:02:11.000"):
        assert parse_timestamp(text) == want, text
    assert parse_timestamp("sometime in June") is None


def test_dedupe_latest_falls_back_to_the_last_row_without_timestamps(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "responses.csv", [
        ["", "aoife@example.org", "Aoife", "speak-up", "", ""],
        ["", "aoife@example.org", "Aoife", "listen", "", ""],
    ])
    summary = run(path, tmp_path / "cards", dedupe="latest")
    assert [(r["row"], r["status"]) for r in manifest(tmp_path / "cards")] == [
        ("2", "duplicate"), ("3", "made")]
    assert (summary.made, summary.duplicates) == (1, 1)


def test_anonymous_is_not_an_address_that_makes_duplicates(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "responses.csv", [
        ["", "anonymous", "Aoife", "speak-up", "", ""],
        ["", "anonymous", "Aoife", "listen", "", ""],  # another Aoife (Microsoft Forms)
    ])
    summary = run(path, tmp_path / "cards", dedupe="latest")
    assert (summary.made, summary.duplicates) == (2, 0)


@pytest.mark.slow
def test_every_launch_day_flag_on_the_command_line(tmp_path: Path) -> None:
    photos = tmp_path / "form photos"
    photos.mkdir()
    Image.new("RGB", (1200, 1200), (30, 160, 90)).save(photos / "IMG_1 - Aoife.jpg")
    path = write_csv(tmp_path / "responses.csv", [
        ["01/06/2026 09:00:00", "aoife@example.org", "Aoife", "speak-up", "",
         "https://drive.google.com/open?id=1AoifeNotFetched00000000000000000"],
        ["01/06/2026 10:00:00", "aoife@example.org", "Aoife", "listen", "",
         "https://drive.google.com/open?id=1AoifeNotFetched00000000000000000"],
    ])
    out = tmp_path / "cards"
    code, stdout, stderr = invoke(
        "batch", str(path), "--format", "instagram-square", "--workers", "1", "--out", str(out),
        "--photos", str(photos), "--strict", "--dedupe", "latest", "--by-supporter", "--zip",
        "--prune", "--report", str(tmp_path / "report.html"))
    assert code == 0, stderr
    assert stdout.splitlines() == [str(out / "manifest.csv"), str(out / "manifest.json"),
                                   str(tmp_path / "report.html"), str(out / "cards.zip")]
    assert (out / "00003-aoife" / "00003-aoife-instagram-square.png").exists()
    assert (out / "00003-aoife.zip").exists() and not (out / "00002-aoife").exists()
    code, _, stderr = invoke("batch", str(path), "--photos", str(tmp_path / "nowhere"))
    assert code == 2 and "--photos" in stderr
