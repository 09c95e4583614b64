"""A supporter's details: normalised, validated, and resolved against a theme."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

from imhcard.core.fields import BY_NAME, FIELDS, PRINTED, clean_text, is_placeholder
from imhcard.core.layout import STYLES
from imhcard.core.limits import CELL_MAX_CHARS, MARKS_PER_LETTER_MAX
from imhcard.core.messages import problem
from imhcard.core.pledge import mistyped_prompt, normalise_pledge, only_stem, sentence
from imhcard.core.pledge_language import pledge_language
from imhcard.core.theme import Theme
from imhcard.errors import SupporterError

__all__ = ["STYLES", "ZOOM_MAX", "CardText", "Crop", "Supporter", "clean_text", "resolve"]

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
                raise problem(SupporterError, field, "crop_range", value=value, low=low,
                              high=high)
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
        return [*(getattr(self, f.name) for f in FIELDS if f.on_card), self.prompt_id, crop]

    @classmethod
    def nobody(cls, language: str, intro: str) -> CardText:
        """No supporter's words at all: what a blank card to fill in by hand stands for."""
        return cls(name="", pledge="", org="", photo=None, handle="", language=language,
                   prompt_id=None, intro=intro)

    @property
    def sentence(self) -> str:
        """The whole sentence the card, alt text and caption show:
        'I pledge to read to my baby every night.'"""
        return sentence(self.intro, self.pledge)


def _not_huge(supporter: Supporter) -> None:
    """Refuse text far past any limit before any work is done on it: a 10 MB cell is
    not measured, normalised and then refused, it is refused."""
    for f in FIELDS:
        value = getattr(supporter, f.name, None)
        if isinstance(value, str) and len(value) > CELL_MAX_CHARS:
            raise problem(SupporterError, f.name, "too_big", n=len(value))


def _check_characters(field: str, text: str) -> None:
    """Characters that cannot be meant: U+FFFD (a character lost when the file was
    saved in the wrong encoding, or a lone surrogate in JSON), and letters buried under
    dozens of stacked accents ("Zalgo" text, drawn far outside its box)."""
    if "\ufffd" in text:
        raise problem(SupporterError, field, "lost_character")
    run = 0
    for ch in text:
        run = run + 1 if unicodedata.category(ch).startswith("M") else 0
        if run > MARKS_PER_LETTER_MAX:
            raise problem(SupporterError, field, "stacked_marks", max=MARKS_PER_LETTER_MAX)


def _language(supporter: Supporter, theme: Theme) -> str:
    asked = (supporter.language or "").strip() or theme.default_language
    language = theme.language_code(asked)
    if language is None:
        raise problem(SupporterError, "language", "unknown_language", asked=asked[:40],
                      choices=", ".join(theme.languages))
    return language


def _cleaned(supporter: Supporter) -> dict[str, str]:
    """Every printed field but the pledge, cleaned by its own rule and within its limit."""
    out: dict[str, str] = {}
    for f in PRINTED:
        if f.name == "pledge":
            continue
        given = getattr(supporter, f.name)
        value = f.clean(given)
        if not value and given and given.strip() and not is_placeholder(given, sentence=True):
            # Words where a handle goes ("aoife on insta"): said, not dropped unseen.
            raise problem(SupporterError, f.name, "not_usable", said=" ".join(given.split())[:60])
        if f.required and not value:
            raise problem(SupporterError, f.name, "empty")
        if f.required and not any(unicodedata.category(ch)[0] in "LNSP" for ch in value):
            raise problem(SupporterError, f.name, "no_letters")
        if f.max_chars and len(value) > f.max_chars:
            raise problem(SupporterError, f.name, "too_long", n=len(value), max=f.max_chars)
        out[f.name] = value
    return out


def _style(supporter: Supporter) -> str | None:
    style = BY_NAME["style"].clean(supporter.style) or None
    if style is not None and style not in STYLES:
        raise problem(SupporterError, "style", "unknown_choice", value=style[:40],
                      choices=", ".join(STYLES))
    return style


def _pledge(raw: str, theme: Theme, language: str) -> tuple[str, str | None]:
    """The pledge's words and its prompt id (None for the supporter's own words)."""
    wording = theme.wording(language)
    prompts = wording.prompts
    prompt_id = raw.lower() if raw.lower() in prompts else None
    choices = ", ".join(prompts)
    if prompt_id is None:
        guess = mistyped_prompt(raw, prompts)
        if guess:
            raise problem(SupporterError, "pledge", "mistyped_prompt", value=raw[:60],
                          guess=guess, choices=choices)
        if guess is not None:
            raise problem(SupporterError, "pledge", "unknown_prompt", value=raw[:60],
                          choices=choices)
    if prompt_id is None and (not raw or only_stem(raw, wording.pledge_intro, language)):
        raise problem(SupporterError, "pledge", "empty_pledge", choices=choices)
    written_in = pledge_language(raw) if prompt_id is None else None
    if written_in is not None and written_in != language and written_in in theme.languages:
        # "Geallaim read to my baby": a card that mixes two languages is never made.
        raise problem(SupporterError, "pledge", "other_language")
    if prompt_id is None:
        # Own words as they meant them after the card's "I pledge to" (core/pledge.py).
        pledge = normalise_pledge(raw, wording.pledge_intro, language, prompts.values())
        if pledge.lower() in prompts:  # "I pledge to speak-up"
            prompt_id = pledge.lower()
    if prompt_id is not None:
        return prompts[prompt_id], prompt_id
    if len(pledge) > theme.pledge_max:
        raise problem(SupporterError, "pledge", "pledge_too_long", n=len(pledge),
                      max=theme.pledge_max, cut=len(pledge) - theme.pledge_max)
    return pledge, None


def resolve(supporter: Supporter, theme: Theme) -> CardText:
    """Normalise and check a supporter's details; raise SupporterError naming the field."""
    _not_huge(supporter)
    language = _language(supporter, theme)
    text = _cleaned(supporter)
    style = _style(supporter)
    for name, value in text.items():
        _check_characters(name, value)
    raw = clean_text(supporter.pledge)
    _check_characters("pledge", raw)
    pledge, prompt_id = _pledge(raw, theme, language)
    crop = supporter.crop.check() if supporter.crop else None
    return CardText(**text, pledge=pledge, photo=supporter.photo, language=language,
                    prompt_id=prompt_id, crop=crop, intro=theme.wording(language).pledge_intro,
                    style=style)
