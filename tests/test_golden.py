"""Golden images: each format's card for one fixed supporter with the 2024 theme, compared
with a tolerance against tests/golden/<format>.png.

The goldens are stored at half size to keep the repository small; the comparison is at
half size too. After a deliberate design change, regenerate them with

    python -m pytest tests/test_golden.py --regen-golden

and look at every image in tests/golden/ before committing. On a failure the actual,
expected and difference images are in tests/failures/.
"""

from __future__ import annotations

import pytest
from conftest import sample_photo
from helper import GOLDEN, assert_image_similar, half, mean_difference
from PIL import Image

from imhcard.core.formats import FORMATS
from imhcard.core.supporter import Supporter, resolve
from imhcard.core.theme import Theme
from imhcard.render.compose import Card, render_card

SUPPORTER = Supporter(name="Aoife Ní Bhriain", pledge="speak-up", org="Sure Start Newry")

# Mean absolute difference per channel (0-255) allowed at half size. Another FreeType
# or Pillow version anti-aliases glyph edges a little differently; blurring the whole
# square card by half a pixel, a harsher change than that, measures 0.87. Changes a
# person would notice measure far more: the photo moved down
# 40 px 4.9, another prompt 5.4, the QR code missing 7.0. (One letter of the name
# changed measures 0.03: exact words are tested in test_fit and test_render, not here.)
EPSILON = 1.0


@pytest.fixture(scope="module")
def golden_cards(theme_2024: Theme) -> dict[str, Card]:
    pledge = resolve(SUPPORTER, theme_2024)
    photo = sample_photo()
    return {name: render_card(theme_2024, pledge, fmt, photo) for name, fmt in FORMATS.items()}


@pytest.mark.parametrize("fmt_name", list(FORMATS))
def test_golden(golden_cards: dict[str, Card], regen_golden: bool, fmt_name: str) -> None:
    # print-a5 is compared as the rendered image, not the PDF made from it.
    actual = half(golden_cards[fmt_name].image)
    path = GOLDEN / f"{fmt_name}.png"
    if regen_golden:
        GOLDEN.mkdir(exist_ok=True)
        actual.save(path, optimize=True)
        return
    if not path.exists():
        pytest.fail(f"no golden image {path}; make it with: python -m pytest "
                    "tests/test_golden.py --regen-golden (then look at it)")
    with Image.open(path) as img:
        expected = img.convert("RGB")
    assert_image_similar(actual, expected, EPSILON, f"golden-{fmt_name}")


def test_tolerance_catches_a_real_change(golden_cards: dict[str, Card]) -> None:
    """The tolerance is not so loose that a moved line of text passes."""
    card = golden_cards["instagram-square"].image
    moved = card.copy()
    # Shift the photo's circle (top right, in place of the artwork) down by 40 px.
    row = card.crop((660, 20, 1040, 380))
    moved.paste(card.crop((660, 0, 1040, 40)), (660, 20))
    moved.paste(row, (660, 60))
    assert mean_difference(half(moved), half(card)) > 4 * EPSILON


# An Arabic pledge in the supporter's own words, with a hyphenated English word and a
# phone number in it, under an Arabic name and an English organisation: the order of
# the Unicode bidi algorithm (tests/test_bidi.py checks it exactly). Read right to
# left, line 2 is "Stay-and-Play", a space, then مع; line 4 ends with the number,
# its groups 028 9012 3456 from the right. Same tolerance and reasoning as above.
ARABIC = Supporter(name="شيماء الحسيني",
                   pledge="سأحضر جلسات Stay-and-Play مع طفلي كل أسبوع، اتصلوا بي على 028 9012 3456",
                   org="Sure Start Newry")


def test_golden_arabic_pledge(theme_2024: Theme, regen_golden: bool) -> None:
    card = render_card(theme_2024, resolve(ARABIC, theme_2024), FORMATS["instagram-square"],
                       sample_photo())
    actual = half(card.image)
    path = GOLDEN / "arabic-pledge.png"
    if regen_golden:
        actual.save(path, optimize=True)
        return
    assert path.exists(), f"no golden {path}; run pytest --regen-golden and look at it"
    with Image.open(path) as img:
        expected = img.convert("RGB")
    assert_image_similar(actual, expected, EPSILON, "golden-arabic-pledge")
