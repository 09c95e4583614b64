"""Right-to-left text: the Unicode Bidirectional Algorithm (UAX #9), by a maintained
implementation, not by hand.

python-bidi wraps the unicode-bidi crate (the one Firefox and Servo use), which
resolves every character's embedding level: which way it reads, and how deeply it
is nested (Latin inside Arabic inside a Latin sentence). This module turns that
into what the font layer needs: the paragraph's direction, a level per character
of a line, and the order in which pieces of a line are placed left to right.

Only the levels come from the library: its public API gives just the reordered
string (`get_display`) and the paragraph level, so the levels are read from its
`debug=True` report, a dump of the crate's `BidiInfo`. The report is checked as it
is read (one entry per UTF-8 byte, known class names), so a release that changes
it fails loudly rather than drawing text in the wrong order; tests/test_bidi.py
checks the order built from the levels against `get_display` itself.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

from bidi import get_base_level, get_display

# Bidi classes that can make any character of a line other than level 0 in a
# left-to-right paragraph: strong right-to-left letters, Arabic digits, explicit
# embeddings and isolates. A line with none of them (most cards) skips the library.
_NEEDS_ALGORITHM = frozenset(("R", "AL", "AN", "LRE", "LRO", "RLE", "RLO", "PDF",
                              "LRI", "RLI", "FSI", "PDI"))
# Rule L1: these go back to the paragraph's level at the end of a line and before
# a tab or paragraph separator, so trailing spaces never sit inside a reversed run.
_WHITESPACE = frozenset(("WS", "FSI", "LRI", "RLI", "PDI"))
_SEPARATORS = frozenset(("B", "S"))
# Characters rule X9 removes (embeddings, overrides, zero-width joiners and the
# like); they take the level of the character before them.
_REMOVED = frozenset(("RLE", "LRE", "RLO", "LRO", "PDF", "BN"))
# A line holds no paragraph break (the fitter splits text at newlines and supporters'
# text has them folded to spaces); one left in is laid out as the space it is drawn as,
# rather than splitting the line into two paragraphs.
_PARAGRAPH_BREAKS = re.compile("[\n\r\x1c\x1d\x1e\x85\u2029]")
_CLASSES = frozenset(("L", "R", "AL", "EN", "ES", "ET", "AN", "CS", "NSM", "BN", "B", "S",
                      "WS", "ON", "LRE", "LRO", "RLE", "RLO", "PDF", "LRI", "RLI", "FSI",
                      "PDI"))

# The report's fields each start a line at four spaces' indent. The text field
# cannot hold a raw newline (Debug escapes it), so a supporter's words can never
# be mistaken for a field.
_FIELD = re.compile(r"\n    (?=\w+: )")
_SPACE = str.maketrans("", "", " \n")


def paragraph_rtl(text: str) -> bool:
    """Whether a paragraph reads right to left: its first strong letter does
    (rules P2 and P3; text with no letters at all reads left to right)."""
    if not text:
        return False
    return bool(get_base_level(text) == 1)


def _simple(text: str, rtl: bool) -> bool:
    """Whether every level is 0 without asking: a left-to-right paragraph with no
    character that could read right to left. A character this Python's Unicode
    tables do not know might be a newer right-to-left letter, so it is not simple."""
    return not rtl and all((c := unicodedata.bidirectional(ch)) and c not in _NEEDS_ALGORITHM
                           for ch in text)


def _items(field: str) -> list[str]:
    """The items of one list field of the report, white space removed."""
    inner = field.translate(_SPACE).removesuffix(",").removeprefix("[").removesuffix("]")
    return inner.removesuffix(",").split(",") if inner else []


def _report(text: str, rtl: bool) -> tuple[list[str], list[int]]:
    """Bidi class and resolved level (before rule L1) of each character, from the library."""
    dump = str(get_display(text, base_dir="R" if rtl else "L", debug=True))
    fields = dict(field.partition(": ")[::2] for field in _FIELD.split(dump))
    # "[\n        AL,\n        WS,\n    ]," and "[\n        Level(\n            1,\n ..."
    # become "AL,WS" and "1,1": plain string operations, as the report is long.
    per_byte_classes = _items(fields.get("original_classes", ""))
    per_byte_levels = _items(fields.get("levels", "").translate(_SPACE)
                             .replace("Level(", "").replace(",)", ""))
    data = text.encode("utf-8")
    if (len(per_byte_classes) != len(data) or len(per_byte_levels) != len(data)
            or not set(per_byte_classes) <= _CLASSES
            or not all(level.isdigit() for level in per_byte_levels)):
        raise RuntimeError("python-bidi's debug report is not in the form imhcard reads "
                           f"(levels for {len(per_byte_levels)} of {len(data)} bytes); "
                           "install the python-bidi version pyproject.toml names")
    # The report is per UTF-8 byte; take each character's first byte (not 10xxxxxx).
    starts = [i for i, byte in enumerate(data) if byte & 0xC0 != 0x80]
    return [per_byte_classes[i] for i in starts], [int(per_byte_levels[i]) for i in starts]


def _line_rule(classes: Sequence[str], levels: list[int], base: int) -> list[int]:
    """Rule L1 over one line, as the unicode-bidi crate applies it before reordering:
    separators, and white space before them or at the end of the line, return to
    the paragraph's level; removed formatting characters follow the one before."""
    out = list(levels)
    reset_from: int | None = 0
    previous = base
    for i, kind in enumerate(classes):
        if kind in _SEPARATORS:
            start = i if reset_from is None else reset_from
            out[start:i + 1] = [base] * (i + 1 - start)
            reset_from = None
        elif kind in _WHITESPACE:
            reset_from = i if reset_from is None else reset_from
        elif kind in _REMOVED:
            reset_from = i if reset_from is None else reset_from
            out[i] = previous
        else:
            reset_from = None
        previous = out[i]
    if reset_from is not None:
        out[reset_from:] = [base] * (len(out) - reset_from)
    return out


@lru_cache(maxsize=16384)
def line_levels(line: str, rtl: bool) -> tuple[int, ...]:
    """The embedding level of each character of one line of a paragraph whose
    direction is `rtl`: odd reads right to left, even left to right."""
    if _simple(line, rtl):
        return (0,) * len(line)
    classes, levels = _report(_PARAGRAPH_BREAKS.sub(" ", line), rtl)
    if not any(level % 2 for level in levels):
        # Nothing reads right to left, so the line is not reordered at all (as the
        # library decides too): rule L1 could only move an invisible formatting
        # character left over at the end of the line.
        return tuple(levels)
    return tuple(_line_rule(classes, levels, 1 if rtl else 0))


def visual_order(levels: Sequence[int]) -> list[int]:
    """Indices of pieces of a line (characters or runs of one level) from left to
    right (rule L2): from the highest level down to the lowest odd one, reverse
    every stretch at that level or above."""
    order = list(range(len(levels)))
    if not levels:
        return order
    lowest_odd = min(levels) | 1
    for level in range(max(levels), lowest_odd - 1, -1):
        i = 0
        while i < len(order):
            if levels[order[i]] < level:
                i += 1
                continue
            j = i
            while j < len(order) and levels[order[j]] >= level:
                j += 1
            order[i:j] = order[i:j][::-1]
            i = j
    return order
