"""Class 4b: photos that cost too much to decode, or whose metadata is malformed. Each
makes a card (the metadata ignored) or a refusal naming the photo, and none costs more
than a few times a normal 12-megapixel photo: the cost is bounded from the file's
structure before any pixel is decoded (core/images.py)."""

from __future__ import annotations

import time

import pytest

from imhcard.errors import PhotoError
from imhcard.render.photo import load_photo

from .photo_corpus import CORPUS, Hostile, made


@pytest.mark.parametrize("hostile", CORPUS, ids=[h.name for h in CORPUS])
def test_hostile_photo_is_a_card_or_a_refusal_quickly(hostile: Hostile) -> None:
    data = made(hostile.name)
    assert len(data) < 15 * 1024 * 1024  # under the page's upload cap
    started = time.process_time()
    if hostile.outcome == "refused":
        with pytest.raises(PhotoError) as info:
            load_photo(data, max_side=1080, name="me.jpg")
        assert info.value.field == "photo" and "'me.jpg'" in str(info.value)
        assert "Error" not in str(info.value).split("(")[0]  # plain words, no class name
    else:
        photo = load_photo(data, max_side=1080, name="me.jpg")
        assert photo.size == ((48, 64) if hostile.rotated else (64, 48))
        assert photo.info == {}
    # Generous: the attacks cost 5-60 s before; a normal 12 MP photo ~0.1 s.
    assert time.process_time() - started < 1.5


def test_a_progressive_photo_with_ordinary_scans_still_loads() -> None:
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.effect_noise((3000, 2000), 40).convert("RGB").save(buf, "JPEG", progressive=True)
    assert load_photo(buf.getvalue(), max_side=1080).size == (3000, 2000)
