"""The page's photo: the one copy of it a phone sends, no bigger than any screen card
needs, and where it sits in every card, for the page to start from.

The page shrinks the photo in the browser (web/static/page.js) by copy_scale, with the
windows from photo_windows; where the browser cannot decode it (HEIC outside Safari)
or runs no JavaScript, the server makes the same copy with small_copy. Either way the
copy is the photo every later preview and card is made from, so what the page shows
is what the card gets.
"""

from __future__ import annotations

import io
from typing import Any

from PIL import Image

from imhcard.core.formats import FORMATS, Format
from imhcard.core.layout import BACKDROP
from imhcard.core.theme import Theme
from imhcard.render.framing import default_crop, face_window
from imhcard.render.photo import SupporterPhoto
from imhcard.render.pipeline import framing, looks_soft, photo_need
from imhcard.render.static import layout_for

STYLES = ("photo", "text")
# The server's copy is a JPEG at this quality, with full-resolution colour: it is the
# photo every card is drawn from, so it is kept close to the original.
COPY_QUALITY = 88


def screen_formats() -> list[Format]:
    """The formats whose needs size the copy: every screen card. A print card is drawn
    from the same copy (its photo prints at about 190 dpi on A5)."""
    return [f for f in FORMATS.values() if not f.is_print]


def photo_windows(theme: Theme, formats: list[Format] | None = None) -> list[tuple[int, int]]:
    """Every box a photo covers on the given formats' cards (all screen formats by
    default), in both styles, in card pixels."""
    out = set()
    for fmt in formats or screen_formats():
        for style in STYLES:
            el = layout_for(theme, fmt, style).get(BACKDROP if style == "photo" else "photo")
            if el is None:
                continue
            b = el.box
            circle = style == "text" and el.shape == "circle"
            out.add((min(b.w, b.h), min(b.w, b.h)) if circle else (b.w, b.h))
    return sorted(out)


def copy_scale(width: int, height: int, windows: list[tuple[int, int]]) -> float:
    """How much to shrink a width x height photo so it still covers every window at
    zoom 1 pixel for pixel (render.cover's rule), never enlarging it."""
    need = max((max(w / width, h / height) for w, h in windows), default=1.0)
    return min(1.0, need)


def small_copy(theme: Theme, photo: SupporterPhoto) -> bytes:
    """The page's copy of `photo`, made by the server: upright, without metadata, shrunk
    by copy_scale, as a JPEG. Raises PhotoError (in words) for a photo it cannot read."""
    windows = photo_windows(theme)
    largest = max(max(w, h) for w, h in windows)
    image = photo.image(largest)
    scale = copy_scale(image.width, image.height, windows)
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    if size != image.size:
        image = image.resize(size, Image.Resampling.LANCZOS)
    buf = io.BytesIO()
    if image.mode == "RGBA":  # a transparent PNG stays one: the card shows through it
        image.save(buf, "PNG", compress_level=6)
    else:
        image.convert("RGB").save(buf, "JPEG", quality=COPY_QUALITY, subsampling=0,
                                  optimize=True)
    return buf.getvalue()


def framings(theme: Theme, photo: SupporterPhoto, language: str | None = None,
             ) -> dict[str, dict[str, dict[str, Any]]]:
    """Where the photo sits in every format's card in each style, with the words in
    `language`, as the card pipeline will place it when the supporter does not move it
    (render.pipeline.framing): the crop's numbers (the automatic crop, or the rule's for
    a photo without faces), whether the marks on the photo move off a face, and whether
    the photo is too small for its place (it will look soft: the page says so).
    {format: {style: {...}}}."""
    (w, h), _ = photo.faces()
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for fmt in FORMATS.values():
        for style in STYLES:
            window = face_window(layout_for(theme, fmt, style), style, fmt)
            if window is None:
                continue
            placed = framing(theme, fmt, style, photo, None, language)
            crop = placed.crop or default_crop(w, h, window.w, window.h)
            out.setdefault(fmt.name, {})[style] = {
                "x": crop.x, "y": crop.y, "zoom": crop.zoom, "move_marks": placed.move_marks,
                "faces": placed.crop is not None,
                "small": looks_soft((w, h), photo_need(theme, fmt, style))}
    return out
