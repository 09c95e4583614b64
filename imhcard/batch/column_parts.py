"""A question spread over several columns, put back together.

- A choice and the supporter's own words: "Which pledge?" and "Or write your own
  pledge"; SurveyMonkey's "Other (please specify)" and Typeform's "Other" column after
  a choice. The own words when given, else the choice.
- A first and a last name (Typeform's and Tally's contact blocks, SurveyMonkey's
  "First Name"/"Last Name"): joined with a space.
- One column per option (Tally's "Question (Option)", SurveyMonkey's options under
  one question): the options ticked.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from imhcard.batch.header_rows import Header, ticked
from imhcard.core.fields import BY_NAME, is_placeholder

_FIRST = frozenset({"first name", "forename", "given name", "first names", "christian name",
                    "first", "céad ainm", "cead ainm", "ainm baiste"})
_LAST = frozenset({"last name", "surname", "family name", "second name", "last",
                   "sloinne", "last names"})
# Words that say a column holds the supporter's own words rather than a choice.
OWN_MARKERS = frozenset({"own", "write", "other", "féin", "fein", "scríobh", "scriobh",
                         "words", "instead", "custom", "yourself"})

Column = tuple[int, str]


def first_last(normed: str) -> str:
    """'first' or 'last' for a first- or last-name header (normalised), else ''."""
    if normed in _FIRST:
        return "first"
    if normed in _LAST:
        return "last"
    return ""


@dataclass(frozen=True)
class Source:
    """Where one field's answer is: its column, and the columns that complete it."""

    index: int
    header: str
    options: tuple[tuple[int, str], ...] = ()  # one column per option: (index, option)
    extra: tuple[Column, ...] = ()  # joined after it: a last name
    own: Column | None = None  # the supporter's own words, used when given

    def indexes(self) -> list[int]:
        return [self.index, *(i for i, _ in self.options), *(i for i, _ in self.extra),
                *([self.own[0]] if self.own else [])]

    def choice(self, texts: Sequence[str]) -> str:
        """The answer without the own-words column."""
        def cell(i: int) -> str:
            return texts[i] if i < len(texts) else ""

        if self.options:
            base = ", ".join(o for i, o in self.options if ticked(cell(i), o))
        else:
            base = cell(self.index)
        if self.extra:
            base = " ".join(p.strip() for p in (base, *(cell(i) for i, _ in self.extra))
                            if p.strip())
        return base

    def own_words(self, texts: Sequence[str]) -> str:
        if self.own is None or self.own[0] >= len(texts):
            return ""
        words = texts[self.own[0]]
        return "" if is_placeholder(words) else words

    def value(self, texts: Sequence[str]) -> str:
        """The own words when given, else the choice."""
        return self.own_words(texts) or self.choice(texts)

    def described(self) -> str:
        """How the answer is put together, for `batch --check`."""
        parts = [f"'{self.header}'"]
        if self.options:
            parts = [f"'{self.header}' (one column per option: "
                     + ", ".join(f"'{o}'" for _, o in self.options[:4])
                     + (" …" if len(self.options) > 4 else "") + ")"]
        parts += [f"+ '{h}'" for _, h in self.extra]
        if self.own:
            parts.append(f"+ own words from '{self.own[1]}' (used when given, else the "
                         "choice)")
        return " ".join(parts)


def _name_parts(found: dict[str, Column], headers: list[str], normed: list[str],
                free: list[bool], filled: list[bool]) -> Source | None:
    """The name from a first and a last name column, when no column holds it whole."""
    def pick(which: str) -> int | None:
        hits = [i for i, n in enumerate(normed) if free[i] and first_last(n) == which]
        return next((i for i in hits if filled[i]), hits[0] if hits else None)

    if "name" in found:
        i = found["name"][0]
        if first_last(normed[i]) != "first":
            return None
        last = pick("last")
        return Source(i, headers[i], extra=((last, headers[last]),)) if last is not None \
            else None
    first, last = pick("first"), pick("last")
    if first is None:
        return None
    found["name"] = (first, headers[first])
    extra = ((last, headers[last]),) if last is not None else ()
    return Source(first, headers[first], extra=extra)


def _own_column(name: str, main: int, normed: list[str], free: list[bool]) -> int | None:
    """A free column asking for the same field in the supporter's own words ("Or write
    your own pledge"), for a field asked as a choice."""
    keys = BY_NAME[name].keywords if name in BY_NAME else frozenset()
    if not keys:
        return None
    for i, n in enumerate(normed):
        words = set(n.split())
        if i != main and free[i] and words & keys and words & OWN_MARKERS:
            return i
    return None


def attach_parts(found: dict[str, Column], headers: list[str], normed: list[str],
                 shape: list[Header], groups: Mapping[int, tuple[int, ...]],
                 taken: set[int], filled: list[bool]) -> dict[str, Source]:
    """Each field's Source: its columns put together. May add the name (from a first
    and a last name column) to `found`."""
    members = {i for g in groups.values() for i in g}
    free = [i not in taken and i not in members for i in range(len(headers))]
    sources: dict[str, Source] = {}
    if (named := _name_parts(found, headers, normed, free, filled)) is not None:
        sources["name"] = named
        for i in named.indexes():
            free[i] = False
    for name, (i, header) in found.items():
        source = sources.get(name) or Source(i, header)
        if i in groups:
            source = Source(i, header, options=tuple((j, shape[j].part) for j in groups[i]))
        own = _other_of(i, shape, free) or _own_column(name, i, normed, free)
        if own is not None:
            main_words, own_words = set(normed[i].split()), set(normed[own].split())
            if main_words & OWN_MARKERS and not own_words & OWN_MARKERS:
                i, own = own, i  # the "write your own" column was taken for the choice
                found[name] = (i, headers[i])
                source = Source(i, headers[i])
            source = Source(source.index, source.header, source.options, source.extra,
                            (own, headers[own]))
            free[own] = False
        sources[name] = source
    return sources


def _other_of(i: int, shape: list[Header], free: list[bool]) -> int | None:
    """The "Other (please specify)" column of the question in column i: the next
    columns of the same question (SurveyMonkey), or an "Other" column right after it
    (Typeform)."""
    question = shape[i].question
    j = i + 1
    while j < len(shape) and (shape[j].question == question or shape[j].is_other):
        if shape[j].is_other and free[j]:
            return j
        if shape[j].question != question:
            break
        j += 1
    return None
