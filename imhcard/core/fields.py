"""The supporter's fields, declared once.

Each field says what it is called in messages (in every language the product
speaks), which column headers of a form export hold it, its limit, how its text is
cleaned, and whether the card prints it. Everything else derives from this table:
the CLI's options (cli/card.py), the page's form and its messages (web/), the
batch's column matching (batch/columns.py), the checks (core/supporter.py), the
batch report's wording, the content keys of cards (CardText.key_parts) and the
fields the theme's alt text and caption templates may use.

Adding a field (CONTRIBUTING.md, "Adding a field"): a Field here, its attribute on
Supporter and CardText (core/supporter.py), and where the card draws it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

# Bidi embeddings, overrides and isolates can make text display in an order that
# differs from what was typed (a known spoofing trick); the card's layout does
# its own ordering, so they are removed.
_BIDI_CONTROLS = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))
_SPACES = re.compile(r"\s+")


def clean_text(value: str | None) -> str:
    """NFC-normalise, drop control and bidi-override characters, fold white space."""
    if not value:
        return ""
    text = unicodedata.normalize("NFC", value).translate(_BIDI_CONTROLS)
    # Keep ZWJ/ZWNJ (U+200C/D, emoji sequences and Indic/Arabic shaping) and
    # variation selectors; drop other format and control characters.
    text = "".join(
        " " if ch in "\t\n\r\v\f" else ch
        for ch in text
        # Unassigned and private-use characters stay, so the font check can name
        # them rather than have them vanish without a word.
        if not (unicodedata.category(ch) in ("Cc", "Cs") and ch not in "\t\n\r\v\f")
        and not (unicodedata.category(ch) == "Cf" and ch not in "\u200c\u200d\ufe0e\ufe0f"
                 and not 0xE0020 <= ord(ch) <= 0xE007F)
    )
    return _SPACES.sub(" ", text).strip()


# What people write in an optional field that means "nothing": printed, "n/a" or "-"
# would be a card saying so. Compared after folding case, accents' forms and the
# punctuation around them ("N/A." and "n.a" are the same answer).
PLACEHOLDERS = frozenset({
    "", "na", "n a", "none", "no", "nil", "null", "nothing", "nope", "x", "xx", "xxx",
    "not applicable", "not relevant", "does not apply", "doesn t apply", "nvt", "tbc",
    "prefer not to say", "rather not say", "no thanks", "no thank you", "not sure",
    "n", "0", "unknown", "blank", "empty", "same", "same as above",
    # Irish: "níl", "ní bhaineann" (does not apply), "dada"/"faic" (nothing).
    "níl", "ní bhaineann", "dada", "faic", "tada", "gan",
})
_PLACEHOLDER_PHRASE = re.compile(
    r"^(?:i\s+)?(?:do\s+not|don\s?t|dont|have\s+no|haven\s?t\s+got|not\s+on|no|not\s+a)\s+"
    r"(?:have\s+)?(?:one|any|an?\s+)?\s*(?:handle|organi[sz]ation|org|account|instagram|"
    r"insta|social\s*media|socials?|twitter|facebook|tiktok|photo|picture|role|job|employer|"
    r"company|workplace|one|any)?\s*(?:account|page|yet)?$")


# A sentence that says there is none: "n/a - I don't use social media", "None, sorry",
# "Níl ceann agam". Only for a field whose real answers never have spaces (a handle):
# an organisation may well start "No" ("No Limits Youth Club").
_NONE_SENTENCE = re.compile(
    r"^(?:n a|na|none|no|not|nope|nil|níl|nothing|never|sorry|don'?t|dont|do not|"
    r"i don'?t|i dont|i do not|i'?m not|im not|i am not|i have no|i haven'?t|haven'?t|"
    r"have no|ní|ni)\b")


def _plain_words(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", text.casefold()).split())


def is_placeholder(value: str | None, sentence: bool = False) -> bool:
    """True for an answer that means nothing was given: 'n/a', 'N/A', '-', '.', 'none',
    'no handle', "don't have one" (and Irish 'níl'). With `sentence`, also any sentence
    that starts by saying so ("n/a - I don't use social media"), for a field whose
    answers have no spaces."""
    text = clean_text(value)
    if sentence and " " in text and _NONE_SENTENCE.match(
            " ".join(re.sub(r"[^\w']+", " ", text.casefold().replace("’", "'")).split())):
        return True
    if len(text) > 40:
        return False
    plain = _plain_words(text)
    if not plain:  # "-", ".", "?": punctuation alone (not an emoji, not a lone joiner)
        return all(unicodedata.category(ch)[0] in "PZ" for ch in text)
    return plain in PLACEHOLDERS or bool(_PLACEHOLDER_PHRASE.match(plain))


def clean_optional(value: str | None) -> str:
    """An optional field's text, cleaned; a placeholder answer ('n/a', '-') is empty."""
    text = clean_text(value)
    return "" if is_placeholder(text) else text


