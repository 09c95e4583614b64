"""The photo style's marks (logo, wordmark, week) move to the other end of the photo when
the automatic crop cannot keep a face clear of them: decided once, in the card pipeline
(render.pipeline.framing), so the CLI, the batch and the page all get it; the alt text
still says where things are."""

from __future__ import annotations

import io
from dataclasses import replace

import facehelp
import pytest
from PIL import Image

from imhcard.core.formats import FORMATS, Format
from imhcard.core.layout import BACKDROP
from imhcard.core.supporter import Crop, Supporter, resolve
from imhcard.core.theme import Theme
from imhcard.render import faces
from imhcard.render.photo import SupporterPhoto
from imhcard.render.pipeline import framing, make_card
from imhcard.render.static import layout_for, marks_area, marks_moved, marks_shift

PHOTO_FORMATS = list(FORMATS.values())


@pytest.mark.parametrize("fmt", PHOTO_FORMATS, ids=lambda f: f.name)
@pytest.mark.parametrize("language", ["en", "ga"])
def test_the_moved_marks_mirror_their_place_within_the_visible_photo(
        theme_2026: Theme, fmt: Format, language: str) -> None:
    """What the marks cover (marks_area, in this language) keeps its gap to the photo's
    edge, at the other end; the layout's chip box and everything in it move with it."""
    layout = layout_for(theme_2026, fmt, "photo")
    area = marks_area(theme_2026, fmt, language)
    assert area is not None
    moved = marks_moved(layout, fmt, area)
    assert moved is not None, fmt.name
    chip, new, photo = layout["chip"].box, moved["chip"].box, layout[BACKDROP].box
    dy = new.y - chip.y
    top = max(photo.y, fmt.safe_top)
    bottom = min(photo.bottom, fmt.height - fmt.safe_bottom)
    assert area.y + dy - top == bottom - area.bottom  # the marks' gap, at the other end
    assert (new.x, new.w, new.h) == (chip.x, chip.w, chip.h)
    new = replace(area, y=area.y + dy)
    for name, el in layout.items():
        if name == "chip" or (chip.x <= el.box.x and chip.y <= el.box.y
                              and el.box.right <= chip.right and el.box.bottom <= chip.bottom
                              and el.fill is None and name != BACKDROP):
            assert moved[name].box.y == el.box.y + dy, name  # moved with the chip
        else:
            assert moved[name] == el, name  # everything else stays
            if name not in (BACKDROP, "art"):
                assert not el.box.overlaps(new), f"the moved marks meet {name}"


def test_a_layout_with_nothing_on_its_photo_has_nothing_to_move(theme_2026: Theme) -> None:
    fmt = FORMATS["instagram-square"]
    assert marks_moved(layout_for(theme_2026, fmt, "text"), fmt) is None


needs_faces = pytest.mark.skipif(not faces.available(), reason="the face extra is not installed")


def _card_photo(scene: facehelp.Scene) -> SupporterPhoto:
    return SupporterPhoto(scene.jpeg(), scene.name)


@needs_faces
@pytest.mark.parametrize("fmt", ["facebook", "linkedin", "x"])
def test_a_face_under_the_low_chip_of_a_landscape_card_moves_the_marks_up(
        theme_2026: Theme, fmt: str) -> None:
    """The landscape photo cards carry the marks low, under a face: a face at the bottom
    of the photo is cut by them, whatever the crop; the marks go to the top instead."""
    photo = _card_photo(facehelp.at_edge("bottom"))
    placed = framing(theme_2026, FORMATS[fmt], "photo", photo)
    assert placed.move_marks
    text = resolve(Supporter(name="Aoife", pledge="listen", style="photo"), theme_2026)
    card = make_card(theme_2026, text, FORMATS[fmt], photo).card
    chip = card.layout["chip"].box
    assert chip.y < layout_for(theme_2026, FORMATS[fmt], "photo")["chip"].box.y
    # The face is whole on the card, below the moved chip: looked at again, it is found.
    b = card.layout[BACKDROP].box
    below = card.image.crop((b.x, chip.bottom, b.right, b.bottom))
    assert faces.find_faces(below), "no whole face below the moved marks"
    # The alt text still says where the photo, hashtag and QR code are.
    assert "Their photo fills the left side of the card." in card.alt_text


