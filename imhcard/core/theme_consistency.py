"""The checks between a theme's keys (dates in order, colour contrast, months and prompts
in every language) and of its layouts' geometry. Each rule runs only where the keys it
reads are themselves valid, so one run reports everything."""

from __future__ import annotations

from typing import Any

from imhcard.core import theme_values as check
from imhcard.core.colour import contrast, parse_colour
from imhcard.core.formats import FORMATS
from imhcard.core.layout import BACKDROP, IMPORTANT, STYLES, build_layout, layout_name
from imhcard.core.theme_rules import COLOURS, CONTRAST_PAIRS, MONTHS


def cross_checks(data: Any) -> list[tuple[tuple[str, ...], str]]:
    """Rules between keys. Each rule runs only where the keys it reads are themselves
    valid (their own problems are already reported), so one run reports everything."""
    out: list[tuple[tuple[str, ...], str]] = []
    if not isinstance(data, dict):
        return out
    week = data.get("week")
    if isinstance(week, dict) and not check.date(week.get("start")) \
            and not check.date(week.get("end")) and week["end"] < week["start"]:
        out.append((("week", "end"), f"the week ends ({week['end']}) before it starts "
                                     f"({week['start']})"))
    raw = data.get("colours")
    if isinstance(raw, dict):
        colours = {k: parse_colour(v) for k, v in raw.items()
                   if k in COLOURS and isinstance(v, str) and not check.colour(v)}
        for fg, bg, need, what in CONTRAST_PAIRS:
            if fg in colours and bg in colours:
                ratio = contrast(colours[fg], colours[bg])
                if ratio < need:
                    out.append((("colours", fg), f"{raw[fg]} on {bg} {raw[bg]} has contrast "
                                f"{ratio:.2f}:1, below the {need}:1 WCAG AA needs for {what}; "
                                "darken or lighten one of them"))
        if "text" in colours and contrast(colours["text"], (255, 255, 255)) < 7:
            out.append((("colours", "text"), "the text colour is drawn as the QR code's dark "
                        "modules on white and needs contrast 7:1 or more to scan reliably"))
    langs = data.get("languages")
    if not isinstance(langs, dict) or not all(isinstance(w, dict) for w in langs.values()):
        return out
    default = data.get("default_language", "en")
    if not isinstance(default, str):
        return out  # the schema has said what is wrong with it
    if default not in langs:
        out.append((("default_language",), f"'{default}' has no wording under languages; "
                    f"defined: {', '.join(map(str, langs))}"))
        return out
    ids = set(langs[default].get("prompts") or {})
    for code, words in langs.items():
        if code not in MONTHS and "months" not in words:
            out.append((("languages", code, "months"), "missing; give the twelve month "
                        "names for this language"))
        elif isinstance(words.get("months"), list) and len(words["months"]) != 12:
            out.append((("languages", code, "months"),
                        f"expected 12 month names, found {len(words['months'])}"))
        prompts = words.get("prompts")
        if isinstance(prompts, dict) and set(prompts) != ids:
            missing = sorted(ids - set(prompts))
            extra = sorted(set(prompts) - ids)
            out.append((("languages", code, "prompts"), "the prompts differ from "
                        f"'{default}': missing {missing or 'none'}, extra {extra or 'none'}"))
    return out


# What every card must show, in both styles (the photo style carries the year's title
# on the photo, with the week); a theme may move these boxes but not hide them.
REQUIRED_ELEMENTS = ("title", "dates", "intro", "pledge", "name", "org", "hashtag", "qr")


def layout_checks(data: dict[str, Any]) -> list[tuple[tuple[str, ...], str]]:
    """Geometry of the layouts as the theme overrides them: every box on the canvas,
    clear of a story's app buttons, required boxes shown, readable boxes apart."""
    out: list[tuple[tuple[str, ...], str]] = []
    overrides = data.get("layouts") or {}
    for fmt_name, fmt in FORMATS.items():
        for style in STYLES:
            name = layout_name(fmt_name, style)
            own = overrides.get(name) or {}
            if not own:
                continue  # the package's own layouts are checked by its tests, not per run
            required = REQUIRED_ELEMENTS
            # In the photo style the photo is the backdrop: under everything, by design.
            important = tuple(k for k in IMPORTANT if style == "text" or k != BACKDROP)
            out += _check_layout(fmt, name, own, build_layout(fmt, own, style), required,
                                 important)
    return out


def _check_layout(fmt: Any, name: str, own: dict[str, Any], layout: dict[str, Any],
                  required: tuple[str, ...],
                  important: tuple[str, ...]) -> list[tuple[tuple[str, ...], str]]:
    out: list[tuple[tuple[str, ...], str]] = []
    for key in required:
        if (own.get(key) or {}).get("hidden"):
            out.append((("layouts", name, key, "hidden"),
                        f"the {key} cannot be hidden: every card shows it"))
    for key, el in layout.items():
        b, path = el.box, ("layouts", name, key)
        if b.x < 0 or b.y < 0 or b.right > fmt.width or b.bottom > fmt.height:
            out.append((path, f"the box [{b.x}, {b.y}, {b.w}, {b.h}] reaches past the "
                        f"{fmt.width}×{fmt.height} card"))
        elif key in important and (b.y < fmt.safe_top
                                   or b.bottom > fmt.height - fmt.safe_bottom):
            out.append((path, f"the box [{b.x}, {b.y}, {b.w}, {b.h}] is under the app's "
                        f"buttons; keep it between y={fmt.safe_top} and "
                        f"y={fmt.height - fmt.safe_bottom}"))
    keys = [k for k in layout if k in important]
    for i, a in enumerate(keys):
        for b_key in keys[i + 1:]:
            if (a in own or b_key in own) and layout[a].box.overlaps(layout[b_key].box):
                moved = a if a in own else b_key
                other = b_key if moved == a else a
                out.append((("layouts", name, moved), f"the {moved} box overlaps the "
                            f"{other} box; move one of them"))
    return out