# Profile links people paste instead of a handle. The handle is the first part of the
# path that is not one of the site's own words ("in" on LinkedIn, "@" on TikTok).
_LINK = re.compile(r"^(?:[a-z][a-z0-9+.-]*://)?(?:[\w-]+\.)*[\w-]+\.[a-z]{2,}(?::\d+)?(/[^\s]*)?$",
                   re.IGNORECASE)
_SITE_WORDS = frozenset({"in", "pub", "company", "school", "people", "user", "users", "u",
                         "profile", "profile.php", "pages", "pg", "channel", "c", "home",
                         "share", "accounts", "www", "m", "p", "reel", "reels", "posts",
                         "status", "intent", "hashtag", "explore", "watch"})
_HANDLE = re.compile(r"^@?[\w.\-]{1,60}$")
_LABEL = re.compile(r"^(?:instagram|insta|ig|twitter|x|tiktok|facebook|fb|linkedin|"
                    r"threads|bluesky|bsky|handle)\s*[:\-–]\s*", re.IGNORECASE)
_AT_WORD = re.compile(r"(?<![\w@])@([\w.\-]{1,60})")


def handle_of_link(text: str) -> str | None:
    """'https://www.instagram.com/aoife.b/?hl=en' -> 'aoife.b'; 'x.com/aoife',
    'linkedin.com/in/aoife-byrne', 'tiktok.com/@aoife' likewise. None when the text is
    not a web address; '' for an address with no handle in it (a profile.php?id=)."""
    if not _LINK.match(text) or ("/" not in text and not text.lower().startswith("www.")):
        return None
    path = re.sub(r"^(?:[a-z][a-z0-9+.-]*://)?[^/]*", "", text, flags=re.IGNORECASE)
    for part in path.split("?")[0].split("#")[0].split("/"):
        part = part.strip().lstrip("@")
        if part and part.lower() not in _SITE_WORDS and _HANDLE.match(part):
            return part
    return ""


def clean_email(value: str | None) -> str:
    """An e-mail address as given; empty for a placeholder or Microsoft Forms'
    "anonymous" (a form that does not ask people to sign in)."""
    text = clean_optional(value)
    return "" if text.casefold() == "anonymous" else text


def clean_handle(value: str | None) -> str:
    """A social handle as the card prints it: '@aoife', from 'aoife', '@ aoife', a profile
    link ('instagram.com/aoife') or 'Insta: @aoife'; empty for 'n/a', 'none', '-' or a
    sentence saying there is none, and for anything a handle cannot be: handles have
    no spaces ('aoife on insta') and only letters, digits, '.', '_' and '-'."""
    text = _LABEL.sub("", clean_optional(value))
    if not text or is_placeholder(text, sentence=True):
        return ""
    from_link = handle_of_link(text)
    if from_link is not None:
        text = from_link
    elif (at := _AT_WORD.search(text)) and " " in text:
        text = at.group(1)  # "@aoife on Instagram"
    text = re.sub(r"^@\s+", "@", text)  # "@ aoife"
    if not _HANDLE.match(text):
        return ""
    return "@" + text.lstrip("@")


