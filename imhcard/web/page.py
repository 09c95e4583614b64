"""The page's HTML: one Jinja template, autoescaped, filled with the theme's wording,
the page's strings in the supporter's language, their values and any errors."""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from imhcard.core.fields import FIELDS
from imhcard.core.formats import FORMATS
from imhcard.core.supporter import ZOOM_MAX
from imhcard.core.theme import Theme
from imhcard.output.memory import CardBytes
from imhcard.render.encode import IMAGE_TYPES
from imhcard.web.forms import MAX_PHOTO, MB
from imhcard.web.strings import PAGES, count_forms, count_message, page_strings


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


def field_limits(theme: Theme) -> dict[str, int]:
    """The most characters each field takes: the table's limits and the theme's pledge."""
    return {**{f.name: f.max_chars for f in FIELDS if f.max_chars}, "pledge": theme.pledge_max}


def _anchor(field: str, values: Mapping[str, str]) -> str:
    if field == "pledge":
        return "pledge_own" if values.get("pledge_choice", "own") == "own" else "pledge-choice-1"
    if field == "format":
        return "format-1"
    controls = {*(f.option for f in FIELDS), "image_format", "crop_x", "crop_y", "zoom"}
    return field if field in controls and field != "style" else ""


@dataclass(frozen=True)
class OtherLanguage:
    """A link to the page in another of the theme's languages, in that language's words."""

    code: str
    name: str  # what the language calls itself: "Gaeilge"
    label: str  # "Leagan Gaeilge den leathanach seo"


def _other_languages(theme: Theme, lang: str) -> list[OtherLanguage]:
    out = []
    for code in theme.languages:
        if code == lang:
            continue
        own = PAGES.get(code, {})
        names = theme.wording(code).names
        name = own.get("lang_name") or (names[-1] if names else code)
        out.append(OtherLanguage(code, name, own.get("this_page") or name))
    return out


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
    image = None
    if made is not None:
        image = f"data:{made.media_type};base64,{base64.b64encode(made.data).decode('ascii')}"
    return _env().get_template("page.html").render(
        s=s, lang=lang, others=_other_languages(theme, lang),
        theme=theme, words=words, dates=theme.dates_text(lang).replace("\u00a0", " "),
        values=values, errors=page_errors, error_fields={e.field for e in page_errors},
        error_for={e.field: e for e in page_errors},
        # A format the page has no words for is called by its own description.
        formats=[(f, s.get(f"fmt_{f.name}") or f.description) for f in FORMATS.values()],
        image_types=IMAGE_TYPES, made=made, image=image,
        count_forms=count_forms(lang), count_now=count_message(lang, theme.pledge_max),
        limits={**field_limits(theme), "photo_mb": MAX_PHOTO // MB, "zoom": ZOOM_MAX},
        # The supporter's own words the form asks for, by the table (core/fields.py).
        required_fields=[f for f in FIELDS if f.on_card and f.required and f.max_chars],
        optional_fields=[f for f in FIELDS if f.on_card and not f.required and f.max_chars],
    )
