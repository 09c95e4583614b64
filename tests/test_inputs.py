"""Reading batch inputs: the files people really export, their columns, their mistakes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from openpyxl import Workbook

from imhcard.batch.columns import match_columns, parse_column_flags
from imhcard.batch.inputs import open_input, supporter_of
from imhcard.core.supporter import resolve
from imhcard.core.theme import Theme
from imhcard.errors import BatchInputError, PhotoError

FIXTURES = Path(__file__).parent / "fixtures" / "batch"


def rows_of(path: Path, **kwargs: object) -> list[tuple[int, dict[str, str]]]:
    table = open_input(path, **kwargs)  # type: ignore[arg-type]
    return [(r.number, dict(r.values)) for r in table.rows()]


def test_google_forms_csv_columns_line_breaks_and_row_numbers() -> None:
    table = open_input(FIXTURES / "google-forms.csv")
    assert {f: h for f, (_, h) in table.columns.found.items()} == {
        "name": "What is your name?", "pledge": "Your pledge",
        "org": "Organisation or role (optional)", "photo": "Photo (optional)",
        "language": "Card language", "email": "Email address", "timestamp": "Timestamp"}
    rows = list(table.rows())
    # The header is row 1; the quoted line break keeps Seán on row 3; row 6 is blank.
    assert [r.number for r in rows] == [2, 3, 4, 5, 7]
    assert table.blank_rows == 1
    assert rows[1].get("pledge") == 'read to my baby every night,\nand sing "Baidín Fheilimí"'
    assert rows[2].get("org") == "Health visitor, Belfast Trust"
    assert table.count() == 5


def test_excel_csv_with_bom_crlf_and_semicolons() -> None:
    table = open_input(FIXTURES / "excel-semicolon.csv")
    # The byte-order mark is not part of the first header.
    assert table.columns.headers[0] == "Name"
    assert table.columns.header("handle") == "Instagram"
    rows = rows_of(FIXTURES / "excel-semicolon.csv")
    assert rows[0] == (2, {"name": "Niamh McCann", "pledge": "relationships",
                           "org": "Barnardo's NI", "handle": "@niamh.mc"})
    assert rows[1][1]["name"] == "Ciarán; the Dad"
    assert rows[1][1]["pledge"] == ("put my phone away at bath time\r\n"
                                    "and just be with my little one")
    assert rows[2] == (4, {"name": "Zofia Nowak", "pledge": "first-1001-days",
                           "org": 'Żłobek "Słoneczko"', "handle": ""})


def test_invalid_utf8_names_the_line_and_hints_at_cp1252() -> None:
    with pytest.raises(BatchInputError) as err:
        open_input(FIXTURES / "excel-cp1252.csv").count()
    assert str(err.value) == (
        "excel-cp1252.csv line 2: the text is not valid UTF-8 (byte 0xEB); the file was "
        "probably saved as plain 'CSV' rather than 'CSV UTF-8'. Save it as CSV UTF-8, or "
        "read it as it is with --encoding cp1252")
    rows = rows_of(FIXTURES / "excel-cp1252.csv", encoding="cp1252")
    assert [r["name"] for _, r in rows] == ["Zoë Brady", "Renée Doherty"]
    assert rows[1][1]["org"] == "Café Crèche"


def test_invalid_utf8_far_down_is_found_by_the_counting_pass(tmp_path: Path) -> None:
    path = tmp_path / "late.csv"
    body = "".join(f"Person {i},listen\n" for i in range(2, 200))
    path.write_bytes(("Name,Pledge\n" + body).encode() + b"Ren\xe9e,listen\n")
    table = open_input(path)  # the header reads fine
    with pytest.raises(BatchInputError, match=r"^late\.csv line 200: "):
        table.count()


def test_utf16_tab_separated_unicode_text_and_old_mac_line_endings(tmp_path: Path) -> None:
    utf16 = tmp_path / "unicode.txt"
    utf16.write_bytes("Name\tPledge\r\nAoife\tlisten\r\n".encode("utf-16"))
    assert rows_of(utf16) == [(2, {"name": "Aoife", "pledge": "listen"})]
    mac = tmp_path / "mac.csv"
    mac.write_bytes(b"Name,Pledge\rAoife,listen\rSean,champion\r")
    assert [n for n, _ in rows_of(mac)] == [2, 3]


def test_unclosed_quote_is_an_error_with_the_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.csv"
    path.write_text('Name,Pledge\nAoife,"listen\nSean,champion\n', encoding="utf-8")
    with pytest.raises(BatchInputError, match=r"^broken\.csv line 3: cannot read the CSV"):
        open_input(path).count()


def test_microsoft_forms_xlsx_prefers_the_question_to_the_respondent_column(
        tmp_path: Path) -> None:
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.append(["ID", "Start time", "Completion time", "Email", "Name",
               "Your name as it should appear on the card", "Your pledge",
               "Name of your organisation"])
    ws.append([1, "6/1/26 9:02:11", "6/1/26 9:04:40", "anonymous", None, "Aoife Ní Bhriain",
               "speak-up", "Sure Start Newry"])
    ws.append([])
    ws.append([3, None, None, "anonymous", None, "Seán\nÓg", 1001.0, None])
    path = tmp_path / "responses.xlsx"
    book.save(path)
    table = open_input(path)
    assert table.columns.header("name") == "Your name as it should appear on the card"
    assert table.columns.header("org") == "Name of your organisation"
    rows = list(table.rows())
    assert [(r.number, r.get("name"), r.get("pledge")) for r in rows] == [
        (2, "Aoife Ní Bhriain", "speak-up"), (4, "Seán\nÓg", "1001")]
    assert table.blank_rows == 1


def test_xlsx_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "fake.xlsx"
    path.write_text("Name,Pledge\n", encoding="utf-8")
    with pytest.raises(BatchInputError, match=r"^fake\.xlsx: cannot read it as an Excel"):
        open_input(path)


def test_json_yaml_and_json_lines(tmp_path: Path) -> None:
    people = [{"name": "Aoife", "pledge": "listen", "org": "Sure Start"},
              {"name": "Seán", "pledge": "champion", "language": "ga"}]
    (tmp_path / "s.json").write_text(json.dumps({"supporters": people}), encoding="utf-8")
    (tmp_path / "s.yaml").write_text("- name: Aoife\n  pledge: listen\n  org: Sure Start\n"
                                     "- name: Seán\n  pledge: champion\n  language: ga\n",
                                     encoding="utf-8")
    (tmp_path / "s.jsonl").write_text("\n".join(json.dumps(p) for p in people) + "\n",
                                      encoding="utf-8")
    expected = [(1, {"name": "Aoife", "pledge": "listen", "org": "Sure Start",
                     "language": ""}),
                (2, {"name": "Seán", "pledge": "champion", "org": "", "language": "ga"})]
    for name in ("s.json", "s.yaml", "s.jsonl"):
        assert rows_of(tmp_path / name) == expected, name
    table = open_input(tmp_path / "s.json")
    assert table.where(2) == "s.json item 2"


def test_json_item_that_is_not_an_object_is_a_row_problem(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text('[{"name": "Aoife", "pledge": "listen"}, "Seán"]', encoding="utf-8")
    rows = list(open_input(path).rows())
    assert rows[1].problem == "expected an object with name and pledge, found text"


def test_column_flags_override_the_guess(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text("Naam,Belofte,Name\nAoife,listen,ignored\n", encoding="utf-8")
    flags = parse_column_flags(['name=naam', 'pledge=Belofte'])
    assert rows_of(path, columns=flags) == [(2, {"name": "Aoife", "pledge": "listen"})]


def test_theme_mapping_is_used_when_its_header_is_there() -> None:
    cols = match_columns(["Naam", "Pledge"], "s.csv", {}, {"name": "naam", "org": "Werk"})
    assert cols.header("name") == "Naam"
    assert cols.header("org") is None


def test_missing_required_column_lists_the_columns_found() -> None:
    with pytest.raises(BatchInputError) as err:
        match_columns(["Timestamp", "Email", "Your name"], "signups.csv", {}, {})
    assert str(err.value) == (
        "signups.csv: no column for the pledge (pledge); the columns are: 'Timestamp', "
        "'Email', 'Your name'. Name the column with --column pledge=\"HEADER\"")


def test_column_flag_naming_a_header_that_is_not_there() -> None:
    with pytest.raises(BatchInputError) as err:
        match_columns(["Name", "Pledge"], "s.csv", {"org": "Company"}, {})
    assert str(err.value) == ("s.csv: --column org=Company: there is no column 'Company'; "
                              "the columns are: 'Name', 'Pledge'")


@pytest.mark.parametrize(("flag", "message"), [
    ("nme=Name", "--column nme=Name: unknown field 'nme'; the fields are name, pledge, org, "
                 "handle, photo, language, style, email, timestamp, consent"),
    ("name", '--column name: write it as FIELD=HEADER, like --column name="What is your name?"'),
])
def test_bad_column_flags(flag: str, message: str) -> None:
    with pytest.raises(BatchInputError) as err:
        parse_column_flags([flag])
    assert str(err.value) == message


@pytest.mark.parametrize(("headers", "field", "header"), [
    (["Full name", "Pledge"], "name", "Full name"),
    (["What is your name?", "My pledge"], "pledge", "My pledge"),
    (["Name", "Pledge", "Organization"], "org", "Organization"),
    (["Name", "Pledge", "Instagram handle (optional)"], "handle", "Instagram handle (optional)"),
    (["NAME *", "PLEDGE *", "LANGUAGE"], "language", "LANGUAGE"),
    (["Name", "Which pledge would you like on your card?"], "pledge",
     "Which pledge would you like on your card?"),
    (["What name should go on your pledge card?", "Pledge"], "name",
     "What name should go on your pledge card?"),
])
def test_common_headers(headers: list[str], field: str, header: str) -> None:
    assert match_columns(headers, "s.csv", {}, {}).header(field) == header


def test_yes_no_and_ambiguous_questions_are_not_fields() -> None:
    cols = match_columns(["Name", "Pledge", "Can we share your photo on social media?",
                          "Do you agree to our privacy notice? (pledge data)",
                          "Would you like us to share your pledge on Instagram?"],
                         "s.csv", {}, {})
    assert {f: h for f, (_, h) in cols.found.items()} == {"name": "Name", "pledge": "Pledge"}


def test_empty_file_and_unknown_kind(tmp_path: Path) -> None:
    (tmp_path / "empty.csv").write_bytes(b"\r\n\r\n")
    with pytest.raises(BatchInputError, match="the file is empty"):
        open_input(tmp_path / "empty.csv")
    (tmp_path / "s.numbers").write_bytes(b"")
    with pytest.raises(BatchInputError, match=r"unknown kind of file '\.numbers'"):
        open_input(tmp_path / "s.numbers")
    with pytest.raises(BatchInputError, match="no such file"):
        open_input(tmp_path / "nothing.csv")


def test_photo_paths_are_relative_to_the_input_file(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "google-forms.csv", tmp_path / "in.csv")
    row = next(iter(open_input(tmp_path / "in.csv").rows()))
    row = type(row)(row.number, {**row.values, "photo": "photos/aoife.jpg"})
    assert supporter_of(row, tmp_path).photo == tmp_path / "photos" / "aoife.jpg"
    windows = type(row)(row.number, {**row.values, "photo": "photos\\aoife.jpg"})
    assert supporter_of(windows, tmp_path).photo == tmp_path / "photos" / "aoife.jpg"
    link = type(row)(row.number, {**row.values, "photo": "https://drive.google.com/open?id=1"})
    with pytest.raises(PhotoError, match="the photo is a web link"):
        supporter_of(link, tmp_path)


def test_language_names_become_codes(theme_2026: Theme) -> None:
    rows = list(open_input(FIXTURES / "google-forms.csv").rows())
    languages = [resolve(supporter_of(r, FIXTURES), theme_2026).language for r in rows[:3]]
    assert languages == ["en", "en", "ga"]  # 'English', blank (the default), 'Gaeilge'


@pytest.mark.parametrize(("typed", "code"), [
    ("ga", "ga"), ("GA", "ga"), ("Irish", "ga"), ("gaeilge", "ga"), ("As Gaeilge", "ga"),
    ("Irish (Gaeilge)", "ga"), (" english ", "en"), ("Béarla", "en"), ("Klingon", None)])
def test_the_theme_names_its_languages(theme_2026: Theme, typed: str, code: str | None) -> None:
    assert theme_2026.language_code(typed) == code


def test_count_for_a_shard() -> None:
    table = open_input(FIXTURES / "google-forms.csv")
    # Data rows 2, 3, 4, 5, 7 (row 6 is blank): even numbers are 2 and 4.
    assert table.count(lambda n: n % 2 == 0) == 2
