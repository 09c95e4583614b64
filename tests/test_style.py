"""The two card styles: the photo-first style (the supporter's photo at the top, the
words on a band) and the text style. The QR code scans after an upload's JPEG
recompression and the hashtag is readable by OCR in every format of both; the photo
is cropped to keep the face; what sits on the photo stays readable."""

from __future__ import annotations

import io
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from conftest import AOIFE, MakeTheme, sample_photo
from helper import decode_qr, half, save_failure
from PIL import Image, ImageDraw

from imhcard.cli import cli
from imhcard.core.formats import FORMATS
from imhcard.core.supporter import Crop, Supporter, resolve
from imhcard.core.theme import Theme, load_theme
from imhcard.errors import SupporterError, ThemeError
from imhcard.render.backdrop import failing_share, pick_colour
from imhcard.render.compose import Card, render_card
from imhcard.render.cover import cover, cover_box
from imhcard.render.static import layout_for

STYLES = ("text", "photo")


def busy_photo() -> Image.Image:
    """A photo with a bright window at the top left and a dark room elsewhere: the
    hardest background for the logo and week drawn over it."""
    img = Image.new("RGBA", (900, 1200), (50, 56, 64, 255))
    draw = ImageDraw.Draw(img)
    draw.rectangle((0, 0, 500, 500), fill=(245, 245, 240, 255))
    draw.ellipse((300, 250, 600, 650), fill=(224, 172, 140, 255))  # a face, upper centre
    return img


@pytest.fixture(scope="module")
def styled_cards(theme_2026: Theme) -> dict[tuple[str, str, bool], Card]:
    """Aoife's card in every format, both styles, with and without a photo."""
    out = {}
    photo = busy_photo()
    for style in STYLES:
        pledge = resolve(replace(AOIFE, style=style), theme_2026)
        for name, fmt in FORMATS.items():
            for with_photo in (False, True):
                out[(name, style, with_photo)] = render_card(
                    theme_2026, pledge, fmt, photo if with_photo else None)
    return out


def jpeg(image: Image.Image, quality: int = 70) -> Image.Image:
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=quality)
    buf.seek(0)
    return Image.open(buf).convert("RGB")


# --- both styles, every format ---------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("with_photo", [False, True], ids=["no-photo", "photo"])
@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("fmt_name", list(FORMATS))
def test_qr_decodes_after_jpeg_70(styled_cards: dict[tuple[str, str, bool], Card],
                                  fmt_name: str, style: str, with_photo: bool) -> None:
    card = styled_cards[(fmt_name, style, with_photo)]
    # Without a photo the photo style is the text style (test_photo_style_needs_a_photo).
    assert card.style == (style if with_photo else "text")
    for shared in (jpeg(card.image), jpeg(half(card.image))):
        found = decode_qr(shared)
        if found != [card.url]:
            save_failure(f"qr-jpeg-{fmt_name}-{style}-{with_photo}", actual=shared)
        assert found == [card.url]


TESSERACT = shutil.which("tesseract")


@pytest.mark.slow
@pytest.mark.skipif(TESSERACT is None, reason="tesseract is not installed; the hashtag's "
                    "legibility is then only checked by the golden images")
@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("fmt_name", list(FORMATS))
def test_hashtag_is_read_by_ocr(styled_cards: dict[tuple[str, str, bool], Card],
                                tmp_path: Path, fmt_name: str, style: str) -> None:
    """Tesseract (sparse text, --psm 11) reads the hashtag off the card's band."""
    card = styled_cards[(fmt_name, style, True)]
    b = card.layout["hashtag"].box
    band = card.image.crop((max(0, b.x - 20), max(0, b.y - 10), min(card.image.width,
                            b.right + 20), min(card.image.height, b.bottom + 10)))
    path = tmp_path / "band.png"
    band.save(path)
    assert TESSERACT is not None
    out = subprocess.run([TESSERACT, str(path), "-", "--psm", "11"], capture_output=True,
                         text=True, timeout=60, check=True).stdout
    if "StrongerFromTheStart" not in out.replace(" ", ""):
        save_failure(f"ocr-{fmt_name}-{style}", band=band)
    assert "#StrongerFromTheStart" in out.replace(" ", "")


