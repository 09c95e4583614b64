"""What became of one row of a batch: a manifest entry per format and every problem,
the problems merged once each across formats."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from imhcard.batch.manifest import DELIVERED, NO_CONSENT_STATUS, Entry
from imhcard.batch.problems import REVIEW_KINDS, Problem
from imhcard.core.formats import Format

SEPARATOR = " | "


@dataclass(frozen=True)
class RowOutcome:
    """What became of one row: a manifest entry per format, and every problem."""

    row: int
    name: str
    entries: tuple[Entry, ...]
    problems: tuple[Problem, ...] = ()

    @property
    def failed(self) -> bool:
        return any(e.status == "failed" for e in self.entries)

    @property
    def status(self) -> str:
        """made, made without photo, partly made, failed, duplicate or no consent: how
        the report describes it."""
        if self.failed:
            made = any(e.status in DELIVERED for e in self.entries)
            return "partly made" if made else "failed"
        for special in ("duplicate", NO_CONSENT_STATUS):
            if any(e.status == special for e in self.entries):
                return special
        if any(without_photo(p) for p in self.problems):
            return "made without photo"
        return "made"


def without_photo(p: Problem) -> bool:
    """The card was made without the photo the row gave (not a note to check it)."""
    return p.field == "photo" and not p.fatal and p.kind not in REVIEW_KINDS


def merge(problems: list[Problem], by_format: dict[str, list[Problem]],
           formats: tuple[Format, ...]) -> list[Problem]:
    """The row's problems once each: a card problem in every format is the row's, in
    some formats it names them."""
    out = list(problems)
    seen: dict[tuple[str, str], list[str]] = {}
    for fmt_name, found in by_format.items():
        for p in found:
            seen.setdefault((p.kind, p.message), []).append(fmt_name)
    for found in by_format.values():
        for p in found:
            names = seen.pop((p.kind, p.message), None)
            if names is None:
                continue
            every = len(names) == len(formats)
            out.append(Problem(p.kind, p.message, p.field, p.fatal,
                               "" if every else ", ".join(names)))
    return out


def joined(problems: Iterable[Problem]) -> str:
    """Several problems in one manifest cell (their messages may hold ';' themselves)."""
    return SEPARATOR.join(p.message for p in problems)


def failed_outcome(row: int, name: str, email: str, formats: Iterable[Format],
            problems: list[Problem], status: str = "failed") -> RowOutcome:
    # A row not made lists everything to fix, its photo too; notes (duplicates) stay
    # warnings.
    fatal = [p for p in problems if p.fatal or p.field == "photo"] or problems
    error = joined(fatal) if status == "failed" else ""
    warning = joined(p for p in problems if not p.fatal)
    where = fatal[0].field if fatal and status == "failed" else ""
    return RowOutcome(row, name, tuple(
        Entry(row, name, f.name, status, field=where, error=error, email=email,
              warning=warning, problems=tuple(problems)) for f in formats), tuple(problems))