def clean_choice(value: str | None) -> str:
    """A choice (a style, a language code) as the table of choices spells it."""
    return clean_text(value).lower()


@dataclass(frozen=True)
class Field:
    """One thing a supporter tells us."""

    name: str
    # What messages call it, per language ("the {noun} is empty"); English for a
    # language that has none of its own.
    noun: Mapping[str, str]
    # Column headers that hold it, as norm_header (batch/columns.py) writes them, best
    # first; and words that say so anywhere in a longer question.
    headers: tuple[str, ...] = ()
    keywords: frozenset[str] = frozenset()
    # When a longer question names two fields, the one with the lower number wins:
    # "Name of your organisation" is the organisation.
    keyword_rank: int = 9
    # A header matched only when no other column says it more specifically (Microsoft
    # Forms adds a "Name" column of its own: the respondent's account).
    generic_header: str = ""
    # Asked as a choice with a column for the supporter's own words beside it, which
    # may be headed without the field's name ("Write your own", "Scríobh do cheann féin").
    own_words: bool = False
    kind: str = "text"  # text, photo, choice (style), language, email, time
    max_chars: int = 0  # 0: no limit of its own
    on_card: bool = False  # printed on the card (the content key, templates and glyph checks)
    # The layout box it is drawn in (core/layouts.yaml); fields sharing a box are drawn
    # on one line, in the table's order: "Sure Start Newry · @aoife".
    element: str = ""
    # A long but ordinary value, for the sample cards of `imhcard theme check`.
    sample: str = ""
    required: bool = False
    clean: Callable[[str | None], str] = clean_text
    # The CLI's option and the page's form field (the same word), and its help.
    flag: str = ""
    help: str = ""
    autocomplete: str = "off"  # the page's autocomplete hint for the browser
    # A harmless value in its place, so a batch's check can look past a bad one; None
    # when the field cannot be stood in for.
    stand_in: str | None = None
    # The page's label and hint for it, per language (English where one lacks them).
    label: Mapping[str, str] = field(default_factory=dict)
    hint: Mapping[str, str] = field(default_factory=dict)
    # "your <field>" and "in your <field>" where a language joins and mutates them
    # (Irish: d'ainm, i d'ainm); English says "your" + the noun.
    your: Mapping[str, tuple[str, str]] = field(default_factory=dict)

    @property
    def option(self) -> str:
        return self.flag or self.name

    def called(self, language: str = "en") -> str:
        """The field's name in messages, in `language`."""
        return self.noun.get(language) or self.noun["en"]

    def yours(self, language: str = "en") -> tuple[str, str]:
        """'your <field>' and 'in your <field>' in `language`."""
        return self.your.get(language) or (f"your {self.called(language)}",
                                            f"in your {self.called(language)}")


NAME = Field(
    "name", {"en": "name", "ga": "ainm"},
    headers=("name on the card", "name for the card", "name on card", "your full name",
             "full name", "what is your name", "your name", "supporter name", "supporter",
             "first and last name", "name and surname", "ainm", "d ainm",
             "ainm ar an gcárta"),
    keywords=frozenset({"name", "ainm"}), keyword_rank=6, generic_header="name",
    max_chars=80, on_card=True, required=True, element="name", clean=clean_optional,
    sample="Caoimhín Ó Súilleabháin-Wróbel",
    help="Your name as it should appear on the card.", autocomplete="name",
    stand_in="Supporter", your={"ga": ("d'ainm", "i d'ainm")},
    label={"en": "Your name", "ga": "D'ainm"},
    hint={"en": "As you want it on your card.", "ga": "Mar is mian leat é a bheith ar do chárta."})
