"""File sizes of real cards as PNG, JPEG and WebP, exactly as `imhcard card` writes them.

    python bench/size_bench.py            # ~15 s

Renders a few ordinary supporters (prompt and own words, with and without a photo,
English and Irish) in every image format and prints each image type's median size
per format and its size relative to the PNG, so the README's advice about
`--image-format` is measured rather than assumed.
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

from PIL import Image, ImageDraw

from imhcard.core.formats import FORMATS
from imhcard.core.supporter import Supporter, resolve
from imhcard.core.theme import load_theme, resolve_theme
from imhcard.render.compose import render_card
from imhcard.render.encode import IMAGE_TYPES
from imhcard.render.pipeline import encode_card

SUPPORTERS = [
    Supporter(name="Aoife Ní Bhriain", pledge="speak-up", org="Sure Start Newry"),
    Supporter(name="Seán O'Neill", pledge="read to my baby every night"),
    Supporter(name="Caoimhín Ó Súilleabháin", pledge="listen", language="ga",
              org="Naíscoil an Iúir"),
    Supporter(name="Mary Smith", pledge="make time every day to play, talk and cuddle",
              photo=Path("photo")),
]


def photo() -> Image.Image:
    """A photo-like picture: a smooth gradient with shapes, not flat colour."""
    img = Image.linear_gradient("L").resize((600, 800)).convert("RGB")
    img = Image.merge("RGB", (img.getchannel(0), img.rotate(90).getchannel(0),
                              img.transpose(Image.Transpose.FLIP_TOP_BOTTOM).getchannel(0)))
    draw = ImageDraw.Draw(img)
    draw.ellipse((150, 150, 450, 500), fill=(224, 172, 140))
    return img.convert("RGBA")  # as load_photo gives it


def main() -> None:
    theme = load_theme(resolve_theme(None))
    picture = photo()
    sizes: dict[tuple[str, str], list[int]] = {}
    for supporter in SUPPORTERS:
        text = resolve(supporter, theme)
        for fmt in FORMATS.values():
            if fmt.is_print:
                continue
            card = render_card(theme, text, fmt, picture if supporter.photo else None)
            for kind in IMAGE_TYPES:
                sizes.setdefault((fmt.name, kind), []).append(len(encode_card(card, kind).data))
    print(f"{'format':<20}" + "".join(f"{k:>16}" for k in IMAGE_TYPES))
    for fmt in FORMATS.values():
        if fmt.is_print:
            continue
        png = statistics.median(sizes[(fmt.name, "png")])
        cells = []
        for kind in IMAGE_TYPES:
            median = statistics.median(sizes[(fmt.name, kind)])
            cells.append(f"{median / 1024:7.0f} KB {median / png:4.2f}×")
        print(f"{fmt.name:<20}" + "".join(f"{c:>16}" for c in cells))
    everything = {kind: sum(sum(sizes[(f.name, kind)]) for f in FORMATS.values()
                            if not f.is_print) for kind in IMAGE_TYPES}
    print("all six formats, four supporters: " + ", ".join(
        f"{k} {v / 1024 / 1024:.1f} MB ({v / everything['png']:.2f}×)"
        for k, v in everything.items()))


if __name__ == "__main__":
    sys.exit(main())
