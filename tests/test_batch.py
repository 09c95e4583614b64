"""`imhcard batch`: every row accounted for, the manifest, resuming, shards, exit codes."""

from __future__ import annotations

import csv
import json
import shutil
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from imhcard.batch.journal import journal_entries
from imhcard.batch.manifest import csv_safe
from imhcard.batch.options import BatchOptions, Shard
from imhcard.batch.runner import run_batch
from imhcard.batch.summary import BatchSummary
from imhcard.cli import cli
from imhcard.core.theme import resolve_theme
from imhcard.errors import BatchInputError

FIXTURES = Path(__file__).parent / "fixtures" / "batch"
SQUARE = ("instagram-square",)


def write_csv(path: Path, rows: list[list[str]],
              header: tuple[str, ...] = ("Name", "Pledge", "Organisation", "Photo")) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(header)
        out.writerows(rows)
    return path


def run(input_path: Path, out: Path, formats: tuple[str, ...] = SQUARE, workers: int = 1,
        **kwargs: object) -> BatchSummary:
    return run_batch(BatchOptions(input=input_path, out_dir=out,
                                  theme_path=resolve_theme("2026"), formats=formats,
                                  workers=workers, **kwargs))  # type: ignore[arg-type]


def manifest_rows(out: Path, name: str = "manifest.csv") -> list[dict[str, str]]:
    with (out / name).open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def cards_in(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir() if p.suffix in (".png", ".jpg", ".pdf"))


@pytest.fixture
def signups(tmp_path: Path) -> Path:
    Image.new("RGB", (400, 500), (200, 80, 60)).save(tmp_path / "me.jpg")
    (tmp_path / "broken.jpg").write_bytes(b"not a picture")
    return write_csv(tmp_path / "signups.csv", [
        ["Aoife Ní Bhriain", "speak-up", "Sure Start Newry", ""],
        ["", "listen", "", ""],                                   # row 3: no name
        ["Seán", "x" * 141, "", ""],                              # row 4: pledge too long
        ["Gráinne", "champion", "", "broken.jpg"],                # row 5: unreadable photo
        ["Tomasz \ue000", "listen", "", ""],                      # row 6: no font has U+E000
        ["=HYPERLINK(\"http://x\")", "listen", "+44 28 9000", ""],  # row 7: a formula
        ["Aoife Ní Bhriain", "read to my baby every night", "", "me.jpg"],  # row 8: same name
    ])