PLEDGE = Field(
    "pledge", {"en": "pledge", "ga": "gealltanas"},
    headers=("your pledge", "my pledge", "what is your pledge", "what do you pledge",
             "pledge", "pledge text", "pledge wording", "i pledge to", "prompt", "pledge id",
             "gealltanas", "do ghealltanas"),
    keywords=frozenset({"pledge", "promise", "gealltanas"}), keyword_rank=5, on_card=True,
    required=True, element="pledge", own_words=True,
    help="A prompt id (see `imhcard prompts`) or your own words.",
    your={"ga": ("do ghealltanas", "i do ghealltanas")},
    label={"en": "Your pledge", "ga": "Do ghealltanas"},
    hint={"en": "Choose one, or write your own.",
          "ga": "Roghnaigh ceann, nó scríobh do cheann féin."})
ORG = Field(
    "org", {"en": "organisation", "ga": "eagraíocht"},
    headers=("organisation", "organization", "organisation or role", "organization or role",
             "your organisation", "your organization", "org", "role", "organisation role",
             "organization role", "job title", "employer", "company", "workplace",
             "eagraíocht"),
    keywords=frozenset({"organisation", "organization", "employer", "company", "workplace",
                        "role", "eagraíocht"}), keyword_rank=0,
    max_chars=100, on_card=True, element="org", sample="Sure Start Newry & Mourne Early Years",
    clean=clean_optional, help="Your organisation or role (optional).",
    your={"ga": ("d'eagraíocht nó do ról", "i d'eagraíocht nó i do ról")},
    autocomplete="organization", stand_in="",
    label={"en": "Your organisation or role (optional)",
           "ga": "D'eagraíocht nó do ról (roghnach)"},
    hint={"en": "For example, Sure Start Newry, or Grandparent.",
          # no lenition of t after sean- in a compound (DNTLS; CO 10.2.12)
          "ga": "Mar shampla, Sure Start an Iúir, nó Seantuismitheoir."})
HANDLE = Field(
    "handle", {"en": "social handle", "ga": "ainm úsáideora"},
    headers=("instagram", "handle", "social handle", "social media handle", "your handle",
             "instagram handle", "twitter", "x handle", "twitter handle", "social media"),
    keywords=frozenset({"instagram", "handle", "twitter", "social"}), keyword_rank=2,
    max_chars=60, on_card=True, element="org", clean=clean_handle,
    help="Your social media handle (optional).", stand_in="",
    your={"ga": ("d'ainm úsáideora", "i d'ainm úsáideora")},
    label={"en": "Your social media handle (optional)",
           "ga": "D'ainm úsáideora ar na meáin shóisialta (roghnach)"},
    hint={"en": "So people can find you, for example @aoife.",
          "ga": "Le go mbeidh daoine in ann teacht ort, mar shampla @aoife."})
PHOTO = Field(
    "photo", {"en": "photo", "ga": "grianghraf"},
    headers=("photo", "your photo", "photo file", "photo path", "picture", "image",
             "headshot", "grianghraf"),
    keywords=frozenset({"photo", "photograph", "picture", "image", "headshot", "selfie",
                        "grianghraf"}), keyword_rank=1,
    kind="photo", help="A photo of you (optional).",
    your={"ga": ("do ghrianghraf", "i do ghrianghraf")},
    label={"en": "Your photo (optional)", "ga": "Do ghrianghraf (roghnach)"},
    hint={"en": "A JPEG, PNG or iPhone HEIC photo, up to {mb} MB. On a photo card it "
                "fills the top of the card.",
          "ga": "Grianghraf JPEG, PNG nó HEIC ó iPhone, suas le {mb} MB. Ar chárta "
                "grianghraif líonann sé barr an chárta."})
