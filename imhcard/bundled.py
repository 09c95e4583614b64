"""Where the bundled fonts, artwork and shipped themes are.

Installed, they are the package data `imhcard.assets` and `imhcard.themes`
(pyproject.toml maps the repo's top-level assets/ and themes/ there). Run from a
source checkout without installing (`python -m pytest` puts the checkout first
on sys.path), those subpackages do not exist and the top-level folders are used.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

_CHECKOUT = Path(__file__).resolve().parent.parent


@cache
def _folder(package: str, name: str) -> Path:
    try:
        return Path(str(resources.files(package)))
    except ModuleNotFoundError:
        return _CHECKOUT / name


def assets_dir() -> Path:
    """The folder holding fonts/, art/ and logo/."""
    return _folder("imhcard.assets", "assets")


def themes_dir() -> Path:
    """The folder holding the shipped yearly themes."""
    return _folder("imhcard.themes", "themes")
