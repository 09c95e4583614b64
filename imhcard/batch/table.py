"""A batch's input as a table of supporters: its rows, streamed one at a time, with the
file's columns matched to supporter fields (batch/columns.py). Each kind of file has its
reader (read_csv.py, read_xlsx.py, read_json.py); inputs.py picks one.

Row numbers are the ones a person sees: in a spreadsheet the header is row 1
and the first supporter row 2 (a cell with a line break is still one row); in a
JSON or YAML list the first supporter is item 1; in JSON Lines, the line.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from imhcard.batch.columns import Columns, known_headers, match_columns
from imhcard.batch.header_rows import Header, is_second_header_row, one_row_headers, two_row_headers
from imhcard.batch.problems import TOO_MANY_CELLS
from imhcard.core.limits import COLUMNS_MAX
from imhcard.errors import BatchInputError

_SURROGATE = re.compile("[\ud800-\udfff]")

# (row number, cells); the cells are a message instead when the record is not a row.
Record = tuple[int, "list[Any] | str"]
RowSource = Callable[[], Iterator[Record]]


@dataclass(frozen=True)
class InputRow:
    """One supporter's cells, by field, and where they came from."""

    number: int
    values: Mapping[str, str]
    problem: str = ""  # set when the row itself is not a supporter (a JSON item that is no object)
    # (header, answer) of each consent column: a no or an empty answer means no card.
    consent: tuple[tuple[str, str], ...] = ()
    # The pledge's choice alone, when own words may stand in for it (column_parts.py).
    choice: str = ""
    problem_kind: str = ""  # the kind of `problem` (batch/problems.py), when it has its own
    # The options ticked, when the pledge is asked with one column per option.
    chosen: tuple[str, ...] = ()

    def get(self, name: str) -> str:
        return self.values.get(name, "")

def cell_text(value: Any) -> str:
    """A cell from a workbook or a JSON/YAML value as the text a person typed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = json.dumps(value, ensure_ascii=False, default=str) if isinstance(value, (dict, list)) \
        else str(value)
    # JSON can carry lone UTF-16 surrogates ("\ud800"), which no file can hold: they
    # become U+FFFD, which resolve() refuses in the card's text, naming the field.
    if _SURROGATE.search(text):
        text = _SURROGATE.sub("\ufffd", text)
    return text


def check_width(name: str, number: int, cells: list[Any]) -> None:
    if len(cells) > COLUMNS_MAX:
        raise BatchInputError(f"{name} row {number}: {len(cells):,} columns; the limit is "
                              f"{COLUMNS_MAX:,}. Keep only the form's own columns")


@dataclass
class InputTable:
    """An opened input file: its columns, matched, and its rows, streamed on demand.

    Iterating reads the file again from the start, so a table can be counted
    first and then read, without holding the rows in memory.
    """

    path: Path
    kind: str
    unit: str  # what a person calls a record of this file: row, item or line
    columns: Columns
    _rows: RowSource = field(repr=False)
    blank_rows: int = 0
    # A text file's row with answers past the header's last column was split by a comma
    # that was not quoted: its answers are in the wrong columns. (A workbook's cells
    # cannot shift; a note typed past the last column there is only not read.)
    cells_within_header: bool = False

    @property
    def base(self) -> Path:
        return self.path.parent

    def where(self, number: int) -> str:
        return f"{self.path.name} {self.unit} {number}"

    def rows(self, keep: Callable[[int], bool] | None = None) -> Iterator[InputRow]:
        """Rows with any content (for which `keep(number)` is true); wholly blank rows
        are counted in `blank_rows`."""
        self.blank_rows = 0
        index = self.columns.found
        for number, cells in self._rows():
            if keep is not None and not keep(number):
                continue
            if isinstance(cells, str):  # a record that is not a table row
                yield InputRow(number, {}, cells)
                continue
            check_width(self.path.name, number, cells)
            texts = [cell_text(c) for c in cells]
            if not any(t.strip() for t in texts):
                self.blank_rows += 1
                continue
            values = self.columns.values(texts)
            pledge = self.columns.source("pledge") if "pledge" in index else None
            wide = self._too_wide(texts)
            yield InputRow(number, values, wide, consent=self.columns.consents(texts),
                           choice=pledge.choice(texts) if pledge else "",
                           chosen=pledge.ticked(texts) if pledge else (),
                           problem_kind=TOO_MANY_CELLS if wide else "")

    def _too_wide(self, texts: list[str]) -> str:
        """What to say of a row with answers past the header's last column, or ""."""
        width = len(self.columns.headers)
        if not self.cells_within_header or not any(t.strip() for t in texts[width:]):
            return ""
        cells = max(i for i, t in enumerate(texts) if t.strip()) + 1
        return (f"it has {cells} cells but the header has {width}: an answer with a comma "
                "in it was split, so the answers are in the wrong columns; put quotes around "
                'answers containing commas ("play, talk and cuddle"), or save the sheet as '
                "CSV again from the spreadsheet")

    def count(self, keep: Callable[[int], bool] | None = None) -> int:
        """How many non-blank rows (for which `keep(number)` is true): a streaming pass."""
        n = 0
        for number, cells in self._rows():
            if keep is not None and not keep(number):
                continue
            if not isinstance(cells, str):
                check_width(self.path.name, number, cells)
            if isinstance(cells, str) or any(cell_text(c).strip() for c in cells):
                n += 1
        return n

