"""What a value of a theme key may be: each check takes the value and returns None, or a
sentence saying what is allowed. The schema (theme_rules.py) names the check of every key."""

from __future__ import annotations

import datetime as dt
import re
import string
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from imhcard.bundled import assets_dir
from imhcard.core.colour import parse_colour
from imhcard.core.fields import PRINTED
from imhcard.core.formats import FORMATS
from imhcard.core.images import open_image
from imhcard.core.layout import PHOTO_SUFFIX
from imhcard.core.limits import CAMPAIGN_URL_MAX, THEME_TEXT_MAX
from imhcard.core.safe_files import check_font
from imhcard.core.validate import describe
from imhcard.errors import MissingFile, RefusedFile

# What alt text and caption templates may say: the supporter's printed fields, and the
# theme's and the card's own.
TEMPLATE_FIELDS = (*(f.name for f in PRINTED), "by", "title", "tagline", "week_name",
                   "dates", "hashtag", "hashtags", "accounts", "url", "year", "photo", "layout")
# What the e-mail's wording (mail_subject, mail_greeting, mail_body) may use: no pledge
# or photo; the cards and their words follow the body.
MAIL_FIELDS = ("name", "title", "tagline", "week_name", "dates", "hashtag", "hashtags", "url",
               "year")
_SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
_LANG = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]+)?")



def too_long(value: str) -> str | None:
    if len(value) > THEME_TEXT_MAX:
        return (f"the text is {len(value):,} characters; the limit for any text in a theme is "
                f"{THEME_TEXT_MAX:,}")
    return None


def text(value: Any) -> str | None:
    if isinstance(value, str) and value.strip():
        return too_long(value)
    return f"expected some text, found {describe(value)}"


def optional_text(value: Any) -> str | None:
    return too_long(value) if isinstance(value, str) else \
        f"expected text, found {describe(value)}"


def int_between(lo: int, hi: int) -> Any:
    def check(value: Any) -> str | None:
        if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
            return f"expected a whole number from {lo} to {hi}, found {describe(value)}"
        return None

    return check


def number_between(lo: float, hi: float) -> Any:
    def check(value: Any) -> str | None:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not lo <= value <= hi:
            return f"expected a number from {lo} to {hi}, found {describe(value)}"
        return None

    return check


def date(value: Any) -> str | None:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return None
    return f"expected a date written YYYY-MM-DD, found {describe(value)}"


def colour(value: Any) -> str | None:
    try:
        parse_colour(value if isinstance(value, str) else "")
    except ValueError:
        return f"expected a colour written like \"#0F5C5A\", found {describe(value)}"
    return None


def url(value: Any) -> str | None:
    if not isinstance(value, str):
        return f"expected a web address, found {describe(value)}"
    if len(value.strip()) > CAMPAIGN_URL_MAX:
        return (f"the web address is {len(value.strip()):,} characters; the limit is "
                f"{CAMPAIGN_URL_MAX:,}: no QR code can hold a longer one")
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return f"expected a web address starting https:// (or http://), found {describe(value)}"
    return None


def one_of(*choices: str) -> Any:
    def check(value: Any) -> str | None:
        if value in choices:
            return None
        return f"expected one of {', '.join(choices)}; found {describe(value)}"

    return check


def list_of(item: Any) -> Any:
    def check(value: Any) -> str | None:
        if not isinstance(value, list):
            return f"expected a list, found {describe(value)}"
        for i, v in enumerate(value):
            if err := item(v):
                return f"item {i + 1}: {err}"
        return None

    return check


def hashtag(value: Any) -> str | None:
    if isinstance(value, str) and re.fullmatch(r"#\w+", value):
        return None
    return f"expected a hashtag like \"#StrongerFromTheStart\" (no spaces), found {describe(value)}"


def file(base: Path, kinds: str) -> Any:
    # A theme may use files in its own folder (and below) and the bundled assets
    # (the shipped themes say ../assets/...), nothing else: not ../../etc/passwd.
    roots = (base, assets_dir())

    def check(value: Any) -> str | None:
        if not isinstance(value, str) or not value.strip():
            return f"expected the path of a {kinds} file, relative to the theme file"
        path = base / value
        try:
            if "font" in kinds:
                check_font(path, "font", roots)
            else:
                open_image(path, "image", roots, max_side=256)
        except MissingFile:
            return (f"no file at '{value}' (looked in {base / value}); paths are relative "
                    f"to the theme file")
        except RefusedFile as exc:
            return str(exc)
        return None

    return check


def _template_of(allowed: tuple[str, ...], where: str) -> Any:
    """A check of a template's text: balanced braces, and only the `allowed` placeholders."""

    def check(value: Any) -> str | None:
        if err := text(value):
            return err
        try:
            names = [f for _, f, _, _ in string.Formatter().parse(value) if f is not None]
        except ValueError as exc:
            return f"a template with unbalanced braces ({exc}); write {{{{ for a literal brace"
        unknown = [n for n in names if n not in allowed]
        if unknown:
            return (f"unknown placeholder {{{unknown[0]}}}; allowed{where}: "
                    + ", ".join(f"{{{f}}}" for f in allowed))
        return None

    return check


# The alt text's and caption's templates, and the e-mail's (MAIL_FIELDS only).
template = _template_of(TEMPLATE_FIELDS, "")
mail_template = _template_of(MAIL_FIELDS, " in the e-mail")


def box(value: Any) -> str | None:
    if (isinstance(value, list) and len(value) == 4
            and all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in value)
            and value[2] > 0 and value[3] > 0):
        return None
    return f"expected [x, y, width, height] in whole pixels, found {describe(value)}"


def draft(value: Any) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, dict):
        unknown = sorted(set(map(str, value)) - {"reason", "placeholders"})
        if unknown:
            return f"unknown key '{unknown[0]}'; allowed: reason, placeholders"
        if "reason" in value and text(value["reason"]):
            return "reason: expected some text saying why the theme is not final"
        held = value.get("placeholders", [])
        if not isinstance(held, list) or not all(
                isinstance(k, str) and re.fullmatch(r"languages\.[a-z-]+\.\w+", k) for k in held):
            return ("placeholders: expected a list of wording keys like languages.en.title, "
                    f"found {describe(held)}")
        return None
    return ("expected true, false, or a mapping with `reason:` and `placeholders:`, found "
            f"{describe(value)}")


def slug(key: str) -> str | None:
    if _SLUG.fullmatch(key):
        return None
    return f"a prompt id is lower-case letters, digits and hyphens (like speak-up), found '{key}'"


def lang_key(key: str) -> str | None:
    if _LANG.fullmatch(key):
        return None
    return f"a language is a code like en or ga, found '{key}'"


def format_key(key: str) -> str | None:
    if key.removesuffix(PHOTO_SUFFIX) in FORMATS:
        return None
    return (f"unknown format; allowed: {', '.join(FORMATS)}, each also with {PHOTO_SUFFIX} "
            "for its photo-style layout")
