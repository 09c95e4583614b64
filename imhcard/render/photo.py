"""The supporter's photo: read any common image safely, upright, at the scale a card
needs, and shaped for the text style's frame."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Sequence
from functools import cached_property, lru_cache
from pathlib import Path
from typing import BinaryIO

from PIL import Image, ImageChops, ImageDraw

from imhcard.core.images import draft_size, open_image
from imhcard.core.limits import IMAGE_MAX_BYTES
from imhcard.core.safe_files import read_regular
from imhcard.core.supporter import Crop
from imhcard.errors import PhotoError, RefusedFile
from imhcard.render.cover import cover, opaque
from imhcard.render.faces import DETECT_SIDE, Face, find_faces

SUPERSAMPLE = 4
MIN_SIDE = 32
# Phone screens' long side to short: 16:9 (older iPhones, 750x1334) to 20:9 and a
# little beyond (1080x2400, 1170x2532). Camera photos are 4:3 or 3:2; a 16:9 one has
# its camera's make and model in its metadata.
SCREEN_RATIO = (1.75, 2.4)
# The photo is looked at for faces at this size (the detector shrinks it further).
FACE_SIDE = DETECT_SIDE
# Every decode gives at least this many pixels on the shorter side: what a photo card's
# photo needs (1080 in the square, portrait and story cards). So the copy the faces are
# looked for on and the card's photo are one decode: a JPEG's entropy decoding costs
# nearly as much at 1/8 scale as at 1/2 (~40 of ~47 ms for a 12-megapixel photo), and a
# second decode was a third of a photo card's time.
SHARED_SIDE = 1080
# What load_photo reads: a path, or the photo's bytes (an upload held in memory).
PhotoSource = Path | bytes | BinaryIO


def load_photo(source: PhotoSource, max_side: int = 1024, name: str = "",
               within: Sequence[Path] = ()) -> Image.Image:
    """The photo as upright RGBA, whatever its mode (CMYK, palette, 16-bit, alpha).

    `source` is a path, bytes or a binary file object; `name` is what messages call
    it (a path's file name by default). A JPEG is decoded at a reduced scale when it
    is much bigger than `max_side` (a 12-megapixel phone photo becomes a circle a few
    hundred pixels across). With `within`, a path must be in one of those folders.
    EXIF and other metadata are not carried into the result. Limits: core/images.py."""
    return _to_rgba(_upright(source, max_side, name, within))


def _upright(source: PhotoSource, max_side: int, name: str,
             within: Sequence[Path] = ()) -> Image.Image:
    """The photo decoded and turned upright, in its own mode but 8 bits a channel."""
    opened: Path | BinaryIO = io.BytesIO(source) if isinstance(source, bytes) else source
    try:
        img = open_image(opened, "photo", within, max_side=max_side, name=name)
    except RefusedFile as exc:
        raise PhotoError("photo", str(exc), exc.code, {"field": "photo", **exc.values}) \
            from None
    # The 16-bit greyscale modes Image.open gives (PNG: I;16; TIFF: I;16, I;16B, I):
    # scale to 8 bits rather than clipping to white.
    if img.mode in ("I;16", "I;16B", "I"):
        img = img.point(lambda v: v / 256).convert("L")
    return img  # its info (a palette's transparency) is read by the caller, then cleared


def _to_rgba(img: Image.Image) -> Image.Image:
    # Every mode, CMYK and a palette with transparency included, converts as it is.
    rgba = img.convert("RGBA")
    rgba.info.clear()  # no EXIF, GPS, XMP or ICC text travels on
    return rgba


# Modes that cannot be transparent: made RGB straight away, not RGBA and back (a
# 12-megapixel JPEG's two conversions cost ~15 ms of a photo card).
_OPAQUE_MODES = frozenset({"RGB", "L", "CMYK", "YCbCr", "LAB", "HSV", "1"})


def _card_photo(img: Image.Image) -> Image.Image:
    """The photo as the cards draw it: RGB, or RGBA when it really has transparency
    (render.cover.opaque)."""
    if img.mode in _OPAQUE_MODES or (img.mode == "P" and "transparency" not in img.info):
        rgb = img if img.mode == "RGB" else img.convert("RGB")
        rgb.info.clear()
        return rgb
    return opaque(_to_rgba(img))


class SupporterPhoto:
    """A supporter's photo as they gave it (its bytes), decoded on demand at the scale
    each card needs, once per scale.

    Every door (the CLI, the batch, the page) hands the card pipeline one of these,
    so the same bytes give the same pixels whichever door they came through: a JPEG
    is decoded at the reduced scale its card needs (Pillow's draft), and two cards
    that need the same scale share one decode."""

    def __init__(self, data: bytes, name: str = "") -> None:
        self.data = data
        self.name = name
        self._decoded: dict[tuple[int, int], Image.Image] = {}
        self._faces: tuple[tuple[int, int], tuple[Face, ...]] | None = None

    @classmethod
    def read(cls, path: Path, within: Sequence[Path] = ()) -> SupporterPhoto:
        """The photo file at `path` (inside `within` when given), read once; PhotoError
        saying why when it is not a file imhcard will read."""
        try:
            return cls(read_regular(path, "photo", IMAGE_MAX_BYTES, within), path.name)
        except RefusedFile as exc:
            raise PhotoError("photo", str(exc), exc.code, {"field": "photo", **exc.values}) \
                from None

    @cached_property
    def digest(self) -> str:
        """The bytes' SHA-256: what a batch's content key knows of the photo."""
        return hashlib.sha256(self.data).hexdigest()

    def faces(self) -> tuple[tuple[int, int], tuple[Face, ...]]:
        """The faces in the photo (none without the face extra), found once on the copy
        decoded for FACE_SIDE (the cards' own decode, SHARED_SIDE) whichever door the
        photo came through, with that copy's size: (size, faces in its pixels)."""
        if self._faces is None:
            copy = self.image(FACE_SIDE)
            self._faces = (copy.size, find_faces(copy))
        return self._faces

    def pixel_size(self) -> tuple[int, int]:
        """The photo's own size in pixels, as stored (read from its header alone)."""
        try:
            with Image.open(io.BytesIO(self.data)) as img:
                size: tuple[int, int] = img.size
                return size
        except Exception:  # not an image: decoding it says why, naming the photo
            self.image(MIN_SIDE)
            raise

    def looks_like_a_screenshot(self) -> bool:
        """Whether the photo has a phone screen's shape and no camera's record: a
        screenshot, whose status bar (time, battery) would be on the card."""
        w, h = self.pixel_size()
        if not SCREEN_RATIO[0] <= max(w, h) / max(1, min(w, h)) <= SCREEN_RATIO[1]:
            return False
        try:
            with Image.open(io.BytesIO(self.data)) as img:
                exif = img.getexif()
                camera = bool(exif.get(0x010F) or exif.get(0x0110))  # Make, Model
                return img.format == "PNG" or not camera
        except Exception:  # damaged metadata: the shape alone decides
            return True

    def image(self, side: int) -> Image.Image:
        """The photo upright, as RGB (RGBA if it has transparency), with at least
        `side` (and SHARED_SIDE) pixels on its shorter side where the photo has them."""
        side = max(side, SHARED_SIDE)
        try:
            key = draft_size(io.BytesIO(self.data), side)
        except RefusedFile:
            key = (0, 0)  # decoding it says why, naming the photo
        if key not in self._decoded:
            self._decoded[key] = _card_photo(_upright(self.data, side, self.name))
        return self._decoded[key]


@lru_cache(maxsize=16)
def _mask(shape: str, w: int, h: int) -> Image.Image:
    """An anti-aliased mask of the photo's shape, drawn large and scaled down."""
    big = Image.new("L", (w * SUPERSAMPLE, h * SUPERSAMPLE), 0)
    draw = ImageDraw.Draw(big)
    box = (0, 0, big.width - 1, big.height - 1)
    if shape == "circle":
        draw.ellipse(box, fill=255)
    elif shape == "rounded":
        draw.rounded_rectangle(box, radius=min(big.size) // 6, fill=255)
    else:
        draw.rectangle(box, fill=255)
    return big.resize((w, h), Image.Resampling.LANCZOS)


def shaped_photo(photo: Image.Image, w: int, h: int, shape: str = "circle",
                 crop: Crop | None = None) -> Image.Image:
    """The photo filling its shape by the one crop rule (render.cover), as RGBA."""
    if shape == "circle":
        w = h = min(w, h)
    fitted = cover(photo, w, h, crop)
    if fitted.mode != "RGBA":  # an opaque photo (render.cover.opaque): the shape alone
        fitted.putalpha(_mask(shape, w, h))
        return fitted
    fitted.putalpha(ImageChops.multiply(fitted.getchannel("A"), _mask(shape, w, h)))
    return fitted
