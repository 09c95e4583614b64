"""A batch's problems: every problem of every row, each with a kind, so the end of a
run can say "the pledge is too long: rows 4, 9 and 57 more" once instead of sixty
identical lines.

A row's problems are all found, not just the first: the supporter's fields are
checked one after another with a stand-in for each bad one (see `resolve_all`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from imhcard.core.fields import BY_NAME, FIELDS, drawn_in, field_called
from imhcard.core.supporter import CardText, Supporter, resolve
from imhcard.core.theme import Theme
from imhcard.errors import FitError, GlyphError, SupporterError

ROWS_SHOWN = 5  # rows named in a summary line before "and N more"
DUPLICATE = "duplicate submission"
OLDER_DUPLICATE = "older duplicate, not made (--dedupe latest)"
ROW_UNREADABLE = "the row is not a supporter"
TOO_MANY_CELLS = "the row has more cells than the header"
NO_CONSENT = "not made: no consent"
CONSENT_UNCLEAR = "the consent answer is neither yes nor no"
WRITE_OWN_EMPTY = "the pledge choice asks for own words, but none were given"
SEVERAL_PLEDGES = "more than one pledge chosen"
MIXED_LANGUAGES = "the pledge is in another language than the card"
TWO_LANGUAGES = "the language answer names more than one language"
HANDLE_LINK = "the handle is a link with no name in it"
# Made, but for staff to look at before it goes out (the report and the review sheets
# say "check"): nothing was changed.
REVIEW_CAPITALS = "check: the name is in capitals"
REVIEW_SMALL_PHOTO = "check: the photo is smaller than its place on the card"
REVIEW_SCREENSHOT = "check: the photo looks like a phone screenshot"
REVIEW_PHOTO_MATCH = "check: the photo was matched by part of the name"
REVIEW_HANDLE = "check: the handle answer is not a handle"
REVIEW_KINDS = frozenset({REVIEW_CAPITALS, REVIEW_SMALL_PHOTO, REVIEW_SCREENSHOT,
                          REVIEW_PHOTO_MATCH, REVIEW_HANDLE})


@dataclass(frozen=True)
class Problem:
    """One problem of one row. `fatal`: the row's card (in `format`, or every format
    when that is empty) was not made because of it."""

    kind: str
    message: str
    field: str = ""
    fatal: bool = True
    format: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "message": self.message, "field": self.field,
                "fatal": self.fatal, "format": self.format}


def kind_of(exc: SupporterError) -> str:
    """The group a supporter error is counted in, from its class and field."""
    what = field_called(exc.field) if exc.field else "row"
    if isinstance(exc, GlyphError):
        return f"the {what} has a character no font has"
    if isinstance(exc, FitError):
        return f"the {what} does not fit on the card"
    if exc.code == "unknown_language":
        return "the language is not in this theme"
    if exc.code in ("empty", "empty_pledge"):
        return f"the {what} is empty"
    if exc.code in ("too_long", "pledge_too_long", "too_big"):
        return f"the {what} is too long"
    if exc.code == "other_language":
        return MIXED_LANGUAGES
    if exc.code in ("unknown_prompt", "mistyped_prompt"):
        return "the pledge looks like a prompt id that does not exist"
    return f"the {what} cannot be used"


def from_error(exc: SupporterError, fatal: bool = True, fmt: str = "") -> Problem:
    return Problem(kind_of(exc), str(exc), exc.field, fatal, fmt)


# --- every field's problem, not just the first ----------------------------------------------


def _stand_in(supporter: Supporter, field_name: str, theme: Theme) -> Supporter | None:
    """The supporter with a harmless value in place of a bad field, to look further:
    the table's stand-in, the theme's first prompt for a pledge, the theme's default
    language."""
    if field_name == "pledge":
        language = supporter.language if supporter.language in theme.languages else None
        return replace(supporter, pledge=next(iter(theme.wording(language).prompts)))
    if field_name == "language":
        return replace(supporter, language=None)
    f = BY_NAME.get(field_name)
    if f is None or f.stand_in is None:
        return None
    values: dict[str, Any] = {f.name: f.stand_in}
    return replace(supporter, **values)


def resolve_all(supporter: Supporter, theme: Theme) -> tuple[CardText | None,
                                                            list[SupporterError]]:
    """Resolve a supporter, collecting every field's error. With errors, the CardText
    returned has stand-ins for the bad fields (to look for fit and font problems in
    the rest); it is None if no stand-in could be found."""
    errors: list[SupporterError] = []
    current = supporter
    for _ in range(len(FIELDS) + 1):
        try:
            return resolve(current, theme), errors
        except SupporterError as exc:
            errors.append(exc)
            nxt = _stand_in(current, exc.field, theme)
            if nxt is None or nxt == current:
                return None, errors
            current = nxt
    return None, errors


def stand_in_text(text: CardText, field_name: str) -> CardText | None:
    """A resolved card's words with a harmless value in place of a field that does not
    fit or has a character no font has, to look for the next problem."""
    if field_name == "pledge":
        return replace(text, pledge="be here", prompt_id=None) if text.pledge != "be here" \
            else None
    shared = drawn_in(field_name)  # a box that does not fit: every field drawn in it
    if len(shared) > 1 or (shared and not shared[0].required):
        blank: dict[str, Any] = {f.name: "" for f in shared if not f.required}
        return replace(text, **blank) if any(getattr(text, k) for k in blank) else None
    f = BY_NAME.get(field_name)
    if f is None or f.stand_in is None or getattr(text, f.name) == f.stand_in:
        return None
    values: dict[str, Any] = {f.name: f.stand_in}
    return replace(text, **values)


# --- the run's tally ----------------------------------------------------------------------


@dataclass
class RowReport:
    """A row with problems, as the report lists it."""

    row: int
    name: str
    status: str  # made, made without photo, failed, duplicate
    problems: tuple[Problem, ...]


@dataclass
class Tally:
    """Every row's problems, grouped by kind, in row order."""

    rows: list[RowReport] = field(default_factory=list)
    by_kind: dict[str, list[int]] = field(default_factory=dict)
    fatal_kinds: set[str] = field(default_factory=set)

    def add(self, row: int, name: str, status: str, problems: Sequence[Problem]) -> None:
        if not problems:
            return
        self.rows.append(RowReport(row, name, status, tuple(problems)))
        for kind in dict.fromkeys(p.kind for p in problems):
            self.by_kind.setdefault(kind, []).append(row)
        self.fatal_kinds.update(p.kind for p in problems if p.fatal)

    def groups(self) -> list[tuple[str, list[int]]]:
        """(kind, rows), the most common first, then in the order they were met."""
        order = {k: i for i, k in enumerate(self.by_kind)}
        return sorted(self.by_kind.items(), key=lambda kv: (-len(kv[1]), order[kv[0]]))

    def as_dict(self) -> dict[str, Any]:
        return {kind: {"rows": rows, "count": len(rows), "fatal": kind in self.fatal_kinds}
                for kind, rows in self.groups()}


def rows_text(rows: Sequence[int], shown: int = ROWS_SHOWN) -> str:
    """'row 3', 'rows 3, 5 and 9', 'rows 3, 5, 9, 11, 12 and 57 more'."""
    if len(rows) == 1:
        return f"row {rows[0]}"
    if len(rows) <= shown + 1:
        return "rows " + ", ".join(map(str, rows[:-1])) + f" and {rows[-1]}"
    return "rows " + ", ".join(map(str, rows[:shown])) + f" and {len(rows) - shown} more"


def summary_lines(groups: Iterable[tuple[str, Sequence[int]]]) -> list[str]:
    """One line per kind of problem: 'the name is empty: rows 3, 5 and 9'."""
    return [f"{kind}: {rows_text(rows)}" for kind, rows in groups]


def problems_of(entries: Iterable[Mapping[str, Any]]) -> list[Problem]:
    """Problems read back from a manifest.json entry list (dicts)."""
    return [Problem(str(p["kind"]), str(p["message"]), str(p.get("field", "")),
                    bool(p.get("fatal", True)), str(p.get("format", "")))
            for e in entries for p in e.get("problems", ())]
