"""The yearly theme file: what staff see when they make a mistake, and the values a
card takes from a valid theme (dates, the QR link with its UTM tags)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import MakeTheme
from helper import line_of
from PIL import Image

from imhcard.core.formats import FORMATS
from imhcard.core.supporter import Supporter, resolve
from imhcard.core.theme import Theme, load_theme, resolve_theme, shipped_themes
from imhcard.errors import ThemeError
from imhcard.output.samples import check_layouts
from imhcard.render.compose import render_card

BARNARDOS = "https://www.barnardos.org.uk/northern-ireland/influencing/stronger-from-the-start"


def problems(path: Path) -> list[str]:
    """The problems load_theme reports for a theme file (it must report some)."""
    with pytest.raises(ThemeError) as info:
        load_theme(path)
    assert info.value.path == str(path)
    return info.value.problems


def where(path: Path, prefix: str, after: str | None = None) -> str:
    """'file:line' of the line starting with `prefix`, as messages start."""
    return f"{path}:{line_of(path.read_text(encoding='utf-8'), prefix, after)}"


# --- exact messages -----------------------------------------------------------------


def test_unknown_key_suggests_the_right_one(make_theme: MakeTheme) -> None:
    path = make_theme(("  logo: ../assets/logo/mark.png", "  logos: ../assets/logo/mark.png"))
    assert problems(path) == [
        f"{where(path, '  logos:')}: art.logos: unknown key; did you mean 'logo'? "
        "allowed: artwork, logo"]


def test_misspelt_required_key_is_named_and_reported_missing(make_theme: MakeTheme) -> None:
    path = make_theme(("  hashtags: [", "  hashtag: ["))
    found = problems(path)
    assert f"{where(path, '  hashtag:')}: campaign.hashtag: unknown key; did you mean " \
           "'hashtags'? allowed: accounts, hashtags, url, utm" in found
    assert f"{where(path, 'campaign:')}: campaign.hashtags: missing; this key is required" \
        in found


def test_bad_colour(make_theme: MakeTheme) -> None:
    path = make_theme(('accent: "#E76F51"', 'accent: "orange"'))
    assert problems(path) == [
        f'{where(path, "  accent:")}: colours.accent: expected a colour written like '
        "\"#0F5C5A\", found 'orange'"]


def test_colour_with_five_digits(make_theme: MakeTheme) -> None:
    path = make_theme(('accent: "#E76F51"', 'accent: "#E76F5"'))
    assert problems(path) == [
        f'{where(path, "  accent:")}: colours.accent: expected a colour written like '
        "\"#0F5C5A\", found '#E76F5'"]


def test_missing_artwork_file(make_theme: MakeTheme) -> None:
    path = make_theme(("../assets/art/2026.png", "../assets/art/2030.png"))
    assert problems(path) == [
        f"{where(path, '  artwork:')}: art.artwork: no file at '../assets/art/2030.png' "
        f"(looked in {path.parent / '../assets/art/2030.png'}); paths are relative to the "
        "theme file"]


@pytest.mark.parametrize("url", ["ftp://example.org/pledge", "www.example.org/pledge",
                                 "javascript:alert(1)"])
def test_campaign_url_must_be_a_web_address(make_theme: MakeTheme, url: str) -> None:
    path = make_theme((f"  url: {BARNARDOS}", f'  url: "{url}"'))
    assert problems(path) == [
        f"{where(path, '  url:')}: campaign.url: expected a web address starting https:// "
        f"(or http://), found '{url}'"]


def test_low_contrast_hashtag(make_theme: MakeTheme) -> None:
    path = make_theme(('on_accent: "#14213D"', 'on_accent: "#F0F0F0"'))
    assert problems(path) == [
        f"{where(path, '  on_accent:')}: colours.on_accent: #F0F0F0 on accent #E76F51 has "
        "contrast 2.71:1, below the 3.0:1 WCAG AA needs for the hashtag; darken or lighten "
        "one of them"]


def test_low_contrast_text_names_every_pair_it_fails(make_theme: MakeTheme) -> None:
    # A pale grey fails against the background, the panel, and as the QR's dark modules.
    path = make_theme(('text: "#14213D"', 'text: "#9AA5B1"'))
    at = where(path, "  text:")
    assert problems(path) == [
        f"{at}: colours.text: #9AA5B1 on background #F6FAF8 has contrast 2.38:1, below the "
        "4.5:1 WCAG AA needs for the pledge and name; darken or lighten one of them",
        f"{at}: colours.text: #9AA5B1 on panel #CFE8E2 has contrast 1.94:1, below the 4.5:1 "
        "WCAG AA needs for the dates; darken or lighten one of them",
        f"{at}: colours.text: the text colour is drawn as the QR code's dark modules on white "
        "and needs contrast 7:1 or more to scan reliably",
    ]


def test_missing_required_key(make_theme: MakeTheme) -> None:
    path = make_theme(("  max_length: 140\n", ""))
    # The key is not in the file, so the line is its parent's.
    assert problems(path) == [
        f"{where(path, 'pledge:')}: pledge.max_length: missing; this key is required"]


def test_week_ending_before_it_starts(make_theme: MakeTheme) -> None:
    path = make_theme(("end: 2026-06-14", "end: 2026-06-01"))
    assert problems(path) == [
        f"{where(path, '  end:')}: week.end: the week ends (2026-06-01) before it starts "
        "(2026-06-08)"]


def test_unknown_placeholder_in_alt_text(make_theme: MakeTheme) -> None:
    path = make_theme(("signed {name}{by}.", "signed {nmae}{by}."))
    [message] = problems(path)
    at = where(path, "    alt_text:", after="  en:")
    assert message.startswith(
        f"{at}: languages.en.alt_text: unknown placeholder {{nmae}}; allowed: {{name}}, ")
    assert "{pledge}" in message and "{dates}" in message


def test_unbalanced_brace_in_caption(make_theme: MakeTheme) -> None:
    path = make_theme(("Make your own pledge: {url}", "Make your own pledge: {url"))
    [message] = problems(path)
    at = where(path, "    caption:", after="  en:")
    assert message.startswith(f"{at}: languages.en.caption: a template with unbalanced braces")
    assert message.endswith("write {{ for a literal brace")


def test_irish_prompt_ids_must_match_english(make_theme: MakeTheme) -> None:
    path = make_theme(("      listen: éisteacht", "      listne: éisteacht"))
    assert problems(path) == [
        f"{where(path, '    prompts:', after='  ga:')}: languages.ga.prompts: the prompts differ "
        "from 'en': missing ['listen'], extra ['listne']"]


def test_irish_prompt_missing(make_theme: MakeTheme) -> None:
    path = make_theme(("      champion: meabhairshláinte naíonán a chur chun cinn san áit a "
                       "gcónaím agus a n-oibrím\n", ""))
    assert problems(path) == [
        f"{where(path, '    prompts:', after='  ga:')}: languages.ga.prompts: the prompts differ "
        "from 'en': missing ['champion'], extra none"]


def test_year_written_as_text(make_theme: MakeTheme) -> None:
    path = make_theme(("year: 2026", 'year: "2026"'))
    assert problems(path) == [
        f"{where(path, 'year:')}: year: expected a whole number from 2000 to 2100, "
        "found '2026'"]


def test_unknown_format_in_layouts(make_theme: MakeTheme) -> None:
    path = make_theme(append="layouts:\n  tiktok:\n    pledge: {size: 40}\n")
    [message] = problems(path)
    assert message == (f"{where(path, '  tiktok:')}: layouts.tiktok: unknown format; allowed: "
                       + ", ".join(FORMATS) + ", each also with @photo for its photo-style "
                       "layout")


# --- every problem at once ----------------------------------------------------------


def test_three_mistakes_give_three_lines(make_theme: MakeTheme) -> None:
    path = make_theme(('accent: "#E76F51"', 'accent: "orange"'),
                      (f"  url: {BARNARDOS}", "  url: ftp://example.org/pledge"),
                      ("  logo: ../assets/logo/mark.png", "  logos: ../assets/logo/mark.png"))
    with pytest.raises(ThemeError) as info:
        load_theme(path)
    text = str(info.value)
    lines = text.splitlines()
    assert lines[0] == "3 problems:"
    assert len(lines) == 4
    # Each line says where (file:line) and which key.
    assert {line.strip().split(": ")[1] for line in lines[1:]} == {
        "colours.accent", "campaign.url", "art.logos"}
    for line in lines[1:]:
        assert line.strip().startswith(f"{path}:")


def test_rules_between_keys_are_reported_with_other_mistakes(make_theme: MakeTheme) -> None:
    path = make_theme(("end: 2026-06-14", "end: 2026-06-01"),
                      ("  url: " + BARNARDOS, "  url: ftp://example.org/pledge"))
    keys = [p.split(": ")[1] for p in problems(path)]
    assert keys == ["campaign.url", "week.end"]


def test_duplicate_key_is_reported(make_theme: MakeTheme) -> None:
    path = make_theme(("year: 2026", "year: 2026\nyear: 2027"))
    [message] = problems(path)
    assert message.startswith(f"{path}:")
    assert "year" in message


# --- YAML that is not YAML ----------------------------------------------------------


def test_yaml_syntax_error_has_a_line_number(make_theme: MakeTheme) -> None:
    path = make_theme(("  start: 2026-06-08", "\tstart: 2026-06-08"))
    at = where(path, "\tstart:")
    assert problems(path) == [
        f"{at}: not valid YAML: a tab; indent with spaces instead (YAML says: found "
        "character '\\t' that cannot start any token)"]


def test_a_colon_in_text_says_to_quote_it(make_theme: MakeTheme) -> None:
    path = make_theme(("    title: A Pledge for Every Baby",
                       "    title: Speak up: for every baby"))
    at = where(path, "    title: Speak up")
    [message] = problems(path)
    assert message.startswith(f"{at}: not valid YAML: a colon followed by a space")
    assert "put the whole text in quotes" in message


def test_unclosed_bracket_points_near_the_mistake(make_theme: MakeTheme) -> None:
    path = make_theme(("  start: 2026-06-08", "  start: [2026-06-08"))
    [message] = problems(path)
    # PyYAML notices an unclosed list where the next key begins: the line after.
    mistake = line_of(path.read_text(encoding="utf-8"), "  start:")
    assert message.startswith((f"{path}:{mistake}: not valid YAML: ",
                               f"{path}:{mistake + 1}: not valid YAML: "))


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.yaml"
    path.write_text("", encoding="utf-8")
    assert problems(path) == [
        f"{path}:1: (top level): expected a mapping of keys, found nothing (an empty value)"]


def test_missing_theme_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.yaml"
    assert problems(path) == [f"{path}: no such theme file"]


def test_unknown_theme_name() -> None:
    with pytest.raises(ThemeError) as info:
        resolve_theme("2019")
    assert str(info.value) == ("no theme '2019'; shipped themes: 2024, 2026, or give a theme "
                               "folder (holding theme.yaml) or the path of a .yaml file")


# --- layout mistakes a theme can make -----------------------------------------------

def theme_check_problems(path: Path) -> list[str]:
    """What `imhcard theme check` reports: validation, then every format laid out."""
    try:
        check_layouts(load_theme(path))
    except ThemeError as exc:
        return exc.problems
    return []


LAYOUT_MISTAKES = [
    pytest.param("    pledge: {box: [60, 836, 2000, 320]}\n", "layouts.story.pledge",
                 id="box-past-canvas"),
    pytest.param("    pledge: {box: [60, 40, 960, 320]}\n", "layouts.story.pledge",
                 id="pledge-under-story-buttons"),
    pytest.param("    name: {hidden: true}\n", "layouts.story.name", id="name-hidden"),
    pytest.param("    qr: {box: [710, 1146, 100, 100]}\n", "layouts.story.qr",
                 id="qr-box-too-small"),
]


@pytest.mark.parametrize(("override", "key"), LAYOUT_MISTAKES)
def test_theme_check_catches_layout_mistakes(make_theme: MakeTheme, override: str,
                                             key: str) -> None:
    path = make_theme(append="layouts:\n  story:\n" + override)
    found = theme_check_problems(path)
    assert any(p.startswith(f"{path}:") and key in p for p in found), found


def test_layout_override_that_fits_is_accepted(make_theme: MakeTheme) -> None:
    path = make_theme(append="layouts:\n  story:\n    pledge: {size: 72, max_lines: 4}\n")
    theme = load_theme(path)
    assert theme.layouts["story"]["pledge"] == {"size": 72, "max_lines": 4}


# --- the shipped themes -------------------------------------------------------------


def test_shipped_themes() -> None:
    assert list(shipped_themes()) == ["2024", "2026"]
    assert resolve_theme(None) == shipped_themes()["2026"]  # the newest is the default


@pytest.mark.parametrize("year", ["2024", "2026"])
def test_shipped_theme_loads(year: str) -> None:
    theme = load_theme(resolve_theme(year))
    assert theme.year == int(year)
    assert set(theme.languages) == {"en", "ga"}
    assert theme.hashtag == "#StrongerFromTheStart"
    assert theme.pledge_max == 140
    assert theme.min_text_size == 28
    assert theme.artwork is not None and theme.artwork.is_file()
    assert theme.logo is not None and theme.logo.is_file()
    assert "speak-up" in theme.wording("en").prompts


def test_2024_theme_is_as_it_was(theme_2024: Theme) -> None:
    assert theme_2024.wording("en").title == "Speak Up For Babies"
    assert (theme_2024.start, theme_2024.end) == (dt.date(2024, 6, 10), dt.date(2024, 6, 16))


# --- dates and links ----------------------------------------------------------------

NBSP = "\u00a0"


def test_dates_text_in_english_and_irish(theme_2026: Theme, theme_2024: Theme) -> None:
    # No-break spaces keep a date on one line when it wraps.
    assert theme_2026.dates_text("en") == f"8–14{NBSP}June{NBSP}2026"
    assert theme_2026.dates_text("ga") == f"8–14{NBSP}Meitheamh{NBSP}2026"
    assert theme_2026.dates_text() == theme_2026.dates_text("en")
    assert theme_2024.dates_text("en") == f"10–16{NBSP}June{NBSP}2024"


def test_dates_text_across_months_and_years(theme_2026: Theme) -> None:
    across_months = dataclasses.replace(theme_2026, start=dt.date(2026, 6, 29),
                                        end=dt.date(2026, 7, 5))
    assert across_months.dates_text("en").replace(NBSP, " ") == "29 June – 5 July 2026"
    assert across_months.dates_text("ga").replace(NBSP, " ") == "29 Meitheamh – 5 Iúil 2026"
    across_years = dataclasses.replace(theme_2026, start=dt.date(2026, 12, 28),
                                       end=dt.date(2027, 1, 3))
    assert across_years.dates_text("en").replace(NBSP, " ") == \
        "28 December 2026 – 3 January 2027"


UTM_SOURCE = {"instagram-square": "instagram", "instagram-portrait": "instagram",
              "story": "instagram", "facebook": "facebook", "x": "x", "linkedin": "linkedin",
              "print-a5": "print"}


def test_every_format_has_a_utm_source() -> None:
    assert set(UTM_SOURCE) == set(FORMATS)


@pytest.mark.parametrize("fmt_name", list(FORMATS))
def test_campaign_url_has_utm_tags_per_format(theme_2026: Theme, fmt_name: str) -> None:
    url = theme_2026.campaign_url(FORMATS[fmt_name])
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == BARNARDOS
    assert parse_qs(parts.query) == {"utm_source": [UTM_SOURCE[fmt_name]],
                                     "utm_medium": ["pledge-card"],
                                     "utm_campaign": ["imh-week-2026"]}


def test_campaign_url_exact(theme_2026: Theme, theme_2024: Theme) -> None:
    assert theme_2026.campaign_url(FORMATS["story"]) == (
        f"{BARNARDOS}?utm_source=instagram&utm_medium=pledge-card&utm_campaign=imh-week-2026")
    assert theme_2024.campaign_url(FORMATS["print-a5"]) == (
        f"{BARNARDOS}?utm_source=print&utm_medium=pledge-card&utm_campaign=imh-week-2024")


def test_campaign_url_keeps_its_own_query_and_fragment(make_theme: MakeTheme) -> None:
    path = make_theme((f"  url: {BARNARDOS}", "  url: https://example.org/pledge?ref=card#top"))
    theme = load_theme(path)
    assert theme.campaign_url(FORMATS["facebook"]) == (
        "https://example.org/pledge?ref=card&utm_source=facebook&utm_medium=pledge-card"
        "&utm_campaign=imh-week-2026#top")


def test_edited_theme_still_makes_cards(make_theme: MakeTheme) -> None:
    """The title is the one line staff replace when the theme is announced."""
    path = make_theme(("title: A Pledge for Every Baby", "title: Nurture Every Beginning"))
    theme = load_theme(path)
    card = render_card(theme, resolve(Supporter(name="Seán", pledge="listen"), theme),
                       FORMATS["instagram-square"])
    assert theme.wording().title == "Nurture Every Beginning"
    assert "Nurture Every Beginning" not in card.alt_text  # the title is not in the template
    assert card.image.size == (1080, 1080)


POLISH = """
  pl:
    title: Obietnica dla każdego dziecka
    names: [Polish, Polski, Język polski]
    week_name: Tydzień Świadomości Zdrowia Psychicznego Niemowląt
    pledge_intro: Zobowiązuję się
    qr_label: Zeskanuj, aby dodać swoje zobowiązanie
    photo_alt: Obok imienia jest zdjęcie tej osoby.
    alt_text: >-
      Karta zobowiązania na {week_name}, {dates}: "Zobowiązuję się {pledge}",
      {name}{by}. {photo}
    caption: '{week_name} ({dates}): zobowiązuję się {pledge}. {hashtags}'
    months: [stycznia, lutego, marca, kwietnia, maja, czerwca, lipca, sierpnia, września,
             października, listopada, grudnia]
    prompts:
      speak-up: mówić w imieniu niemowląt i ich opiekunów
      first-1001-days: pomóc każdemu dziecku w jego pierwszych 1001 dniach
      listen: słuchać niemowląt i poważnie traktować ich uczucia
      relationships: cenić kochające relacje, dzięki którym dzieci rozkwitają
      play-talk-cuddle: codziennie bawić się, rozmawiać i przytulać
      champion: dbać o zdrowie psychiczne niemowląt tam, gdzie mieszkam i pracuję
"""


def test_a_language_added_in_the_theme_file_alone_makes_cards(make_theme: MakeTheme,
                                                               photo: Image.Image) -> None:
    """CONTRIBUTING's recipe: a new language touches the theme file and no module."""
    theme = load_theme(make_theme(("languages:\n", "languages:" + POLISH)))
    card_text = resolve(Supporter(name="Zofia Nowak", pledge="listen", language="Polski"), theme)
    assert card_text.language == "pl"
    card = render_card(theme, card_text, FORMATS["instagram-square"], photo)
    assert "8–14 czerwca 2026" in card.alt_text
    assert "Zobowiązuję się słuchać niemowląt" in card.alt_text
    assert "Obok imienia jest zdjęcie tej osoby." in card.alt_text
