from __future__ import annotations

from imhcard.core.formats import FORMATS
from imhcard.core.supporter import Supporter, resolve
from imhcard.core.theme import load_theme, resolve_theme
from imhcard.render.compose import render_card


def test_every_format_renders_at_its_size() -> None:
    theme = load_theme(resolve_theme(None))
    pledge = resolve(Supporter(name="Aoife Ní Bhriain", pledge="speak-up", org="Sure Start"),
                     theme)
    for fmt in FORMATS.values():
        card = render_card(theme, pledge, fmt)
        assert card.image.size == (fmt.width, fmt.height)
