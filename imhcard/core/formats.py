"""The sizes imhcard makes: each social network's canvas and the zones its app draws over."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from imhcard.errors import FormatError


@dataclass(frozen=True)
class Format:
    """A social network's image size, with the zones its app draws over."""

    name: str
    width: int
    height: int
    description: str
    utm_source: str
    safe_top: int = 0
    safe_bottom: int = 0
    print_dpi: int | None = None

    @property
    def scale(self) -> float:
        """Size relative to the 1080-wide card that legibility rules are written for."""
        return self.width / 1080

    @property
    def is_print(self) -> bool:
        return self.print_dpi is not None


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("instagram-square", 1080, 1080, "Instagram and Facebook feed, square", "instagram"),
        Format("instagram-portrait", 1080, 1350, "Instagram feed, 4:5 portrait", "instagram"),
        Format("story", 1080, 1920, "Instagram and Facebook stories, 9:16", "instagram",
               safe_top=250, safe_bottom=340),
        Format("facebook", 1200, 630, "Facebook and link previews, landscape", "facebook"),
        Format("x", 1600, 900, "X (Twitter) post, 16:9", "x"),
        Format("linkedin", 1200, 627, "LinkedIn post, landscape", "linkedin"),
        Format("print-a5", 1748, 2480, "A5 at 300 dpi, PDF to print and sign", "print",
               print_dpi=300),
    )
}


def get_format(name: str) -> Format:
    """The format called `name`, or an error listing the valid ones."""
    try:
        return FORMATS[name]
    except KeyError:
        raise FormatError(
            f"unknown format '{name}'; choose one of: {', '.join(FORMATS)}, or 'all'"
        ) from None


def pick_formats(names: Sequence[str]) -> list[Format]:
    """Formats by name; 'all' (or nothing) means every format."""
    if not names or "all" in names:
        return list(FORMATS.values())
    return [get_format(n) for n in dict.fromkeys(names)]
