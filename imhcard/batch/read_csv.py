"""Reading a CSV export (Google Sheets, Excel, LibreOffice; any encoding and delimiter)
as a table of supporters, streamed: a line past the limit is refused, not gathered."""

from __future__ import annotations

import csv
import itertools
from collections.abc import Iterator
from pathlib import Path

from imhcard.batch.table import InputTable, Record, data_after, matched
from imhcard.batch.text_file import text_lines
from imhcard.core.limits import CELL_MAX_CHARS
from imhcard.errors import BatchInputError

_DELIMITERS = (",", ";", "\t", "|")


def _sniff(header: str) -> str:
    """The delimiter used most often outside quotes in the header row; comma on a tie."""
    counts = dict.fromkeys(_DELIMITERS, 0)
    quoted = False
    for ch in header:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _csv_records(path: Path, encoding: str | None,
                 delimiter: str | None) -> Iterator[tuple[int, list[str]]]:
    """(row number, cells) for every record; the header is row 1."""
    lines = text_lines(path, encoding)
    # Peek at the first record (its quoted cells may span lines) to find the delimiter.
    peeked: list[str] = []
    for line in lines:
        peeked.append(line)
        head = "".join(peeked)
        if (head.count('"') % 2 == 0 and head.strip()) or len(peeked) > 200:
            break
    sep = delimiter or _sniff("".join(peeked))
    # A process-wide setting of the csv module; every reader in imhcard wants this one.
    csv.field_size_limit(CELL_MAX_CHARS)
    reader = csv.reader(itertools.chain(peeked, lines), delimiter=sep, strict=True)
    try:
        yield from enumerate(reader, 1)
    except csv.Error as exc:
        raise BatchInputError(f"{path.name} line {reader.line_num}: cannot read the CSV "
                              f"({exc}); is a quoted cell missing its closing quote? (a cell "
                              f"may hold at most {CELL_MAX_CHARS:,} characters)") from None

def open_csv(path: Path, explicit: dict[str, str], theme_map: dict[str, str],
              encoding: str | None, delimiter: str | None) -> InputTable:
    def rows() -> Iterator[Record]:
        return _csv_records(path, encoding, delimiter)

    header_at, cols = matched(rows, path, explicit, theme_map)
    return InputTable(path, "csv", "row", cols, data_after(rows, header_at),
                      cells_within_header=True)
