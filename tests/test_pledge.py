"""Supporters' own words as they meant them: what normalise_pledge folds, tidies and keeps,
checked on examples people type and, with hypothesis, on any text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from imhcard.core.formats import FORMATS
from imhcard.core.pledge import mistyped_prompt, normalise_pledge, only_stem, tidy_sentence
from imhcard.core.supporter import Supporter, resolve
from imhcard.core.theme import Theme
from imhcard.errors import SupporterError
from imhcard.render.compose import render_card

PROMPT_IDS = ["speak-up", "first-1001-days", "listen", "relationships", "play-talk-cuddle",
              "champion"]


@pytest.mark.parametrize(("typed", "meant"), [
    ("read to my baby every night", "read to my baby every night"),
    ("I pledge to read to my baby every night", "read to my baby every night"),
    ("I will read to my baby every night", "read to my baby every night"),
    ("I will Read to my baby", "read to my baby"),
    ("I'll sing every day", "sing every day"),
    ("I’ll sing every day", "sing every day"),
    ("I promise to listen", "listen"),
    ("I promise that I will listen", "listen"),
    ("I commit to reading together", "reading together"),
    ("I am going to put my phone away", "put my phone away"),
    ("to play more", "play more"),
    ("I pledge to I will read", "read"),
    ("Read to my baby every night", "read to my baby every night"),
    ("read every night..", "read every night."),
    ("read every night...", "read every night..."),
    ("Read…!.", "read…!"),
    ("read every night?.", "read every night?"),
    ("read every night ,", "read every night"),
    ("listen,, and learn", "listen, and learn"),
    ("read every night;", "read every night"),
    ("“Read every night”", "read every night"),
    ('"I will read every night."', "read every night."),
    ("'read'", "read"),
    ("  read   every  night  ", "read every night"),
    # Kept as typed: a name, a language, an acronym, "I", a name with capitals inside.
    ("Irish dancing with my baby", "Irish dancing with my baby"),
    ("I will speak Irish with my baby", "speak Irish with my baby"),
    ("Sam and I will read every night", "Sam and I will read every night"),
    ("NHS staff to be heard", "NHS staff to be heard"),
    ("McKenna family walks", "McKenna family walks"),
    ("read 'Goodnight Moon' every night", "read 'Goodnight Moon' every night"),
    ("READ EVERY NIGHT", "READ EVERY NIGHT"),
    # Words that begin like a stem are not stems.
    ("I pledge together with my family to read", "together with my family to read"),
    ("tomorrow and every day, read", "tomorrow and every day, read"),
    ("I willingly read", "I willingly read"),
    ("totally unplug at dinner", "totally unplug at dinner"),
])
def test_english_own_words(typed: str, meant: str) -> None:
    assert normalise_pledge(typed, "I pledge to", "en") == meant


@pytest.mark.parametrize(("typed", "meant"), [
    ("léamh do mo leanbh", "léamh do mo leanbh"),
    ("Geallaim léamh do mo leanbh", "léamh do mo leanbh"),
    ("Geallaim: Léamh do mo leanbh", "léamh do mo leanbh"),
    ("Geallaim go léifidh mé do mo leanbh", "go léifidh mé do mo leanbh"),
    ("Tugaim gealltanas go léifidh mé do mo leanbh", "go léifidh mé do mo leanbh"),
    # Future tense after "Geallaim" needs "go" and eclipsis: "I pledge that I will ...".
    ("Déanfaidh mé mo dhícheall", "go ndéanfaidh mé mo dhícheall"),
    ("Léifidh mé gach oíche", "go léifidh mé gach oíche"),
    ("Beidh mé ann do mo leanbh", "go mbeidh mé ann do mo leanbh"),
    ("Éistfidh mé le mo leanbh", "go n-éistfidh mé le mo leanbh"),
    ("Tabharfaidh mé am", "go dtabharfaidh mé am"),
    ("Gheobhaidh mé am le súgradh", "go bhfaighidh mé am le súgradh"),
    ("Labhairt amach ar son leanaí", "labhairt amach ar son leanaí"),
    ("Gaeilge a labhairt le mo leanbh", "Gaeilge a labhairt le mo leanbh"),
])
def test_irish_own_words(typed: str, meant: str) -> None:
    assert normalise_pledge(typed, "Geallaim", "ga") == meant


def test_the_themes_prompt_words_count_as_common() -> None:
    assert normalise_pledge("Cherish", "I pledge to", "en") == "cherish"
    assert normalise_pledge("Swaddle my baby", "I pledge to", "en") == "Swaddle my baby"
    assert normalise_pledge("Swaddle my baby", "I pledge to", "en",
                            ["swaddle babies gently"]) == "swaddle my baby"


def test_only_the_stem_is_an_empty_pledge() -> None:
    assert only_stem("I pledge to")
    assert only_stem("  i pledge to: ")
    assert only_stem("Geallaim", "Geallaim", "ga")
    assert not only_stem("I pledge to read")


def test_template_punctuation_meets_the_pledge() -> None:
    assert tidy_sentence("I pledge to read!. Every baby") == "I pledge to read! Every baby"
    assert tidy_sentence("every night.. Every baby") == "every night. Every baby"
    assert tidy_sentence("wait... Every") == "wait... Every"


@pytest.mark.parametrize(("typed", "guess"), [
    ("speakup", "speak-up"), ("speak_up", "speak-up"), ("Speak-Up!", "speak-up"),
    ("speak-upp", "speak-up"), ("first1001days", "first-1001-days"),
    ("relationship", "relationships"), ("well-being", ""),
])
def test_mistyped_prompt_ids(typed: str, guess: str) -> None:
    assert mistyped_prompt(typed, PROMPT_IDS) == guess


@pytest.mark.parametrize("typed", ["play", "read", "speak up for my baby", "sing!", "cuddle"])
def test_own_words_are_not_taken_for_prompt_ids(typed: str) -> None:
    assert mistyped_prompt(typed, PROMPT_IDS) is None


# --- properties, on any text ----------------------------------------------------------

PIECES = ["I pledge to", "I will", "I'll", "to", "I promise to", "read", "Read", "Irish",
          "NHS", "Sam", "every night", "..", ".", "!", "?", "…", ",", ";", "“", "”", "'",
          '"', " ", "  ", "Always", "I", "i"]
typed_text = st.one_of(
    st.lists(st.sampled_from(PIECES), min_size=1, max_size=8).map(" ".join),
    st.lists(st.sampled_from(PIECES), min_size=1, max_size=8).map("".join),
    st.text(min_size=1, max_size=40),
)


def _letters(text: str) -> str:
    return "".join(ch for ch in text if ch.isalnum())


@pytest.mark.slow
@settings(max_examples=400, deadline=None)
@given(typed_text)
def test_normalising_twice_changes_nothing(typed: str) -> None:
    once = normalise_pledge(typed)
    assert normalise_pledge(once) == once


@pytest.mark.slow
@settings(max_examples=400, deadline=None)
@given(typed_text)
def test_a_pledge_with_something_in_it_never_becomes_empty(typed: str) -> None:
    if typed.strip():
        assert normalise_pledge(typed).strip()


@pytest.mark.slow
@settings(max_examples=400, deadline=None)
@given(typed_text)
def test_only_the_first_letters_case_changes(typed: str) -> None:
    # Letters are only ever removed from the front (the folded stem), never changed
    # or reordered, except that the first one left may be lower-cased.
    before, after = _letters(typed), _letters(normalise_pledge(typed))
    assert len(after) <= len(before)
    if after:
        tail = before[len(before) - len(after):]
        assert after[1:] == tail[1:]
        assert after[0] in (tail[0], tail[0].lower())


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(typed_text)
def test_irish_normalising_twice_changes_nothing(typed: str) -> None:
    once = normalise_pledge(typed, "Geallaim", "ga")
    assert normalise_pledge(once, "Geallaim", "ga") == once


# --- through resolve: the card, alt text and caption show the same sentence ------------


@pytest.mark.parametrize("typed", ["speakup", "speak_up", "Speak_Up", "champions"])
def test_a_mistyped_prompt_id_is_questioned(theme_2026: Theme, typed: str) -> None:
    with pytest.raises(SupporterError) as info:
        resolve(Supporter(name="Seán", pledge=typed), theme_2026)
    assert info.value.field == "pledge"
    assert "did you mean '" in str(info.value)


def test_pledge_to_a_prompt_id_is_the_prompt(theme_2026: Theme) -> None:
    text = resolve(Supporter(name="Seán", pledge="I pledge to listen"), theme_2026)
    assert text.prompt_id == "listen"


def test_the_final_sentence_is_on_card_text(theme_2026: Theme) -> None:
    text = resolve(Supporter(name="Seán", pledge="“I will Read to my baby every night!.”"),
                   theme_2026)
    assert text.pledge == "read to my baby every night!"
    assert text.sentence == "I pledge to read to my baby every night!"
    irish = resolve(Supporter(name="Seán", pledge="Déanfaidh mé mo dhícheall", language="ga"),
                    theme_2026)
    assert irish.sentence == "Geallaim go ndéanfaidh mé mo dhícheall"


def test_alt_text_and_caption_show_the_cards_sentence(theme_2026: Theme) -> None:
    text = resolve(Supporter(name="Seán", pledge="I will read to my baby every night!"),
                   theme_2026)
    card = render_card(theme_2026, text, FORMATS["instagram-square"])
    assert f'"{text.sentence}"' in card.alt_text
    assert f"{text.sentence} Every baby" in card.caption  # not "night!. Every baby"
