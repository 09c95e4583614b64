"""Make the README's docs/card-example.png (one square card) and docs/formats.png (the six
image formats side by side) from the current rendering, so the README shows the cards as
they are. Run it after a design change (the golden cards' regeneration is the other half).

    python tools/readme_images.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from imhcard.core.formats import FORMATS  # noqa: E402
from imhcard.core.supporter import Supporter, resolve  # noqa: E402
from imhcard.core.theme import load_theme, resolve_theme  # noqa: E402
from imhcard.render.compose import render_card  # noqa: E402

SUPPORTER = Supporter(name="Aoife Ní Bhriain", pledge="speak-up", org="Sure Start Newry")
BACKGROUND = (255, 255, 255)
GAP = 20


def main() -> None:
    theme = load_theme(resolve_theme("2026"))
    text = resolve(SUPPORTER, theme)
    cards = {name: render_card(theme, text, fmt).image.convert("RGB")
             for name, fmt in FORMATS.items() if not fmt.is_print}
    example = cards["instagram-square"].resize((540, 540), Image.Resampling.LANCZOS)
    example.save(ROOT / "docs" / "card-example.png", optimize=True)

    # Top row: the three portrait-ish formats at 400 px tall; bottom row: the landscapes.
    top = [cards[n] for n in ("instagram-square", "instagram-portrait", "story")]
    bottom = [cards[n] for n in ("facebook", "x", "linkedin")]
    top = [c.resize((round(c.width * 400 / c.height), 400), Image.Resampling.LANCZOS)
           for c in top]
    bottom = [c.resize((round(c.width * 240 / c.height), 240), Image.Resampling.LANCZOS)
              for c in bottom]
    width = max(sum(c.width for c in row) + GAP * (len(row) + 1) for row in (top, bottom))
    sheet = Image.new("RGB", (width, 400 + 240 + GAP * 3), BACKGROUND)
    for y, row in ((GAP, top), (400 + GAP * 2, bottom)):
        x = GAP
        for card in row:
            sheet.paste(card, (x, y))
            x += card.width + GAP
    sheet.save(ROOT / "docs" / "formats.png", optimize=True)
    print("wrote docs/card-example.png and docs/formats.png")


if __name__ == "__main__":
    main()
