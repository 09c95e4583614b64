"""Duplicate submissions: people send a form twice (a typo fixed, a photo added).

Two rows are the same supporter when they have the same name and e-mail address,
or the same name and pledge (letter case, accents' normal form and spacing aside).
Every such row is flagged; with --dedupe latest only the newest is made: the one
with the latest timestamp (Google Forms' "Timestamp", Microsoft Forms' "Completion
time", Jotform's "Submission Date", Typeform's "Submit Date (UTC)"), or the last row
when there is no timestamp to go by; when the times are there but cannot be read,
each duplicate's note says so, naming the column and a time as written.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone

from imhcard.batch.problems import DUPLICATE, OLDER_DUPLICATE, Problem, rows_text

# Forms write their locale's way: Google Forms "01/06/2026 09:02:11" or "2026/06/01
# 9:02:11 am GMT+1"; Microsoft Forms "5/21/2026 9:05 AM" (a workbook cell is read as
# "2026-05-21 09:05:00"); Jotform "May 21, 2026"; Typeform "2026-05-21T09:00:00Z";
# SurveyMonkey "06/01/2026 09:03:40 AM". A column is read one way: day first (these
# forms are filled in Northern Ireland) unless one of its dates can only be month first.
_DATES = ("%Y-%m-%d", "%Y/%m/%d", "%B %d, %Y", "%b %d, %Y", "%B %d %Y", "%b %d %Y",
          "%d %B %Y", "%d %b %Y", "%d %B, %Y")
_DAY_FIRST = ("%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y")
_MONTH_FIRST = ("%m/%d/%Y", "%m.%d.%Y", "%m-%d-%Y")
_TIMES = ("", " %H:%M:%S", " %H:%M", " %I:%M:%S %p", " %I:%M %p", "T%H:%M:%S", "T%H:%M")
_ZONE = re.compile(r"\s*(?:(?:GMT|UTC|Z)(?:[+-]\d{1,2}(?::?\d{2})?)?|[+-]\d{2}:?\d{2})\s*$",
                   re.IGNORECASE)
_WEEKDAY = re.compile(r"^[a-z]+day,?\s+", re.IGNORECASE)
_NUMERIC = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-]\d{4}")


def _clean(text: str) -> str:
    text = _WEEKDAY.sub("", text.strip())
    text = re.sub(r"(\d{2}:\d{2}:\d{2})\.\d+", r"\1", text)  # fractions of a second
    text = re.sub(r"\b([ap])\.?m\.?(?=\s|$)", lambda m: m.group(1).upper() + "M", text,
                  flags=re.IGNORECASE)
    text = re.sub(r"(\d)([AP]M)\b", r"\1 \2", text)
    return " ".join(text.split())


def _iso(text: str) -> datetime | None:
    """An ISO 8601 time with its zone ('2026-05-21T09:00:00Z', '...+01:00'), in UTC."""
    try:
        when = datetime.fromisoformat(text.replace(" UTC", "Z").replace(" GMT", "Z"))
    except ValueError:
        return None
    return when.astimezone(timezone.utc).replace(tzinfo=None) if when.tzinfo else when


def parse_timestamp(text: str, month_first: bool | None = None) -> datetime | None:
    """A form's timestamp cell as a datetime (no time zone), or None. `month_first`:
    how its column writes 05/06 (None: day first, else month first if that reads)."""
    text = _clean(text)
    if not text:
        return None
    if re.match(r"^\d{4}-\d{2}-\d{2}[T ]\d", text) and (when := _iso(text)) is not None:
        return when
    text = _ZONE.sub("", text)
    if month_first is None:  # a 12-hour clock is the US's way, and so month first
        month_first = bool(re.search(r"\d [AP]M$", text))
        numeric: tuple[str, ...] = (_MONTH_FIRST + _DAY_FIRST if month_first
                                    else _DAY_FIRST + _MONTH_FIRST)
    else:
        numeric = _MONTH_FIRST if month_first else _DAY_FIRST
    for date in (*_DATES, *numeric):
        for time in _TIMES:
            try:
                return datetime.strptime(text, date + time)
            except ValueError:
                continue
    return None


def parse_timestamps(texts: Iterable[str]) -> list[datetime | None]:
    """A column's times, each read the same way: month first when one of them can
    only be ("5/21/2026"), day first when one can only be that ("21/05/2026")."""
    texts = list(texts)
    pairs = [(int(m.group(1)), int(m.group(2))) for t in texts if (m := _NUMERIC.match(t))]
    month_first: bool | None = None
    if any(b > 12 >= a for a, b in pairs):
        month_first = True
    elif any(a > 12 >= b for a, b in pairs):
        month_first = False
    return [parse_timestamp(t, month_first) for t in texts]


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
                    keep_latest: bool, time_column: str = "") -> Duplicates:
    """(row, name, e-mail, pledge, timestamp) of every row, read once -> the duplicates.
    `time_column`: the timestamps' header, for the message when they cannot be read."""
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
    wanted = sorted(r for g in groups.values() for r in g if r in stamps)
    parsed = dict(zip(wanted, parse_timestamps(stamps[r] for r in wanted), strict=True))
    notes: dict[int, Problem] = {}
    older: set[int] = set()
    for group in groups.values():
        times = [parsed.get(r) for r in group]
        # The latest timestamp (the later row on a tie), or without them the last row.
        dated = all(t is not None for t in times)
        newest = max(zip(times, group, strict=True))[1] if dated else max(group)
        reason = why[newest]
        unread = [f"'{stamps[r][:30]}'" if r in stamps else "an empty cell"
                  for r, t in zip(group, times, strict=True) if t is None]
        unsure = (f"; the times in '{time_column}' could not be read (like {unread[0]}), "
                  "so the last row is taken as the newest; check which to keep"
                  if unread and time_column else "")
        for row in group:
            others = [r for r in group if r != row]
            if row == newest:
                notes[row] = Problem(DUPLICATE, f"also sent as {rows_text(others)} ({reason}); "
                                     "this is the newest" + unsure, fatal=False)
            elif keep_latest:
                older.add(row)
                notes[row] = Problem(OLDER_DUPLICATE, f"row {newest} is a newer submission "
                                     f"({reason}); this one is left out" + unsure, fatal=False)
            else:
                notes[row] = Problem(DUPLICATE, f"row {newest} is a newer submission "
                                     f"({reason}); --dedupe latest makes only the newest"
                                     + unsure, fatal=False)
    return Duplicates(notes, frozenset(older))
