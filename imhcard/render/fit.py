"""Fitting text into a box: the largest size, from a maximum down to a legible
minimum, at which the text wraps at word boundaries into balanced lines that
fit. Pure geometry: no drawing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from imhcard.core.messages import problem
from imhcard.errors import FitError
from imhcard.render.bidi import paragraph_rtl
from imhcard.render.fonts import (
    FontChain,
    breaks_inside,
    graphemes,
    pil_font,
    run_width,
    split_runs,
)

# A wrap candidate is a word plus whether a space stands before it.
Token = tuple[str, bool]


@dataclass(frozen=True)
class FittedText:
    """Lines of text at one size, how tall each line is, and which way the text reads."""

    lines: tuple[str, ...]
    widths: tuple[float, ...]
    size: int
    line_height: int
    ascent: int
    descent: int
    rtl: bool = False  # the paragraph's direction, from its first letter

    @property
    def height(self) -> int:
        return self.line_height * len(self.lines)

    @property
    def width(self) -> float:
        return max(self.widths, default=0.0)


@lru_cache(maxsize=65536)
def text_width(text: str, chain: FontChain, size: int, field: str = "text",
               rtl: bool | None = None) -> float:
    """Width in pixels of one line of text drawn through the chain at `size`, in a
    paragraph reading right to left if `rtl` (None: the line's own direction)."""
    return sum(run_width(run, size) for run in split_runs(text, chain, field, rtl))


def tokenize(text: str) -> list[Token]:
    """Words, with ideographs split so Chinese and Japanese can wrap between characters."""
    tokens: list[Token] = []
    for word in text.split(" "):
        if not word:
            continue
        if not breaks_inside(word):
            tokens.append((word, bool(tokens)))
            continue
        current, space = "", bool(tokens)
        for g in graphemes(word):
            cjk = breaks_inside(g)
            # Closing punctuation stays with the character before it.
            closing = g in "，。、！？；：）」』】》〉,.!?;:)"
            if current and (cjk or breaks_inside(current[-1])) and not closing:
                tokens.append((current, space))
                current, space = "", False
            current += g
        if current:
            tokens.append((current, space))
    return tokens


def _split_long(token: Token, chain: FontChain, size: int, limit: float,
                field: str) -> list[Token]:
    """A word wider than the box, broken between characters; nothing is dropped."""
    word, space = token
    pieces: list[Token] = []
    current = ""
    for g in graphemes(word):
        if current and text_width(current + g, chain, size, field) > limit:
            pieces.append((current, space if not pieces else False))
            current = ""
        current += g
    pieces.append((current, space if not pieces else False))
    return pieces


def _wrap(tokens: list[Token], widths: list[float], space: float, limit: float) -> list[int]:
    """Greedy wrap by summed widths; returns the index where each line starts."""
    starts = [0]
    line = 0.0
    for i, (w, (_, sp)) in enumerate(zip(widths, tokens, strict=True)):
        add = w + (space if sp and i != starts[-1] else 0.0)
        if i != starts[-1] and line + add > limit:
            starts.append(i)
            line = w
        else:
            line += add
    return starts


def _lines(tokens: list[Token], starts: list[int]) -> list[str]:
    out = []
    for a, b in zip(starts, [*starts[1:], len(tokens)], strict=True):
        out.append("".join((" " if sp and i != a else "") + t
                           for i, (t, sp) in enumerate(tokens[a:b], start=a)))
    return out


def _attempt(text: str, chain: FontChain, size: int, box_w: int, box_h: int, max_lines: int,
             line_height: float, field: str) -> tuple[list[str], list[float]] | int:
    """Lines that fit at `size`, or the number of lines the text would need.
    A newline in `text` is a hard break; each paragraph is wrapped on its own."""
    space = text_width(" ", chain, size, field)
    paragraphs: list[tuple[list[Token], list[float], list[int]]] = []
    for paragraph in text.split("\n"):
        tokens: list[Token] = []
        for tok in tokenize(paragraph):
            if text_width(tok[0], chain, size, field) > box_w:
                tokens += _split_long(tok, chain, size, box_w, field)
            else:
                tokens.append(tok)
        widths = [text_width(t, chain, size, field) for t, _ in tokens]
        paragraphs.append((tokens, widths, _wrap(tokens, widths, space, box_w)))
    needed = sum(len(starts) for _, _, starts in paragraphs)
    allowed = min(max_lines, box_h // max(1, round(size * line_height)))
    if needed > allowed:
        return needed
    lines: list[str] = []
    for tokens, widths, starts in paragraphs:
        # Balance: the narrowest width that still needs no more lines, so a two-line
        # pledge reads as two even lines, not one long line and an orphan.
        lo, hi = max(widths, default=0.0), float(box_w)
        for _ in range(12):
            mid = (lo + hi) / 2
            if len(_wrap(tokens, widths, space, mid)) <= len(starts):
                hi = mid
            else:
                lo = mid
        lines += _lines(tokens, _wrap(tokens, widths, space, hi))
    # Measured as drawn: runs split at the paragraph's bidi levels.
    rtl = paragraph_rtl(text.replace("\n", " "))
    exact = [text_width(line, chain, size, field, rtl) for line in lines]
    if max(exact, default=0.0) > box_w:
        return len(lines) + 1
    return lines, exact


def _longest_fitting_prefix(text: str, fits: Callable[[str], bool]) -> int:
    """How many characters of `text` fit, found by bisection over grapheme clusters,
    so the advice "shorten it by N" is measured, not guessed."""
    clusters = graphemes(text)
    lo, hi = 0, len(clusters) - 1  # the whole text is known not to fit
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if fits("".join(clusters[:mid]).rstrip()):
            lo = mid
        else:
            hi = mid - 1
    return len("".join(clusters[:lo]))


def fit_text(text: str, chain: FontChain, box_w: int, box_h: int, max_size: int, min_size: int,
             max_lines: int = 1, line_height: float = 1.18, field: str = "text",
             where: str = "") -> FittedText:
    """Fit `text` in a box: largest size from max_size down to min_size. Never truncates:
    raises FitError saying how much to shorten the text when even min_size is too big."""
    min_size = min(min_size, max_size)

    def result(size: int, lines: list[str], widths: list[float]) -> FittedText:
        ascent, descent = pil_font(chain.faces[0].path, size).getmetrics()
        return FittedText(tuple(lines), tuple(widths), size,
                          max(1, round(size * line_height)), ascent, descent,
                          paragraph_rtl(text.replace("\n", " ")))

    def fits(candidate: str) -> bool:
        return not isinstance(_attempt(candidate, chain, min_size, box_w, box_h, max_lines,
                                       line_height, field), int)

    smallest = _attempt(text, chain, min_size, box_w, box_h, max_lines, line_height, field)
    if isinstance(smallest, int):
        allowed = min(max_lines, box_h // max(1, round(min_size * line_height)))
        cut = len(text) - _longest_fitting_prefix(text, fits)
        place = f" on the {where} card" if where else ""
        raise problem(FitError, field, "does_not_fit", place=place, size=min_size,
                      lines=smallest, room=allowed, cut=cut)
    lo, hi, best = min_size, max_size, (min_size, smallest)
    while lo < hi:  # largest size that fits, by bisection (fitting is monotone in size)
        mid = (lo + hi + 1) // 2
        got = _attempt(text, chain, mid, box_w, box_h, max_lines, line_height, field)
        if isinstance(got, int):
            hi = mid - 1
        else:
            lo, best = mid, (mid, got)
    if best[0] != lo:
        got = _attempt(text, chain, lo, box_w, box_h, max_lines, line_height, field)
        assert not isinstance(got, int)
        best = (lo, got)
    size, (lines, widths) = best
    return result(size, lines, widths)
