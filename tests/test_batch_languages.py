"""A batch never makes a card that mixes languages: own words in the other language
than the row's card are that row's problem, and a stem alone is an empty pledge."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from imhcard.batch.options import BatchOptions
from imhcard.batch.problems import MIXED_LANGUAGES
from imhcard.batch.runner import run_batch
from imhcard.core.theme import resolve_theme

EXPORT = """Name,Your pledge,Language
A One,I will read to my baby every night,Gaeilge
C Three,"I pledge: read to my baby every night",Gaeilge
H Eight,read to my baby every night,Irish
I Nine,I pledge to,Irish
E Five,Tugaim gealltanas léamh do mo leanbh,English
F Six,Déanfaidh mé léamh do mo leanbh gach oíche,English
G Seven,Geallaim:,English
K Eleven,read to Aoife Ní Bhriain every night,English
L Twelve,léamh do mo leanbh gach oíche,Gaeilge
M Thirteen,Baby Shark,Gaeilge
"""


def cards(tmp_path: Path, text: str) -> dict[int, dict[str, Any]]:
    src = tmp_path / "export.csv"
    src.write_text(text, encoding="utf-8")
    out = tmp_path / "cards"
    run_batch(BatchOptions(input=src, out_dir=out, theme_path=resolve_theme("2026"),
                           formats=("instagram-square",), workers=1))
    data = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return {c["row"]: c for c in data["cards"]}


def test_own_words_in_the_other_language_are_the_rows_problem(tmp_path: Path) -> None:
    rows = cards(tmp_path, EXPORT)
    for row in (2, 3, 4):
        assert rows[row]["status"] == "failed"
        assert {p["kind"] for p in rows[row]["problems"]} == {MIXED_LANGUAGES}
        assert rows[row]["error"].endswith("write the pledge in Irish, or set the row's "
                                           "language to English")
    assert "is in English but the card is in Irish" in rows[4]["error"]
    for row in (6, 7):
        assert rows[row]["status"] == "failed"
        assert rows[row]["error"].endswith("write the pledge in English, or set the row's "
                                           "language to Irish")
    # Nothing but a stem, in either language: the pledge is empty.
    for row in (5, 8):
        assert rows[row]["status"] == "failed"
        assert rows[row]["error"].startswith("the pledge is empty")
    # Names in Irish in English words, Irish words on an Irish card, and words too few
    # to tell: made.
    assert [rows[r]["status"] for r in (9, 10, 11)] == ["made", "made", "made"]
    assert "Geallaim léamh do mo leanbh gach oíche" in rows[10]["alt_text"]


def test_with_no_language_column_the_fix_says_to_add_one(tmp_path: Path) -> None:
    rows = cards(tmp_path, "Name,Pledge\nE Five,Tugaim gealltanas léamh do mo leanbh\n")
    assert rows[2]["error"] == (
        "the pledge is in Irish but the card is in English: the card would mix the two; "
        "write the pledge in English, or give the row a language column saying Irish")
