"""Right-to-left text in the Unicode Bidirectional Algorithm's order: Latin words, phone
numbers, spaces and hyphens inside an Arabic pledge sit where an Arabic reader expects
them, as python-bidi (the unicode-bidi crate) orders them."""

from __future__ import annotations

import pytest
from bidi import get_display
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from PIL import ImageChops

from imhcard.core.formats import FORMATS
from imhcard.core.supporter import Supporter, clean_text, resolve
from imhcard.core.theme import Theme
from imhcard.render import bidi
from imhcard.render.compose import render_card
from imhcard.render.draw import chain_for
from imhcard.render.fonts import FontChain, Run, line_runs, split_runs

ARABIC_PLEDGE = "سأحضر جلسات Stay-and-Play مع طفلي كل أسبوع، اتصلوا بي على 028 9012 3456"


@pytest.fixture(scope="module")
def chain(theme_2026: Theme) -> FontChain:
    return chain_for(theme_2026, "display")


def texts(runs: list[Run]) -> list[str]:
    return [run.text for run in runs]


def drawn(runs: list[Run]) -> str:
    """The characters of runs in visual order, left to right, as the reference
    implementation lists them: a right-to-left run's characters reversed."""
    return "".join(run.text[::-1] if run.rtl else run.text for run in runs)


# Pieces supporters' pledges are made of: Arabic letters (one with a vowel mark), Latin,
# European and Arabic-Indic digits, spaces, hyphens and other punctuation (the Arabic
# comma and question mark too), brackets (which mirror), and emoji, one with a skin
# tone, a ZWJ family and a flag (whose letters read left to right).
PIECES = ["ب", "سأحضر", "مع", "طفلي", "بَ", "a", "Stay", "Newry", "028", "9012", "٣٤٥", " ",
          " ", "-", ".", ",", "،", "؟", "!", ":", "/", "+", "%", "#", "(", ")", "[", "]",
          "'", "\"", "«", "»", "…", "–", "💙", "👶🏽", "👨‍👩‍👧", "🇮🇪", "©"]
mixed = st.lists(st.sampled_from(PIECES), min_size=1, max_size=24).map("".join)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=mixed, direction=st.sampled_from([None, True, False]))
@example(text=ARABIC_PLEDGE, direction=None)
@example(text="Sure Start Newry، 028 9012 3456 (مع)", direction=True)
def test_runs_are_in_the_reference_visual_order(chain: FontChain, text: str,
                                                direction: bool | None) -> None:
    rtl = bidi.paragraph_rtl(text) if direction is None else direction
    runs = line_runs(text, chain, "pledge", rtl)
    assert drawn(runs) == get_display(text, base_dir="R" if rtl else "L")
    # Nothing is lost or doubled: the runs in reading order are the text.
    assert "".join(texts(list(split_runs(text, chain, "pledge", rtl)))) == text
    # Each run is drawn in its level's direction: Arabic right to left, Latin and
    # digits left to right.
    for run in runs:
        if any(c in run.text for c in "سبمطa"):
            assert run.rtl == any(c in run.text for c in "سبمط")


def test_a_latin_word_in_an_arabic_line_keeps_its_space(chain: FontChain) -> None:
    # The reported bug: the space went to the far end of the line and "مع" touched
    # the Latin word. Read right to left: Stay-and-Play, space, مع.
    assert texts(line_runs("Stay-and-Play مع", chain, "pledge", True)) == [
        "مع", " ", "Stay-and-Play"]
    # A hyphenated Latin word stays one left-to-right word, hyphens inside it; the
    # space after مع is drawn with it, right to left, so it lands on its left.
    assert texts(line_runs("مع Sure-Start و", chain, "pledge", True)) == [
        "و", " ", "Sure-Start", "مع "]


def test_a_phone_number_in_arabic_reads_in_groups_from_the_right(chain: FontChain) -> None:
    # Each group of digits reads left to right; the groups follow the Arabic
    # sentence, right to left, as a browser shows them.
    assert texts(line_runs("اتصلوا على 028 9012 3456", chain, "pledge", True)) == [
        "3456", " ", "9012", " ", "028", "اتصلوا على "]


def test_brackets_around_latin_in_arabic_are_drawn_right_to_left(chain: FontChain) -> None:
    # The brackets take the Arabic's direction (rule N0), so the shaper mirrors them
    # and they open on the right, where an Arabic reader starts.
    runs = line_runs("مع (Sure Start) اليوم", chain, "pledge", True)
    assert texts(runs) == ["اليوم", ") ", "Sure Start", "(", "مع "]
    assert [r.rtl for r in runs] == [True, True, False, True, True]


