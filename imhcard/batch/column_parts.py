"""A question spread over several columns, put back together.

- A choice and the supporter's own words: "Which pledge?" and "Or write your own
  pledge"; SurveyMonkey's "Other (please specify)" and Typeform's "Other" column after
  a choice. The own words when given, else the choice.
- A first and a last name, however asked ("Your first name" / "Your surname",
  Wufoo's "Name (First)", Jotform's "Name - First", SurveyMonkey's "Your details"
  block, "First name / Céad ainm" / "Surname / Sloinne"): joined with a space, first
  name first, a middle name between.
- One column per option (Tally's "Question (Option)", SurveyMonkey's options under
  one question): the options ticked.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from imhcard.batch.header_rows import Header, ticked
from imhcard.core.fields import BY_NAME, is_placeholder

# A part of a name is a header made only of these words, with words of one kind:
# "Your first name", "Name (First)", "Name - Last", "First name / Céad ainm", "Surname".
_NAME_PARTS = {
    "first": frozenset({"first", "forename", "forenames", "given", "christian", "céad",
                        "cead", "baiste"}),
    "middle": frozenset({"middle"}),
    "last": frozenset({"last", "surname", "surnames", "family", "second", "sloinne"}),
}
_NAME_FILLER = frozenset({"name", "names", "ainm", "your", "d", "the", "supporter",
                          "supporters", "s", "legal", "preferred", "enter", "please"})
_NAME_ORDER = ("first", "middle", "last")
# Words that say a column holds the supporter's own words rather than a choice.
OWN_MARKERS = frozenset({"own", "write", "other", "féin", "fein", "scríobh", "scriobh",
                         "words", "instead", "custom", "yourself"})

# Words that, with no field named, say a column is the own words of a choice: "Write
# your own", "In your own words", "Scríobh do cheann féin" (not "Other": that belongs
# to the question just before it).
_OWN_ALONE = frozenset({"own", "féin", "fein"})
_QUESTION = frozenset({"do", "does", "did", "are", "is", "can", "could", "would", "will",
                       "have", "has", "may"})
_OTHER_FIELDS = frozenset(w for f in BY_NAME.values() for w in f.keywords)

Column = tuple[int, str]


def first_last(header: str) -> str:
    """'first', 'middle' or 'last' for a header that asks for that part of a name
    ("Your first name", "Name (Last)", "Surname / Sloinne"), else ''."""
    words = set(re.findall(r"[^\W\d_]+", unicodedata.normalize("NFKC", header).casefold()))
    kinds = [kind for kind, marks in _NAME_PARTS.items() if words & marks]
    if len(kinds) != 1 or not words <= _NAME_FILLER | _NAME_PARTS[kinds[0]]:
        return ""
    return kinds[0]


def name_part(header: Header) -> str:
    """The part of a name a column holds: by its own part of the question
    (SurveyMonkey's "Your details" / "First name"), else by its header."""
    return first_last(header.part) if header.part else first_last(header.text)


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

        base = ", ".join(self.ticked(texts)) if self.options else cell(self.index)
        if self.extra:
            base = " ".join(p.strip() for p in (base, *(cell(i) for i, _ in self.extra))
                            if p.strip())
        return base

    def ticked(self, texts: Sequence[str]) -> tuple[str, ...]:
        """The options ticked, for a question with one column per option."""
        return tuple(o for i, o in self.options if i < len(texts) and ticked(texts[i], o))

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


def _name_parts(found: dict[str, Column], headers: list[str], shape: list[Header],
                free: list[bool], filled: list[bool]) -> Source | None:
    """The name from a first-name column and the last (and middle) name columns after
    it, when no column holds the name whole; signed first name first whatever the
    columns' order ("Surname", "Forename")."""
    parts = [name_part(h) for h in shape]
    if "name" in found:
        if not parts[found["name"][0]]:
            return None  # a whole name ("Name on the card") beats its parts
        free = [*free]
        free[found["name"][0]] = True

    def pick(which: str, after: int = -1) -> int | None:
        hits = [i for i, p in enumerate(parts) if free[i] and p == which]
        hits = [i for i in hits if i > after] or hits  # the first's own surname, if any
        return next((i for i in hits if filled[i]), hits[0] if hits else None)

    first = pick("first")
    if first is None:
        return None
    found["name"] = (first, headers[first])
    extra = [(i, headers[i]) for which in _NAME_ORDER[1:]
             if (i := pick(which, first)) is not None]
    return Source(first, headers[first], extra=tuple(extra))


def _own_column(name: str, main: int, normed: list[str], free: list[bool]) -> int | None:
    """A free column asking for the same field in the supporter's own words ("Or write
    your own pledge"), for a field asked as a choice; for a field that says so
    (core/fields.py), one naming no field at all ("Write your own")."""
    f = BY_NAME.get(name)
    if f is None or not f.keywords:
        return None
    for i, n in enumerate(normed):
        words = set(n.split())
        if i == main or not free[i] or not words:
            continue
        if words & f.keywords and words & OWN_MARKERS:
            return i
        if f.own_words and words & _OWN_ALONE and not words & _OTHER_FIELDS \
                and n.split()[0] not in _QUESTION:
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
    if (named := _name_parts(found, headers, shape, free, filled)) is not None:
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
