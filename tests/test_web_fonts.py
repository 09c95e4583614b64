"""The page's fonts are light WOFF2 subsets made by tools/web_fonts.py, committed, and
still made from the fonts bundled now; they have every letter the page's own words use,
in English and Irish."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from imhcard.core.fields import page_words
from imhcard.core.theme import Theme, load_theme, resolve_theme, shipped_themes
from imhcard.core.theme_rules import BUNDLED_FONTS
from imhcard.web.fonts import FONTS, MANIFEST, digest, make_subset, unicodes, web_font
from imhcard.web.strings import PAGES

SOURCES = Path(__file__).resolve().parent.parent / "assets" / "fonts"


def manifest() -> dict[str, dict[str, str]]:
    data: dict[str, dict[str, str]] = json.loads(MANIFEST.read_text(encoding="utf-8"))
    return data


def test_every_bundled_page_font_has_its_subset_made_from_it_as_it_is_now() -> None:
    m = manifest()
    assert set(m) == set(BUNDLED_FONTS.values())
    for name, entry in m.items():
        assert entry["sha256"] == digest(SOURCES / name), (
            f"{name} changed since its web subset was made: run python tools/web_fonts.py")
        assert (FONTS / entry["file"]).is_file()


@pytest.mark.parametrize("name", sorted(set(BUNDLED_FONTS.values())))
def test_a_subset_has_exactly_the_pages_letters_the_font_has(name: str) -> None:
    subset = TTFont(FONTS / manifest()[name]["file"])
    assert subset.flavor == "woff2"
    source = set(TTFont(SOURCES / name).getBestCmap())
    assert set(subset.getBestCmap()) == source & set(unicodes())


def _page_text(theme: Theme) -> str:
    out = []
    for lang, words in PAGES.items():
        out += list(words.values()) + list(page_words(lang).values())
        w = theme.wording(lang)
        out += [w.week_name, w.title, w.pledge_intro, w.wordmark, theme.dates_text(lang),
                *w.prompts.values()]
    return "".join(out)


@pytest.mark.parametrize("year", sorted(shipped_themes()))
def test_the_subsets_have_every_letter_of_the_pages_words(year: str) -> None:
    text = _page_text(load_theme(resolve_theme(year)))
    wanted = {ord(c) for c in text if not c.isspace()}
    missing = sorted(chr(c) for c in wanted - set(unicodes()))
    assert missing == []


def test_the_fonts_are_light() -> None:
    total = sum((FONTS / e["file"]).stat().st_size for e in manifest().values())
    assert total < 60_000  # three fonts; the page's first load is measured in bench/


def test_a_themes_own_font_gets_its_subset_made_when_asked(tmp_path: Path) -> None:
    own = tmp_path / "own.ttf"
    own.write_bytes((SOURCES / "brand-Regular.ttf").read_bytes())
    data, media = web_font(own)
    assert media == "font/woff2" and data[:4] == b"wOF2"
    assert len(data) < own.stat().st_size / 3
    assert TTFont(io.BytesIO(data)).getBestCmap()[ord("á")]


def test_woff_without_brotli() -> None:
    data = make_subset(SOURCES / "brand-Bold.ttf", "woff")
    assert data[:4] == b"wOFF"