HEADER_SEARCH = 10  # rows looked at for the header row below a title


def _first_rows(rows: Iterator[Record], path: Path) -> list[tuple[int, list[str]]]:
    """The first non-blank rows: up to the first with a known header in it, or the
    first row and then up to the first with two (a title above the header row)."""
    seen: list[tuple[int, list[str]]] = []
    for number, cells in rows:
        if isinstance(cells, str):
            continue
        check_width(path.name, number, cells)
        texts = [cell_text(c).strip() for c in cells]
        if not any(texts):
            continue
        seen.append((number, texts))
        if known_headers(texts) >= (1 if len(seen) == 1 else 2) or len(seen) > HEADER_SEARCH \
                or _two_rows(seen):
            break
    return seen


def _two_rows(seen: list[tuple[int, list[str]]]) -> bool:
    """The first two rows are one header in two rows (SurveyMonkey's)."""
    return len(seen) > 1 and is_second_header_row(seen[0][1], seen[1][1])


def header_row(rows: Iterator[Record], path: Path) -> tuple[int, list[str], list[Header]]:
    """The header's row number, its headers and their shape (header_rows.py): the first
    row, or the first below it with known headers when it is a title ("Pledge sign-ups
    2026"); a second header row (SurveyMonkey's) is read with the first."""
    seen = _first_rows(rows, path)
    if not seen:
        raise BatchInputError(f"{path.name}: the file is empty; expected a header row (like "
                              "Name, Pledge, Organisation) and a row per supporter")
    last = seen[-1]
    below = len(seen) > 1 and known_headers(last[1]) >= 2 and not _two_rows(seen)
    number, texts = last if below else seen[0]
    following = next(((n, c) for n, c in seen if n > number), None)
    if following is None:
        record = next(rows, None)
        if record is not None and not isinstance(record[1], str):
            following = (record[0], [cell_text(c).strip() for c in record[1]])
    if following is not None and is_second_header_row(texts, following[1]):
        shape = two_row_headers(texts, following[1])
        return following[0], [h.text for h in shape], shape
    return number, texts, one_row_headers(texts)


SAMPLE_ROWS = 50  # rows read to see which columns hold answers


def matched(rows: RowSource, path: Path, explicit: Mapping[str, str],
            theme_map: Mapping[str, str]) -> tuple[int, Columns]:
    """The header row and the columns matched to fields, looking at the first rows."""
    header_at, headers, shape = header_row(rows(), path)
    sample: list[list[str]] = []
    for _, cells in data_after(rows, header_at)():
        if not isinstance(cells, str):
            sample.append([cell_text(c) for c in cells[:COLUMNS_MAX]])
        if len(sample) >= SAMPLE_ROWS:
            break
    return header_at, match_columns(headers, path.name, explicit, theme_map, shape, sample)


def data_after(rows: RowSource, header_at: int) -> RowSource:
    def read() -> Iterator[Record]:
        for number, cells in rows():
            if number > header_at:
                yield number, cells
    return read
