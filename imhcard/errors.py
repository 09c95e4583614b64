"""The package's exceptions. Every message names where the problem is and what to do."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class ImhcardError(Exception):
    """Base class for every error imhcard reports to a user.

    `code` and `values`, when set, say the same thing as data, so it can be told in
    the supporter's own language (core/messages.py); str() is the English text."""

    code: str = ""
    values: Mapping[str, Any] = {}


class RefusedFile(ImhcardError):
    """A file imhcard was pointed at is not one it will read: missing, not a regular
    file, outside the folders it may read from, too big, or not an image or font.
    Callers re-raise it as their own kind of error, with where the path came from."""

    def __init__(self, message: str, code: str = "",
                 values: Mapping[str, Any] | None = None) -> None:
        self.code = code
        self.values = dict(values or {})
        super().__init__(message)

    def __reduce__(self) -> tuple[type, tuple[str, str, dict[str, Any]]]:
        return (type(self), (str(self), self.code, dict(self.values)))


class MissingFile(RefusedFile):
    """The file is not there at all."""


class ThemeError(ImhcardError):
    """The theme file is missing, unreadable or invalid."""

    def __init__(self, path: str, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        if len(problems) == 1:
            text = problems[0]
        else:
            text = f"{len(problems)} problems:\n" + "\n".join(f"  {p}" for p in problems)
        super().__init__(text)

    def __reduce__(self) -> tuple[type, tuple[str, list[str]]]:
        # Rebuilt from its own arguments when sent back from a worker process.
        return (type(self), (self.path, self.problems))


class SupporterError(ImhcardError):
    """A supporter's details cannot make a card (empty name, pledge too long, ...)."""

    def __init__(self, field: str, message: str, code: str = "",
                 values: Mapping[str, Any] | None = None) -> None:
        self.field = field
        self.code = code
        self.values = dict(values or {})
        super().__init__(message)

    def __reduce__(self) -> tuple[type, tuple[str, str, str, dict[str, Any]]]:
        return (type(self), (self.field, str(self), self.code, dict(self.values)))


class FitError(SupporterError):
    """Text does not fit its box even at the smallest legible size."""


class GlyphError(SupporterError):
    """A character that no bundled or theme font can draw."""


class PhotoError(SupporterError):
    """The supporter's photo cannot be read."""


class FormatError(ImhcardError):
    """An unknown format name, or a layout that cannot hold its content."""


class OutputError(ImhcardError):
    """A card could not be written."""


class BatchInputError(ImhcardError):
    """The batch input file cannot be read as a table of supporters."""
