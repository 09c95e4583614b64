"""Shared fixtures: the shipped themes, a standard supporter's cards, a theme writer
for validation tests, and the --regen-golden option."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from imhcard.core.formats import FORMATS
from imhcard.core.supporter import CardText, Supporter, resolve
from imhcard.core.theme import Theme, load_theme, resolve_theme, shipped_themes
from imhcard.render.compose import Card, render_card

# The supporter most tests draw: an Irish name with accents and an organisation.
AOIFE = Supporter(name="Aoife Ní Bhriain", pledge="speak-up", org="Sure Start Newry")

MakeTheme = Callable[..., Path]


# A test that uses one of these runs the real command in a subprocess (the hostile
# suite's sandbox) or drives a browser: it belongs to the slow part of the suite, which
# CI runs and `pytest -m "not slow"` (the fast inner loop) leaves out.
SLOW_FIXTURES = frozenset({"box", "made", "browser", "page"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--regen-golden", action="store_true", default=False,
        help="Rewrite tests/golden/*.png from the current rendering. Use it on purpose, "
             "after a design change, and look at every image before committing.")


@pytest.fixture(scope="session")
def regen_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--regen-golden"))


@pytest.fixture(scope="session")
def theme_2024() -> Theme:
    return load_theme(resolve_theme("2024"))


@pytest.fixture(scope="session")
def theme_2026() -> Theme:
    return load_theme(resolve_theme("2026"))


def sample_photo(size: tuple[int, int] = (300, 400)) -> Image.Image:
    """A made-up portrait photo: red top half, blue bottom half, a yellow dot in the middle.
    The colours make orientation and cropping visible in a rendered card."""
    img = Image.new("RGBA", size, (40, 70, 210, 255))
    draw = ImageDraw.Draw(img)
    draw.rectangle((0, 0, size[0] - 1, size[1] // 2 - 1), fill=(215, 40, 40, 255))
    cx, cy, r = size[0] // 2, size[1] // 2, min(size) // 10
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=(250, 210, 30, 255))
    return img


@pytest.fixture(scope="session")
def photo() -> Image.Image:
    return sample_photo()


@pytest.fixture(scope="session")
def aoife_2026(theme_2026: Theme) -> CardText:
    return resolve(AOIFE, theme_2026)


@pytest.fixture(scope="session")
def cards_2026(theme_2026: Theme, aoife_2026: CardText) -> dict[str, Card]:
    """Aoife's card in every format, no photo: rendered once for the whole run."""
    return {name: render_card(theme_2026, aoife_2026, fmt) for name, fmt in FORMATS.items()}


@pytest.fixture(scope="session")
def photo_cards_2026(theme_2026: Theme, aoife_2026: CardText,
                     photo: Image.Image) -> dict[str, Card]:
    """Aoife's card in every format with her photo."""
    return {name: render_card(theme_2026, aoife_2026, fmt, photo)
            for name, fmt in FORMATS.items()}


@pytest.fixture
def make_theme(tmp_path: Path) -> MakeTheme:
    """Write a copy of themes/2026.yaml with edits; return its path.

    The copy goes to tmp/themes/ beside a tmp/assets link to the real assets, so
    the theme's relative paths (../assets/...) work exactly as in the repo. Each
    edit is (old, new) and `old` must occur exactly once, so an edit can never
    silently do nothing when the shipped theme changes.
    """
    shipped = shipped_themes()["2026"]
    assets = (shipped.parent / ".." / "assets").resolve()
    (tmp_path / "themes").mkdir(exist_ok=True)
    link = tmp_path / "assets"
    if not link.exists():
        link.symlink_to(assets, target_is_directory=True)

    def make(*edits: tuple[str, str], append: str = "", name: str = "theme.yaml") -> Path:
        text = shipped.read_text(encoding="utf-8")
        for old, new in edits:
            assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in the theme"
            text = text.replace(old, new)
        path = tmp_path / "themes" / name
        path.write_text(text + append, encoding="utf-8")
        return path

    return make