LANGUAGE = Field(
    "language", {"en": "language", "ga": "teanga"},
    headers=("language", "card language", "lang", "teanga"),
    keywords=frozenset({"language", "teanga"}), keyword_rank=3, on_card=True, flag="lang",
    kind="language",
    help="Card language, e.g. en or ga.")
STYLE = Field(
    "style", {"en": "card style", "ga": "stíl an chárta"},
    headers=("style", "card style", "design", "card design"), on_card=True, clean=clean_choice,
    kind="choice",
    help="photo: your photo fills the card, the words on a band; text: the pledge on the "
         "theme's colours, your photo beside it. Default: the theme's choice per format "
         "(photo when you give one, in 2026).",
    label={"en": "Card style", "ga": "Stíl an chárta"},
    hint={"en": "With a photo, your photo fills the top of the card; without one, the card "
                "is all words.",
          "ga": "Le grianghraf, líonann do ghrianghraf barr an chárta; gan ghrianghraf, "
                "ní bheidh ach focail ar do chárta."})
EMAIL = Field(
    "email", {"en": "e-mail address", "ga": "seoladh ríomhphoist"},
    # Google Forms: "Email Address"; Microsoft Forms: "Email"; people write "E-mail".
    headers=("email address", "email", "e mail", "e mail address", "your email",
             "your email address", "your e mail address", "contact email",
             "seoladh r phoist"),
    keywords=frozenset({"email"}), keyword_rank=4, kind="email", clean=clean_email)
# Not on the card: it tells which of two submissions is newer (batch --dedupe latest).
TIMESTAMP = Field(
    "timestamp", {"en": "time the form was sent", "ga": "am seolta na foirme"},
    # Google Forms: "Timestamp"; Microsoft Forms: "Completion time" (and "Start time").
    # Typeform: "Submit Date (UTC)"; Tally: "Submitted at"; Jotform: "Submission Date";
    # SurveyMonkey: "End Date".
    headers=("timestamp", "completion time", "submitted at", "submitted", "submission time",
             "date submitted", "submit date", "submission date", "end date",
             "last modified time", "start time", "start date"), kind="time")

# Not on the card: a "no" (or an unticked box) means no card at all. A batch finds
# consent columns by their question (batch/consent.py); --column consent="..." names one.
CONSENT = Field(
    "consent", {"en": "consent", "ga": "toiliú"}, kind="consent",
    help="A consent question: answered no or left unticked, the row gets no card.")

FIELDS: tuple[Field, ...] = (NAME, PLEDGE, ORG, HANDLE, PHOTO, LANGUAGE, STYLE, EMAIL,
                             TIMESTAMP, CONSENT)
BY_NAME: Mapping[str, Field] = {f.name: f for f in FIELDS}
# The words printed on a card, in the order the card reads them.
PRINTED = tuple(f for f in FIELDS if f.on_card and f.name not in ("language", "style"))
# What one supporter tells `imhcard card` and the page: everything on the card, and a photo.
OWN = tuple(f for f in FIELDS if f.on_card or f.kind == "photo")
# What a batch's theme may map to a column (batch.columns in the theme file).
COLUMN_FIELDS = tuple(f.name for f in FIELDS if f.name != "timestamp")


def drawn_in(element: str) -> tuple[Field, ...]:
    """The printed fields drawn in one layout box, in the order they are drawn."""
    return tuple(f for f in PRINTED if f.element == element)


def page_words(language: str) -> dict[str, str]:
    """The page's label and hint of every field it asks for, as `<field>` and
    `<field>_hint`, in `language` (English where the table has none in it)."""
    out: dict[str, str] = {}
    for f in FIELDS:
        if f.label:
            out[f.name] = f.label.get(language) or f.label["en"]
        if f.hint:
            out[f.name + "_hint"] = f.hint.get(language) or f.hint["en"]
    return out


def field_called(name: str, language: str = "en") -> str:
    """A field's name in messages, or the name itself for one not in the table."""
    f = BY_NAME.get(name)
    return f.called(language) if f is not None else name
