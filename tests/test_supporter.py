"""A supporter's details: cleaned up the way a person would expect, and refused with a
message a supporter understands."""

from __future__ import annotations

import unicodedata

import pytest

from imhcard.core.messages import say
from imhcard.core.supporter import Supporter, clean_text, resolve
from imhcard.core.theme import Theme
from imhcard.errors import SupporterError


def supporter_error(theme: Theme, **details: str) -> SupporterError:
    details.setdefault("name", "Aoife")
    details.setdefault("pledge", "speak-up")
    with pytest.raises(SupporterError) as info:
        resolve(Supporter(**details), theme)  # type: ignore[arg-type]
    return info.value


# --- normalising --------------------------------------------------------------------


def test_name_is_nfc_normalised(theme_2026: Theme) -> None:
    typed = "Sea\u0301n O\u0301 Briain"  # decomposed: e + combining acute, as macOS types it
    pledge = resolve(Supporter(name=typed, pledge="listen"), theme_2026)
    assert pledge.name == "Seán Ó Briain"
    assert unicodedata.is_normalized("NFC", pledge.name)
    assert len(pledge.name) == 13


@pytest.mark.parametrize("control", ["\u202e", "\u202d", "\u202a", "\u202b", "\u202c",
                                     "\u2066", "\u2067", "\u2068", "\u2069", "\u200e",
                                     "\u200f", "\u200b", "\x00", "\x07", "\x1b", "\ufeff"])
def test_bidi_overrides_and_control_characters_are_removed(theme_2026: Theme,
                                                           control: str) -> None:
    pledge = resolve(Supporter(name=f"Ao{control}ife", pledge=f"listen{control} well",
                               org=f"Sure{control} Start"), theme_2026)
    assert (pledge.name, pledge.pledge, pledge.org) == ("Aoife", "listen well", "Sure Start")


def test_right_to_left_override_cannot_reverse_a_name(theme_2026: Theme) -> None:
    # "\u202egnp.exe" displays as "exe.png" in many programs: a known spoofing trick.
    pledge = resolve(Supporter(name="Aoife \u202eniairhB", pledge="listen"), theme_2026)
    assert pledge.name == "Aoife niairhB"


def test_joiners_needed_by_emoji_and_scripts_are_kept() -> None:
    family = "\U0001F468\u200d\U0001F469\u200d\U0001F467"
    assert clean_text(f"Aoife {family}") == f"Aoife {family}"
    assert clean_text("می\u200cخواهم") == "می\u200cخواهم"  # Persian ZWNJ


def test_white_space_is_folded_and_trimmed(theme_2026: Theme) -> None:
    pledge = resolve(Supporter(name="  Aoife \t Ní\u00a0\u00a0Bhriain \n", pledge="listen",
                               org="\nSure  Start\r\nNewry "), theme_2026)
    assert pledge.name == "Aoife Ní Bhriain"
    assert pledge.org == "Sure Start Newry"


# --- names --------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["", "   ", "\u202e", "\t\n", "\u200b\u200b"])
def test_empty_name(theme_2026: Theme, name: str) -> None:
    error = supporter_error(theme_2026, name=name)
    assert error.field == "name"
    assert str(error) == "the name is empty; a card needs the supporter's name"


def test_name_longer_than_80_characters(theme_2026: Theme) -> None:
    error = supporter_error(theme_2026, name="A" * 40 + " " + "B" * 41)
    assert error.field == "name"
    assert str(error) == "the name is 82 characters; at most 80 fit on a card"


def test_handle_gets_its_at_sign(theme_2026: Theme) -> None:
    pledge = resolve(Supporter(name="Aoife", pledge="listen", handle=" @ aoife_nb "),
                     theme_2026)
    assert pledge.handle == "@aoife_nb"
    # Words are not a handle (a handle has no spaces): said, never dropped unseen; a
    # sentence saying there is none is no handle.
    with pytest.raises(SupporterError) as words:
        resolve(Supporter(name="Aoife", pledge="listen", handle="aoife nb"), theme_2026)
    assert words.value.field == "handle"
    assert say(words.value, "en").startswith("Your social handle cannot be used as it is")
    assert resolve(Supporter(name="Aoife", pledge="listen", handle="n/a - not on it"),
                   theme_2026).handle == ""


# --- pledges ------------------------------------------------------------------------


