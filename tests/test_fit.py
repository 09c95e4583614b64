"""Text fitting as exact numbers: the size chosen, the lines, and the error that says how
much to cut. Pure geometry, no pixels.

The exact sizes and widths below were measured with the bundled display font
(assets/fonts/brand-Bold.ttf) and checked by eye on rendered cards; a change in the
font file or in FreeType's metrics shows up here first.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from imhcard.core.formats import FORMATS
from imhcard.core.supporter import Supporter, resolve
from imhcard.core.theme import Theme
from imhcard.errors import FitError
from imhcard.render.compose import render_card
from imhcard.render.fit import FittedText, fit_text, text_width
from imhcard.render.fonts import FontChain, builtin_font

DISPLAY = FontChain.build(builtin_font("brand-Bold.ttf"), weight="bold")

SPEAK_UP = "speak up for babies and the people who care for them"
LONG_138 = ("read to my baby every night, sing the songs my granny sang to me, and ask my "
            "employer for a quieter room where parents can feed and settle")
WELSH = "Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch"
# A long Irish and Polish name of exactly 80 characters (the most the supporter check
# accepts), and its beginnings: names of every length from 1 to 80.
LONG_NAME = "Caoimhín Ó Súilleabháin-Wróbel Fitzgerald Mac Giolla Phádraig Nic Dhonnchadha-Óg"
NAMES = sorted({LONG_NAME[:n].rstrip(" -") for n in range(1, 81)}, key=len)


def square_pledge(text: str) -> FittedText:
    """Fit into the instagram-square pledge box: 620×284, 64 px down to 32, 5 lines."""
    return fit_text(text, DISPLAY, 620, 284, 64, 32, 5, 1.18, field="pledge",
                    where="instagram-square")


def fit_error(text: str, *box: int) -> FitError:
    with pytest.raises(FitError) as info:
        fit_text(text, DISPLAY, *box, field="name")
    return info.value


# --- exact numbers ------------------------------------------------------------------


def test_prompt_fits_at_the_largest_size() -> None:
    fitted = square_pledge(SPEAK_UP)
    assert fitted.size == 64
    assert fitted.lines == ("speak up for babies", "and the people who", "care for them")
    assert [round(w, 1) for w in fitted.widths] == [612.1, 608.3, 425.8]
    assert (fitted.line_height, fitted.height) == (76, 228)


def test_long_pledge_shrinks_to_five_lines() -> None:
    fitted = square_pledge(LONG_138)
    assert fitted.size == 41
    assert fitted.lines == ("read to my baby every night,", "sing the songs my granny sang",
                            "to me, and ask my employer", "for a quieter room where",
                            "parents can feed and settle")
    assert fitted.height == 240 <= 284
    assert max(fitted.widths) <= 620


def test_long_pledge_in_a_wider_box() -> None:
    fitted = fit_text(LONG_138, DISPLAY, 960, 320, 80, 36, 5)
    assert (fitted.size, len(fitted.lines)) == (54, 5)


def test_size_chosen_is_the_largest_that_fits() -> None:
    fitted = square_pledge(LONG_138)
    with pytest.raises(FitError):
        fit_text(LONG_138, DISPLAY, 620, 284, 64, fitted.size + 1, 5)


def test_one_word_stays_on_one_line_at_full_size() -> None:
    fitted = square_pledge("listen")
    assert (fitted.size, fitted.lines) == (64, ("listen",))
    assert fitted.widths[0] == pytest.approx(164.36, abs=0.01)
    assert fitted.widths[0] == text_width("listen", DISPLAY, 64)


def test_hashtag_measured_exactly() -> None:
    assert text_width("#StrongerFromTheStart", DISPLAY, 64) == pytest.approx(747.73, abs=0.01)
    fitted = fit_text("#StrongerFromTheStart", DISPLAY, 600, 104, 64, 36, 1)
    assert (fitted.size, fitted.lines) == (51, ("#StrongerFromTheStart",))


def test_newline_is_a_hard_break() -> None:
    fitted = fit_text("Speak Up\nFor Babies", DISPLAY, 960, 300, 80, 36, 3)
    assert (fitted.size, fitted.lines) == (80, ("Speak Up", "For Babies"))


# --- very long words ----------------------------------------------------------------


def test_very_long_word_breaks_between_characters() -> None:
    fitted = square_pledge(WELSH)
    assert fitted.size == 61
    assert fitted.lines == ("Llanfairpwllgwyngyll", "gogerychwyrndrobw", "llllantysiliogogogoch")
    assert "".join(fitted.lines) == WELSH  # nothing dropped, nothing added
    assert max(fitted.widths) <= 620


def test_very_long_word_inside_a_sentence_loses_nothing() -> None:
    text = f"visit {WELSH} with my baby"
    fitted = square_pledge(text)
    assert fitted.size == 49
    assert "".join(fitted.lines).replace(" ", "") == text.replace(" ", "")
    assert fitted.lines[0] == "visit"
    assert fitted.lines[-1].endswith("with my baby")
    assert max(fitted.widths) <= 620


# --- balanced lines -----------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "listen to babies and take their feelings seriously",
    "make time every day to play, talk and cuddle",
    "champion infant mental health where I live and work",
    SPEAK_UP,
])
@pytest.mark.parametrize("box_w", [960, 620])
def test_two_lines_are_balanced(text: str, box_w: int) -> None:
    fitted = fit_text(text, DISPLAY, box_w, 200, 80, 36, 2)
    assert len(fitted.lines) == 2
    short, long = sorted(fitted.widths)
    assert short >= 0.65 * long, fitted.lines


def test_no_orphan_when_greedy_wrapping_would_leave_one() -> None:
    # The box is just wide enough for all but the last word: greedy wrapping would
    # leave "them" alone on the second line.
    box_w = int(text_width("speak up for babies and the people who care for", DISPLAY, 48)) + 2
    fitted = fit_text(SPEAK_UP, DISPLAY, box_w, 200, 48, 48, 2)
    assert fitted.lines == ("speak up for babies and the", "people who care for them")
    short, long = sorted(fitted.widths)
    assert short >= 0.65 * long


# --- the minimum size and the error -------------------------------------------------


def test_never_smaller_than_the_minimum() -> None:
    text = "read to my baby every night, sing the songs my granny sang to me " * 2
    fitted = square_pledge(text.strip())
    assert fitted.size >= 32
    with pytest.raises(FitError):
        square_pledge(text * 2)


def test_fit_error_names_the_field_and_how_much_to_cut() -> None:
    text = ("read to my baby every night " * 10).strip()
    with pytest.raises(FitError) as info:
        square_pledge(text)
    assert info.value.field == "pledge"
    assert str(info.value) == (
        "the pledge is too long to fit on the instagram-square card: at the smallest size "
        "(32 px) it needs 8 lines and there is room for 5; shorten it by about 97 characters")


def test_fit_error_for_a_name() -> None:
    error = fit_error(LONG_NAME[:60], 300, 100, 38, 31, 2)
    assert error.field == "name"
    assert re.fullmatch(r"the name is too long to fit: at the smallest size \(31 px\) it needs "
                        r"4 lines and there is room for 2; shorten it by about \d+ characters",
                        str(error))


def test_following_the_suggestion_makes_it_fit() -> None:
    name = LONG_NAME[:60]
    error = fit_error(name, 300, 100, 38, 31, 2)
    cut = int(re.search(r"about (\d+) character", str(error)).group(1))  # type: ignore[union-attr]
    fit_text(name[:-cut].rstrip(), DISPLAY, 300, 100, 38, 31, 2)


def test_one_character_is_singular() -> None:
    # "Caoimhín Ó Súilleabh" is one letter too wide for a 300 px line at 31 px.
    error = fit_error("Caoimhín Ó Súilleabh", 300, 40, 38, 31, 1)
    assert str(error).endswith("shorten it by about 1 character")


def test_text_that_fits_is_never_cut() -> None:
    for text in (SPEAK_UP, LONG_138, WELSH):
        fitted = square_pledge(text)
        assert " ".join(fitted.lines).replace(" ", "") == text.replace(" ", "")


WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyzáéíóúÓ'-,", min_size=1, max_size=14)


@settings(max_examples=60, deadline=None)
@given(st.lists(WORDS, min_size=1, max_size=18))
def test_fitting_keeps_every_word_in_order(words: list[str]) -> None:
    text = " ".join(words)
    try:
        fitted = square_pledge(text)
    except FitError:
        return  # too long even at 32 px: refused, never truncated
    assert 32 <= fitted.size <= 64
    assert len(fitted.lines) <= 5 and fitted.height <= 284
    assert max(fitted.widths) <= 620
    if all(text_width(w, DISPLAY, fitted.size) <= 620 for w in words):
        assert " ".join(fitted.lines) == text
    else:
        assert "".join(fitted.lines).replace(" ", "") == text.replace(" ", "")


# --- names of 1 to 80 characters on every card --------------------------------------


def test_names_cover_every_length() -> None:
    assert len(LONG_NAME) == 80
    assert min(map(len, NAMES)) == 1 and max(map(len, NAMES)) == 80


@pytest.mark.slow
@pytest.mark.parametrize("fmt_name", list(FORMATS))
def test_names_of_1_to_80_characters_fit_beside_a_photo(theme_2026: Theme, fmt_name: str,
                                                       photo: Image.Image) -> None:
    """Every name the supporter check accepts makes a card, never cut and never below
    the legible minimum, beside a photo (the narrowest place a name goes)."""
    fmt = FORMATS[fmt_name]
    too_long = []
    for name in NAMES:
        pledge = resolve(Supporter(name=name, pledge="listen", org="Sure Start Newry"),
                         theme_2026)
        try:
            card = render_card(theme_2026, pledge, fmt, photo)
        except FitError:
            too_long.append(len(name))
            continue
        assert card.sizes["name"] >= round(28 * fmt.scale)
    assert too_long == [], f"names of {too_long} characters do not fit"


@pytest.mark.parametrize("fmt_name", list(FORMATS))
def test_names_up_to_80_characters_fit_without_a_photo(theme_2026: Theme,
                                                       fmt_name: str) -> None:
    fmt = FORMATS[fmt_name]
    too_long = []
    for name in [*NAMES[::6], LONG_NAME]:
        pledge = resolve(Supporter(name=name, pledge="listen"), theme_2026)
        try:
            render_card(theme_2026, pledge, fmt)
        except FitError:
            too_long.append(len(name))
    assert too_long == [], f"names of {too_long} characters do not fit"


@pytest.mark.parametrize("fmt_name", list(FORMATS))
def test_sample_name_fits_every_format_with_a_photo(theme_2026: Theme, fmt_name: str) -> None:
    """The name `theme check --samples` uses, with a photo and an organisation."""
    pledge = resolve(Supporter(name="Caoimhín Ó Súilleabháin", pledge="champion",
                               org="Sure Start Newry"), theme_2026)
    photo = Image.new("RGBA", (200, 200), (200, 40, 40, 255))
    card = render_card(theme_2026, pledge, FORMATS[fmt_name], photo)
    assert card.sizes["name"] >= round(28 * FORMATS[fmt_name].scale)


# --- pledges up to the theme's limit on every card ----------------------------------

FULL_PLEDGES = [
    LONG_138,
    "make sure every parent in our community knows where to find support, and listen "
    "without judgement when a new mum or dad needs to talk",
    "learn more about how babies communicate, share what I learn with the families I work "
    "with, and speak up for better perinatal services",
]



@pytest.mark.parametrize("fmt_name", list(FORMATS))
def test_pledges_the_theme_accepts_fit_every_format(theme_2026: Theme, fmt_name: str) -> None:
    fmt = FORMATS[fmt_name]
    for text in FULL_PLEDGES:
        assert 130 <= len(text) <= theme_2026.pledge_max
        pledge = resolve(Supporter(name="Aoife Ní Bhriain", pledge=text, org="Sure Start Newry"),
                         theme_2026)
        card = render_card(theme_2026, pledge, fmt)
        assert card.sizes["pledge"] >= round(28 * fmt.scale)


LANDSCAPE = ("facebook", "x", "linkedin")


@pytest.mark.parametrize("fmt_name", [f for f in FORMATS if f not in LANDSCAPE])
def test_fullest_supporter_within_every_limit_gets_every_tall_card(theme_2026: Theme,
                                                                   photo: Image.Image,
                                                                   fmt_name: str) -> None:
    """An 80-character name, a long organisation, a 133-character pledge and a photo."""
    fmt = FORMATS[fmt_name]
    pledge = resolve(Supporter(name=LONG_NAME, pledge=FULL_PLEDGES[1],
                               org="Sure Start Newry & Mourne Early Years Partnership"),
                     theme_2026)
    card = render_card(theme_2026, pledge, fmt, photo)
    floor = round(28 * fmt.scale)
    assert min(card.sizes[k] for k in ("pledge", "name", "org")) >= floor


@pytest.mark.parametrize("fmt_name", LANDSCAPE)
def test_fullest_supporter_on_a_landscape_card_is_told_what_to_shorten(
        theme_2026: Theme, photo: Image.Image, fmt_name: str) -> None:
    """630 px of height cannot hold an 80-character name, an organisation and a
    133-character pledge at the legible minimum beside a QR code: the supporter is
    told which field and how much, and following that advice makes the card."""
    fmt = FORMATS[fmt_name]
    org = "Sure Start Newry & Mourne Early Years Partnership"
    text = FULL_PLEDGES[1]
    with pytest.raises(FitError) as info:
        render_card(theme_2026, resolve(Supporter(name=LONG_NAME, pledge=text, org=org),
                                        theme_2026), fmt, photo)
    assert info.value.field == "pledge"
    assert "long name and organisation" in str(info.value)
    cut = int(re.search(r"about (\d+) character", str(info.value)).group(1))  # type: ignore[union-attr]
    shorter = resolve(Supporter(name=LONG_NAME, pledge=text[:-cut].rstrip(), org=org),
                      theme_2026)
    render_card(theme_2026, shorter, fmt, photo)