# --- the photo style ---------------------------------------------------------------


def test_photo_style_puts_the_photo_at_the_top(styled_cards: dict[tuple[str, str, bool], Card],
                                               theme_2026: Theme) -> None:
    card = styled_cards[("instagram-square", "photo", True)]
    box = card.layout["photo"].box
    assert (box.x, box.y, box.w) == (0, 0, 1080)
    assert box.h >= 0.5 * 1080
    # The face (skin tone, upper centre of the photo) is on the card, not under the band.
    face = np.asarray(card.image.crop((440, 150, 640, 450)), dtype=np.int16)
    skin = (np.abs(face[..., 0] - 224) < 20) & (np.abs(face[..., 1] - 172) < 20)
    assert skin.mean() > 0.5


def test_photo_style_needs_a_photo(theme_2026: Theme, tmp_path: Path) -> None:
    pledge = resolve(replace(AOIFE, style="photo"), theme_2026)
    card = render_card(theme_2026, pledge, FORMATS["story"])
    assert card.style == "text"
    assert "needs a photo" in card.note
    # Asked for on the command line: the same note, on stderr, and the card is made.
    result = CliRunner().invoke(cli, ["card", "--name", "Aoife", "--pledge", "listen",
                                      "--style", "photo", "--format", "story",
                                      "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "note: the photo style needs a photo; this card uses the text style" in \
        result.stderr
    assert (tmp_path / "aoife-story.png").exists()


def test_the_theme_chooses_the_style_per_format(theme_2026: Theme) -> None:
    photo = sample_photo()
    pledge = resolve(AOIFE, theme_2026)  # no style asked for
    assert render_card(theme_2026, pledge, FORMATS["story"], photo).style == "photo"
    # A full-bleed photo prints dark and leaves no room to sign: print stays text.
    assert render_card(theme_2026, pledge, FORMATS["print-a5"], photo).style == "text"
    assert render_card(theme_2026, pledge, FORMATS["story"]).style == "text"


def test_an_unknown_style_is_one_clear_error(theme_2026: Theme) -> None:
    with pytest.raises(SupporterError) as err:
        resolve(Supporter(name="Aoife", pledge="listen", style="poster"), theme_2026)
    assert err.value.field == "style"
    assert "'poster' is not one of: text, photo" in str(err.value)


def test_the_logo_and_week_get_a_chip_only_on_a_busy_photo(theme_2026: Theme) -> None:
    pledge = resolve(replace(AOIFE, style="photo"), theme_2026)
    fmt = FORMATS["instagram-square"]
    chip = layout_for(theme_2026, fmt, "photo")["chip"].box
    background = theme_2026.colours["background"]
    dark = Image.new("RGBA", (900, 1200), (30, 32, 40, 255))
    for photo, chipped in ((dark, False), (busy_photo(), True)):
        card = render_card(theme_2026, pledge, fmt, photo)
        corner = card.image.getpixel((chip.x + 24, chip.y + 24))
        near_bg = all(abs(a - b) < 30 for a, b in zip(corner, background, strict=True))
        assert near_bg == chipped
        # ...and the week is readable there: the theme's colour drawn on what is under it.
        region = card.image.crop((chip.x, chip.y, chip.right, chip.bottom))
        assert region.getextrema()[0][1] - region.getextrema()[0][0] > 100


def test_readability_is_measured_on_the_photos_pixels() -> None:
    primary, light = (15, 92, 90), (246, 250, 248)
    white = Image.new("RGB", (100, 100), (255, 255, 255))
    black = Image.new("RGB", (100, 100), (0, 0, 0))
    assert failing_share(white, primary) == 0.0
    assert failing_share(white, light) == 1.0
    assert pick_colour(black, (primary, light)) == (light, False)
    assert pick_colour(white, (primary, light)) == (primary, False)
    half_and_half = Image.new("RGB", (100, 100), (255, 255, 255))
    half_and_half.paste((0, 0, 0), (0, 0, 100, 50))
    assert pick_colour(half_and_half, (primary, light))[1] is True  # neither reads: a chip


# --- the crop ---------------------------------------------------------------------


def test_a_portrait_photo_keeps_its_upper_centre() -> None:
    # 900 x 1200 into a 1080 x 580 band: scale 1.2, window 900 x 483.3, from a
    # quarter of the spare 716.7 px down, where a face is.
    left, top, right, bottom = cover_box(900, 1200, 1080, 580)
    assert (left, right) == (0, 900)
    assert top == pytest.approx((1200 - 580 / 1.2) * 0.25)
    assert bottom - top == pytest.approx(580 / 1.2)


def test_a_landscape_photo_keeps_its_centre() -> None:
    left, top, _, bottom = cover_box(1600, 900, 400, 630)
    assert (top, bottom) == pytest.approx((0, 900))
    assert left == pytest.approx((1600 - 400 * 900 / 630) / 2)


def test_the_supporters_own_crop_is_honoured() -> None:
    # Zoom 2 around (0.25, 0.25): a window half the largest, centred there, kept inside.
    left, top, right, bottom = cover_box(1000, 1000, 500, 500, Crop(0.25, 0.25, 2.0))
    assert (left, top, right, bottom) == (0, 0, 500, 500)
    left, top, right, bottom = cover_box(1000, 1000, 500, 500, Crop(0.5, 0.4, 4.0))
    assert (left, top, right, bottom) == (375, 275, 625, 525)
    img = Image.new("RGB", (1000, 1000), (0, 0, 255))
    img.paste((255, 0, 0), (375, 275, 625, 525))
    assert cover(img, 100, 100, Crop(0.5, 0.4, 4.0)).getpixel((50, 50)) == (255, 0, 0)


# --- the layout as data ------------------------------------------------------------


def test_a_theme_may_move_a_photo_style_box_and_is_checked(make_theme: MakeTheme) -> None:
    make = make_theme
    ok = load_theme(make(append="layouts:\n  story@photo:\n    pledge: {size: 60}\n"))
    assert layout_for(ok, FORMATS["story"], "photo")["pledge"].size == 60
    assert layout_for(ok, FORMATS["story"])["pledge"].size != 60  # the text style is apart
    with pytest.raises(ThemeError) as err:
        load_theme(make(append="layouts:\n  story@photo:\n    qr: {box: [722, 1500, 318, 318]}\n",
                        name="bad.yaml"))
    assert "layouts.story@photo.qr: the box [722, 1500, 318, 318] is under the app's buttons" \
        in str(err.value)


def test_alt_text_says_where_things_are_in_irish_too(theme_2026: Theme) -> None:
    pledge = resolve(Supporter(name="Caoimhín", pledge="listen", language="ga", style="photo"),
                     theme_2026)
    card = render_card(theme_2026, pledge, FORMATS["instagram-square"], sample_photo())
    assert "Tá grianghraf an duine ag barr an chárta" in card.alt_text
    assert "Tá an haischlib #StrongerFromTheStart thíos," in card.alt_text


def test_an_opaque_photo_as_the_batch_and_card_pass_it_works_in_both_styles(
        theme_2026: Theme, tmp_path: Path) -> None:
    """`imhcard card --photo` with either style (the photo is made RGB once, on loading)."""
    busy_photo().convert("RGB").save(tmp_path / "me.jpg")
    for style in STYLES:
        result = CliRunner().invoke(cli, ["card", "--name", "Aoife", "--pledge", "listen",
                                          "--photo", str(tmp_path / "me.jpg"), "--style", style,
                                          "--format", "instagram-square",
                                          "--out", str(tmp_path / style)])
        assert result.exit_code == 0, result.output
        with Image.open(tmp_path / style / "aoife-instagram-square.png") as img:
            assert img.size == (1080, 1080)
        # A photo card as PNG is several times the size of the same card as JPEG.
        assert ("add --image-format jpeg" in result.stderr) == (style == "photo")


def test_every_shipped_layout_passes_the_themes_layout_checks(make_theme: MakeTheme) -> None:
    """The checks a theme's overrides get (canvas, story buttons, overlaps) pass for every
    format in both styles: each layout overridden with a harmless change to run them."""
    layouts = "".join(f"  {name}{suffix}:\n    intro: {{max_lines: 1}}\n"
                      for name in FORMATS for suffix in ("", "@photo"))
    theme = load_theme(make_theme(append="layouts:\n" + layouts))
    assert len(theme.layouts) == 14
