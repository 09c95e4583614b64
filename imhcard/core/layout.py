"""The layout engine: each format's named boxes and typography, as data.

The package defaults live in layouts.yaml beside this module; a theme's `layouts:`
key overrides them per format. Everything here is pure geometry: no pixels.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from typing import Any, Literal

import yaml

from imhcard.core.formats import Format

Align = Literal["left", "center", "right"]
VAlign = Literal["top", "middle", "bottom"]
FontRole = Literal["display", "body", "body_bold"]
# The fonts a layout's text may be in; a theme gives a file for each (theme.fonts).
FONT_ROLES: tuple[FontRole, ...] = ("display", "body", "body_bold")

TEXT_ELEMENTS = (
    "wordmark", "title", "dates", "intro", "pledge", "name", "org", "qr_label", "hashtag",
    "signature",
)
FILL_ELEMENTS = ("panel", "band", "chip")
PICTURE_ELEMENTS = ("art", "logo", "photo", "qr")
ELEMENTS = FILL_ELEMENTS + PICTURE_ELEMENTS + TEXT_ELEMENTS
# What must stay clear of a story's overlays: everything a reader needs.
IMPORTANT = ("logo", "wordmark", "title", "dates", "intro", "pledge", "photo", "name", "org",
             "qr", "qr_label", "hashtag")
# The two card styles. "text": the pledge on the theme's colours, the photo (if any)
# in its own box. "photo": the supporter's photo fills the card and the words sit on
# a band in the theme's colours; its layouts are named "<format>@photo".
STYLES = ("text", "photo")
PHOTO_SUFFIX = "@photo"
# In the photo style the photo box is the backdrop, under everything else.
BACKDROP = "photo"


def layout_name(fmt_name: str, style: str = "text") -> str:
    """The key of a format's layout in layouts.yaml and a theme's `layouts:`."""
    return fmt_name + PHOTO_SUFFIX if style == "photo" else fmt_name


@dataclass(frozen=True)
class Box:
    x: int
    y: int
    w: int
    h: int

    @property
    def right(self) -> int:
        return self.x + self.w

    @property
    def bottom(self) -> int:
        return self.y + self.h

    def overlaps(self, other: Box) -> bool:
        return (self.x < other.right and other.x < self.right
                and self.y < other.bottom and other.y < self.bottom)

    def scaled(self, factor: float) -> Box:
        return Box(round(self.x * factor), round(self.y * factor),
                   round(self.w * factor), round(self.h * factor))


@dataclass(frozen=True)
class Element:
    """One named box of a layout and how its content is drawn."""

    name: str
    box: Box
    fill: str | None = None
    font: FontRole = "body"
    size: int = 32
    min_size: int = 28
    colour: str = "text"
    align: Align = "left"
    valign: VAlign = "top"
    max_lines: int = 1
    line_height: float = 1.18
    hidden: bool = False
    shape: Literal["circle", "rounded", "square"] = "circle"


Layout = Mapping[str, Element]


@cache
def default_layout_data() -> dict[str, Any]:
    text = resources.files("imhcard.core").joinpath("layouts.yaml").read_text(encoding="utf-8")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when there
    data: dict[str, Any] = yaml.load(text, Loader=loader)
    return data


def _element(name: str, raw: Mapping[str, Any], factor: float = 1.0) -> Element:
    values = dict(raw)
    box = Box(*values.pop("box"))
    element = Element(name=name, box=box.scaled(factor), **values)
    if factor != 1.0:
        element = replace(element, size=round(element.size * factor),
                          min_size=round(element.min_size * factor))
    return element


def _merge(base: Element, raw: Mapping[str, Any]) -> Element:
    values = dict(raw)
    if "box" in values:
        values["box"] = Box(*values["box"])
    return replace(base, **values)


def build_layout(fmt: Format, overrides: Mapping[str, Any] | None = None,
                 style: str = "text") -> dict[str, Element]:
    """The layout of `fmt` in `style`: the package defaults with a theme's overrides
    (for that format and style) on top."""
    data = default_layout_data()

    def resolve(name: str) -> dict[str, Element]:
        raw = data[name]
        elements: dict[str, Element] = {}
        if "from" in raw:
            factor = float(raw.get("scale", 1.0))
            parent_raw = data[raw["from"]]
            parent = resolve(raw["from"])
            for key, el in parent.items():
                # Re-scale from the parent's raw numbers so rounding does not compound.
                src = parent_raw.get(key)
                elements[key] = (_element(key, {**src}, factor) if isinstance(src, dict)
                                 and "box" in src and "from" not in parent_raw
                                 else replace(el, box=el.box.scaled(factor)))
        for key, value in raw.items():
            if key in ("from", "scale"):
                continue
            if key in elements:
                elements[key] = _merge(elements[key], value)
            else:
                elements[key] = _element(key, value)
        return elements

    layout = resolve(layout_name(fmt.name, style))
    for key, value in (overrides or {}).items():
        if key in layout:
            layout[key] = _merge(layout[key], value)
        elif "box" in value:
            layout[key] = _element(key, value)
    return {k: v for k, v in layout.items() if not v.hidden}
