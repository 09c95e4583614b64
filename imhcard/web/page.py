"""The page's HTML: one Jinja template, autoescaped, filled with the theme's wording,
the page's strings in the supporter's language, their values and any errors."""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from imhcard.core.formats import FORMATS
from imhcard.core.supporter import HANDLE_MAX, NAME_MAX, ORG_MAX, ZOOM_MAX
from imhcard.core.theme import Theme
from imhcard.output.files import IMAGE_TYPES
from imhcard.output.memory import CardBytes
from imhcard.web.forms import MAX_PHOTO, MB
from imhcard.web.strings import count_forms, count_message, page_strings


@cache
def _env() -> Environment:
    return Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                       autoescape=select_autoescape(default=True), trim_blocks=True,
                       lstrip_blocks=True)


@dataclass(frozen=True)
class PageError:
    field: str
    anchor: str  # the id of the control the error summary links to
    label: str
    message: str


def _anchor(field: str, values: Mapping[str, str]) -> str:
    if field == "pledge":
        return "pledge_own" if values.get("pledge_choice", "own") == "own" else "pledge-choice-1"
    if field == "format":
        return "format-1"
    return field if field in ("name", "org", "handle", "photo", "image_format", "crop_x",
                              "crop_y", "zoom", "lang") else ""


def render_page(theme: Theme, lang: str, values: Mapping[str, str],
                errors: Sequence[tuple[str, str]], made: CardBytes | None) -> str:
    """The whole page; `values` refill the form, `made` is the card just made."""
    s = page_strings(lang)
    words = theme.wording(lang)
    values = dict(values)
    if "pledge" in values and "pledge_choice" not in values:  # a script's field names
        p = values["pledge"].strip()
        values["pledge_choice"] = p if p in words.prompts else "own"
        values.setdefault("pledge_own", "" if p in words.prompts else p)
    page_errors = []
    for field, message in errors:
        anchor = _anchor(field, values)
        label = s.get(field, "") if anchor else ""
        page_errors.append(PageError(field, anchor, label, message))
    other = next(code for code in theme.languages if code != lang) \
        if len(theme.languages) > 1 else None
    image = None
    if made is not None:
        image = f"data:{made.media_type};base64,{base64.b64encode(made.data).decode('ascii')}"
    return _env().get_template("page.html").render(
        s=s, lang=lang, other=other, other_strings=page_strings(other) if other else None,
        theme=theme, words=words, dates=theme.dates_text(lang).replace("\u00a0", " "),
        values=values, errors=page_errors, error_fields={e.field for e in page_errors},
        error_for={e.field: e for e in page_errors},
        formats=list(FORMATS.values()), image_types=IMAGE_TYPES, made=made, image=image,
        count_forms=count_forms(lang), count_now=count_message(lang, theme.pledge_max),
        limits={"name": NAME_MAX, "org": ORG_MAX, "handle": HANDLE_MAX,
                "pledge": theme.pledge_max, "photo_mb": MAX_PHOTO // MB, "zoom": ZOOM_MAX},
    )