def test_prompt_id_is_replaced_by_its_wording(theme_2026: Theme) -> None:
    pledge = resolve(Supporter(name="Aoife", pledge="speak-up"), theme_2026)
    assert pledge.prompt_id == "speak-up"
    assert pledge.pledge == "speak up for babies and the people who care for them"


def test_prompt_id_ignores_case_and_spaces(theme_2026: Theme) -> None:
    pledge = resolve(Supporter(name="Aoife", pledge="  Play-Talk-Cuddle "), theme_2026)
    assert pledge.prompt_id == "play-talk-cuddle"
    assert pledge.pledge == "make time every day to play, talk and cuddle"


def test_prompt_id_in_irish(theme_2026: Theme) -> None:
    pledge = resolve(Supporter(name="Caoimhín", pledge="listen", language="ga"), theme_2026)
    assert (pledge.language, pledge.prompt_id) == ("ga", "listen")
    assert pledge.pledge == "éisteacht le leanaí agus a mothúcháin a ghlacadh dáiríre"


def test_language_code_is_forgiving_about_case(theme_2026: Theme) -> None:
    pledge = resolve(Supporter(name="Caoimhín", pledge="listen", language=" GA "), theme_2026)
    assert pledge.language == "ga"


def test_own_words_are_kept(theme_2026: Theme) -> None:
    pledge = resolve(Supporter(name="Seán", pledge="read to my baby every night"), theme_2026)
    assert pledge.prompt_id is None
    assert pledge.pledge == "read to my baby every night"


@pytest.mark.parametrize("typed", [
    "I pledge to read to my baby every night",
    "i pledge to read to my baby every night",
    "I PLEDGE TO: read to my baby every night",
    "I pledge… read to my baby every night",
    "  I  pledge  to,  read to my baby every night",
])
def test_typed_i_pledge_to_is_not_printed_twice(theme_2026: Theme, typed: str) -> None:
    # The card already prints "I pledge to" above the pledge.
    pledge = resolve(Supporter(name="Seán", pledge=typed), theme_2026)
    assert pledge.pledge == "read to my baby every night"


def test_typed_geallaim_is_not_printed_twice(theme_2026: Theme) -> None:
    pledge = resolve(Supporter(name="Seán", pledge="Geallaim léamh do mo leanbh",
                               language="ga"), theme_2026)
    assert pledge.pledge == "léamh do mo leanbh"


def test_a_word_starting_with_pledge_is_not_cut(theme_2026: Theme) -> None:
    pledge = resolve(Supporter(name="Seán", pledge="I pledge together with my family to "
                                                   "read every night"), theme_2026)
    assert pledge.pledge == "together with my family to read every night"


def test_pledge_too_long(theme_2026: Theme) -> None:
    error = supporter_error(theme_2026, pledge="a" * 212)
    assert error.field == "pledge"
    assert str(error) == ("the pledge is 212 characters; this theme allows 140: "
                          "shorten it by 72")


def test_pledge_at_the_limit_is_accepted(theme_2026: Theme) -> None:
    words = ("read to my baby " * 9)[:140]
    assert len(words) == 140
    assert resolve(Supporter(name="Seán", pledge=words), theme_2026).pledge == words.strip()


def test_pledge_length_counts_characters_not_code_points(theme_2026: Theme) -> None:
    # 140 letters with accents typed as letter + combining mark: NFC makes them 140.
    typed = "e\u0301" * 140
    assert len(resolve(Supporter(name="Seán", pledge=typed), theme_2026).pledge) == 140


def test_empty_pledge_lists_the_prompts(theme_2026: Theme) -> None:
    error = supporter_error(theme_2026, pledge="I pledge to")
    assert error.field == "pledge"
    assert str(error) == ("the pledge is empty; write your own words or choose a prompt: "
                          "speak-up, first-1001-days, listen, relationships, "
                          "play-talk-cuddle, champion")


def test_mistyped_prompt_id_is_questioned(theme_2026: Theme) -> None:
    error = supporter_error(theme_2026, pledge="speak-upp")
    assert error.field == "pledge"
    assert "speak-up" in str(error)


def test_unknown_language(theme_2026: Theme) -> None:
    error = supporter_error(theme_2026, language="fr")
    assert error.field == "language"
    assert str(error) == ("the language 'fr' has no wording in this theme; "
                          "choose one of: en, ga")


def test_organisation_too_long(theme_2026: Theme) -> None:
    error = supporter_error(theme_2026, org="x" * 101)
    assert error.field == "org"
    assert str(error) == "the organisation is 101 characters; at most 100 fit on a card"
