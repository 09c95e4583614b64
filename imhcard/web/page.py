"""The page's HTML: one Jinja template, autoescaped, filled with the theme's wording,
the page's strings in the supporter's language, their values and any errors."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from imhcard.core.fields import FIELDS
from imhcard.core.formats import FORMATS
from imhcard.core.limits import IMAGE_MAX_PIXELS, MIB, PAGE_PHOTO_MAX_BYTES
from imhcard.core.messages import render
from imhcard.core.supporter import ZOOM_MAX
from imhcard.core.theme import Theme
from imhcard.output.memory import CardBytes
from imhcard.output.placing import photo_windows
from imhcard.render.framing import FACE_BIAS
from imhcard.web.photo_jobs import Kept
from imhcard.web.strings import PAGES, count_forms, count_message, page_strings

# The most the page's copy of a photo may weigh (page.js lowers its quality to fit):
# sent once on a 750 kbit/s upload it takes about two seconds, so a card with a
# 12-megapixel photo is made and back on the phone within six (bench/page_bench.py).
COPY_BYTES = 200_000
# The longest wait the page says in words; a longer one is said as this.
WAITS = 10
# The browsers inside social apps, where a download link does nothing: Instagram,
# Facebook (FBAN/FBAV on iOS and Android, FB_IAB), Messenger, TikTok (musical_ly,
# BytedanceWebview), Snapchat, LinkedIn, Pinterest and X's.
IN_APP = re.compile(r"Instagram|FBAN|FBAV|FB_IAB|FBIOS|Messenger|musical_ly|Bytedance|"
                    r"TikTok|Snapchat|LinkedInApp|Pinterest|Twitter", re.IGNORECASE)
# What each in-app browser is called in its hint ("... inside Instagram").
APP_NAMES = (("Instagram", "Instagram"), ("Messenger", "Messenger"), ("FB", "Facebook"),
             ("musical_ly", "TikTok"), ("Bytedance", "TikTok"), ("TikTok", "TikTok"),
             ("Snapchat", "Snapchat"), ("LinkedIn", "LinkedIn"), ("Pinterest", "Pinterest"),
             ("Twitter", "X"))


def in_app_browser(user_agent: str) -> str:
    """The app whose built-in browser this is ("Instagram"), or "" for a phone's own
    browser."""
    if not IN_APP.search(user_agent):
        return ""
    for marker, name in APP_NAMES:
        if marker.lower() in user_agent.lower():
            return name
    return "app"


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


@dataclass
class PageState:
    """What one page shows: its language, the form's values, errors, the card just
    made, the photo kept from the last post, and the in-app browser it is open in."""

    lang: str
    values: Mapping[str, str] = field(default_factory=dict)
    errors: list[tuple[str, str]] = field(default_factory=list)
    made: CardBytes | None = None
    kept: Kept | None = None
    in_app: str = ""


def field_limits(theme: Theme) -> dict[str, int]:
    """The most characters each field takes: the table's limits and the theme's pledge."""
    return {**{f.name: f.max_chars for f in FIELDS if f.max_chars}, "pledge": theme.pledge_max}


def _anchor(field: str, values: Mapping[str, str]) -> str:
    if field == "pledge":
        return "pledge_own" if values.get("pledge_choice", "own") == "own" else "pledge-choice-1"
    if field == "crop_x" or field == "crop_y" or field == "zoom":
        return field
    controls = {*(f.option for f in FIELDS), "image_format", "format"}
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


def _data_url(media_type: str, data: bytes) -> str:
    return f"data:{media_type};base64,{base64.b64encode(data).decode('ascii')}"


def _messages(lang: str) -> dict[str, str | list[str]]:
    """The supporter's messages the page's script may need, in the page's language
    (core/messages.py), with the photo's megapixels left as {megapixels} to fill."""
    out: dict[str, str | list[str]] = {
        "photo_over_size": render("photo_over_size", lang, {"field": "photo",
                                                             "mb": PAGE_PHOTO_MAX_BYTES // MIB}),
        "photo_too_many_pixels": render("photo_too_many_pixels", lang, {
            "field": "photo", "megapixels": "{megapixels}",
            "max": IMAGE_MAX_PIXELS // 1_000_000}),
        "photo_unreadable": render("photo_unreadable", lang, {"field": "photo"}),
        "offline": render("offline", lang, {}),
    }
    # A count is said with the number's own grammar (core/messages.py): the waits the
    # server asks for (Retry-After) are said ready-made, from 1 to WAITS seconds.
    for code in ("busy", "preview_busy"):
        out[code] = [render(code, lang, {"seconds": n}) for n in range(1, WAITS + 1)]
    return out


def _script_data(theme: Theme, lang: str, s: Mapping[str, str]) -> str:
    """Everything page.js needs that the markup does not say, as one JSON attribute."""
    words = ("copied", "making", "made", "made_without_photo", "shared", "error_prefix",
             "download", "photo_reading", "photo_sending", "photo_placing", "photo_small",
             "sending", "receiving", "stale",
             "preview_name", "preview_alt", "caption_ready", "preview_error", "kept_alt")
    return json.dumps({
        "words": {k: s[k] for k in words}, "messages": _messages(lang),
        "counts": count_forms(lang),
        "pledge_max": theme.pledge_max, "photo_max": PAGE_PHOTO_MAX_BYTES,
        "photo_pixels": IMAGE_MAX_PIXELS, "zoom_max": ZOOM_MAX,
        "windows": photo_windows(theme), "face_bias": FACE_BIAS, "copy_bytes": COPY_BYTES,
    }, ensure_ascii=False, separators=(",", ":"))


def render_page(theme: Theme, state: PageState) -> str:
    """The whole page for `state`: the form refilled, the errors, the card just made."""
    lang = state.lang
    s = page_strings(lang)
    words = theme.wording(lang)
    values = dict(state.values)
    if "pledge" in values and "pledge_choice" not in values:  # a script's field names
        p = values["pledge"].strip()
        values["pledge_choice"] = p if p in words.prompts else "own"
        values.setdefault("pledge_own", "" if p in words.prompts else p)
    page_errors = []
    for name, text in state.errors:
        anchor = _anchor(name, values)
        label = s.get(name, "") if anchor else ""
        page_errors.append(PageError(name, anchor, label, text))
    made = state.made
    image = _data_url(made.media_type, made.data) if made is not None else None
    kept = state.kept
    context: dict[str, Any] = {
        "s": s, "lang": lang, "others": _other_languages(theme, lang),
        "theme": theme, "words": words, "dates": theme.dates_text(lang).replace("\u00a0", " "),
        "values": values, "errors": page_errors,
        "error_fields": {e.field for e in page_errors},
        "error_for": {e.field: e for e in page_errors},
        # A format the page has no words for is called by its own description.
        "formats": [(f, s.get(f"fmt_{f.name}") or f.description) for f in FORMATS.values()],
        "image_types": ("auto", "png", "jpeg", "webp"), "made": made, "image": image,
        "kept": base64.b64encode(kept.copy).decode("ascii") if kept else "",
        "kept_thumbnail": _data_url("image/jpeg", kept.thumbnail) if kept else "",
        "in_app": state.in_app,
        "limits": {**field_limits(theme), "photo_mb": PAGE_PHOTO_MAX_BYTES // MIB,
                   "zoom": ZOOM_MAX},
        "script_data": _script_data(theme, lang, s),
        "count_now": count_message(lang, theme.pledge_max),
        # The supporter's own words the form asks for, by the table (core/fields.py).
        "required_fields": [f for f in FIELDS if f.on_card and f.required and f.max_chars],
        "optional_fields": [f for f in FIELDS if f.on_card and not f.required and f.max_chars],
    }
    return _env().get_template("page.html").render(**context)
