"""The QR code scans, with a real decoder, from the finished card: as rendered, and after
the card is shrunk to half size and re-saved as a JPEG, as social networks do."""

from __future__ import annotations

import io

import numpy as np
import pytest
import zxingcpp
from helper import decode_qr, half, save_failure
from PIL import Image

from imhcard.core.formats import FORMATS
from imhcard.core.theme import Theme
from imhcard.errors import FormatError
from imhcard.render.compose import Card
from imhcard.render.qr import MIN_MODULE_PX, QUIET_ZONE, module_size, qr_image, qr_matrix
from imhcard.render.static import layout_for


def recompressed(image: Image.Image, quality: int = 70) -> Image.Image:
    """Half size (LANCZOS), then JPEG at `quality`: what an upload goes through."""
    buf = io.BytesIO()
    half(image).save(buf, "JPEG", quality=quality)
    buf.seek(0)
    return Image.open(buf).convert("RGB")


def symbol(image: Image.Image) -> tuple[int, int, int, int]:
    """Outer corners of the one QR symbol on a card, quiet zone excluded: (x0, y0, x1, y1)."""
    [found] = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    p = found.position
    return p.top_left.x, p.top_left.y, p.bottom_right.x, p.bottom_right.y


@pytest.mark.parametrize("fmt_name", list(FORMATS))
def test_qr_decodes_to_the_campaign_url(theme_2026: Theme, cards_2026: dict[str, Card],
                                        fmt_name: str) -> None:
    card = cards_2026[fmt_name]  # print-a5 too: the image that goes into the PDF
    assert card.url == theme_2026.campaign_url(FORMATS[fmt_name])
    assert decode_qr(card.image) == [card.url]


@pytest.mark.parametrize("fmt_name", list(FORMATS))
def test_qr_decodes_after_half_size_and_jpeg_70(cards_2026: dict[str, Card],
                                                fmt_name: str) -> None:
    card = cards_2026[fmt_name]
    shared = recompressed(card.image)
    found = decode_qr(shared)
    if found != [card.url]:
        save_failure(f"qr-recompressed-{fmt_name}", actual=shared)
    assert found == [card.url]


def test_qr_decodes_beside_a_photo(photo_cards_2026: dict[str, Card]) -> None:
    for card in photo_cards_2026.values():
        assert decode_qr(recompressed(card.image)) == [card.url]


def test_every_format_links_with_its_own_utm_source(cards_2026: dict[str, Card]) -> None:
    sources = {name: card.url.split("utm_source=")[1].split("&")[0]
               for name, card in cards_2026.items()}
    assert sources == {"instagram-square": "instagram", "instagram-portrait": "instagram",
                       "story": "instagram", "facebook": "facebook", "x": "x",
                       "linkedin": "linkedin", "print-a5": "print"}


@pytest.mark.parametrize("fmt_name", list(FORMATS))
def test_module_size(theme_2026: Theme, cards_2026: dict[str, Card], fmt_name: str) -> None:
    """At least 6 px a module on a 1080-wide card, more on wider ones: measured from the
    decoded symbol's corners as well as computed."""
    fmt = FORMATS[fmt_name]
    card = cards_2026[fmt_name]
    box = layout_for(theme_2026, fmt)["qr"].box
    computed = module_size(card.url, min(box.w, box.h))
    need = max(MIN_MODULE_PX, int(MIN_MODULE_PX * fmt.scale))
    assert computed >= need
    x0, _, x1, _ = symbol(card.image)
    assert (x1 - x0) / len(qr_matrix(card.url)) == pytest.approx(computed, abs=0.1)


def test_module_size_on_1080_wide_cards(theme_2026: Theme) -> None:
    for name in ("instagram-square", "instagram-portrait", "story"):
        fmt = FORMATS[name]
        assert fmt.width == 1080
        box = layout_for(theme_2026, fmt)["qr"].box
        assert module_size(theme_2026.campaign_url(fmt), min(box.w, box.h)) >= 6


@pytest.mark.parametrize("fmt_name", list(FORMATS))
def test_quiet_zone_of_four_light_modules(theme_2026: Theme, cards_2026: dict[str, Card],
                                          fmt_name: str) -> None:
    card = cards_2026[fmt_name]
    x0, y0, x1, y1 = symbol(card.image)
    module = (x1 - x0) // len(qr_matrix(card.url))
    margin = QUIET_ZONE * module
    px = np.asarray(card.image.convert("L"))
    ring = px[y0 - margin:y1 + margin, x0 - margin:x1 + margin].copy()
    ring[margin:-margin, margin:-margin] = 255  # the symbol itself is not the quiet zone
    assert ring.shape == (y1 - y0 + 2 * margin, x1 - x0 + 2 * margin)
    assert int(ring.min()) == 255, "something dark in the quiet zone"


def test_dark_modules_are_the_theme_text_colour(theme_2026: Theme,
                                                cards_2026: dict[str, Card]) -> None:
    card = cards_2026["instagram-square"]
    x0, y0, _, _ = symbol(card.image)
    # The top-left finder pattern's outer ring starts at the symbol's corner.
    assert card.image.getpixel((x0 + 1, y0 + 1)) == theme_2026.colours["text"]


def test_strongest_error_correction_that_keeps_the_size() -> None:
    # 19 bytes: level L needs version 2 (25×25), and version 2 holds 20 bytes at level Q.
    short = "https://example.org"
    assert len(qr_matrix(short)) == 25
    [found] = zxingcpp.read_barcodes(qr_image(short, 300, 6, (0, 0, 0)))
    assert found.text == short
    assert found.ec_level == "Q"


def test_qr_box_too_small_is_an_error() -> None:
    url = "https://example.org/" + "x" * 140
    with pytest.raises(FormatError) as info:
        qr_image(url, 120, 6, (0, 0, 0))
    need = (len(qr_matrix(url)) + 2 * QUIET_ZONE) * 6
    assert str(info.value) == (
        f"the QR code needs a {need} px box for 6 px modules but its box is 120 px; make the "
        "qr box bigger or the campaign URL shorter (160 characters)")
