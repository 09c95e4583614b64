"""Where things are on a card, in words, for its alt text: worked out from the
layout the card was drawn with, so it is true in every format and style.

English and Irish are built in (the Irish terms and their sources are in
docs/irish-glossary.md); other languages get the English words for positions.
"""

from __future__ import annotations

from collections.abc import Mapping

from imhcard.core.formats import Format
from imhcard.core.layout import Box, Element

# (vertical, horizontal) -> the phrase, per language.
_PLACES = {
    "en": {
        ("top", "left"): "at the top left", ("top", "center"): "at the top",
        ("top", "right"): "at the top right", ("middle", "left"): "on the left",
        ("middle", "center"): "in the middle", ("middle", "right"): "on the right",
        ("bottom", "left"): "at the bottom left", ("bottom", "center"): "at the bottom",
        ("bottom", "right"): "at the bottom right",
    },
    # Adverbs of place (thuas, thíos) read more naturally than "ag an mbarr", and say
    # the same in the Standard and in Ulster (which would write "ag an bharr"); "ar chlé"
    # as on the page.
    "ga": {
        ("top", "left"): "thuas ar chlé", ("top", "center"): "thuas",
        ("top", "right"): "thuas ar dheis", ("middle", "left"): "ar chlé",
        ("middle", "center"): "sa lár", ("middle", "right"): "ar dheis",
        ("bottom", "left"): "thíos ar chlé", ("bottom", "center"): "thíos",
        ("bottom", "right"): "thíos ar dheis",
    },
}
_SENTENCES = {
    "en": {
        "layout": "The hashtag {hashtag} is {hashtag_at}, and a QR code linking to the "
                  "campaign page is {qr_at}.",
        "fills": "Their photo fills the card behind the words.",
        "fills_top": "Their photo fills the top of the card, above the words.",
        "fills_side": "Their photo fills the {side} side of the card.",
        "photo_at": "Their photo is {photo_at}.",
        "left": "left", "right": "right",
    },
    "ga": {
        "layout": "Tá an haischlib {hashtag} {hashtag_at}, agus tá cód QR a nascann le "
                  "leathanach an fheachtais {qr_at}.",
        "fills": "Tá grianghraf an duine ar fud an chárta, taobh thiar de na focail.",
        "fills_top": "Tá grianghraf an duine ag barr an chárta, os cionn na bhfocal.",
        "fills_side": "Tá grianghraf an duine ar an taobh {side} den chárta.",
        "photo_at": "Tá grianghraf an duine {photo_at}.",
        "left": "clé", "right": "deas",
    },
}


def place(box: Box, fmt: Format) -> tuple[str, str]:
    """(vertical, horizontal) thirds of the card that the box's centre falls in."""
    cx, cy = (box.x + box.w / 2) / fmt.width, (box.y + box.h / 2) / fmt.height
    vertical = "top" if cy < 1 / 3 else "bottom" if cy > 2 / 3 else "middle"
    horizontal = "left" if cx < 0.4 else "right" if cx > 0.6 else "center"
    return vertical, horizontal


def where(box: Box, fmt: Format, language: str) -> str:
    return _PLACES.get(language, _PLACES["en"])[place(box, fmt)]


def describe_layout(layout: Mapping[str, Element], fmt: Format, language: str,
                    hashtag: str) -> str:
    """'The hashtag ... is at the bottom, and a QR code ... is on the right.'"""
    words = _SENTENCES.get(language, _SENTENCES["en"])
    return words["layout"].format(hashtag=hashtag,
                                  hashtag_at=where(layout["hashtag"].box, fmt, language),
                                  qr_at=where(layout["qr"].box, fmt, language))


def photo_sentence(layout: Mapping[str, Element], fmt: Format, style: str, has_photo: bool,
                   language: str) -> str | None:
    """Where the supporter's photo is; None when the card has none, or for a language
    with no built-in words (the theme's own `photo_alt` is used then)."""
    if not has_photo or "photo" not in layout or language not in _SENTENCES:
        return None
    words = _SENTENCES[language]
    box = layout["photo"].box
    if style == "photo":
        if box.w >= fmt.width * 0.9:
            return words["fills_top" if box.bottom < fmt.height * 0.85 else "fills"]
        side = "left" if box.x + box.w / 2 < fmt.width / 2 else "right"
        return words["fills_side"].format(side=words[side])
    return words["photo_at"].format(photo_at=where(box, fmt, language))
