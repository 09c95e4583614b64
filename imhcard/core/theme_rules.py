"""The theme file's rules: its schema, each key's check, and the checks between
keys (contrast, dates, prompts) and of layout geometry. Every check returns None
or a sentence saying what is allowed; theme.py adds the file, line and key."""

from __future__ import annotations

import datetime as dt
import re
import string
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from imhcard.bundled import assets_dir
from imhcard.core.colour import contrast, parse_colour
from imhcard.core.formats import FORMATS
from imhcard.core.images import open_image
from imhcard.core.layout import (
    BACKDROP,
    ELEMENTS,
    IMPORTANT,
    PHOTO_SUFFIX,
    STYLES,
    build_layout,
    layout_name,
)
from imhcard.core.limits import CAMPAIGN_URL_MAX, THEME_TEXT_MAX
from imhcard.core.safe_files import check_font
from imhcard.core.validate import Key, Schema, describe, reference
from imhcard.errors import MissingFile, RefusedFile

COLOURS = ("background", "panel", "primary", "accent", "text", "on_accent")
# (foreground, background, minimum ratio, what is drawn so): WCAG AA asks 4.5:1
# for body text and 3:1 for large text (the title and the hashtag).
COLOUR_USES = {
    "background": "The card's background.",
    "panel": "The block behind the title.",
    "primary": "Title, \"I pledge to\", QR label and the logo mark.",
    "accent": "The band behind the hashtag.",
    "text": "The pledge, name, organisation, dates and the QR code's dark modules.",
    "on_accent": "The hashtag, on the accent band.",
}
CONTRAST_PAIRS = (
    ("text", "background", 4.5, "the pledge and name"),
    ("primary", "background", 4.5, "'I pledge to' and the QR label"),
    ("primary", "panel", 3.0, "the title"),
    ("text", "panel", 4.5, "the dates"),
    ("on_accent", "accent", 3.0, "the hashtag"),
)
TEMPLATE_FIELDS = ("name", "org", "by", "handle", "pledge", "title", "tagline", "week_name",
                   "dates", "hashtag", "hashtags", "accounts", "url", "year", "photo", "layout")
# What the e-mail's wording (mail_subject, mail_body) may use: no pledge or photo, the
# cards and their words follow the body.
MAIL_FIELDS = ("name", "title", "tagline", "week_name", "dates", "hashtag", "hashtags", "url",
               "year")
MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
    "ga": ("Eanáir", "Feabhra", "Márta", "Aibreán", "Bealtaine", "Meitheamh", "Iúil",
           "Lúnasa", "Meán Fómhair", "Deireadh Fómhair", "Samhain", "Nollaig"),
}
BATCH_FIELDS = ("name", "pledge", "org", "photo", "handle", "language", "email", "style")
_SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
_LANG = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]+)?")



def _too_long(value: str) -> str | None:
    if len(value) > THEME_TEXT_MAX:
        return (f"the text is {len(value):,} characters; the limit for any text in a theme is "
                f"{THEME_TEXT_MAX:,}")
    return None


def _text(value: Any) -> str | None:
    if isinstance(value, str) and value.strip():
        return _too_long(value)
    return f"expected some text, found {describe(value)}"


def _optional_text(value: Any) -> str | None:
    return _too_long(value) if isinstance(value, str) else \
        f"expected text, found {describe(value)}"


def _int_between(lo: int, hi: int) -> Any:
    def check(value: Any) -> str | None:
        if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
            return f"expected a whole number from {lo} to {hi}, found {describe(value)}"
        return None

    return check


def _number_between(lo: float, hi: float) -> Any:
    def check(value: Any) -> str | None:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not lo <= value <= hi:
            return f"expected a number from {lo} to {hi}, found {describe(value)}"
        return None

    return check


def _date(value: Any) -> str | None:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return None
    return f"expected a date written YYYY-MM-DD, found {describe(value)}"


def _colour(value: Any) -> str | None:
    try:
        parse_colour(value if isinstance(value, str) else "")
    except ValueError:
        return f"expected a colour written like \"#0F5C5A\", found {describe(value)}"
    return None