def test_a_left_to_right_paragraph_keeps_arabic_words_in_their_place(
        chain: FontChain) -> None:
    line = "speak up with شيماء and Sure Start"
    assert bidi.line_levels(line, False) == (0,) * 14 + (1,) * 5 + (0,) * 15
    assert texts(line_runs(line, chain, "pledge", False)) == [
        "speak up with ", "شيماء", " and Sure Start"]


def test_trailing_spaces_take_the_paragraphs_direction() -> None:
    # Rule L1: trailing spaces never sit inside a reversed Latin run.
    assert bidi.line_levels("مع abc  ", True) == (1, 1, 1, 2, 2, 2, 1, 1)


def test_latin_only_text_needs_no_reordering(chain: FontChain) -> None:
    assert bidi.line_levels("Aoife Ní Bhriain 💙 (2026)", False) == (0,) * 25
    assert not bidi.paragraph_rtl("2026 💙 -") and not bidi.paragraph_rtl("")
    assert bidi.paragraph_rtl("12 شيماء Smith")


def test_visual_order_reverses_each_level_from_the_highest() -> None:
    assert bidi.visual_order([0, 1, 1, 0]) == [0, 2, 1, 3]
    assert bidi.visual_order([1, 2, 2, 1, 2]) == [4, 3, 1, 2, 0]
    assert bidi.visual_order([]) == []


def test_an_override_character_never_reverses_a_name_on_the_card(theme_2026: Theme) -> None:
    # U+202E (right-to-left override) makes "niairhB" display as "Bhriain" in many
    # programs. The supporter's text loses it before layout, so the card shows the
    # letters as typed, and the same as with no override at all.
    assert clean_text("Aoife \u202eniairhB\u202c") == "Aoife niairhB"
    fmt = FORMATS["instagram-square"]
    spoofed = render_card(theme_2026, resolve(
        Supporter(name="\u202eAoife niairhB", pledge="listen", org="\u2067Sure Start\u2069"),
        theme_2026), fmt)
    plain = render_card(theme_2026, resolve(
        Supporter(name="Aoife niairhB", pledge="listen", org="Sure Start"), theme_2026), fmt)
    assert ImageChops.difference(spoofed.image.convert("RGB"),
                                 plain.image.convert("RGB")).getbbox() is None


def test_an_arabic_pledge_reads_right_to_left_on_the_card(theme_2026: Theme) -> None:
    card = render_card(theme_2026, resolve(
        Supporter(name="شيماء الحسيني", pledge=ARABIC_PLEDGE, org="Sure Start Newry"),
        theme_2026), FORMATS["instagram-square"])
    assert card.sizes["pledge"] >= card.layout["pledge"].min_size


# Paragraph breaks are excluded: a line never holds one (see bidi._PARAGRAPH_BREAKS).
any_line = st.text(max_size=40).map(
    lambda t: t.translate(dict.fromkeys(map(ord, "\n\r\x1c\x1d\x1e\x85\u2029"), " ")))


@settings(max_examples=300, deadline=None)
@given(text=any_line, rtl=st.booleans())
@example(text="a\u202eb c\u202c d", rtl=False)  # an override, had one reached layout
@example(text="0\x1b", rtl=True)
def test_levels_of_any_text_give_the_reference_order(text: str, rtl: bool) -> None:
    # Any characters at all, explicit embeddings and isolates included: the order
    # from imhcard's levels is the library's own.
    order = bidi.visual_order(bidi.line_levels(text, rtl))
    assert "".join(text[i] for i in order) == get_display(text, base_dir="R" if rtl else "L")


def test_a_changed_library_report_fails_loudly(monkeypatch: pytest.MonkeyPatch) -> None:
    # Levels come from python-bidi's debug report; a release that words it otherwise
    # must stop the render, not draw Arabic in the wrong order.
    monkeypatch.setattr(bidi, "get_display", lambda *a, **k: "BidiInfo { levels: [1, 1] }")
    bidi.line_levels.cache_clear()
    try:
        with pytest.raises(RuntimeError, match="python-bidi"):
            bidi.line_levels("مع abc", True)
    finally:
        bidi.line_levels.cache_clear()
