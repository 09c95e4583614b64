"""What a render worker does: one card or preview, with the theme the server loaded.

The theme lives in this module, set once before the workers fork: a job carries only
the supporter's details and photo, never the theme, so the layers cached on it in
the server are the ones every worker uses."""

from __future__ import annotations

from dataclasses import dataclass

from imhcard.core.formats import FORMATS, get_format
from imhcard.core.supporter import Supporter
from imhcard.core.theme import Theme
from imhcard.output.memory import CardBytes, card_bytes, preview_bytes
from imhcard.render import faces
from imhcard.render.static import static_layer

_theme: Theme | None = None


@dataclass(frozen=True)
class CardJob:
    supporter: Supporter
    format: str
    image_type: str = "png"
    photo: bytes = b""
    photo_name: str = ""


def use_theme(theme: Theme) -> None:
    """Set the theme and make every format's static layer in every language, so
    workers forked after this start warm (and a theme that cannot fit fails now)."""
    global _theme
    for fmt in FORMATS.values():
        for language in theme.languages:
            static_layer(theme, fmt, language)
    faces.available()  # OpenCV imported once here, shared by every worker forked after
    _theme = theme


def warm_worker() -> None:
    """In a render process just forked: its own face detector, made and run once."""
    faces.warm()


def current_theme() -> Theme:
    assert _theme is not None, "use_theme() was not called before rendering"
    return _theme


def make_card(job: CardJob) -> CardBytes:
    return card_bytes(current_theme(), job.supporter, get_format(job.format),
                      job.image_type, job.photo or None, job.photo_name)


def make_preview(job: CardJob) -> CardBytes:
    return preview_bytes(current_theme(), job.supporter, get_format(job.format),
                         job.photo or None, job.photo_name)