def _url(value: Any) -> str | None:
    if not isinstance(value, str):
        return f"expected a web address, found {describe(value)}"
    if len(value.strip()) > CAMPAIGN_URL_MAX:
        return (f"the web address is {len(value.strip()):,} characters; the limit is "
                f"{CAMPAIGN_URL_MAX:,}: no QR code can hold a longer one")
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return f"expected a web address starting https:// (or http://), found {describe(value)}"
    return None


def _one_of(*choices: str) -> Any:
    def check(value: Any) -> str | None:
        if value in choices:
            return None
        return f"expected one of {', '.join(choices)}; found {describe(value)}"

    return check


def _list_of(item: Any) -> Any:
    def check(value: Any) -> str | None:
        if not isinstance(value, list):
            return f"expected a list, found {describe(value)}"
        for i, v in enumerate(value):
            if err := item(v):
                return f"item {i + 1}: {err}"
        return None

    return check


def _hashtag(value: Any) -> str | None:
    if isinstance(value, str) and re.fullmatch(r"#\w+", value):
        return None
    return f"expected a hashtag like \"#StrongerFromTheStart\" (no spaces), found {describe(value)}"


def _file(base: Path, kinds: str) -> Any:
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


def _template(value: Any) -> str | None:
    if err := _text(value):
        return err
    try:
        names = [f for _, f, _, _ in string.Formatter().parse(value) if f is not None]
    except ValueError as exc:
        return f"a template with unbalanced braces ({exc}); write {{{{ for a literal brace"
    unknown = [n for n in names if n not in TEMPLATE_FIELDS]
    if unknown:
        return (f"unknown placeholder {{{unknown[0]}}}; allowed: "
                + ", ".join(f"{{{f}}}" for f in TEMPLATE_FIELDS))
    return None


def _mail_template(value: Any) -> str | None:
    """A template of the e-mail's wording: only the placeholders in MAIL_FIELDS."""
    if err := _text(value):
        return err
    try:
        names = [f for _, f, _, _ in string.Formatter().parse(value) if f is not None]
    except ValueError as exc:
        return f"a template with unbalanced braces ({exc}); write {{{{ for a literal brace"
    unknown = [n for n in names if n not in MAIL_FIELDS]
    if unknown:
        return (f"unknown placeholder {{{unknown[0]}}}; allowed in the e-mail: "
                + ", ".join(f"{{{f}}}" for f in MAIL_FIELDS))
    return None


def _box(value: Any) -> str | None:
    if (isinstance(value, list) and len(value) == 4
            and all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in value)
            and value[2] > 0 and value[3] > 0):
        return None
    return f"expected [x, y, width, height] in whole pixels, found {describe(value)}"


def _draft(value: Any) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, dict):
        unknown = sorted(set(map(str, value)) - {"reason", "placeholders"})
        if unknown:
            return f"unknown key '{unknown[0]}'; allowed: reason, placeholders"
        if "reason" in value and _text(value["reason"]):
            return "reason: expected some text saying why the theme is not final"
        held = value.get("placeholders", [])
        if not isinstance(held, list) or not all(
                isinstance(k, str) and re.fullmatch(r"languages\.[a-z-]+\.\w+", k) for k in held):
            return ("placeholders: expected a list of wording keys like languages.en.title, "
                    f"found {describe(held)}")
        return None
    return ("expected true, false, or a mapping with `reason:` and `placeholders:`, found "
            f"{describe(value)}")


def _slug(key: str) -> str | None:
    if _SLUG.fullmatch(key):
        return None
    return f"a prompt id is lower-case letters, digits and hyphens (like speak-up), found '{key}'"


def _lang_key(key: str) -> str | None:
    if _LANG.fullmatch(key):
        return None
    return f"a language is a code like en or ga, found '{key}'"


def _format_key(key: str) -> str | None:
    if key.removesuffix(PHOTO_SUFFIX) in FORMATS:
        return None
    return (f"unknown format; allowed: {', '.join(FORMATS)}, each also with {PHOTO_SUFFIX} "
            "for its photo-style layout")


# The fonts a theme gets when it names none, from the package's assets/fonts/.
BUNDLED_FONTS = {"display": "brand-Bold.ttf", "body": "NotoSans-Regular.ttf",
                 "body_bold": "NotoSans-Bold.ttf"}
