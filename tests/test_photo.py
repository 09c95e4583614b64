"""The supporter's photo: every common image mode, the right way up, cropped (not squashed)
to its circle; a file that is not a photo is a clear error."""

from __future__ import annotations

import struct
import zlib
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from imhcard.core.formats import FORMATS
from imhcard.core.layout import Box
from imhcard.core.supporter import CardText
from imhcard.core.theme import Theme
from imhcard.errors import PhotoError
from imhcard.render.compose import Card, render_card
from imhcard.render.photo import load_photo, shaped_photo
from imhcard.render.static import layout_for

RED, GREEN, BLUE = (215, 40, 40), (40, 170, 60), (40, 70, 210)
SQUARE = FORMATS["instagram-square"]


def disc(card: Card, theme: Theme) -> Box:
    """The square the photo's circle was pasted in: centred in its box."""
    layout = getattr(card, "layout", None) or layout_for(theme, card.format)
    b = layout["photo"].box
    d = min(b.w, b.h)
    return Box(b.x + (b.w - d) // 2, b.y + (b.h - d) // 2, d, d)


def at(card: Card, theme: Theme, fx: float, fy: float) -> tuple[int, int, int]:
    """The card's colour at a fraction of the way across and down the photo's circle."""
    d = disc(card, theme)
    px: tuple[int, int, int] = card.image.getpixel((d.x + round(fx * d.w),
                                                    d.y + round(fy * d.h)))
    return px


def close(a: tuple[int, ...], b: tuple[int, ...], tol: int = 12) -> bool:
    return all(abs(x - y) <= tol for x, y in zip(a, b, strict=True))


def card_with(theme: Theme, pledge: CardText, path: Path) -> Card:
    """The text style's card: the photo as a circle in place of the artwork."""
    return render_card(theme, replace(pledge, style="text"), SQUARE, load_photo(path))


# --- orientation --------------------------------------------------------------------


def upright() -> Image.Image:
    """A portrait photo as a person sees it: red top with a green block at its left,
    blue bottom. Any rotation or mirror moves the green."""
    img = Image.new("RGB", (300, 400), BLUE)
    draw = ImageDraw.Draw(img)
    draw.rectangle((0, 0, 299, 199), fill=RED)
    draw.rectangle((0, 0, 109, 199), fill=GREEN)
    return img


# How a camera stores the pixels for each EXIF orientation: the inverse of the
# transpose that shows them upright.
STORED = {1: None, 2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180,
          4: Image.Transpose.FLIP_TOP_BOTTOM, 5: Image.Transpose.TRANSPOSE,
          6: Image.Transpose.ROTATE_90, 7: Image.Transpose.TRANSVERSE,
          8: Image.Transpose.ROTATE_270}


@pytest.mark.parametrize("orientation", list(STORED))
def test_exif_orientation_comes_out_upright(tmp_path: Path, theme_2026: Theme,
                                            aoife_2026: CardText, orientation: int) -> None:
    op = STORED[orientation]
    stored = upright() if op is None else upright().transpose(op)
    exif = Image.Exif()
    exif[0x0112] = orientation
    path = tmp_path / f"phone-{orientation}.jpg"
    stored.save(path, quality=95, exif=exif.tobytes())

    photo = load_photo(path)
    assert photo.size == (300, 400)
    card = card_with(theme_2026, aoife_2026, path)
    # Cover-cropped to a square, the upright photo shows rows 50-350: the marker at the
    # top left, red at the top right, blue at the bottom.
    assert close(at(card, theme_2026, 0.15, 0.3), GREEN), "marker not at the top left"
    assert close(at(card, theme_2026, 0.8, 0.3), RED)
    assert close(at(card, theme_2026, 0.5, 0.8), BLUE)


def test_phone_photo_rotated_90_degrees(tmp_path: Path, theme_2026: Theme,
                                        aoife_2026: CardText) -> None:
    """The common case, by itself: a phone held upright saves orientation 6."""
    exif = Image.Exif()
    exif[0x0112] = 6
    path = tmp_path / "IMG_0001.jpg"
    upright().transpose(Image.Transpose.ROTATE_90).save(path, quality=95, exif=exif.tobytes())
    assert Image.open(path).size == (400, 300)  # as stored: lying on its side
    card = card_with(theme_2026, aoife_2026, path)
    assert close(at(card, theme_2026, 0.5, 0.2), RED)  # red at the top of the circle
    assert close(at(card, theme_2026, 0.5, 0.8), BLUE)


# --- modes --------------------------------------------------------------------------


def test_cropped_to_fill_not_squashed(tmp_path: Path, theme_2026: Theme,
                                      aoife_2026: CardText) -> None:
    wide = Image.new("RGB", (600, 200), GREEN)
    ImageDraw.Draw(wide).rectangle((0, 0, 199, 199), fill=RED)
    ImageDraw.Draw(wide).rectangle((400, 0, 599, 199), fill=BLUE)
    wide.save(tmp_path / "wide.png")
    card = card_with(theme_2026, aoife_2026, tmp_path / "wide.png")
    # Only the middle third is kept: green from edge to edge of the circle.
    for fx in (0.12, 0.5, 0.88):
        assert close(at(card, theme_2026, fx, 0.5), GREEN), fx


def test_circle_corners_show_the_card(theme_2026: Theme, aoife_2026: CardText,
                                      tmp_path: Path) -> None:
    Image.new("RGB", (200, 200), RED).save(tmp_path / "red.png")
    card = card_with(theme_2026, aoife_2026, tmp_path / "red.png")
    # The circle sits on the title panel, in place of the artwork.
    assert at(card, theme_2026, 0.02, 0.02) == theme_2026.colours["panel"]
    assert close(at(card, theme_2026, 0.5, 0.5), RED, 2)


def save_modes(folder: Path) -> dict[str, tuple[Path, tuple[int, int, int] | str]]:
    """Photos in every mode, and the colour the middle of the circle should be
    ('background': the panel the circle sits on, where the photo is transparent)."""
    out: dict[str, tuple[Path, tuple[int, int, int] | str]] = {}

    def keep(name: str, img: Image.Image, expect: tuple[int, int, int] | str,
             **params: object) -> None:
        path = folder / name
        img.save(path, **params)
        out[name] = (path, expect)

    keep("rgb.png", Image.new("RGB", (120, 90), RED), RED)
    keep("rgba-opaque.png", Image.new("RGBA", (120, 90), (*RED, 255)), RED)
    keep("rgba-clear.png", Image.new("RGBA", (120, 90), (*RED, 0)), "background")
    keep("la.png", Image.new("LA", (120, 90), (128, 255)), (128, 128, 128))
    keep("l.png", Image.new("L", (120, 90), 77), (77, 77, 77))
    keep("one-bit.png", Image.new("1", (120, 90), 1), (255, 255, 255))
    keep("cmyk.jpg", Image.new("CMYK", (120, 90), (0, 255, 255, 0)), (255, 0, 0), quality=95)
    keep("rgb.jpg", Image.new("RGB", (120, 90), BLUE), BLUE, quality=95)
    keep("rgb.webp", Image.new("RGB", (120, 90), GREEN), GREEN, lossless=True)
    # 16-bit grey: 40000 of 65535 is a mid grey (156), not the white that clipping gives.
    sixteen = Image.new("I;16", (120, 90))
    sixteen.putdata([40000] * (120 * 90))
    keep("sixteen-bit.png", sixteen, (156, 156, 156))
    palette = Image.new("P", (120, 90), 1)
    palette.putpalette([0, 0, 0, *RED] + [0] * 762)
    keep("palette.png", palette, RED)
    clear = Image.new("P", (120, 90), 0)
    clear.putpalette([0, 0, 0, *RED] + [0] * 762)
    keep("palette-transparent.png", clear, "background", transparency=0)
    keep("palette.gif", palette, RED)
    return out


@pytest.fixture(scope="module")
def mode_photos(tmp_path_factory: pytest.TempPathFactory
                ) -> dict[str, tuple[Path, tuple[int, int, int] | str]]:
    return save_modes(tmp_path_factory.mktemp("modes"))


MODES = ["rgb.png", "rgba-opaque.png", "rgba-clear.png", "la.png", "l.png", "one-bit.png",
         "cmyk.jpg", "rgb.jpg", "rgb.webp", "sixteen-bit.png", "palette.png",
         "palette-transparent.png", "palette.gif"]


@pytest.mark.parametrize("name", MODES)
def test_every_image_mode(mode_photos: dict[str, tuple[Path, tuple[int, int, int] | str]],
                          theme_2026: Theme, aoife_2026: CardText, name: str) -> None:
    path, expect = mode_photos[name]
    photo = load_photo(path)
    assert (photo.mode, photo.size) == ("RGBA", (120, 90))
    card = card_with(theme_2026, aoife_2026, path)
    colour = theme_2026.colours["panel"] if expect == "background" else expect
    assert isinstance(colour, tuple)
    assert close(at(card, theme_2026, 0.5, 0.5), colour), at(card, theme_2026, 0.5, 0.5)


def test_every_mode_is_tested(mode_photos: dict[str, tuple[Path, object]]) -> None:
    assert sorted(mode_photos) == sorted(MODES)
    modes = {Image.open(p).mode for p, _ in mode_photos.values()}
    assert {"RGB", "RGBA", "LA", "L", "1", "CMYK", "I;16", "P"} <= modes


def test_half_transparent_photo_blends_with_the_card(tmp_path: Path, theme_2026: Theme,
                                                     aoife_2026: CardText) -> None:
    Image.new("RGBA", (100, 100), (0, 0, 0, 128)).save(tmp_path / "ghost.png")
    card = card_with(theme_2026, aoife_2026, tmp_path / "ghost.png")
    bg = theme_2026.colours["panel"]
    assert close(at(card, theme_2026, 0.5, 0.5), tuple(round(c * 127 / 255) for c in bg), 3)


def test_shapes() -> None:
    red = Image.new("RGBA", (300, 200), (*RED, 255))
    circle = shaped_photo(red, 140, 100, "circle")
    assert circle.size == (100, 100)  # a circle is as big as the box's short side
    assert circle.getpixel((0, 0))[3] == 0 and circle.getpixel((50, 50))[3] == 255
    square = shaped_photo(red, 140, 100, "square")
    assert square.size == (140, 100)
    assert square.getchannel("A").getextrema() == (255, 255)
    rounded = shaped_photo(red, 140, 100, "rounded")
    assert rounded.getpixel((0, 0))[3] == 0 and rounded.getpixel((70, 0))[3] == 255


# --- errors -------------------------------------------------------------------------


def photo_error(path: Path) -> PhotoError:
    with pytest.raises(PhotoError) as info:
        load_photo(path)
    assert info.value.field == "photo"
    return info.value


def test_missing_photo(tmp_path: Path) -> None:
    path = tmp_path / "me.jpg"
    assert str(photo_error(path)) == f"no photo at '{path}'; check the file name and folder"


def test_folder_is_not_a_photo(tmp_path: Path) -> None:
    assert str(photo_error(tmp_path)) == (f"the photo '{tmp_path}' is a folder; give the "
                                          "path of a file")


def test_file_that_is_not_an_image(tmp_path: Path) -> None:
    path = tmp_path / "me.jpg"
    path.write_text("this is a text file, not a photo", encoding="utf-8")
    assert str(photo_error(path)) == ("cannot read the photo 'me.jpg': it is damaged or not a "
                                      "picture; save it as a JPEG or PNG and try again")


def test_truncated_jpeg(tmp_path: Path) -> None:
    whole = tmp_path / "whole.jpg"
    Image.new("RGB", (400, 300), RED).save(whole, quality=90)
    cut = tmp_path / "cut.jpg"
    cut.write_bytes(whole.read_bytes()[:300])
    message = str(photo_error(cut))
    assert message == ("cannot read the photo 'cut.jpg': it is damaged or not a picture; save "
                       "it as a JPEG or PNG and try again")


def png_header_only(path: Path, width: int, height: int) -> None:
    """A PNG that claims a size without the pixels: what a decompression bomb looks like."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    path.write_bytes(b"\x89PNG\r\n\x1a\n"
                     + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
                     + chunk(b"IDAT", zlib.compress(b"\x00" * 16)) + chunk(b"IEND", b""))


def test_photo_over_50_megapixels(tmp_path: Path) -> None:
    path = tmp_path / "huge.png"
    png_header_only(path, 8000, 8000)
    assert str(photo_error(path)) == ("the photo 'huge.png' is 8000×8000 pixels (64 megapixels); "
                                      "the limit is 50 megapixels: save a smaller copy")


def test_decompression_bomb(tmp_path: Path) -> None:
    path = tmp_path / "bomb.png"
    png_header_only(path, 30000, 30000)
    assert str(photo_error(path)) == ("the photo 'bomb.png' is over 100 megapixels; the limit "
                                      "is 50 megapixels: save a smaller copy")
