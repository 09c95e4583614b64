"""Photos from anywhere a supporter has them: iPhone HEIC, bytes held in memory (the web
page's uploads), and moved and zoomed in the frame by the supporter; no metadata out."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from conftest import sample_photo
from PIL import Image

from imhcard.core.formats import FORMATS
from imhcard.core.supporter import Crop, Supporter, resolve
from imhcard.core.theme import Theme
from imhcard.errors import PhotoError, SupporterError
from imhcard.output.memory import card_bytes, preview_bytes
from imhcard.render.compose import render_card
from imhcard.render.cover import cover_box
from imhcard.render.framing import default_crop
from imhcard.render.photo import load_photo, shaped_photo

FIXTURES = Path(__file__).parent / "fixtures" / "photos"
RED, BLUE, YELLOW = (215, 40, 40), (40, 70, 210), (250, 210, 30)


def near(a: tuple[int, ...], b: tuple[int, ...], tol: int = 20) -> bool:
    return all(abs(x - y) <= tol for x, y in zip(a, b, strict=False))


def test_heic_from_an_iphone_opens_upright_from_a_path_and_from_bytes() -> None:
    path = FIXTURES / "portrait.heic"  # sample_photo((240, 320)) encoded by heif-enc
    for source in (path, path.read_bytes(), io.BytesIO(path.read_bytes())):
        photo = load_photo(source)
        assert (photo.mode, photo.size) == ("RGBA", (240, 320))
        assert near(photo.getpixel((120, 20)), RED)
        assert near(photo.getpixel((120, 300)), BLUE)


def test_bytes_that_are_not_a_photo_name_the_upload() -> None:
    with pytest.raises(PhotoError) as info:
        load_photo(b"name,pledge\nAoife,listen\n", name="signups.csv")
    assert info.value.field == "photo"
    assert "cannot read the photo 'signups.csv'" in str(info.value)
    with pytest.raises(PhotoError, match="cannot read the photo: it is damaged"):
        load_photo(b"\x00" * 100)


def test_gps_and_exif_never_reach_the_card(theme_2026: Theme) -> None:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "N", 2: (54.0, 10.0, 0.0)}  # GPS IFD: latitude
    buf = io.BytesIO()
    sample_photo().convert("RGB").save(buf, "JPEG", exif=exif.tobytes())
    photo = load_photo(buf.getvalue())
    assert "exif" not in photo.info
    made = card_bytes(theme_2026, Supporter(name="Seán", pledge="listen"),
                      FORMATS["instagram-square"], "jpeg", buf.getvalue())
    assert b"PhoneMaker" not in made.data and b"GPS" not in made.data


def test_without_a_crop_the_automatic_one_is_used() -> None:
    photo = sample_photo((300, 400))
    auto = default_crop(300, 400, 100, 100)
    assert shaped_photo(photo, 100, 100, "circle", auto).tobytes() == \
        shaped_photo(photo, 100, 100, "circle").tobytes()
    # Covered, never squashed: a 300×400 photo in a square frame shows 300×300 of it,
    # the upper part of a portrait (a quarter of the spare height above the window).
    assert cover_box(300, 400, 100, 100) == (0.0, 25.0, 300.0, 325.0)
    assert cover_box(300, 400, 100, 100, auto) == pytest.approx((0.0, 25.0, 300.0, 325.0))
    # A wide photo keeps its centre; Crop() is the centre, asked for.
    assert cover_box(400, 300, 100, 100) == (50.0, 0.0, 350.0, 300.0)
    assert cover_box(300, 400, 100, 100, Crop()) == (0.0, 50.0, 300.0, 350.0)


def test_zoom_and_move_choose_what_the_frame_shows() -> None:
    # Zoom 2 shows half as much; a centre at the top is kept inside the photo.
    assert cover_box(300, 400, 100, 100, Crop(0.5, 0.5, 2.0)) == (75.0, 125.0, 225.0, 275.0)
    assert cover_box(300, 400, 100, 100, Crop(0.5, 0.0, 2.0)) == (75.0, 0.0, 225.0, 150.0)
    photo = sample_photo((300, 400))  # red top half, blue bottom, yellow dot in the middle
    top = shaped_photo(photo, 100, 100, "square", Crop(0.5, 0.1, 1.5))
    bottom = shaped_photo(photo, 100, 100, "square", Crop(0.5, 0.9, 1.5))
    middle = shaped_photo(photo, 100, 100, "square", Crop(0.5, 0.5, 4.0))
    assert near(top.getpixel((50, 50)), RED)
    assert near(bottom.getpixel((50, 50)), BLUE)
    assert near(middle.getpixel((50, 50)), YELLOW)
    # Zoomed in, the dot fills most of the frame; unzoomed, the same spot is red.
    assert near(middle.getpixel((50, 20)), YELLOW)
    assert near(shaped_photo(photo, 100, 100, "square").getpixel((50, 20)), RED)


def test_crop_is_part_of_the_card(theme_2026: Theme) -> None:
    photo = sample_photo()
    fmt = FORMATS["instagram-square"]
    for style in ("text", "photo"):
        plain = render_card(theme_2026, resolve(Supporter("Aoife", "listen", style=style),
                                                theme_2026), fmt, photo)
        moved = render_card(theme_2026, resolve(Supporter("Aoife", "listen", style=style,
                                                          crop=Crop(0.5, 0.9)),
                                                theme_2026), fmt, photo)
        b = plain.layout["photo"].box
        centre = (b.x + b.w // 2, b.y + b.h // 2)
        # Uncropped, the circle is centred on the photo; the photo style's wide band
        # keeps a portrait's upper part (where a face is): the red half.
        assert near(plain.image.getpixel(centre), YELLOW if style == "text" else RED), style
        assert near(moved.image.getpixel(centre), BLUE), style


@pytest.mark.parametrize(("crop", "field"), [(Crop(x=1.5), "crop_x"), (Crop(y=-0.1), "crop_y"),
                                             (Crop(zoom=0.5), "zoom"), (Crop(zoom=9), "zoom"),
                                             (Crop(x=float("nan")), "crop_x")])
def test_crop_out_of_range_names_the_field(theme_2026: Theme, crop: Crop, field: str) -> None:
    with pytest.raises(SupporterError) as info:
        resolve(Supporter("Aoife", "listen", crop=crop), theme_2026)
    assert info.value.field == field


def test_card_in_memory_matches_the_cli_card(theme_2026: Theme) -> None:
    from imhcard.render.pipeline import encode_card

    who = Supporter(name="Aoife Ní Bhriain", pledge="speak-up", org="Sure Start Newry")
    fmt = FORMATS["story"]
    made = card_bytes(theme_2026, who, fmt, "webp")
    card = render_card(theme_2026, resolve(who, theme_2026), fmt)
    assert made.data == encode_card(card, "webp").data
    assert (made.media_type, made.filename) == ("image/webp", "aoife-ni-bhriain-story.webp")
    assert made.alt_text == card.alt_text and made.caption == card.caption
    pdf = card_bytes(theme_2026, who, FORMATS["print-a5"], "jpeg")
    assert pdf.media_type == "application/pdf" and pdf.data.startswith(b"%PDF")


def test_preview_is_small_and_says_the_same(theme_2026: Theme) -> None:
    who = Supporter(name="Aoife", pledge="listen")
    small = preview_bytes(theme_2026, who, FORMATS["story"])
    assert small.media_type == "image/jpeg"
    with Image.open(io.BytesIO(small.data)) as img:
        assert max(img.size) <= 720 and img.size == (small.width, small.height)
    assert small.alt_text == card_bytes(theme_2026, who, FORMATS["story"]).alt_text
