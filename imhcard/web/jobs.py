"""What a render worker does: one card or preview, with the theme the server loaded.

The theme lives in this module, set once before the workers fork: a job carries only
the supporter's details and photo, never the theme, so the layers cached on it in
the server are the ones every worker uses."""

from __future__ import annotations

import ctypes
import ctypes.util
from dataclasses import dataclass
from functools import cache

from imhcard.core.formats import FORMATS, get_format
from imhcard.core.supporter import Supporter
from imhcard.core.theme import Theme
from imhcard.output.memory import CardBytes, card_bytes, preview_bytes
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
    _theme = theme


def current_theme() -> Theme:
    assert _theme is not None, "use_theme() was not called before rendering"
    return _theme


@cache
def _libc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
    except OSError:
        return None
    return libc if libc is not None and hasattr(libc, "malloc_trim") else None


def _give_back_memory(job: CardJob) -> None:
    """After a photo (megabytes decoded and freed), return the freed heap to the system,
    so a worker's size after a burst of photos falls back (glibc keeps it otherwise)."""
    libc = _libc()
    if job.photo and libc is not None:
        libc.malloc_trim(0)


def make_card(job: CardJob) -> CardBytes:
    try:
        return card_bytes(current_theme(), job.supporter, get_format(job.format),
                          job.image_type, job.photo or None, job.photo_name)
    finally:
        _give_back_memory(job)


def make_preview(job: CardJob) -> CardBytes:
    try:
        return preview_bytes(current_theme(), job.supporter, get_format(job.format),
                             job.photo or None, job.photo_name)
    finally:
        _give_back_memory(job)
