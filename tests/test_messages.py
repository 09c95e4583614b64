"""What imhcard tells a supporter (core/messages.py): every message in every language it
speaks, with its values filled in, in plain words, and the Irish with its grammar."""

from __future__ import annotations

import re

import pytest

from imhcard.core.fields import FIELDS
from imhcard.core.messages import MESSAGES, render, say
from imhcard.core.supporter import Supporter, resolve
from imhcard.core.theme import Theme
from imhcard.errors import SupporterError

# Values a message may be given, as the code that raises it gives them.
SAMPLE = {"field": "name", "n": 120, "max": 80, "cut": 7, "asked": "fr", "choices": "en, ga",
          "value": "speak-upp", "guess": "speak-up", "place": " on the story card", "size": 28,
          "lines": 5, "room": 3, "char": "\ue000", "codepoint": "U+E000",
          "char_name": "unnamed character", "megapixels": 61, "mb": 15, "photo_mb": 15,
          "low": 0.0, "high": 1.0, "why": "the form has more than 32 fields", "seconds": 5,
          "said": "aoife on insta"}
def _values(code: str) -> dict[str, object]:
    return {**SAMPLE, "value": 1.5} if code == "crop_range" else SAMPLE


CODES = sorted(code for code in MESSAGES if "." not in code)
LANGUAGES = ("en", "ga")
# Words that belong to code, not to a message for people.
LIBRARY_WORDS = re.compile(r"Error\b|Exception|Pillow|PIL\b|Unidentified|Traceback|None\b|"
                           r"\{|\}|struct|multipart|UTF-8|boundary", re.IGNORECASE)


@pytest.mark.parametrize("code", CODES)
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_in_every_language(code: str, language: str) -> None:
    assert language in MESSAGES[code], f"{code} has no {language} wording"
    text = render(code, language, _values(code))
    assert text and not LIBRARY_WORDS.search(text), text
    assert (text[0].isupper() or text[0] == "'") and text.rstrip()[-1] in ".:)'", text


@pytest.mark.parametrize("code", CODES)
def test_the_staff_wording_names_every_particular(code: str) -> None:
    text = render(code, "staff", _values(code))
    assert "{" not in text and "}" not in text


@pytest.mark.parametrize("field", [f.name for f in FIELDS if f.max_chars])
def test_irish_says_your_field_as_irish_joins_it(field: str) -> None:
    text = render("too_long", "ga", {**SAMPLE, "field": field})
    your = {"name": "d'ainm", "org": "d'eagraíocht nó do ról", "handle": "d'ainm úsáideora"}
    assert text.startswith(f"Tá {your[field]} rófhada")
    # "d'eagraíocht nó do ról": the pronoun agrees with the nearer noun, ról (masculine),
    # as "bain ... de" does in does_not_fit, so every field is "giorraigh é".
    assert "giorraigh é" in text


@pytest.mark.parametrize(("n", "words"), [(1, "carachtar amháin"), (2, "2 charachtar"),
                                          (7, "7 gcarachtar"), (11, "11 charachtar"),
                                          (20, "20 carachtar"), (21, "21 charachtar")])
def test_irish_counts_agree_with_their_number(n: int, words: str) -> None:
    assert f"bain {words} de" in render("pledge_too_long", "ga", {**SAMPLE, "cut": n})


def test_english_counts_say_one_and_many() -> None:
    assert "by 1 character " in render("pledge_too_long", "en", {**SAMPLE, "cut": 1})
    assert "by 2 characters " in render("pledge_too_long", "en", {**SAMPLE, "cut": 2})


def test_an_error_raised_by_a_check_is_said_in_the_supporters_language(
        theme_2026: Theme) -> None:
    with pytest.raises(SupporterError) as info:
        resolve(Supporter(name="", pledge="listen"), theme_2026)
    assert str(info.value) == "the name is empty; a card needs the supporter's name"
    assert say(info.value, "en") == "Enter your name: a card needs it."
    assert say(info.value, "ga") == "Scríobh d'ainm: ní féidir cárta a dhéanamh gan é."


def test_a_language_with_no_wording_of_its_own_gets_english() -> None:
    assert render("empty", "cy", {"field": "name"}) == "Enter your name: a card needs it."
