"""The form's own fields: a crop the supporter did not touch is said, not guessed from
its numbers; the plain form's kept photo."""

from __future__ import annotations

import base64

import pytest

from imhcard.core.supporter import Crop
from imhcard.errors import SupporterError
from imhcard.web.forms import BadForm, Form


@pytest.mark.parametrize(("fields", "crop"), [
    ({}, None),  # a script with no crop: the automatic one
    ({"crop": "auto", "crop_x": "0.2", "crop_y": "0.8", "zoom": "2"}, None),  # untouched
    ({"crop": "set", "crop_x": "0.5", "crop_y": "0.5", "zoom": "1"}, Crop(0.5, 0.5, 1.0)),
    ({"crop_x": "0.5", "crop_y": "0.5", "zoom": "1"}, Crop(0.5, 0.5, 1.0)),  # asked for
    ({"zoom": "2"}, Crop(0.5, 0.5, 2.0)),
    ({"crop": "set"}, Crop(0.5, 0.5, 1.0)),
])
def test_the_crop_is_the_supporters_only_when_they_set_it(fields: dict[str, str],
                                                          crop: Crop | None) -> None:
    assert Form(fields).crop() == crop


def test_a_set_crop_is_still_checked() -> None:
    with pytest.raises(SupporterError) as err:
        Form({"crop": "set", "zoom": "9"}).crop()
    assert err.value.field == "zoom"


def test_the_kept_photo_is_the_photo_unless_a_new_one_came_or_none_is_wanted() -> None:
    kept = base64.b64encode(b"\xff\xd8kept").decode().encode()
    form = Form(kept=kept)
    form.take_kept_photo()
    assert form.photo == b"\xff\xd8kept" and form.kept == b""
    form = Form(photo=b"new", photo_name="new.jpg", kept=kept)
    form.take_kept_photo()
    assert form.photo == b"new"
    form = Form({"photo_remove": "1"}, photo=b"new", kept=kept)
    form.take_kept_photo()
    assert form.photo == b""


def test_a_kept_photo_that_is_not_base64() -> None:
    with pytest.raises(BadForm):
        Form(kept=b"%%%").take_kept_photo()
