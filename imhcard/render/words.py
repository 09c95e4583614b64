"""Fitting a supporter's own words: the card's style, the name, organisation and
pledge fitted in their boxes, and the room a long name or organisation takes."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import replace

from imhcard.core.fields import drawn_in
from imhcard.core.formats import Format
from imhcard.core.layout import FONT_ROLES, Element
from imhcard.core.messages import problem
from imhcard.core.supporter import CardText
from imhcard.core.theme import Theme
from imhcard.errors import FitError
from imhcard.render.draw import chain_for, fit_in
from imhcard.render.fit import FittedText
from imhcard.render.fonts import FontChain
from imhcard.render.static import layout_for


def card_style(theme: Theme, pledge: CardText, fmt: Format, has_photo: bool) -> tuple[str, str]:
    """The style a card is drawn in, and a note when it is not the one asked for: the
    supporter's choice, else the theme's for the format; the photo style needs a photo."""
    style = pledge.style or theme.style_for(fmt.name)
    if style == "photo" and not has_photo:
        note = ("the photo style needs a photo; this card uses the text style"
                if pledge.style == "photo" else "")
        return "text", note
    return style, ""

def _fit_growing(text: str, el: Element, chain: FontChain, field: str,
                 fmt: Format) -> FittedText:
    """Fit in the designed box; a long name or organisation may take more lines
    (up to max_lines at the smallest size) rather than ever being cut."""
    try:
        return fit_in(text, el, chain, field, fmt)
    except FitError:
        tall = math.ceil(el.max_lines * round(el.min_size * el.line_height))
        if tall <= el.box.h:
            raise
        return fit_in(text, replace(el, box=replace(el.box, h=tall)), chain, field, fmt)


def _beside_name(layout: Mapping[str, Element]) -> bool:
    """Whether the photo sits in the name's row (a theme may put it there), rather
    than in place of the artwork or behind the card as in the shipped layouts."""
    if "photo" not in layout or "name" not in layout:
        return False
    ph, nb = layout["photo"].box, layout["name"].box
    return ph.y < nb.bottom and nb.y < ph.bottom and ph.h < 2 * nb.h + 1 and not ph.overlaps(nb)


def _person_layout(layout: dict[str, Element], has_photo: bool) -> dict[str, Element]:
    """Without a photo beside the name, what stood to its right moves left into its place."""
    out = dict(layout)
    if has_photo or not _beside_name(layout):
        return out
    ph = layout["photo"].box
    for key in ("name", "org"):
        el = layout.get(key)
        if el is None or el.box.x < ph.right or not (el.box.y < ph.bottom
                                                      and ph.y < el.box.bottom):
            continue
        out[key] = replace(el, box=replace(el.box, x=ph.x, w=el.box.w + el.box.x - ph.x))
    return out


def _grow_upwards(layout: dict[str, Element], name: FittedText,
                  org: FittedText | None) -> dict[str, Element]:
    """Make room for a name or organisation that needed more lines than its box.

    The photo, name and organisation move up together by the extra height, and
    the pledge's box gives that height up, so nothing overlaps."""
    extra_name = max(0, name.height - layout["name"].box.h)
    extra_org = max(0, org.height - layout["org"].box.h) if org and "org" in layout else 0
    extra = extra_name + extra_org
    if not extra:
        return layout
    out = dict(layout)

    def move(key: str, dy: int, dh: int = 0) -> None:
        el = out[key]
        out[key] = replace(el, box=replace(el.box, y=el.box.y + dy, h=el.box.h + dh))

    name_box = layout["name"].box
    # The photo moves with the name only when it sits beside it (not in place of the
    # artwork, nor as the backdrop of the photo style).
    beside = _beside_name(layout)
    row = ("photo", "name", "org") if beside else ("name", "org")
    for key in row:
        if key in out:
            move(key, -extra)
    move("name", 0, extra_name)
    if "org" in out:
        if out["org"].box.y >= name_box.bottom - extra:  # org sits under the name
            move("org", extra_name, extra_org)
        else:
            move("org", 0, extra_org)
    if beside:
        # Keep the photo centred on the name beside it.
        ph, nb = out["photo"].box, out["name"].box
        out["photo"] = replace(out["photo"], box=replace(ph, y=nb.y + (nb.h - ph.h) // 2))
    pledge = out["pledge"].box
    top = min(out[k].box.y for k in row if k in out)
    out["pledge"] = replace(out["pledge"], box=replace(
        pledge, h=min(pledge.h, top - pledge.y - 16)))
    return out


def fit_card(theme: Theme, pledge: CardText, fmt: Format, has_photo: bool) -> None:
    """Fit a card's words without drawing anything: raises the FitError or GlyphError
    render_card would (a batch's --check uses this)."""
    style, _ = card_style(theme, pledge, fmt, has_photo)
    fitted(theme, pledge, fmt, has_photo, style)


def line_of(text: CardText, element: str) -> str:
    """What a box of the card says: every field drawn in it (core/fields.py), in the
    table's order, joined by a middle dot: "Sure Start Newry · @aoife"."""
    return " · ".join(part for f in drawn_in(element) if (part := getattr(text, f.name)))


def fitted(theme: Theme, pledge: CardText, fmt: Format, has_photo: bool, style: str
            ) -> tuple[dict[str, Element], list[tuple[str, FittedText]]]:
    """The layout as the supporter's words need it, and each text element fitted."""
    layout = _person_layout(layout_for(theme, fmt, style), has_photo)
    # Fit everything before drawing anything, so a failure costs no pixels. The
    # name (never cut) is fitted first; the pledge takes the room that is left.
    chain = {role: chain_for(theme, role) for role in FONT_ROLES}
    name_fit = _fit_growing(line_of(pledge, "name"), layout["name"],
                            chain[layout["name"].font], "name", fmt)
    # The organisation's line also carries the supporter's handle, so people can find them.
    org_line = line_of(pledge, "org")
    org_fit = (_fit_growing(org_line, layout["org"], chain[layout["org"].font], "org", fmt)
               if org_line and "org" in layout else None)
    designed = layout["pledge"].box
    layout = _grow_upwards(layout, name_fit, org_fit)
    pledge_el = layout["pledge"]
    try:
        pledge_fit = fit_in(pledge.pledge, pledge_el, chain[pledge_el.font], "pledge", fmt)
    except FitError as exc:
        if pledge_el.box == designed:
            raise
        raise problem(FitError, "pledge", "does_not_fit_crowded", **{
            k: v for k, v in exc.values.items() if k != "field"}) from None
    drawn = [("pledge", pledge_fit), ("name", name_fit)]
    if org_fit is not None:
        drawn.append(("org", org_fit))
    return layout, drawn
