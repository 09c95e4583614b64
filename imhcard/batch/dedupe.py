"""Duplicate submissions: people send a form twice (a typo fixed, a photo added).

Two rows are the same supporter when they have the same name and e-mail address,
or the same name and pledge (letter case, accents' normal form and spacing aside).
Every such row is flagged; with --dedupe latest only the newest is made: the one
with the latest timestamp (Google Forms' "Timestamp", Microsoft Forms' "Completion
time"), or the last row when there is no timestamp to go by.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from imhcard.batch.problems import DUPLICATE, OLDER_DUPLICATE, Problem, rows_text

# Google Forms writes its locale's format ("01/06/2026 09:02:11", "2026/06/01 9:02:11 am
# GMT+1"); Microsoft Forms' workbook cells are dates, read as "2026-06-01 09:02:11".
# Day-first comes before month-first: these forms are filled in Northern Ireland.
_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S",
            "%Y/%m/%d %I:%M:%S %p", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%m/%d/%Y %H:%M:%S",
            "%m/%d/%Y %I:%M:%S %p", "%d.%m.%Y %H:%M:%S", "%Y-%m-%d", "%d/%m/%Y")
_ZONE = re.compile(r"\s*(GMT|UTC)([+-]\d{1,2}(:?\d{2})?)?\s*$", re.IGNORECASE)


def parse_timestamp(text: str) -> datetime | None:
    """A form's timestamp cell as a datetime (no time zone), or None."""
    text = _ZONE.sub("", text.strip()).replace(".000", "")
    if not text:
        return None
    text = re.sub(r"\b(am|pm)\b", lambda m: m.group(1).upper(), text, flags=re.IGNORECASE)
    text = re.sub(r"(\d{2}:\d{2}:\d{2})\.\d+", r"\1", text)  # fractions of a second
    for fmt in _FORMATS:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    return None


def _key(kind: str, *parts: str) -> bytes:
    # A short digest, not the text: the finder holds one per row of a big batch.
    text = "\0".join((kind, *(" ".join(re.findall(r"\w+", unicodedata.normalize(
        "NFKC", p).casefold())) for p in parts)))
    return hashlib.blake2b(text.encode(), digest_size=12).digest()


@dataclass(frozen=True)
class Duplicates:
    """What a run does about duplicates: a note per row, and the older rows to leave
    out (only with --dedupe latest)."""

    notes: dict[int, Problem]
    older: frozenset[int]


def find_duplicates(rows: Iterable[tuple[int, str, str, str, str]],
                    keep_latest: bool) -> Duplicates:
    """(row, name, e-mail, pledge, timestamp) of every row, read once -> the duplicates."""
    first: dict[bytes, int] = {}
    parent: dict[int, int] = {}
    why: dict[int, str] = {}
    stamps: dict[int, str] = {}

    def root(row: int) -> int:
        while parent.get(row, row) != row:
            row = parent[row]
        return row

    for row, name, email, pledge, timestamp in rows:
        if not name.strip():
            continue
        if timestamp.strip():
            stamps[row] = timestamp
        # Microsoft Forms fills its own Email column with "anonymous" for forms that do
        # not ask people to sign in: only an address says two rows are one person.
        address = email if "@" in email else ""
        for kind, value in (("e-mail", address), ("pledge", pledge)):
            if not value.strip():
                continue
            earlier = first.setdefault(_key(kind, name, value), row)
            if earlier != row:
                parent[root(row)] = root(earlier)
                why.setdefault(earlier, f"same name and {kind}")
                why.setdefault(row, f"same name and {kind}")

    groups: dict[int, list[int]] = {}
    for row in sorted(why):
        groups.setdefault(root(row), []).append(row)
    notes: dict[int, Problem] = {}
    older: set[int] = set()
    for group in groups.values():
        times = [parse_timestamp(stamps.get(r, "")) for r in group]
        # The latest timestamp (the later row on a tie), or without them the last row.
        dated = all(t is not None for t in times)
        newest = max(zip(times, group, strict=True))[1] if dated else max(group)
        reason = why[newest]
        for row in group:
            others = [r for r in group if r != row]
            if row == newest:
                notes[row] = Problem(DUPLICATE, f"also sent as {rows_text(others)} ({reason}); "
                                     "this is the newest", fatal=False)
            elif keep_latest:
                older.add(row)
                notes[row] = Problem(OLDER_DUPLICATE, f"row {newest} is a newer submission "
                                     f"({reason}); this one is left out", fatal=False)
            else:
                notes[row] = Problem(DUPLICATE, f"row {newest} is a newer submission "
                                     f"({reason}); --dedupe latest makes only the newest",
                                     fatal=False)
    return Duplicates(notes, frozenset(older))
