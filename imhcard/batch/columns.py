"""Matching a form export's column headers to supporter fields.

Forms ask "What is your name?", spreadsheets say "Full name", Microsoft Forms adds
a "Name" column of its own: headers are normalised and matched by --column flags,
then the theme's batch.columns mapping, then common headers, then the words in
longer questions. Where two columns could hold a field, one with answers in it wins
over an empty one (SurveyMonkey's own "Email Address" column is empty for a web
link). A question may be spread over several columns (batch/column_parts.py): a
choice and its own words, a first and a last name, one column per option; consent
columns (batch/consent.py) say whether a row may be made at all.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from imhcard.batch.column_parts import Source, attach_parts, first_last, name_part
from imhcard.batch.consent import asks_consent, looks_yes_no
from imhcard.batch.header_rows import Header, one_row_headers, option_groups, ticked
from imhcard.core.fields import BY_NAME, is_placeholder
from imhcard.core.fields import FIELDS as TABLE
from imhcard.errors import BatchInputError

FIELDS = tuple(f.name for f in TABLE)
REQUIRED = tuple(f.name for f in TABLE if f.required)
# Headers as forms and spreadsheets write them, after normalising (norm_header), best
# first: when two columns could be the name, the one asked as a question wins over
# Microsoft Forms' own "Name" column (the respondent's account, often "Anonymous").
SYNONYMS: dict[str, tuple[str, ...]] = {f.name: f.headers for f in TABLE if f.headers}
_PHOTO_FIELDS = frozenset(f.name for f in TABLE if f.kind == "photo")
GENERIC = {f.name: f.generic_header for f in TABLE if f.generic_header}
# Words that, anywhere in a longer header, say which field it holds; earlier wins.
KEYWORDS: tuple[tuple[str, frozenset[str]], ...] = tuple(
    (f.name, f.keywords) for f in sorted(TABLE, key=lambda f: f.keyword_rank) if f.keywords)
_YES_NO = re.compile(r"^(can|may|could|do|does|did|would|will|are|is|shall|should|have) "
                     r"(we|you|i|us)\b|\b(consent|permission|agree|happy for|allow)\b")


_KNOWN = frozenset(h for hs in SYNONYMS.values() for h in hs) | frozenset(GENERIC.values())


def known_headers(cells: Sequence[str]) -> int:
    """How many cells are a field's common header ("Name", "Your pledge", "Surname"):
    to tell a header row from a title above it."""
    return sum(bool(c.strip()) and (norm_header(c) in _KNOWN or bool(first_last(c)))
               for c in cells)


def norm_header(header: str) -> str:
    """'What is your name? *' -> 'what is your name'; '(optional)' notes dropped."""
    text = unicodedata.normalize("NFKC", header).casefold()
    text = re.sub(r"\(.*?\)|\[.*?\]", " ", text)
    text = re.sub(r"[^\w]+", " ", text).strip()
    return re.sub(r"\s+optional$", "", text)


@dataclass(frozen=True)
class Columns:
    """Which header holds each supporter field: field -> (cell index, header); how
    each field's answer is put together from its columns (`sources`); the consent
    columns; and the headers no field uses."""

    found: Mapping[str, tuple[int, str]]
    headers: tuple[str, ...]
    sources: Mapping[str, Source] = field(default_factory=dict)
    consent: tuple[tuple[int, str], ...] = ()
    # Unused columns that look like a yes/no permission question: staff may mean one as
    # consent (--column consent=...), and are told so.
    yes_no: tuple[str, ...] = ()

    def header(self, name: str) -> str | None:
        return self.found[name][1] if name in self.found else None

    def source(self, name: str) -> Source:
        return self.sources.get(name) or Source(*self.found[name])

    def values(self, texts: Sequence[str]) -> dict[str, str]:
        """Each field's answer in a row of cells. A placeholder in the photo cell ('n/a',
        '-', 'No photo') is a blank cell: not a file name to look for, nor a cell whose
        row may be given a photo by the supporter's name."""
        out = {name: self.source(name).value(texts) for name in self.found}
        for name in _PHOTO_FIELDS & out.keys():
            if is_placeholder(out[name]):
                out[name] = ""
        return out

    def consents(self, texts: Sequence[str]) -> tuple[tuple[str, str], ...]:
        """(header, answer) of each consent column in a row of cells."""
        return tuple((h, texts[i] if i < len(texts) else "") for i, h in self.consent)

    def unused(self) -> list[str]:
        used = {i for s in (self.source(n) for n in self.found) for i in s.indexes()}
        used |= {i for i, _ in self.consent}
        return [h for i, h in enumerate(self.headers) if i not in used and h.strip()]


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


