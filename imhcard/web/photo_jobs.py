"""What a render worker does for the page's live preview: the card's frame for the
current words (no photo needed), and a photo's place in every card (no words needed).
Run in the same workers as the cards (web/jobs.py), with the theme set there."""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from typing import Any

from PIL import Image

from imhcard.core.formats import get_format
from imhcard.core.supporter import Supporter, resolve
from imhcard.output.frame import make_frame
from imhcard.output.placing import framings, small_copy
from imhcard.render.photo import SupporterPhoto
from imhcard.web.jobs import current_theme

THUMBNAIL_SIDE = 240


@dataclass(frozen=True)
class FrameJob:
    supporter: Supporter
    format: str
    with_photo: bool
    layer_type: str = "webp"  # or png, for a browser without WebP


@dataclass(frozen=True)
class PhotoJob:
    photo: bytes
    photo_name: str = ""
    language: str | None = None  # the card's words': the marks they make on a photo card
    # The browser could not shrink it (HEIC outside Safari): the server makes the copy
    # and sends it back, and that copy is the page's photo from then on.
    make_copy: bool = False


@dataclass(frozen=True)
class Placed:
    """A photo's place in every card, and the server's copy of it when it made one."""

    framings: dict[str, dict[str, dict[str, Any]]]
    copy: bytes | None = None

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"framings": self.framings}
        if self.copy is not None:
            out["copy"] = base64.b64encode(self.copy).decode("ascii")
        return out


@dataclass(frozen=True)
class Kept:
    """A photo kept in the plain form (no JavaScript) after an error: the copy the
    next card is made from, and a small picture of it to show."""

    copy: bytes
    thumbnail: bytes


def frame(job: FrameJob) -> dict[str, Any]:
    """The frame of the job's card (output/frame.py) as the page's JSON."""
    theme = current_theme()
    text = resolve(job.supporter, theme)
    return make_frame(theme, text, get_format(job.format), job.with_photo).as_json(
        job.layer_type)


def place(job: PhotoJob) -> Placed:
    """Where the photo sits in every card (output/placing.py); with make_copy, the
    server's copy too, and the places are those of the copy."""
    theme = current_theme()
    photo = SupporterPhoto(job.photo, job.photo_name)
    copy = None
    if job.make_copy:
        copy = small_copy(theme, photo)
        photo = SupporterPhoto(copy, job.photo_name)
    return Placed(framings(theme, photo, job.language), copy)


def keep(job: PhotoJob) -> Kept:
    """The plain form's kept photo: the page's copy and a thumbnail of it."""
    theme = current_theme()
    copy = small_copy(theme, SupporterPhoto(job.photo, job.photo_name))
    with Image.open(io.BytesIO(copy)) as img:
        img.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE))
        buf = io.BytesIO()
        img.convert("RGB").save(buf, "JPEG", quality=80)
    return Kept(copy, buf.getvalue())
