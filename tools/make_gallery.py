"""Make docs/gallery/: every format in both styles, with and without a photo, short and
longest pledges, English and Irish, and a right-to-left name; one image per case
(half size, JPEG, to keep the repository small: look at full size with
--out /tmp/gallery --png) and a contact sheet of them all, a row per case.

    python tools/make_gallery.py            # writes docs/gallery/
    python tools/make_gallery.py --out /tmp/gallery

The photos are drawn here (no real person's photo is in the repository): a
portrait with a bright window behind the head (the case that needs the chip), a
dark landscape one, and a plain light one.
"""

from __future__ import annotations

import argparse
import random
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

from imhcard.core.formats import FORMATS
from imhcard.core.supporter import Supporter, resolve
from imhcard.core.theme import load_theme, resolve_theme
from imhcard.render.compose import render_card

# 140 characters: the theme's limit.
LONGEST = ("make our waiting room a place where babies and parents feel welcome, listened "
           "to and safe, and ask every new parent how they are doing today")
assert len(LONGEST) == 140, len(LONGEST)
# The same, in Irish, for the Irish card: real Irish line breaks, not English words
# under "Geallaim".
LONGEST_GA = ("áit fháilteach shábháilte a dhéanamh dár seomra feithimh do leanaí agus dá "
              "dtuismitheoirí agus fiafraí de gach tuismitheoir nua conas atá sé")
assert len(LONGEST_GA) == 140, len(LONGEST_GA)


def portrait(size: tuple[int, int] = (1200, 1600), seed: int = 1, skin: tuple[int, int, int]
             = (224, 172, 140), backdrop: str = "window") -> Image.Image:
    """A made-up head-and-shoulders photo: soft background, shoulders, a head with
    hair, a little grain, like a phone portrait."""
    w, h = size
    rng = random.Random(seed)
    img = Image.new("RGB", size, (70, 80, 90))
    draw = ImageDraw.Draw(img)
    if backdrop == "window":  # a bright window top left, a dark room elsewhere
        draw.rectangle((0, 0, w, h), fill=(58, 66, 74))
        draw.rectangle((0, 0, int(w * 0.55), int(h * 0.42)), fill=(236, 240, 242))
    elif backdrop == "dark":
        draw.rectangle((0, 0, w, h), fill=(28, 30, 42))
    else:  # light wall
        draw.rectangle((0, 0, w, h), fill=(226, 216, 200))
    for _ in range(30):  # bokeh
        x, y, r = rng.randrange(w), rng.randrange(h // 2), rng.randrange(20, 90)
        tone = rng.randrange(90, 255)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(tone, tone - 20, tone - 40))
    img = img.filter(ImageFilter.GaussianBlur(18))
    draw = ImageDraw.Draw(img)
    cx = w // 2
    # shoulders and jumper
    draw.ellipse((cx - int(w * 0.46), int(h * 0.62), cx + int(w * 0.46), int(h * 1.25)),
                 fill=(40, 92, 120))
    # neck
    draw.rectangle((cx - int(w * 0.08), int(h * 0.45), cx + int(w * 0.08), int(h * 0.66)),
                   fill=tuple(int(c * 0.9) for c in skin))
    # hair behind the head, then face
    draw.ellipse((cx - int(w * 0.2), int(h * 0.13), cx + int(w * 0.2), int(h * 0.5)),
                 fill=(60, 38, 28))
    draw.ellipse((cx - int(w * 0.16), int(h * 0.19), cx + int(w * 0.16), int(h * 0.52)),
                 fill=skin)
    # eyes and smile
    for dx in (-0.065, 0.065):
        ex, ey = cx + int(w * dx), int(h * 0.33)
        draw.ellipse((ex - 14, ey - 9, ex + 14, ey + 9), fill=(40, 30, 30))
    draw.arc((cx - 60, int(h * 0.38), cx + 60, int(h * 0.44)), 10, 170, fill=(150, 60, 60),
             width=8)
    img = img.filter(ImageFilter.GaussianBlur(2))
    noise = Image.effect_noise(size, 18).convert("RGB")
    return Image.blend(img, noise, 0.06).convert("RGBA")  # as load_photo gives it


