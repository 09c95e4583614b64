"""A supporter's details: normalised, validated, and resolved against a theme."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from imhcard.core.limits import CELL_MAX_CHARS, MARKS_PER_LETTER_MAX
from imhcard.core.pledge import mistyped_prompt, normalise_pledge, only_stem, sentence
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


ZOOM_MAX = 4.0


@dataclass(frozen=True)
class Crop:
    """Where the photo sits in its frame: the point of the photo (fractions of its
    width and height, 0 to 1) at the frame's centre, and how much to magnify it
    beyond just covering the frame (1 to ZOOM_MAX). The default is centred."""

    x: float = 0.5
    y: float = 0.5
    zoom: float = 1.0

    def check(self) -> Crop:
        """This crop, or SupporterError naming the field that is out of range."""
        for field, value, low, high in (("crop_x", self.x, 0.0, 1.0),
                                        ("crop_y", self.y, 0.0, 1.0),
                                        ("zoom", self.zoom, 1.0, ZOOM_MAX)):
            if not low <= value <= high:  # also refuses NaN
                raise SupporterError(field, f"the photo's {field} is {value:g}; "
                                            f"use a number from {low:g} to {high:g}")
        return self


@dataclass(frozen=True)
class Supporter:
    """What one supporter gives us. `pledge` is a prompt id or their own words."""

    name: str
    pledge: str
    org: str = ""
    photo: Path | None = None
    handle: str = ""
    language: str | None = None
    crop: Crop | None = None
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
    crop: Crop | None = None
    intro: str = ""  # the theme's stem in this language: "I pledge to", "Geallaim"
    style: str | None = None  # "text", "photo", or None for the theme's default

    def key_parts(self) -> list[object]:
        """Everything the card's pixels depend on, for a batch's content keys."""
        crop = None if self.crop is None else [self.crop.x, self.crop.y, self.crop.zoom]
        return [self.name, self.pledge, self.org, self.handle, self.language, self.prompt_id,
                self.style, crop]

    @property
    def sentence(self) -> str:
        """The whole sentence the card, alt text and caption show:
        'I pledge to read to my baby every night.'"""
        return sentence(self.intro, self.pledge)


def _not_huge(supporter: Supporter) -> None:
    """Refuse text far past any limit before any work is done on it: a 10 MB cell is
    not measured, normalised and then refused, it is refused."""
    for field, label, value in (("name", "name", supporter.name),
                                ("pledge", "pledge", supporter.pledge),
                                ("org", "organisation", supporter.org),
                                ("handle", "social handle", supporter.handle),
                                ("language", "language", supporter.language)):
        if value and len(value) > CELL_MAX_CHARS:
            raise SupporterError(field, f"the {label} is {len(value):,} characters; far more "
                                        "than fits on a card")


def _check_characters(field: str, label: str, text: str) -> None:
    """Characters that cannot be meant: U+FFFD (a character lost when the file was
    saved in the wrong encoding, or a lone surrogate in JSON), and letters buried under
    dozens of stacked accents ("Zalgo" text, drawn far outside its box)."""
    if "\ufffd" in text:
        raise SupporterError(field, f"the {label} has a character that was lost when the "
                                    "file was saved (shown as �); retype it")
    run = 0
    for ch in text:
        run = run + 1 if unicodedata.category(ch).startswith("M") else 0
        if run > MARKS_PER_LETTER_MAX:
            raise SupporterError(field, f"the {label} has a letter with more than "
                                        f"{MARKS_PER_LETTER_MAX} accents or marks stacked on "
                                        "it; remove the extra marks")


def resolve(supporter: Supporter, theme: Theme) -> CardText:
    """Normalise and check a supporter's details; raise SupporterError naming the field."""
    _not_huge(supporter)
    asked = (supporter.language or "").strip() or theme.default_language
    language = theme.language_code(asked)
    if language is None:
        raise SupporterError(
            "language", f"the language '{asked[:40]}' has no wording in this theme; "
            f"choose one of: {', '.join(theme.languages)}")
    wording = theme.wording(language)

    name = clean_text(supporter.name)
    if not name:
        raise SupporterError("name", "the name is empty; a card needs the supporter's name")
    if not any(unicodedata.category(ch)[0] in "LNSP" for ch in name):
        raise SupporterError("name", "the name has no visible letters (only invisible "
                                     "characters); a card needs the supporter's name")
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

    for field, label, text in (("name", "name", name), ("org", "organisation", org),
                               ("handle", "social handle", handle)):
        _check_characters(field, label, text)
    raw = clean_text(supporter.pledge)
    _check_characters("pledge", "pledge", raw)
    prompts = wording.prompts
    prompt_id = raw.lower() if raw.lower() in prompts else None
    if prompt_id is None:
        guess = mistyped_prompt(raw, prompts)
        if guess is not None:
            hint = f"did you mean '{guess}'? " if guess else ""
            raise SupporterError(
                "pledge", f"'{raw}' is not one of this theme's prompts; {hint}choose one of: "
                f"{', '.join(prompts)}, or write your pledge in your own words")
    if prompt_id is None and (not raw or only_stem(raw, wording.pledge_intro, language)):
        raise SupporterError(
            "pledge", "the pledge is empty; write your own words or choose a prompt: "
            + ", ".join(prompts))
    if prompt_id is None:
        # Own words as they meant them after the card's "I pledge to" (core/pledge.py).
        pledge = normalise_pledge(raw, wording.pledge_intro, language, prompts.values())
        if pledge.lower() in prompts:  # "I pledge to speak-up"
            prompt_id = pledge.lower()
    if prompt_id is not None:
        pledge = prompts[prompt_id]
    elif len(pledge) > theme.pledge_max:
        raise SupporterError(
            "pledge", f"the pledge is {len(pledge)} characters; this theme allows "
            f"{theme.pledge_max}: shorten it by {len(pledge) - theme.pledge_max}")
    crop = supporter.crop.check() if supporter.crop else None
    return CardText(name=name, pledge=pledge, org=org, photo=supporter.photo, handle=handle,
                    language=language, prompt_id=prompt_id, crop=crop,
                    intro=wording.pledge_intro, style=style)
