"""The theme file's schema: every key, its check (theme_values.py), whether it is
required, its default and its documentation, in one description that validates, fills
the defaults and makes the reference tables of docs/themes.md. The checks between keys
are in theme_consistency.py; theme.py adds the file, line and key to each problem."""

from __future__ import annotations

from pathlib import Path

from imhcard.core import theme_values as check
from imhcard.core.fields import COLUMN_FIELDS
from imhcard.core.formats import FORMATS
from imhcard.core.layout import ELEMENTS, FONT_ROLES, STYLES
from imhcard.core.validate import Key, Schema, reference

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
# What alt text and caption templates may say: the supporter's printed fields, and the
# theme's and the card's own.
MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
    "ga": ("Eanáir", "Feabhra", "Márta", "Aibreán", "Bealtaine", "Meitheamh", "Iúil",
           "Lúnasa", "Meán Fómhair", "Deireadh Fómhair", "Samhain", "Nollaig"),
}
BATCH_FIELDS = COLUMN_FIELDS


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
                     "attached, one file for each size, ready to share:")
DEFAULT_MAIL_CAPTION = "A suggested post to go with it:"
DEFAULT_MAIL_ALT_TEXT = ("When you post the card, please add this description (alt text), so "
                         "people who use screen readers know what it shows:")


def element_schema() -> Schema:
    """The keys of one layout box; `layouts.<format>.<box>` in a theme."""
    return Schema(keys={
        "box": Key(check.box, False, "`[x, y, width, height]` in pixels of that format."),
        "fill": Key(check.one_of(*COLOURS), False,
                    "For `panel` and `band`: the colour name that fills the box."),
        "font": Key(check.one_of(*FONT_ROLES), False,
                    "`display`, `body` or `body_bold`."),
        "size": Key(check.int_between(8, 400), False, "Largest size the text is drawn at, in px."),
        "min_size": Key(check.int_between(8, 400), False,
                        "Smallest size the text may shrink to (never below "
                        "`pledge.min_text_size` scaled to the format)."),
        "colour": Key(check.one_of(*COLOURS), False, "A colour name from `colours`."),
        "align": Key(check.one_of("left", "center", "right"), False,
                     "`left`, `center` or `right`."),
        "valign": Key(check.one_of("top", "middle", "bottom"), False,
                      "`top`, `middle` or `bottom`."),
        "max_lines": Key(check.int_between(1, 12), False, "How many lines the text may wrap to."),
        "line_height": Key(check.number_between(0.8, 2.0), False,
                           "Line spacing as a multiple of the size (default 1.18)."),
        "hidden": Key(lambda v: None if isinstance(v, bool) else "expected true or false", False,
                      "`true` leaves the box off the card."),
        "shape": Key(check.one_of("circle", "rounded", "square"), False,
                     "For `photo`: `circle` (default), `rounded` or `square`; the photo is "
                     "cropped to fill it."),
    })


def wording_schema() -> Schema:
    """The card's wording in one language; `languages.<code>` in a theme."""
    return Schema(keys={
        "title": Key(check.text, doc="This year's theme, e.g. \"Speak Up For Babies\"."),
        "tagline": Key(check.optional_text, False, "A line of the theme's own, available to "
                       "templates as `{tagline}`.", default=""),
        "week_name": Key(check.text, doc="\"Infant Mental Health Awareness Week\"."),
        "pledge_intro": Key(check.text, doc="\"I pledge to\" — printed before the pledge."),
        "qr_label": Key(check.text, doc="Beside the QR code, e.g. \"Scan to add your pledge\"."),
        "wordmark": Key(check.text, False, "The name beside the logo.", default=DEFAULT_WORDMARK),
        "signature": Key(check.text, False, "The label of the print card's signature line.",
                         default="Signed"),
        "photo_alt": Key(check.optional_text, False, "The sentence `{photo}` gives the alt text "
                         "when the card shows the supporter's photo, e.g. \"Beside the name "
                         "is their photo.\"", default=""),
        "alt_text": Key(check.template, doc="Template of the image description written beside "
                        "each card and embedded in it."),
        "caption": Key(check.template, doc="Template of the suggested post caption."),
        "blank_alt_text": Key(check.template, False, "Template of a blank card's alt text "
                              "(`imhcard card --blank`, to fill in by hand).",
                              default=DEFAULT_BLANK_ALT),
        "blank_caption": Key(check.template, False, "Template of a blank card's suggested caption.",
                             default=DEFAULT_BLANK_CAPTION),
        "name_label": Key(check.text, False, "Under the line for the name on a blank print card.",
                          default="Name"),
        "mail_subject": Key(check.mail_template, False, "The subject of the e-mail `imhcard "
                            "mail` writes to a supporter whose card is in this language.",
                            default=DEFAULT_MAIL_SUBJECT),
        "mail_greeting": Key(check.mail_template, False, "The e-mail's first line. Irish: "
                             "\"A chara,\" (a name after \"A\" would need the vocative).",
                             default=DEFAULT_MAIL_GREETING),
        "mail_body": Key(check.mail_template, False, "The e-mail's first paragraph, before the "
                         "list of the cards attached.", default=DEFAULT_MAIL_BODY),
        "mail_caption": Key(check.text, False, "In the e-mail, before the suggested caption.",
                            default=DEFAULT_MAIL_CAPTION),
        "mail_alt_text": Key(check.text, False, "In the e-mail, before the alt text.",
                             default=DEFAULT_MAIL_ALT_TEXT),
        "months": Key(check.list_of(check.text), False, "Twelve month names; built in for "
                      f"{' and '.join(f'`{c}`' for c in MONTHS)}, required for other "
                      "languages."),
        "names": Key(check.list_of(check.text), False, "What people call the language on a form "
                     "(\"Irish\", \"Gaeilge\"): a batch's language column may give one of "
                     "these instead of the code.", default=[]),
        "prompts": Key(Schema(values=check.text, key_check=check.slug, placeholder="<id>"),
                       doc="Pledges supporters can pick by id: `speak-up: speak up for babies "
                           "...`. Ids are lower-case words joined by hyphens, and every "
                           "language must have the same ids."),
    })


