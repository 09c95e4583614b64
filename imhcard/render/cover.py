"""The one crop rule: which part of a photo fills a frame, for every style and door.

A frame is covered like CSS `object-fit: cover` (never squashed), magnified by the
crop's zoom and centred on the crop's point, and kept inside the photo so it never
shows an empty edge. Without a crop from the supporter, `auto_crop` picks one: a
photo taller than the frame keeps its upper part (in a portrait or a selfie the face
is in the upper third, and cutting the top of a head is the crop people notice); a
wider photo keeps its centre. The supporter's crop (core.supporter.Crop: the web
page's crop_x, crop_y and zoom) is honoured instead, the same numbers in both styles.
"""

from __future__ import annotations

from PIL import Image

from imhcard.core.supporter import Crop

# Where the kept window sits in the spare height of a portrait photo: 0 is the top,
# 0.5 the centre. A quarter keeps the head with a little room above it.
FACE_BIAS = 0.25

Window = tuple[float, float, float, float]


def auto_crop(src_w: int, src_h: int, w: int, h: int) -> Crop:
    """The crop used when the supporter chose none, as a Crop, so the page's controls
    can start from exactly what the card shows."""
    scale = max(w / src_w, h / src_h)
    win_h = h / scale
    bias = FACE_BIAS if src_h * w > src_w * h else 0.5
    top = (src_h - win_h) * bias
    return Crop(0.5, (top + win_h / 2) / src_h, 1.0)


def cover_box(src_w: int, src_h: int, w: int, h: int, crop: Crop | None = None) -> Window:
    """The window of a src_w x src_h photo that, scaled, fills a w x h frame exactly:
    (left, top, right, bottom) in the photo's pixels."""
    if crop is None:
        crop = auto_crop(src_w, src_h, w, h)
    scale = max(w / src_w, h / src_h) * max(1.0, crop.zoom)
    win_w, win_h = min(src_w, w / scale), min(src_h, h / scale)
    left = min(max(crop.x * src_w - win_w / 2, 0.0), src_w - win_w)
    top = min(max(crop.y * src_h - win_h / 2, 0.0), src_h - win_h)
    return left, top, left + win_w, top + win_h


def cover(photo: Image.Image, w: int, h: int, crop: Crop | None = None) -> Image.Image:
    """The photo cropped and scaled to exactly w x h by the crop rule above.

    One resize straight from the window (no intermediate crop). Bilinear: Pillow
    widens its filter when it shrinks, so a large photo is still smoothed properly,
    and at the card's sizes it looks the same as bicubic at two thirds of the time;
    `reducing_gap` lets a much larger photo be box-reduced by whole factors first."""
    box = cover_box(photo.width, photo.height, w, h, crop)
    return photo.resize((w, h), Image.Resampling.BILINEAR, box=box, reducing_gap=2.0)


def opaque(photo: Image.Image) -> Image.Image:
    """The photo as RGB when it has no transparency (almost every photo): resized a
    third faster than RGBA, and pasted without a mask. Done once per photo, not per card."""
    if photo.mode == "RGBA" and photo.getchannel("A").getextrema()[0] == 255:
        return photo.convert("RGB")
    return photo