DEFAULT_WORDMARK = "Stronger from the Start"
# What a blank card (`imhcard card --blank`) says about itself, unless a language says it.
DEFAULT_BLANK_ALT = ("A blank pledge card for {week_name}, {dates}, from the Stronger from the "
                     "Start alliance, to fill in by hand: under \"I pledge to\" are empty lines "
                     "for a pledge. {layout}")
DEFAULT_BLANK_CAPTION = ("Fill in your own pledge for {week_name} ({dates}) and share it. Every "
                         "baby deserves the best start in life. Make your pledge: {url} "
                         "{accounts} {hashtags}")
# The e-mail `imhcard mail` writes to each supporter, in their card's language; a
# language without its own gets these.
DEFAULT_MAIL_SUBJECT = "Your {week_name} pledge card"
DEFAULT_MAIL_GREETING = "Dear {name},"
DEFAULT_MAIL_BODY = ("Thank you for your pledge for {week_name} ({dates}). Your pledge card is "
                     "attached, ready to share:")
DEFAULT_MAIL_CAPTION = "A suggested post to go with it:"
DEFAULT_MAIL_ALT_TEXT = ("When you post the card, please add this description (alt text), so "
                         "people who use screen readers know what it shows:")


def element_schema() -> Schema:
    """The keys of one layout box; `layouts.<format>.<box>` in a theme."""
    return Schema(keys={
        "box": Key(_box, False, "`[x, y, width, height]` in pixels of that format."),
        "fill": Key(_one_of(*COLOURS), False,
                    "For `panel` and `band`: the colour name that fills the box."),
        "font": Key(_one_of("display", "body", "body_bold"), False,
                    "`display`, `body` or `body_bold`."),
        "size": Key(_int_between(8, 400), False, "Largest size the text is drawn at, in px."),
        "min_size": Key(_int_between(8, 400), False,
                        "Smallest size the text may shrink to (never below "
                        "`pledge.min_text_size` scaled to the format)."),
        "colour": Key(_one_of(*COLOURS), False, "A colour name from `colours`."),
        "align": Key(_one_of("left", "center", "right"), False,
                     "`left`, `center` or `right`."),
        "valign": Key(_one_of("top", "middle", "bottom"), False,
                      "`top`, `middle` or `bottom`."),
        "max_lines": Key(_int_between(1, 12), False, "How many lines the text may wrap to."),
        "line_height": Key(_number_between(0.8, 2.0), False,
                           "Line spacing as a multiple of the size (default 1.18)."),
        "hidden": Key(lambda v: None if isinstance(v, bool) else "expected true or false", False,
                      "`true` leaves the box off the card."),
        "shape": Key(_one_of("circle", "rounded", "square"), False,
                     "For `photo`: `circle` (default), `rounded` or `square`; the photo is "
                     "cropped to fill it."),
    })


def wording_schema() -> Schema:
    """The card's wording in one language; `languages.<code>` in a theme."""
    return Schema(keys={
        "title": Key(_text, doc="This year's theme, e.g. \"Speak Up For Babies\"."),
        "tagline": Key(_optional_text, False, "A line of the theme's own, available to "
                       "templates as `{tagline}`.", default=""),
        "week_name": Key(_text, doc="\"Infant Mental Health Awareness Week\"."),
        "pledge_intro": Key(_text, doc="\"I pledge to\" — printed before the pledge."),
        "qr_label": Key(_text, doc="Beside the QR code, e.g. \"Scan to add your pledge\"."),
        "wordmark": Key(_text, False, "The name beside the logo.", default=DEFAULT_WORDMARK),
        "signature": Key(_text, False, "The label of the print card's signature line.",
                         default="Signed"),
        "photo_alt": Key(_optional_text, False, "The sentence `{photo}` gives the alt text "
                         "when the card shows the supporter's photo, e.g. \"Beside the name "
                         "is their photo.\"", default=""),
        "alt_text": Key(_template, doc="Template of the image description written beside "
                        "each card and embedded in it."),
        "caption": Key(_template, doc="Template of the suggested post caption."),
        "blank_alt_text": Key(_template, False, "Template of a blank card's alt text "
                              "(`imhcard card --blank`, to fill in by hand).",
                              default=DEFAULT_BLANK_ALT),
        "blank_caption": Key(_template, False, "Template of a blank card's suggested caption.",
                             default=DEFAULT_BLANK_CAPTION),
        "name_label": Key(_text, False, "Under the line for the name on a blank print card.",
                          default="Name"),
        "mail_subject": Key(_mail_template, False, "The subject of the e-mail `imhcard mail` "
                            "writes to a supporter whose card is in this language.",
                            default=DEFAULT_MAIL_SUBJECT),
        "mail_greeting": Key(_mail_template, False, "The e-mail's first line. Irish: \"A "
                             "chara,\" (a name after \"A\" would need the vocative).",
                             default=DEFAULT_MAIL_GREETING),
        "mail_body": Key(_mail_template, False, "The e-mail's first paragraph, before the "
                         "list of the cards attached.", default=DEFAULT_MAIL_BODY),
        "mail_caption": Key(_text, False, "In the e-mail, before the suggested caption.",
                            default=DEFAULT_MAIL_CAPTION),
        "mail_alt_text": Key(_text, False, "In the e-mail, before the alt text.",
                             default=DEFAULT_MAIL_ALT_TEXT),
        "months": Key(_list_of(_text), False, "Twelve month names; built in for "
                      f"{' and '.join(f'`{c}`' for c in MONTHS)}, required for other "
                      "languages."),
        "names": Key(_list_of(_text), False, "What people call the language on a form "
                     "(\"Irish\", \"Gaeilge\"): a batch's language column may give one of "
                     "these instead of the code.", default=[]),
        "prompts": Key(Schema(values=_text, key_check=_slug, placeholder="<id>"),
                       doc="Pledges supporters can pick by id: `speak-up: speak up for babies "
                           "...`. Ids are lower-case words joined by hyphens, and every "
                           "language must have the same ids."),
    })


