"""Language answers as people write them ("Gaelic", "Eng", "gaeilge please")."""

from __future__ import annotations

from pathlib import Path

import pytest
from exporthelp import by_row, run, write

from imhcard.batch.answers import language_for
from imhcard.core.theme import Theme

# --- language answers ------------------------------------------------------------------------


def test_language_answers_as_people_write_them(tmp_path: Path) -> None:
    src = write(tmp_path / "l.csv", "Name,Pledge,Language\nA One,listen,Gaelic\n"
                                    "B Two,listen,Eng\nC Three,listen,ENG\n"
                                    "D Four,listen,Irish language\nE Five,listen,gaeilge please\n"
                                    "F Six,listen,Gaelige\n")
    summary = run(src, tmp_path / "out")
    rows = by_row(tmp_path / "out")
    assert summary.failed_rows == 0
    irish = {n: "Geallaim" in r["alt_text"] for n, r in rows.items()}
    assert irish == {2: True, 3: False, 4: False, 5: True, 6: True, 7: True}


@pytest.mark.parametrize("answer, code", [
    ("Gaelic", "ga"), ("Irish Gaelic", "ga"), ("Eng", "en"), ("ENG", "en"), ("Englsh", "en"),
    ("Bearla", "en"), ("Gaelige", "ga"), ("Gaeilge please", "ga"), ("Irish language", "ga"),
    # Languages the theme has no wording for stay as they are, for resolve() to refuse.
    ("Polish", "Polish"), ("Welsh", "Welsh"), ("Français", "Français"),
])
def test_language_for(theme_2026: Theme, answer: str, code: str) -> None:
    assert language_for(answer, theme_2026) == (code, "")
