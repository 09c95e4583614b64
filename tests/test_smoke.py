from __future__ import annotations

from imhcard.compose import render_card
from imhcard.formats import FORMATS
from imhcard.supporter import Supporter, resolve
from imhcard.theme import load_theme, resolve_theme


def test_every_format_renders_at_its_size() -> None:
    theme = load_theme(resolve_theme(None))
    pledge = resolve(Supporter(name="Aoife Ní Bhriain", pledge="speak-up", org="Sure Start"),
                     theme)
    for fmt in FORMATS.values():
        card = render_card(theme, pledge, fmt)
        assert card.image.size == (fmt.width, fmt.height)