@dataclass
class _Matcher:
    """One header row being matched: its normalised headers, which columns have
    answers in the sample rows, and what is claimed so far."""

    headers: list[str]
    shape: list[Header]
    filled: list[bool]
    sample: Sequence[Sequence[str]] = ()
    found: dict[str, tuple[int, str]] = field(default_factory=dict)
    taken: set[int] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.normed = [norm_header(h) for h in self.headers]
        # The option columns of one question count as the question's first column; parts
        # of one question that people type in (SurveyMonkey's "Name", "Email Address"
        # under "Your details") are columns of their own.
        self.groups = {i: g for i, g in option_groups(self.shape).items()
                       if all(self._ticks(j) for j in g)}
        self.members = {i for g in self.groups.values() for i in g[1:]}
        self.parts = [norm_header(s.part) for s in self.shape]

    def _ticks(self, j: int) -> bool:
        """Every answer in the sample column is a tick, the option's words, or nothing."""
        option = self.shape[j].part
        return all(ticked(c, option) or not str(c).strip() or str(c).strip().casefold()
                   in ("false", "0", "no", "unchecked")
                   for r in self.sample for c in r[j:j + 1])

    def claim(self, name: str, i: int) -> None:
        self.found[name] = (i, self.headers[i])
        self.taken.update(self.groups.get(i, (i,)))

    def free(self, i: int) -> bool:
        return i not in self.taken and i not in self.members

    def best(self, hits: list[int]) -> int | None:
        """The first column with answers in it, else the first."""
        hits = [i for i in hits if self.free(i)]
        return next((i for i in hits if self.filled[i]), hits[0] if hits else None)

    def by_synonym(self, name: str, filled_only: bool) -> bool:
        for synonym in SYNONYMS.get(name, ()):
            hits = [i for i, n in enumerate(self.normed) if n == synonym]
            hits += [i for i, p in enumerate(self.parts) if p == synonym]
            pick = self.best(hits)
            if pick is not None and (self.filled[pick] or not filled_only):
                self.claim(name, pick)
                return True
        return False

    def by_keywords(self) -> None:
        """Longer questions, by the words in them ("Your name as it should appear"). A
        yes/no question ("Can we share your photo?") holds no field's value, and a
        header naming two fields is ambiguous, unless the other is only the plain word
        "name" (the organisation's name). First and last name are matched as a pair."""
        wanted: dict[str, list[int]] = {}
        for i, n in enumerate(self.normed):
            if not self.free(i) or n in GENERIC.values() or _YES_NO.search(n) \
                    or name_part(self.shape[i]) or self.shape[i].is_other:
                continue
            words = set(n.replace("pledge card", "card").split())
            named = [name for name, keys in KEYWORDS if words & keys]
            if named and (len(named) == 1 or named[1:] == list(GENERIC)) \
                    and named[0] not in self.found:
                wanted.setdefault(named[0], []).append(i)
        for name, hits in wanted.items():
            pick = self.best(hits)
            if pick is not None:
                self.claim(name, pick)


def match_columns(headers: list[str], where: str, explicit: Mapping[str, str],
                  theme_map: Mapping[str, str], shape: list[Header] | None = None,
                  sample: Sequence[Sequence[str]] = ()) -> Columns:
    """Match headers to fields: --column flags, then the theme's mapping, then the
    common headers, then the words in longer questions. `shape` says which question
    and option each column is (header_rows.py); `sample` is the first rows, to prefer
    columns with answers. A required field with no column is one error listing them."""
    shape = shape or one_row_headers(headers)
    filled = [not sample or any(i < len(r) and str(r[i]).strip() for r in sample)
              for i in range(len(headers))]
    m = _Matcher(headers, shape, filled, sample)
    listed = ", ".join(f"'{h}'" for h in headers if h.strip()) or "none"
    for name, header in explicit.items():
        hits = [i for i, n in enumerate(m.normed) if n == norm_header(header)]
        if not hits:
            raise BatchInputError(f"{where}: --column {name}={header}: there is no column "
                                  f"'{header}'; the columns are: {listed}")
        m.claim(name, hits[0])
    for name, header in theme_map.items():
        hits = [i for i, n in enumerate(m.normed) if n == norm_header(header) and m.free(i)]
        if name not in m.found and hits:
            m.claim(name, hits[0])
    # Known headers, best synonym first; a known header with no answers waits for a
    # question that has them.
    for filled_only in (True, False):
        for name in SYNONYMS:
            if name not in m.found:
                m.by_synonym(name, filled_only)
        if filled_only:
            m.by_keywords()
    for name, generic in GENERIC.items():
        hits = [i for i, n in enumerate(m.normed) if n == generic]
        hits += [i for i, part in enumerate(m.parts) if part == generic]  # "Your details - Name"
        pick = m.best(hits)
        if name not in m.found and pick is not None:
            m.claim(name, pick)
    sources = attach_parts(m.found, headers, m.normed, shape, m.groups, m.taken, filled)
    answers = [[str(r[i]) if i < len(r) else "" for r in sample] for i in range(len(headers))]
    consent = tuple((i, h) for i, h in enumerate(headers)
                    if i not in m.taken and "consent" not in m.found
                    and asks_consent(h, answers[i] if sample else None))
    if "consent" in m.found:
        consent = (m.found.pop("consent"),)
        sources.pop("consent", None)
    used = {i for s in sources.values() for i in s.indexes()} | set(m.taken) \
        | {i for i, _ in consent} | {i for i, _ in m.found.values()}
    yes_no = tuple(h for i, h in enumerate(headers)
                   if i not in used and h.strip() and looks_yes_no(h, answers[i]))
    missing = [f for f in REQUIRED if f not in m.found]
    if missing:
        what = " and ".join(f"the {BY_NAME[f].called()} ({f})" for f in missing)
        flag = " ".join(f'--column {f}="HEADER"' for f in missing)
        raise BatchInputError(f"{where}: no column for {what}; the columns are: {listed}. "
                              f"Name the column with {flag}")
    return Columns(found=dict(m.found), headers=tuple(headers), sources=sources,
                   consent=consent, yes_no=yes_no)