@needs_faces
def test_a_face_clear_of_the_chip_leaves_the_marks_where_they_are(theme_2026: Theme) -> None:
    for scene in (facehelp.original("kodim04"), facehelp.pair(), facehelp.baby_low()):
        photo = _card_photo(scene)
        for fmt in ("instagram-square", "instagram-portrait", "story"):
            assert not framing(theme_2026, FORMATS[fmt], "photo", photo).move_marks, \
                (scene.name, fmt)


@needs_faces
def test_the_supporters_own_crop_moves_the_photo_never_the_marks(theme_2026: Theme) -> None:
    photo = _card_photo(facehelp.at_edge("bottom"))
    fmt = FORMATS["facebook"]
    own = Crop(0.3, 0.2, 1.5)
    placed = framing(theme_2026, fmt, "photo", photo, own)
    assert placed.crop == own and placed.move_marks  # decided from the photo, not the crop
    # The text style has no marks on its photo.
    assert not framing(theme_2026, fmt, "text", photo).move_marks


def test_without_faces_nothing_moves(theme_2026: Theme) -> None:
    buf = io.BytesIO()
    Image.new("RGB", (800, 600), (90, 120, 160)).save(buf, "JPEG")
    placed = framing(theme_2026, FORMATS["facebook"], "photo", SupporterPhoto(buf.getvalue()))
    assert placed.crop is None and not placed.move_marks


@pytest.mark.parametrize("fmt", PHOTO_FORMATS, ids=lambda f: f.name)
def test_moved_across_the_marks_keep_their_gap_to_the_other_side(theme_2026: Theme,
                                                                fmt: Format) -> None:
    """Across (and to the far corner): the marks' gap to the photo's left edge becomes
    their gap to its right edge, and they meet nothing else drawn over the photo."""
    layout = layout_for(theme_2026, fmt, "photo")
    area = marks_area(theme_2026, fmt, "ga")
    assert area is not None
    photo = layout[BACKDROP].box
    for how in ("horizontal", "both"):
        shift = marks_shift(layout, fmt, area, how)
        if shift is None:
            continue  # a QR sticker or the panel is there
        dx, dy = shift
        assert area.x + dx + area.w == photo.right - (area.x - photo.x)
        assert (dy == 0) == (how == "horizontal")
        moved = marks_moved(layout, fmt, area, how)
        assert moved is not None and moved["chip"].box.x == layout["chip"].box.x + dx


@needs_faces
@pytest.mark.parametrize("language", ["en", "ga"])
def test_a_face_high_at_the_left_of_a_square_card_moves_the_marks_across(
        theme_2026: Theme, language: str) -> None:
    """A portrait photo with the face high at its left edge: no crop of the square card
    keeps the head out from under the logo and title at the top left, and the bottom is
    the hashtag band and QR code's; the marks go to the top right instead (a supporter
    trying the page found the head under the title)."""
    scene = facehelp.compose((3000, 4000), [("astronaut", 0.2, 0.12, 0.3)], "left-high")
    photo = _card_photo(scene)
    fmt = FORMATS["instagram-square"]
    placed = framing(theme_2026, fmt, "photo", photo, language=language)
    assert placed.move_marks == "horizontal"
    text = resolve(Supporter(name="Aoife", pledge="listen", style="photo", language=language),
                   theme_2026)
    card = make_card(theme_2026, text, fmt, photo).card
    chip = card.layout["chip"].box
    assert chip.x > layout_for(theme_2026, fmt, "photo")["chip"].box.x
    # The face is whole on the card, left of the moved chip: looked at again, it is found.
    b = card.layout[BACKDROP].box
    beside = card.image.crop((b.x, b.y, chip.x, b.bottom))
    assert faces.find_faces(beside), "no whole face beside the moved marks"