def campaign_schema() -> Schema:
    """Where the card leads: the campaign page, its tags, hashtags and accounts."""
    return Schema(keys={
        "url": Key(check.url, doc="The campaign page the QR code opens: `https://` (or "
                                  "`http://`) only."),
        "utm": Key(Schema(values=check.text, key_check=lambda k: None if k in (
            "medium", "campaign", "content", "term") else
            "UTM keys are medium, campaign, content, term (source is set per format)"),
            False, "UTM tags added to the QR link: `medium`, `campaign`, `content`, "
                   "`term`. `utm_source` is set per format.", default={}),
        "hashtags": Key(check.list_of(check.hashtag),
                        doc="A list; the first is drawn on the card, all of them go in the "
                            "caption."),
        "accounts": Key(check.list_of(check.text), False, "Accounts to tag, added to the "
                        "suggested caption, e.g. `[\"@alliance\"]`.", default=[]),
    })


def schema(base: Path) -> Schema:
    """The theme file's schema; file paths are checked relative to `base`. The single
    description of every key: it validates, gives the defaults, and makes the reference
    tables in docs/themes.md (tools/theme_docs.py)."""
    image = check.file(base, "PNG or JPEG")
    font = check.file(base, "TTF or OTF font")
    element = element_schema()
    return Schema(keys={
        "draft": Key(check.draft, False, "Not final yet: `true`, or `reason:` (why) and "
                     "`placeholders:` (wording keys still holding placeholder text, e.g. "
                     "`[languages.en.title]`). `card` and `batch` warn loudly on every run, "
                     "`theme check` lists each placeholder; delete the key when final."),
        "year": Key(check.int_between(2000, 2100), doc="The year of the week, e.g. `2026`."),
        "week": Key(Schema(keys={
            "start": Key(check.date, doc="First day of Infant Mental Health Awareness Week, "
                                    "`YYYY-MM-DD`."),
            "end": Key(check.date, doc="Last day of the week; not before the start. Written on the "
                                  "card per language, e.g. \"8–14 June 2026\"."),
        })),
        "campaign": Key(campaign_schema()),
        "colours": Key(Schema(keys={c: Key(check.colour, doc=COLOUR_USES[c]) for c in COLOURS})),
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
            "fallback": Key(check.list_of(font), False, "Extra font files tried, in order, after "
                            "the role's font and before the bundled fallbacks (see "
                            "[fonts.md](fonts.md)).", default=[]),
        }), False, default={}),
        "pledge": Key(Schema(keys={
            "max_length": Key(check.int_between(20, 400), doc="The most characters a supporter's "
                                                         "own pledge may have (20–400)."),
            "min_text_size": Key(check.int_between(12, 60), False, "The smallest text on a "
                                 "1080-wide card, in pixels; scaled with each format's width.",
                                 default=28),
        })),
        "default_language": Key(check.text, False, "The language used when a supporter names "
                                "none.", default="en"),
        "languages": Key(Schema(values=wording_schema(), key_check=check.lang_key,
                                placeholder="<code>"),
                         doc="The card's wording per language (`en`, `ga`, ...); see "
                             "[Wording per language](#wording-per-language)."),
        "style": Key(Schema(keys={k: Key(check.one_of(*STYLES), False)
                                  for k in ("default", *FORMATS)}, placeholder="<format>"), False,
                     "The card style when a supporter chooses none: `default`, and per "
                     "format: `text` (the pledge on the theme's colours) or `photo` (their "
                     "photo fills the card; cards without a photo use `text`).",
                     default={}),
        "layouts": Key(Schema(values=Schema(keys={e: Key(element, False) for e in ELEMENTS},
                                            placeholder="<box>"),
                              key_check=check.format_key, placeholder="<format>"), False,
                       "Overrides of the default layout, per format and box; see "
                       "[Layouts](#layouts).", default={}),
        "batch": Key(Schema(keys={"columns": Key(
            Schema(keys={f: Key(check.text, False) for f in BATCH_FIELDS}), False,
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
