"""Matching a form export's column headers to supporter fields.

Forms ask "What is your name?", spreadsheets say "Full name", Microsoft Forms adds
a "Name" column of its own: headers are normalised and matched by --column flags,
then the theme's batch.columns mapping, then common headers, then the words in
longer questions.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from imhcard.core.fields import BY_NAME
from imhcard.core.fields import FIELDS as TABLE
from imhcard.errors import BatchInputError

FIELDS = tuple(f.name for f in TABLE)
REQUIRED = tuple(f.name for f in TABLE if f.required)
# Headers as forms and spreadsheets write them, after normalising (norm_header), best
# first: when two columns could be the name, the one asked as a question wins over
# Microsoft Forms' own "Name" column (the respondent's account, often "Anonymous").
SYNONYMS: dict[str, tuple[str, ...]] = {f.name: f.headers for f in TABLE if f.headers}
GENERIC = {f.name: f.generic_header for f in TABLE if f.generic_header}
# Words that, anywhere in a longer header, say which field it holds; earlier wins.
KEYWORDS: tuple[tuple[str, frozenset[str]], ...] = tuple(
    (f.name, f.keywords) for f in sorted(TABLE, key=lambda f: f.keyword_rank) if f.keywords)
_YES_NO = re.compile(r"^(can|may|could|do|does|did|would|will|are|is|shall|should|have) "
                     r"(we|you|i|us)\b|\b(consent|permission|agree|happy for|allow)\b")


def norm_header(header: str) -> str:
    """'What is your name? *' -> 'what is your name'; '(optional)' notes dropped."""
    text = unicodedata.normalize("NFKC", header).casefold()
    text = re.sub(r"\(.*?\)|\[.*?\]", " ", text)
    text = re.sub(r"[^\w]+", " ", text).strip()
    return re.sub(r"\s+optional$", "", text)


@dataclass(frozen=True)
class Columns:
    """Which header holds each supporter field: field -> (cell index, header)."""

    found: Mapping[str, tuple[int, str]]
    headers: tuple[str, ...]

    def header(self, name: str) -> str | None:
        return self.found[name][1] if name in self.found else None


def parse_column_flags(flags: Iterable[str]) -> dict[str, str]:
    """`--column name="Full name"` values -> {'name': 'Full name'}."""
    out: dict[str, str] = {}
    for flag in flags:
        key, sep, header = flag.partition("=")
        key = key.strip().lower()
        if not sep or not header.strip():
            raise BatchInputError(f"--column {flag}: write it as FIELD=HEADER, like "
                                  f'--column name="What is your name?"')
        if key not in FIELDS:
            raise BatchInputError(f"--column {flag}: unknown field '{key}'; the fields are "
                                  f"{', '.join(FIELDS)}")
        out[key] = header.strip()
    return out


def match_columns(headers: list[str], where: str, explicit: Mapping[str, str],
                  theme_map: Mapping[str, str]) -> Columns:
    """Match headers to fields: --column flags, then the theme's mapping, then the
    common headers. A required field with no column is one error listing the headers."""
    normed = [norm_header(h) for h in headers]
    found: dict[str, tuple[int, str]] = {}
    taken: set[int] = set()

    def claim(name: str, i: int) -> None:
        found[name] = (i, headers[i])
        taken.add(i)

    listed = ", ".join(f"'{h}'" for h in headers if h.strip()) or "none"
    for name, header in explicit.items():
        want = norm_header(header)
        hits = [i for i, n in enumerate(normed) if n == want]
        if not hits:
            raise BatchInputError(f"{where}: --column {name}={header}: there is no column "
                                  f"'{header}'; the columns are: {listed}")
        claim(name, hits[0])
    for name, header in theme_map.items():
        hits = [i for i, n in enumerate(normed) if n == norm_header(header) and i not in taken]
        if name not in found and hits:
            claim(name, hits[0])
    # Known headers, best synonym first.
    for name, synonyms in SYNONYMS.items():
        if name in found:
            continue
        for synonym in synonyms:
            hits = [i for i, n in enumerate(normed) if n == synonym and i not in taken]
            if hits:
                claim(name, hits[0])
                break
    # Longer questions, by the words in them ("Your name as it should appear"). A
    # yes/no question ("Can we share your photo?") holds no field's value, and a
    # header naming two fields is ambiguous, unless the other is only the plain word
    # "name" (the organisation's name).
    for i, n in enumerate(normed):
        if i in taken or n in GENERIC.values() or _YES_NO.search(n):
            continue
        words = set(n.replace("pledge card", "card").split())
        named = [name for name, keys in KEYWORDS if words & keys]
        if named and (len(named) == 1 or named[1:] == list(GENERIC)) and named[0] not in found:
            claim(named[0], i)
    for name, generic in GENERIC.items():
        hits = [i for i, n in enumerate(normed) if n == generic and i not in taken]
        if name not in found and hits:
            claim(name, hits[0])

    missing = [f for f in REQUIRED if f not in found]
    if missing:
        what = " and ".join(f"the {BY_NAME[f].called()} ({f})" for f in missing)
        flag = " ".join(f'--column {f}="HEADER"' for f in missing)
        raise BatchInputError(f"{where}: no column for {what}; the columns are: {listed}. "
                              f"Name the column with {flag}")
    return Columns(found=found, headers=tuple(headers))
