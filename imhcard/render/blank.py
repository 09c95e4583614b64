"""A blank card to fill in by hand: the year's card with ruled lines where the pledge
goes and, on the print card, a line for the name. The social tiles have no name: they
are for sharing the campaign ("make your own pledge"), or writing on in a photo app."""

from __future__ import annotations

from dataclasses import replace

from PIL import ImageDraw

from imhcard.core.formats import Format
from imhcard.core.layout import Box
from imhcard.core.supporter import CardText
from imhcard.core.theme import Theme
from imhcard.render.compose import Card, text_fields
from imhcard.render.fonts import pil_font
from imhcard.render.static import layout_for, static_layer

# Handwriting needs room: about 11 mm between lines on the A5 print (130 px at 300 dpi),
# and lines a pen can follow on a phone-sized tile.
PRINT_LINE_GAP = 130
SCREEN_LINE_GAP = 84  # on a 1080-wide tile; scaled with the width

def _rules(draw: ImageDraw.ImageDraw, box: Box, gap: int, width: int,
           colour: tuple[int, int, int]) -> int:
    """Evenly spaced lines filling `box`, the first one `gap` below its top; how many."""
    count = max(1, box.h // gap)
    for i in range(1, count + 1):
        y = box.y + i * gap - width
        draw.line((box.x, y, box.right, y), fill=colour, width=width)
    return count


def render_blank(theme: Theme, fmt: Format, language: str | None = None,
                 debug: bool = False) -> Card:
    """The card with empty lines for the pledge (and, on print, the name); its alt text
    and caption are the language's `blank_alt_text` and `blank_caption`."""
    code = language or theme.default_language
    words = theme.wording(code)
    layout = layout_for(theme, fmt)
    base, sizes = static_layer(theme, fmt, code, debug)
    image = base.copy()
    draw = ImageDraw.Draw(image)
    colour = theme.colours["text"]
    thickness = max(2, round(3 * fmt.scale))
    gap = PRINT_LINE_GAP if fmt.is_print else round(SCREEN_LINE_GAP * fmt.scale)
    pledge = layout["pledge"].box
    _rules(draw, pledge, gap, thickness, colour)
    if fmt.is_print:
        # One line for the name, from where the photo would be to the name box's right;
        # the print card's own "Signed" line stays for the signature.
        name = layout["name"].box
        photo = layout["photo"].box if "photo" in layout else None
        beside = photo is not None and photo.x < name.x and photo.y < name.bottom \
            and name.y < photo.bottom
        left = photo.x if beside and photo is not None else name.x
        _rules(draw, replace(name, x=left, w=name.right - left, y=name.bottom - gap, h=gap),
               gap, thickness, colour)
        size = round(theme.min_text_size * fmt.scale)
        draw.text((left, name.bottom + size // 3), words.name_label,
                  fill=theme.colours["primary"], font=pil_font(theme.fonts.body, size))
    # The theme's own words for a blank card, in its language (name and pledge are empty).
    nobody = CardText.nobody(code, words.pledge_intro)
    fields = text_fields(theme, nobody, False, layout, fmt)
    alt = " ".join(words.blank_alt_text.format(**fields).split())
    caption = " ".join(words.blank_caption.format(**fields).split())
    return Card(image=image, format=fmt, alt_text=alt, caption=caption,
                url=theme.campaign_url(fmt), sizes=sizes, layout=layout,
                title=f"{words.week_name}: {words.pledge_intro} …", language=code)