def schema(base: Path) -> Schema:
    """The theme file's schema; file paths are checked relative to `base`. The single
    description of every key: it validates, gives the defaults, and makes the reference
    tables in docs/themes.md (tools/theme_docs.py)."""
    image = _file(base, "PNG or JPEG")
    font = _file(base, "TTF or OTF font")
    element = element_schema()
    return Schema(keys={
        "draft": Key(_draft, False, "Not final yet: `true`, or `reason:` (why) and "
                     "`placeholders:` (wording keys still holding placeholder text, e.g. "
                     "`[languages.en.title]`). `card` and `batch` warn loudly on every run, "
                     "`theme check` lists each placeholder; delete the key when final."),
        "year": Key(_int_between(2000, 2100), doc="The year of the week, e.g. `2026`."),
        "week": Key(Schema(keys={
            "start": Key(_date, doc="First day of Infant Mental Health Awareness Week, "
                                    "`YYYY-MM-DD`."),
            "end": Key(_date, doc="Last day of the week; not before the start. Written on the "
                                  "card per language, e.g. \"8–14 June 2026\"."),
        })),
        "campaign": Key(Schema(keys={
            "url": Key(_url, doc="The campaign page the QR code opens: `https://` (or "
                                 "`http://`) only."),
            "utm": Key(Schema(values=_text, key_check=lambda k: None if k in (
                "medium", "campaign", "content", "term") else
                "UTM keys are medium, campaign, content, term (source is set per format)"),
                False, "UTM tags added to the QR link: `medium`, `campaign`, `content`, "
                       "`term`. `utm_source` is set per format.", default={}),
            "hashtags": Key(_list_of(_hashtag), doc="A list; the first is drawn on the card, "
                                                    "all of them go in the caption."),
            "accounts": Key(_list_of(_text), False, "Accounts to tag, added to the suggested "
                            "caption, e.g. `[\"@alliance\"]`.", default=[]),
        })),
        "colours": Key(Schema(keys={c: Key(_colour, doc=COLOUR_USES[c]) for c in COLOURS})),
        "art": Key(Schema(keys={
            "artwork": Key(image, False, "The illustration (PNG with transparency), fitted "
                                         "inside the `art` box."),
            "logo": Key(image, False, "The alliance mark; only its shape (alpha) is used, "
                                      "drawn in `primary`."),
        }), False, default={}),
        "fonts": Key(Schema(keys={
            "display": Key(font, False, "Font for the title, pledge, name and hashtag "
                                        f"(default: the bundled {BUNDLED_FONTS['display']})."),
            "body": Key(font, False, "Font for the dates, organisation and labels "
                                     f"(default: the bundled {BUNDLED_FONTS['body']})."),
            "body_bold": Key(font, False, "Bold body font (default: the bundled "
                                          f"{BUNDLED_FONTS['body_bold']})."),
            "fallback": Key(_list_of(font), False, "Extra font files tried, in order, after "
                            "the role's font and before the bundled fallbacks (see "
                            "[fonts.md](fonts.md)).", default=[]),
        }), False, default={}),
        "pledge": Key(Schema(keys={
            "max_length": Key(_int_between(20, 400), doc="The most characters a supporter's "
                                                         "own pledge may have (20–400)."),
            "min_text_size": Key(_int_between(12, 60), False, "The smallest text on a "
                                 "1080-wide card, in pixels; scaled with each format's width.",
                                 default=28),
        })),
        "default_language": Key(_text, False, "The language used when a supporter names "
                                "none.", default="en"),
        "languages": Key(Schema(values=wording_schema(), key_check=_lang_key,
                                placeholder="<code>"),
                         doc="The card's wording per language (`en`, `ga`, ...); see "
                             "[Wording per language](#wording-per-language)."),
        "style": Key(Schema(keys={k: Key(_one_of(*STYLES), False) for k in ("default", *FORMATS)},
                            placeholder="<format>"), False,
                     "The card style when a supporter chooses none: `default`, and per "
                     "format: `text` (the pledge on the theme's colours) or `photo` (their "
                     "photo fills the card; cards without a photo use `text`).",
                     default={}),
        "layouts": Key(Schema(values=Schema(keys={e: Key(element, False) for e in ELEMENTS},
                                            placeholder="<box>"),
                              key_check=_format_key, placeholder="<format>"), False,
                       "Overrides of the default layout, per format and box; see "
                       "[Layouts](#layouts).", default={}),
        "batch": Key(Schema(keys={"columns": Key(
            Schema(keys={f: Key(_text, False) for f in BATCH_FIELDS}), False,
            "The column header a form export uses for a supporter field "
            f"({', '.join(f'`{f}`' for f in BATCH_FIELDS)}), for `imhcard batch`.",
            default={})}), False, default={}),
    })


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def reference_tables() -> dict[str, str]:
    """The Markdown reference tables of docs/themes.md, made from the schema."""

    def table(rows: list[tuple[str, Key]], head: str) -> str:
        lines = [f"| {head} | required | default | what it is |", "|---|---|---|---|"]
        for name, key in rows:
            default = "" if key.default in (None, "", {}, []) else f"`{key.default}`"
            lines.append(f"| `{name}` | {'yes' if key.required else 'no'} | {default} | "
                         f"{_cell(key.doc)} |")
        return "\n".join(lines)

    full = reference(schema(Path(".")))
    theme_rows = [(n, k) for n, k in full if not n.startswith(("languages.<", "layouts.<"))]
    wording_rows = reference(wording_schema())
    box_rows = reference(element_schema())
    return {"theme keys": table(theme_rows, "key"), "wording keys": table(wording_rows, "key"),
            "box keys": table(box_rows, "box key")}


def cross_checks(data: Any) -> list[tuple[tuple[str, ...], str]]:
    """Rules between keys. Each rule runs only where the keys it reads are themselves
    valid (their own problems are already reported), so one run reports everything."""
    out: list[tuple[tuple[str, ...], str]] = []
    if not isinstance(data, dict):
        return out
    week = data.get("week")
    if isinstance(week, dict) and not _date(week.get("start")) and not _date(week.get("end")) \
            and week["end"] < week["start"]:
        out.append((("week", "end"), f"the week ends ({week['end']}) before it starts "
                                     f"({week['start']})"))
    raw = data.get("colours")
    if isinstance(raw, dict):
        colours = {k: parse_colour(v) for k, v in raw.items()
                   if k in COLOURS and isinstance(v, str) and not _colour(v)}
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


# What every card must show; a theme may move these boxes but not hide them.
REQUIRED_ELEMENTS = ("title", "dates", "intro", "pledge", "name", "org", "hashtag", "qr")
# The photo style is the person's picture first: the title may give way to it.
REQUIRED_PHOTO_STYLE = ("dates", "intro", "pledge", "name", "org", "hashtag", "qr")


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
            required = REQUIRED_PHOTO_STYLE if style == "photo" else REQUIRED_ELEMENTS
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