@dataclass(frozen=True)
class Case:
    slug: str
    supporter: Supporter
    photo: Image.Image | None


def cases() -> list[Case]:
    window = portrait(seed=1)
    dark = portrait((1600, 1067), seed=2, skin=(150, 105, 80), backdrop="dark")
    light = portrait((1000, 1250), seed=3, skin=(240, 200, 175), backdrop="light")
    short = Supporter(name="Seán Ó Súilleabháin", pledge="read to my baby every night",
                      org="Sure Start Newry")
    return [
        Case("photo-en", Supporter(name="Aoife Ní Bhriain", pledge="speak-up",
                                   org="Sure Start Newry", style="photo"), window),
        Case("photo-longest", Supporter(name="Caoimhe Mac Giolla Phádraig-Whyte",
                                        pledge=LONGEST, org="Parent and toddler group, Omagh",
                                        handle="caoimhe_mgp", style="photo"), dark),
        Case("photo-ga", Supporter(name="Caoimhín Ó Dónaill", pledge="listen", language="ga",
                                   style="photo"), light),
        Case("photo-rtl", Supporter(name="شيماء الحسيني", pledge="play-talk-cuddle",
                                    org="Belfast", style="photo"), window),
        Case("text-photo", Supporter(name="Aoife Ní Bhriain", pledge="speak-up",
                                     org="Sure Start Newry", style="text"), light),
        Case("text-short", Supporter(**{**short.__dict__, "style": "text"}), None),
        Case("text-longest-ga", Supporter(name="Pádraig Mac Giolla Phádraig", pledge=LONGEST_GA,
                                          language="ga", org="Ionad Leanaí, Doire",
                                          style="text"), None),
        Case("text-rtl", Supporter(name="شيماء الحسيني", pledge="relationships",
                                   org="Barnardo's NI", style="text"), dark),
    ]


def contact_sheet(images: list[tuple[str, Image.Image]], height: int = 360) -> Image.Image:
    thumbs = [img.resize((round(img.width * height / img.height), height),
                         Image.Resampling.LANCZOS) for _, img in images]
    gap = 16
    width = sum(t.width for t in thumbs) + gap * (len(thumbs) + 1)
    sheet = Image.new("RGB", (width, height + 2 * gap), (60, 60, 60))
    x = gap
    for t in thumbs:
        sheet.paste(t, (x, gap))
        x += t.width + gap
    return sheet


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path("docs/gallery"))
    parser.add_argument("--png", action="store_true", help="full-size PNGs instead")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    theme = load_theme(resolve_theme("2026"))
    rows = []
    shown: dict[str, Image.Image] = {}
    for case in cases():
        pledge = resolve(case.supporter, theme)
        row = []
        for fmt in FORMATS.values():
            card = render_card(theme, pledge, fmt, case.photo)
            if args.png:
                card.image.save(args.out / f"{case.slug}-{fmt.name}.png")
            else:
                half = card.image.resize((card.image.width // 2, card.image.height // 2),
                                         Image.Resampling.LANCZOS)
                half.save(args.out / f"{case.slug}-{fmt.name}.jpg", quality=78)
            row.append((fmt.name, card.image))
            shown[f"{case.slug}-{fmt.name}"] = card.image
        rows.append(contact_sheet(row))
        print(f"{case.slug}: {len(row)} cards")
    width = max(r.width for r in rows)
    full = Image.new("RGB", (width, sum(r.height for r in rows)), (60, 60, 60))
    y = 0
    for r in rows:
        full.paste(r, (0, y))
        y += r.height
    full.resize((full.width // 2, full.height // 2), Image.Resampling.LANCZOS).save(
        args.out / "contact-sheet.jpg", quality=85)
    # The README's picture: the two styles side by side, then a story and a landscape.
    best = [shown[k] for k in ("photo-en-instagram-square", "text-photo-instagram-square",
                               "photo-longest-story", "photo-longest-facebook")]
    readme = contact_sheet([("", img) for img in best], height=420)
    readme.save(args.out / "readme-styles.jpg", quality=85)


if __name__ == "__main__":
    main()
