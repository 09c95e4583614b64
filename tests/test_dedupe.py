"""Which of two submissions is newer, from the time column each form writes."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from imhcard.batch.dedupe import find_duplicates, parse_timestamp, parse_timestamps
from imhcard.batch.inputs import open_input
from imhcard.batch.problems import OLDER_DUPLICATE


@pytest.mark.parametrize(("text", "when"), [
    ("5/21/2026 9:05 AM", datetime(2026, 5, 21, 9, 5)),  # Microsoft Forms CSV, en-US
    ("5/20/2026 10:20 PM", datetime(2026, 5, 20, 22, 20)),
    ("May 21, 2026", datetime(2026, 5, 21)),  # Jotform
    ("May 21, 2026 9:05 am", datetime(2026, 5, 21, 9, 5)),
    ("Thursday, May 21, 2026 9:05 AM", datetime(2026, 5, 21, 9, 5)),
    ("21 May 2026 09:05", datetime(2026, 5, 21, 9, 5)),
    ("2026-05-21T09:00:00Z", datetime(2026, 5, 21, 9, 0)),  # Typeform
    ("2026-05-21T10:00:00+01:00", datetime(2026, 5, 21, 9, 0)),
    ("2026-05-21 09:00:00 UTC", datetime(2026, 5, 21, 9, 0)),
    ("21/05/2026 09:05", datetime(2026, 5, 21, 9, 5)),
    ("06/01/2026 09:03:40 AM", datetime(2026, 6, 1, 9, 3, 40)),  # SurveyMonkey, month first
    ("21.05.2026 09:05:00", datetime(2026, 5, 21, 9, 5)),
])
def test_form_times(text: str, when: datetime) -> None:
    assert parse_timestamp(text) == when


def test_a_columns_times_are_read_one_way() -> None:
    # 5/21 can only be month first, so 5/6 in the same column is 6 May, not 5 June.
    assert parse_timestamps(["5/6/2026 9:05 AM", "5/21/2026 9:05 AM"]) == [
        datetime(2026, 5, 6, 9, 5), datetime(2026, 5, 21, 9, 5)]
    assert parse_timestamps(["05/06/2026 09:05", "21/05/2026 09:05"]) == [
        datetime(2026, 6, 5, 9, 5), datetime(2026, 5, 21, 9, 5)]


def rows_of(path: Path) -> list[tuple[int, str, str, str, str]]:
    return [(r.number, r.get("name"), r.get("email"), r.get("pledge"), r.get("timestamp"))
            for r in open_input(path).rows()]


@pytest.mark.parametrize("text", [
    "Start time,Completion time,Email,Name,Pledge\n"  # Microsoft Forms
    "5/21/2026 8:59 AM,5/21/2026 9:05 AM,mark@example.com,Mark Twice,listen\n"
    "5/21/2026 8:50 AM,5/20/2026 10:20 PM,mark@example.com,Mark Twice,speak-up\n",
    "Submission Date,Email,Name,Pledge\n"  # Jotform
    '"May 21, 2026",mark@example.com,Mark Twice,listen\n'
    '"May 20, 2026",mark@example.com,Mark Twice,speak-up\n',
    "Submit Date (UTC),Email,Name,Pledge\n"  # Typeform
    "2026-05-21T09:00:00Z,mark@example.com,Mark Twice,listen\n"
    "2026-05-20T21:00:00Z,mark@example.com,Mark Twice,speak-up\n",
])
def test_latest_keeps_the_newest_by_the_forms_time(tmp_path: Path, text: str) -> None:
    path = tmp_path / "export.csv"
    path.write_text(text, encoding="utf-8")
    if text.startswith("Start time"):
        assert open_input(path).columns.header("timestamp") == "Completion time"
    found = find_duplicates(rows_of(path), keep_latest=True)
    assert found.older == {3}
    assert found.notes[3].message.startswith("row 2 is a newer submission")


def test_times_that_cannot_be_read_are_said_and_row_order_is_used(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text("When,Email,Name,Pledge\n"
                    "the 21st,mark@example.com,Mark Twice,listen\n"
                    "yesterday,mark@example.com,Mark Twice,speak-up\n", encoding="utf-8")
    found = find_duplicates(rows_of_with(path, "When"), keep_latest=True, time_column="When")
    assert found.older == {2}
    assert found.notes[2].kind == OLDER_DUPLICATE
    for row in (2, 3):
        assert found.notes[row].message.endswith(
            "the times in 'When' could not be read (like 'the 21st'), so the last row is "
            "taken as the newest; check which to keep")


def rows_of_with(path: Path, column: str) -> list[tuple[int, str, str, str, str]]:
    table = open_input(path, columns={"timestamp": column})
    return [(r.number, r.get("name"), r.get("email"), r.get("pledge"), r.get("timestamp"))
            for r in table.rows()]