def test_every_row_is_accounted_for_with_reasons(signups: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    summary = run(signups, out)
    assert (summary.rows, summary.made, summary.skipped, summary.failed) == (7, 4, 0, 3)
    rows = manifest_rows(out)
    assert [(r["row"], r["status"], r["field"]) for r in rows] == [
        ("2", "made", ""), ("3", "failed", "name"), ("4", "failed", "pledge"),
        ("5", "made", ""), ("6", "failed", "name"), ("7", "made", ""), ("8", "made", "")]
    errors = {r["row"]: r["error"] for r in rows}
    assert errors["3"] == "the name is empty; a card needs the supporter's name"
    assert errors["4"] == ("the pledge is 141 characters; this theme allows 140: shorten it "
                           "by 1")
    assert "U+E000" in errors["6"]
    # A photo that cannot be read: the card is made without it, and the row says why.
    assert rows[3]["warning"].startswith("cannot read the photo 'broken.jpg'")
    # Same name, distinct and stable file names: the row number leads.
    assert cards_in(out) == ["00002-aoife-ni-bhriain-instagram-square.png",
                             "00005-grainne-instagram-square.png",
                             "00007-hyperlink-http-x-instagram-square.png",
                             "00008-aoife-ni-bhriain-instagram-square.png"]


def test_manifest_content_matches_the_files(signups: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run(signups, out, formats=("instagram-square", "story"))
    data = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert data["input"] == "signups.csv"
    assert data["formats"] == ["instagram-square", "story"]
    summary = data["summary"]
    assert {k: summary[k] for k in ("rows", "made", "already made", "failed", "failed_rows",
                                    "blank_rows")} == {"rows": 7, "made": 8, "already made": 0,
                                                       "failed": 6, "failed_rows": 3,
                                                       "blank_rows": 0}
    assert summary["problems"]["the name is empty"] == {"rows": [3], "count": 1,
                                                        "fatal": True}
    assert summary["problems"]["photo is not a picture imhcard can read"]["fatal"] is False
    cards = data["cards"]
    assert len(cards) == 14  # one entry per row and format
    made = [c for c in cards if c["status"] == "made"]
    assert [c["row"] for c in made] == [2, 2, 5, 5, 7, 7, 8, 8]
    for card in made:
        image, alt, caption = (out / f for f in card["files"])
        assert alt.read_text(encoding="utf-8").strip() == card["alt_text"]
        assert caption.read_text(encoding="utf-8").strip() == card["caption"]
        with Image.open(image) as img:
            assert img.format == "PNG"
        assert "#StrongerFromTheStart" in card["caption"]
    first = made[0]
    assert first["row"] == 2 and first["name"] == "Aoife Ní Bhriain"
    assert "I pledge to speak up for babies" in first["alt_text"]
    # The CSV holds the same entries.
    rows = manifest_rows(out)
    assert [(int(r["row"]), r["format"], r["status"]) for r in rows] == [
        (c["row"], c["format"], c["status"]) for c in cards]
    assert rows[0]["files"].split() == made[0]["files"]


def test_manifest_csv_escapes_formulas(signups: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run(signups, out)
    raw = (out / "manifest.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # so Excel reads it as UTF-8
    row7 = next(r for r in manifest_rows(out) if r["row"] == "7")
    assert row7["name"] == "'=HYPERLINK(\"http://x\")"
    # The JSON keeps the text as it is.
    data = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert data["cards"][5]["name"] == "=HYPERLINK(\"http://x\")"


@pytest.mark.parametrize(("text", "safe"), [
    ("=1+2", "'=1+2"), ("+44", "'+44"), ("-x", "'-x"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tcmd", "'\tcmd"), ("\rcmd", "'\rcmd"), ("Aoife", "Aoife"), ("a=b", "a=b"), ("", ""),
])
def test_csv_safe(text: str, safe: str) -> None:
    assert csv_safe(text) == safe


@pytest.mark.slow
def test_rerun_skips_what_is_made_and_remakes_what_is_gone(signups: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run(signups, out)
    before = {n: (out / n).stat().st_mtime_ns for n in cards_in(out)}
    again = run(signups, out)
    assert (again.made, again.skipped, again.failed) == (0, 4, 3)
    assert {n: (out / n).stat().st_mtime_ns for n in cards_in(out)} == before
    statuses = {r["row"]: r["status"] for r in manifest_rows(out)}
    assert statuses["2"] == "already made"
    # An already made card still has its alt text and caption in the manifest.
    row2 = next(r for r in manifest_rows(out) if r["row"] == "2")
    assert row2["alt_text"].startswith("A pledge card") and row2["caption"]
    # A deleted card and a tampered one are made again; the rest are left alone.
    (out / "00002-aoife-ni-bhriain-instagram-square.png").unlink()
    (out / "00008-aoife-ni-bhriain-instagram-square.png").write_bytes(b"edited")
    third = run(signups, out)
    assert (third.made, third.skipped) == (2, 2)
    for name in cards_in(out):
        with Image.open(out / name) as img:
            img.verify()


def test_a_changed_row_is_made_again_and_its_old_files_removed(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "s.csv", [["Jonh Smith", "listen", "", ""],
                                          ["Mary", "champion", "", ""]])
    out = tmp_path / "out"
    run(path, out)
    write_csv(path, [["John Smith", "listen", "", ""], ["Mary", "champion", "", ""]])
    summary = run(path, out)
    assert (summary.made, summary.skipped) == (1, 1)
    assert cards_in(out) == ["00002-john-smith-instagram-square.png",
                             "00003-mary-instagram-square.png"]
    assert not list(out.glob("00002-jonh*"))


@pytest.mark.slow
def test_same_inputs_give_byte_identical_files(signups: Path, tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    run(signups, one, workers=1)
    run(signups, two, workers=2)
    names = sorted(p.name for p in one.iterdir() if not p.name.startswith("."))
    assert names == sorted(p.name for p in two.iterdir() if not p.name.startswith("."))
    for name in names:
        assert (one / name).read_bytes() == (two / name).read_bytes(), name


def test_a_theme_change_remakes_every_card(tmp_path: Path, make_theme: object) -> None:
    path = write_csv(tmp_path / "s.csv", [["Aoife", "listen", "", ""]])
    out = tmp_path / "out"
    theme = make_theme()  # type: ignore[operator]
    run_batch(BatchOptions(input=path, out_dir=out, theme_path=theme, formats=SQUARE, workers=1))
    edited = make_theme(("Scan to add your pledge", "Scan to pledge"))  # type: ignore[operator]
    again = run_batch(BatchOptions(input=path, out_dir=out, theme_path=edited, formats=SQUARE,
                                   workers=1))
    assert (again.made, again.skipped) == (1, 0)


def test_theme_column_mapping(tmp_path: Path, make_theme: object) -> None:
    theme = make_theme(append="batch:\n  columns:\n    name: Naam\n    pledge: Belofte\n")  # type: ignore[operator]
    path = write_csv(tmp_path / "s.csv", [["Aoife", "listen"]], header=("Naam", "Belofte"))
    summary = run_batch(BatchOptions(input=path, out_dir=tmp_path / "out", theme_path=theme,
                                     formats=SQUARE, workers=1))
    assert summary.made == 1


@pytest.mark.slow
def test_shards_cover_every_row_exactly_once(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "s.csv", [[f"Person {i}", "listen", "", ""] for i in range(11)])
    out = tmp_path / "out"
    seen: list[int] = []
    for i in (1, 2, 3):
        summary = run(path, out, shard=Shard(i, 3))
        rows = [int(r["row"]) for r in manifest_rows(out, f"manifest.shard-{i}-of-3.csv")]
        assert summary.rows == len(rows)
        seen += rows
    assert sorted(seen) == list(range(2, 13))
    assert len(cards_in(out)) == 11
    # A whole run afterwards finds every card made by the shards.
    whole = run(path, out)
    assert (whole.made, whole.skipped) == (0, 11)


@pytest.mark.parametrize("text", ["0/3", "4/3", "1", "a/b", "1/0"])
def test_bad_shard(text: str) -> None:
    with pytest.raises(BatchInputError, match=r"--shard .*: write it as I/N"):
        Shard.parse(text)


def test_zip_holds_the_cards_and_the_manifest(signups: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    summary = run(signups, out, zip=True)
    assert summary.zip == out.resolve() / "cards.zip"
    with zipfile.ZipFile(summary.zip) as archive:
        names = archive.namelist()
        assert archive.testzip() is None
    assert names[:2] == ["manifest.csv", "manifest.json"]
    assert sorted(n for n in names if n.endswith(".png")) == cards_in(out)
    assert "00002-aoife-ni-bhriain-caption.txt" in names
    # The same batch made again elsewhere zips to the same bytes (no dates inside).
    again = run(signups, tmp_path / "again", zip=True).zip
    assert again is not None and again.read_bytes() == summary.zip.read_bytes()


def test_google_forms_and_excel_exports_end_to_end(tmp_path: Path) -> None:
    google = run(FIXTURES / "google-forms.csv", tmp_path / "g")
    # Row 5 has no name; row 6 is blank.
    assert (google.rows, google.made, google.failed_rows, google.blank_rows) == (5, 4, 1, 1)
    excel = run(FIXTURES / "excel-semicolon.csv", tmp_path / "e")
    assert (excel.rows, excel.made, excel.failed) == (3, 3, 0)
    irish = next(r for r in manifest_rows(tmp_path / "g") if r["row"] == "4")
    assert "Geallaim" in irish["alt_text"]


def test_blank_and_missing_photo_rows(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "s.csv", [["Aoife", "listen", "", "nowhere.jpg"], ["", "", "", ""]])
    summary = run(path, tmp_path / "out")
    assert (summary.rows, summary.failed_rows, summary.blank_rows) == (1, 0, 1)
    row = manifest_rows(tmp_path / "out")[0]
    assert row["status"] == "made" and "nowhere.jpg" in row["warning"]
    # --strict: a photo that cannot be had fails the row.
    strict = run(path, tmp_path / "strict", strict=True)
    assert strict.failed_rows == 1
    row = manifest_rows(tmp_path / "strict")[0]
    assert row["field"] == "photo" and "nowhere.jpg" in row["error"]


def test_a_second_run_into_the_same_folder_is_refused(signups: Path, tmp_path: Path) -> None:
    from imhcard.batch.journal import JournalLock

    out = tmp_path / "out"
    out.mkdir()
    holder = JournalLock(out, None)
    try:
        with pytest.raises(BatchInputError, match="another imhcard batch is writing"):
            run(signups, out)
    finally:
        holder.close()


def test_torn_journal_line_is_ignored(signups: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run(signups, out)
    journal = out / ".imhcard-journal.jsonl"
    lines = journal.read_bytes().splitlines(keepends=True)
    # As if killed mid-write: the last entry is cut short.
    journal.write_bytes(b"".join(lines[:-1]) + lines[-1][:40])
    again = run(signups, out)
    assert (again.made, again.skipped) == (1, 3)
    entries = list(journal_entries(out))
    assert len(entries) == 4
    # Three whole entries, the torn one ended with a line break, and the new entry.
    assert journal.read_bytes().count(b"\n") == 5


# --- the command ---------------------------------------------------------------------------


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.slow
def test_exit_codes(signups: Path, tmp_path: Path) -> None:
    good = write_csv(tmp_path / "good.csv", [["Aoife", "listen", "", ""]])
    code, stdout, stderr = invoke("batch", str(good), "--format", "instagram-square",
                                  "--out", str(tmp_path / "a"), "--workers", "1")
    assert code == 0, stderr
    assert stdout.splitlines() == [str(tmp_path / "a" / "manifest.csv"),
                                   str(tmp_path / "a" / "manifest.json"),
                                   str(tmp_path / "a" / "report.html")]
    assert "imhcard: 1 row (supporters): 1 made, 0 not made; 1 card: 1 made now, 0 already " \
        "made, 0 not made (" in stderr

    code, _, stderr = invoke("batch", str(signups), "--format", "instagram-square",
                             "--out", str(tmp_path / "b"), "--workers", "1")
    assert code == 1
    assert ("imhcard: signups.csv row 3, column 'Name': the name is empty; a card needs the "
            "supporter's name") in stderr.splitlines()
    assert ("signups.csv row 5, column 'Photo': made without photo: cannot read the photo "
            "'broken.jpg'") in stderr

    code, _, stderr = invoke("batch", str(FIXTURES / "excel-cp1252.csv"),
                             "--out", str(tmp_path / "c"))
    assert code == 2
    assert stderr.startswith("imhcard: excel-cp1252.csv line 2: the text is not valid UTF-8")
    assert "--encoding cp1252" in stderr
    assert not (tmp_path / "c").exists()  # nothing written for a bad input file

    no_pledge = write_csv(tmp_path / "np.csv", [["Aoife"]], header=("Name",))
    code, _, stderr = invoke("batch", str(no_pledge), "--out", str(tmp_path / "d"))
    assert (code, stderr) == (2, "imhcard: np.csv: no column for the pledge (pledge); the "
                                 "columns are: 'Name'. Name the column with --column "
                                 "pledge=\"HEADER\"\n")
    for flags in (["--shard", "5/4"], ["--column", "colour=Fave"], ["--format", "tiktok"],
                  ["--workers", "0"]):
        code, _, stderr = invoke("batch", str(good), "--out", str(tmp_path / "e"), *flags)
        assert code == 2, flags


def test_encoding_flag_reads_excel_plain_csv(tmp_path: Path) -> None:
    code, _, stderr = invoke("batch", str(FIXTURES / "excel-cp1252.csv"), "--encoding", "cp1252",
                             "--format", "instagram-square", "--out", str(tmp_path / "o"),
                             "--workers", "1")
    assert code == 0, stderr
    assert cards_in(tmp_path / "o") == ["00002-zoe-brady-instagram-square.png",
                                        "00003-renee-doherty-instagram-square.png"]


def test_xlsx_with_column_flags_through_the_command(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.append(["Id", "Start time", "Email", "Name", "Q1", "Q2"])
    ws.append([1, "6/1/26 9:02", "anonymous", None, "Aoife Ní Bhriain", "speak-up"])
    ws.append([2, "6/1/26 9:03", "anonymous", None, "Seán", "listen"])
    book.save(tmp_path / "responses.xlsx")
    code, _, stderr = invoke("batch", str(tmp_path / "responses.xlsx"), "--column", "name=Q1",
                             "--column", "pledge=q2", "--format", "instagram-square",
                             "--out", str(tmp_path / "o"), "--workers", "1")
    assert code == 0, stderr
    assert cards_in(tmp_path / "o") == ["00002-aoife-ni-bhriain-instagram-square.png",
                                        "00003-sean-instagram-square.png"]


@pytest.mark.slow
def test_progress_lines_when_not_a_terminal_and_quiet(tmp_path: Path) -> None:
    good = write_csv(tmp_path / "good.csv", [["Aoife", "listen", "", ""]])
    _, _, stderr = invoke("batch", str(good), "--format", "instagram-square", "--out",
                          str(tmp_path / "a"), "--workers", "1")
    assert "imhcard: 1 row to do with 1 worker" in stderr
    assert "imhcard: 1/1 rows (100%)" in stderr
    _, _, stderr = invoke("batch", str(good), "--format", "instagram-square", "--out",
                          str(tmp_path / "b"), "--workers", "1", "--quiet", "--theme", "2024")
    assert stderr == ""
    # A draft theme is a problem: its warning is shown even with --quiet.
    _, _, stderr = invoke("batch", str(good), "--format", "instagram-square", "--out",
                          str(tmp_path / "c"), "--workers", "1", "--quiet")
    assert stderr.startswith("imhcard: WARNING: DRAFT THEME ")
    assert len(stderr.splitlines()) == 1


def test_jpeg_batch(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "s.csv", [["Aoife", "listen", "", ""]])
    summary = run(path, tmp_path / "out", image_type="jpeg")
    assert summary.made == 1
    assert cards_in(tmp_path / "out") == ["00002-aoife-instagram-square.jpg"]


def test_output_folder_is_the_input_name_by_default(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copy(FIXTURES / "excel-semicolon.csv", tmp_path / "week.csv")
    monkeypatch.chdir(tmp_path)
    code, _, _ = invoke("batch", "week.csv", "--format", "instagram-square", "--workers", "1")
    assert code == 0
    assert len(cards_in(tmp_path / "week-cards")) == 3


@pytest.mark.slow
def test_journal_records_each_card_once(signups: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run(signups, out, formats=("instagram-square", "story"))
    run(signups, out, formats=("instagram-square", "story"))
    made = Counter((e["row"], e["format"]) for e in journal_entries(out))
    assert len(made) == 8 and set(made.values()) == {1}
