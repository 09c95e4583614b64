"""A supporter's details: normalised, validated, and resolved against a theme."""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from imhcard.core.theme import Theme
from imhcard.errors import SupporterError

NAME_MAX = 80
ORG_MAX = 100
HANDLE_MAX = 60
# How a card is laid out: "text" (the pledge on the theme's background, the photo
# beside the name) or "photo" (the supporter's photo fills the card, the words on
# a band over it). None means the theme's default for each format.
STYLES = ("text", "photo")
# Bidi embeddings, overrides and isolates can make text display in an order that
# differs from what was typed (a known spoofing trick); the card's layout does
# its own ordering, so they are removed.
_BIDI_CONTROLS = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))
_SPACES = re.compile(r"\s+")
# One hyphenated word like 'speak-upp' is a mistyped prompt id, not a pledge.
_PROMPT_LIKE = re.compile(r"[a-z0-9]+(-[a-z0-9]+)+")
_INTRO = re.compile(r"^\s*(i\s+pledge\s+to|i\s+pledge|geallaim)\b[\s:,…]*", re.IGNORECASE)


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


@dataclass(frozen=True)
class Supporter:
    """What one supporter gives us. `pledge` is a prompt id or their own words."""

    name: str
    pledge: str
    org: str = ""
    photo: Path | None = None
    handle: str = ""
    language: str | None = None
    style: str | None = None


@dataclass(frozen=True)
class CardText:
    """A supporter resolved against a theme: the exact words the card shows."""

    name: str
    pledge: str
    org: str
    photo: Path | None
    handle: str
    language: str
    prompt_id: str | None
    style: str | None = None  # "text", "photo", or None for the theme's default


def resolve(supporter: Supporter, theme: Theme) -> CardText:
    """Normalise and check a supporter's details; raise SupporterError naming the field."""
    asked = (supporter.language or "").strip() or theme.default_language
    language = theme.language_code(asked)
    if language is None:
        raise SupporterError(
            "language", f"the language '{asked}' has no wording in this theme; "
            f"choose one of: {', '.join(theme.languages)}")
    wording = theme.wording(language)

    name = clean_text(supporter.name)
    if not name:
        raise SupporterError("name", "the name is empty; a card needs the supporter's name")
    if len(name) > NAME_MAX:
        raise SupporterError("name", f"the name is {len(name)} characters; "
                                     f"at most {NAME_MAX} fit on a card")
    org = clean_text(supporter.org)
    if len(org) > ORG_MAX:
        raise SupporterError("org", f"the organisation is {len(org)} characters; "
                                    f"at most {ORG_MAX} fit on a card")
    handle = clean_text(supporter.handle).replace(" ", "")
    if handle and not handle.startswith("@"):
        handle = "@" + handle
    if len(handle) > HANDLE_MAX:
        raise SupporterError("handle", f"the social handle is {len(handle)} characters; "
                                       f"at most {HANDLE_MAX} are allowed")

    style = clean_text(supporter.style).lower() or None
    if style is not None and style not in STYLES:
        raise SupporterError("style", f"the style '{style}' is not one of: {', '.join(STYLES)} "
                             "(or leave it empty for the theme's choice)")

    raw = clean_text(supporter.pledge)
    prompt_id = raw.lower() if raw.lower() in wording.prompts else None
    if prompt_id:
        pledge = wording.prompts[prompt_id]
    elif _PROMPT_LIKE.fullmatch(raw.lower()):
        close = difflib.get_close_matches(raw.lower(), list(wording.prompts), n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'? " if close else ""
        raise SupporterError(
            "pledge", f"'{raw}' is not one of this theme's prompts; {hint}choose one of: "
            f"{', '.join(wording.prompts)}, or write your pledge in your own words")
    else:
        # People often type the card's own opening words; the card prints them already.
        pledge = _INTRO.sub("", raw).strip()
        if not pledge:
            raise SupporterError(
                "pledge", "the pledge is empty; write your own words or choose a prompt: "
                + ", ".join(wording.prompts))
        if len(pledge) > theme.pledge_max:
            raise SupporterError(
                "pledge", f"the pledge is {len(pledge)} characters; this theme allows "
                f"{theme.pledge_max}: shorten it by {len(pledge) - theme.pledge_max}")
    return CardText(name=name, pledge=pledge, org=org, photo=supporter.photo, handle=handle,
                    language=language, prompt_id=prompt_id, style=style)
