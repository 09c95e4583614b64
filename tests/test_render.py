"""Every format renders at its size, with every element inside the canvas, nothing
important overlapping or under a story's buttons, and text inside its box."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from helper import changed_mask, save_failure
from PIL import Image

from imhcard.core.formats import FORMATS
from imhcard.core.layout import IMPORTANT, Box, Element
from imhcard.core.supporter import CardText, Supporter, resolve
from imhcard.core.theme import Theme
from imhcard.render.compose import Card, render_card
from imhcard.render.qr import QUIET_ZONE, module_size, qr_matrix
from imhcard.render.static import layout_for, static_layer

# Coloured blocks and the artwork sit behind or beside the text by design; in the text
# style the photo takes the artwork's place, in the photo style it is the backdrop.
DECORATION = {"panel", "band", "art"}
DECORATION_BY_STYLE = {"text": DECORATION, "photo": {"panel", "band", "chip", "photo"}}
# What every card must show (print adds the signature line).
EVERY_CARD = {"logo", "wordmark", "title", "dates", "intro", "pledge", "name", "org", "photo",
              "qr", "qr_label", "hashtag", "art"}
EVERY_CARD_BY_STYLE = {"text": EVERY_CARD,
                       "photo": (EVERY_CARD - {"title", "art"}) | {"chip"}}

LONG_PLEDGE = ("read to my baby every night, sing the songs my granny sang to me, and ask my "
               "employer for a quieter room where parents can feed and settle")


def final_layout(card: Card, theme: Theme) -> dict[str, Element]:
    """The boxes the card was drawn with (a long name may move the person row)."""
    layout = getattr(card, "layout", None)
    return dict(layout) if layout else layout_for(theme, card.format)


@pytest.fixture(scope="module", params=["2024", "2026"])
def theme(request: pytest.FixtureRequest, theme_2024: Theme, theme_2026: Theme) -> Theme:
    return {"2024": theme_2024, "2026": theme_2026}[request.param]


@pytest.fixture(params=["text", "photo"])
def style(request: pytest.FixtureRequest) -> str:
    return str(request.param)


# --- sizes --------------------------------------------------------------------------


def test_the_seven_formats() -> None:
    assert {name: (f.width, f.height) for name, f in FORMATS.items()} == {
        "instagram-square": (1080, 1080), "instagram-portrait": (1080, 1350),
        "story": (1080, 1920), "facebook": (1200, 630), "x": (1600, 900),
        "linkedin": (1200, 627), "print-a5": (1748, 2480)}
    story = FORMATS["story"]
    assert (story.safe_top, story.safe_bottom) == (250, 340)
    assert FORMATS["print-a5"].print_dpi == 300


@pytest.mark.parametrize("fmt_name", list(FORMATS))
def test_every_format_renders_at_its_exact_size(cards_2026: dict[str, Card],
                                                photo_cards_2026: dict[str, Card],
                                                fmt_name: str) -> None:
    fmt = FORMATS[fmt_name]
    for card in (cards_2026[fmt_name], photo_cards_2026[fmt_name]):
        assert card.image.size == (fmt.width, fmt.height)
        assert card.image.mode == "RGB"
        assert card.format is fmt


# --- geometry of the layouts --------------------------------------------------------


@pytest.mark.parametrize("fmt_name", list(FORMATS))
def test_every_card_has_every_element(theme: Theme, style: str, fmt_name: str) -> None:
    layout = layout_for(theme, FORMATS[fmt_name], style)
    expected = EVERY_CARD_BY_STYLE[style] | ({"signature"} if fmt_name == "print-a5" else set())
    decoration = DECORATION if style == "text" else {"band", "chip", "photo"}
    assert expected | decoration <= set(layout)


@pytest.mark.parametrize("fmt_name", list(FORMATS))
def test_every_box_is_inside_the_canvas(theme: Theme, style: str, fmt_name: str) -> None:
    fmt = FORMATS[fmt_name]
    outside = {name: el.box for name, el in layout_for(theme, fmt, style).items()
               if el.box.x < 0 or el.box.y < 0 or el.box.right > fmt.width
               or el.box.bottom > fmt.height or el.box.w <= 0 or el.box.h <= 0}
    assert outside == {}


@pytest.mark.parametrize("fmt_name", list(FORMATS))
def test_no_two_important_boxes_overlap(theme: Theme, style: str, fmt_name: str) -> None:
    layout = layout_for(theme, FORMATS[fmt_name], style)
    boxes = {n: el.box for n, el in layout.items() if n not in DECORATION_BY_STYLE[style]}
    overlapping = [(a, b) for (a, x), (b, y) in itertools.combinations(boxes.items(), 2)
                   if x.overlaps(y)]
    assert overlapping == []


def test_story_keeps_clear_of_the_apps_buttons(theme: Theme, style: str) -> None:
    fmt = FORMATS["story"]
    layout = layout_for(theme, fmt, style)
    top, bottom = fmt.safe_top, fmt.height - fmt.safe_bottom
    assert (top, bottom) == (250, 1580)
    important = [n for n in IMPORTANT if n not in DECORATION_BY_STYLE[style]]
    under_buttons = {n: layout[n].box for n in important if n in layout
                     and (layout[n].box.y < top or layout[n].box.bottom > bottom)}
    assert under_buttons == {}


def test_landscape_formats_are_side_by_side_not_squashed(theme: Theme) -> None:
    for name in ("facebook", "x", "linkedin"):
        layout = layout_for(theme, FORMATS[name])
        # The title panel is on the left, the pledge beside it.
        assert layout["pledge"].box.x >= layout["title"].box.right, name
        assert layout["pledge"].box.y < layout["title"].box.bottom, name
        # In the photo style the photo is that left column.
        photo = layout_for(theme, FORMATS[name], "photo")
        assert photo["pledge"].box.x >= photo["photo"].box.right, name
        assert photo["photo"].box.h == FORMATS[name].height, name


@pytest.mark.parametrize("fmt_name", list(FORMATS))
def test_the_name_sits_right_under_the_pledge_and_the_org_under_the_name(
        theme_2026: Theme, style: str, fmt_name: str) -> None:
    """No gap between name and organisation; the QR label touches its code."""
    fmt = FORMATS[fmt_name]
    layout = layout_for(theme_2026, fmt, style)
    name, org, qr, label = (layout[k].box for k in ("name", "org", "qr", "qr_label"))
    # A few pixels apart: room for an Arabic name's descenders, no visible gap.
    assert 0 <= org.y - name.bottom <= 8 * fmt.scale
    assert layout["name"].valign == "bottom"  # so the name sits on the organisation
    # The label is directly below the code or directly to its left.
    below = (0 <= label.y - qr.bottom <= 8 * fmt.scale and label.x < qr.right
             and qr.x < label.right)
    left = (0 <= qr.x - label.right <= 30 * fmt.scale and label.y < qr.bottom
            and qr.y < label.bottom)
    assert below or left, (label, qr)


def test_the_photo_is_a_real_element(theme_2026: Theme) -> None:
    """In the text style the photo is at least a third of the square card's width."""
    box = layout_for(theme_2026, FORMATS["instagram-square"])["photo"].box
    assert min(box.w, box.h) >= 1080 / 3


# --- pixels -------------------------------------------------------------------------


def allowed_mask(size: tuple[int, int], boxes: list[Box]) -> np.ndarray:
    mask = np.zeros((size[1], size[0]), dtype=bool)
    for b in boxes:
        mask[max(0, b.y):b.bottom, max(0, b.x):b.right] = True
    return mask


LONGEST_NAME = "Caoimhín Ó Súilleabháin-Wróbel Fitzgerald Mac Giolla Phádraig Nic Dhonnchadha-Óg"


@pytest.fixture(scope="module")
def long_name_cards(theme_2026: Theme, photo: Image.Image) -> dict[str, Card]:
    """An 80-character name and a two-line organisation, with a photo, in both styles."""
    cards = {}
    for style in ("text", "photo"):
        pledge = resolve(Supporter(name=LONGEST_NAME, pledge="champion", style=style,
                                   org="Sure Start Newry & Mourne Early Years Partnership"),
                         theme_2026)
        cards.update({f"{name}-{style}": render_card(theme_2026, pledge, fmt, photo)
                      for name, fmt in FORMATS.items()})
    return cards


@pytest.mark.parametrize("fmt_name", list(FORMATS))
def test_a_long_name_moves_nothing_onto_anything(theme_2026: Theme,
                                                 long_name_cards: dict[str, Card],
                                                 style: str, fmt_name: str) -> None:
    card = long_name_cards[f"{fmt_name}-{style}"]
    assert card.style == style
    fmt = card.format
    layout = final_layout(card, theme_2026)
    boxes = {n: el.box for n, el in layout.items() if n not in DECORATION_BY_STYLE[style]}
    overlapping = [(a, b) for (a, x), (b, y) in itertools.combinations(boxes.items(), 2)
                   if x.overlaps(y)]
    assert overlapping == []
    assert all(b.x >= 0 and b.y >= 0 and b.right <= fmt.width and b.bottom <= fmt.height
               for b in boxes.values())


@pytest.mark.parametrize("kind", ["no-photo", "photo", "long-name-text", "long-name-photo"])
@pytest.mark.parametrize("fmt_name", list(FORMATS))
def test_supporter_text_is_drawn_inside_its_boxes(theme_2026: Theme,
                                                  cards_2026: dict[str, Card],
                                                  photo_cards_2026: dict[str, Card],
                                                  long_name_cards: dict[str, Card],
                                                  fmt_name: str, kind: str) -> None:
    """Compare the card with its static layer: every pixel the supporter's words and
    photo changed lies inside the pledge, name, org or photo box (and, in the photo
    style, the chip the logo and week sit on over the photo)."""
    with_photo = kind != "no-photo"
    card = {"no-photo": cards_2026, "photo": photo_cards_2026}[kind][fmt_name] \
        if not kind.startswith("long") else long_name_cards[f"{fmt_name}-{kind[10:]}"]
    base, _ = static_layer(theme_2026, card.format, "en", False, card.style, with_photo)
    changed = changed_mask(card.image, base)
    layout = final_layout(card, theme_2026)
    # Lines are 1.18 × the text size apart while Noto Sans' accents and descenders span
    # 1.36 × its size, so a full box's first accent or last descender may hang over its
    # top or bottom edge by up to 9 % of the text size (measured: 1-2 px on an
    # organisation's second line). Sideways, text stays strictly inside.
    boxes = [layout["photo"].box] if with_photo else []
    if "chip" in layout:
        boxes.append(layout["chip"].box)
    for n in ("pledge", "name", "org"):
        b = layout[n].box
        over = round(0.1 * card.sizes[n])
        boxes.append(Box(b.x, b.y - over, b.w, b.h + 2 * over))
    inside = allowed_mask(card.image.size, boxes)
    stray = changed & ~inside
    if stray.any():
        save_failure(f"stray-{fmt_name}-{kind}", card=card.image,
                     stray=Image.fromarray(stray))
    assert int(stray.sum()) == 0
    for name in ("pledge", "name", "org"):  # and each box got something drawn in it
        b = layout[name].box
        assert changed[b.y:b.bottom, b.x:b.right].any(), name
    if with_photo:
        b = layout["photo"].box
        assert changed[b.y:b.bottom, b.x:b.right].mean() > 0.3


def qr_square(theme: Theme, card: Card) -> Box:
    """Where the QR code (with its quiet zone) was pasted: centred in its box."""
    b = final_layout(card, theme)["qr"].box
    side = module_size(card.url, min(b.w, b.h)) * (len(qr_matrix(card.url)) + 2 * QUIET_ZONE)
    return Box(b.x + (b.w - side) // 2, b.y + (b.h - side) // 2, side, side)


@pytest.mark.parametrize("fmt_name", list(FORMATS))
def test_a_long_pledge_never_draws_into_the_qr_code(theme_2026: Theme, fmt_name: str) -> None:
    # Descenders (g, p, y) on every line and 138 characters: the fullest pledge box.
    text = ("ready to play gently, happily and joyfully every day; hug, sing, giggle and jiggle "
            "my baby; keep a copy of every happy gappy photo, yippee")
    assert len(text) <= theme_2026.pledge_max
    pledge = resolve(Supporter(name="Aoife", pledge=text), theme_2026)
    card = render_card(theme_2026, pledge, FORMATS[fmt_name])
    base, _ = static_layer(theme_2026, card.format, "en")
    q = qr_square(theme_2026, card)
    changed = changed_mask(card.image, base)[q.y:q.bottom, q.x:q.right]
    assert int(changed.sum()) == 0


@pytest.mark.parametrize("fmt_name", list(FORMATS))
def test_text_is_never_smaller_than_28_px_on_a_1080_card(theme_2026: Theme,
                                                          cards_2026: dict[str, Card],
                                                          fmt_name: str) -> None:
    fmt = FORMATS[fmt_name]
    # The floor scales with the card's width, rounded to whole pixels.
    floor = round(28 * fmt.width / 1080)
    long_card = render_card(theme_2026, resolve(
        Supporter(name="Caoimhín Ó Súilleabháin-Wróbel", pledge=LONG_PLEDGE[:120],
                  org="Sure Start Newry & Mourne Early Years"), theme_2026), fmt)
    for card in (cards_2026[fmt_name], long_card):
        assert {"title", "dates", "intro", "pledge", "name", "org", "qr_label",
                "hashtag"} <= set(card.sizes)
        small = {k: v for k, v in card.sizes.items() if v < floor}
        assert small == {}, f"below {floor} px"


def test_a_short_pledge_is_drawn_large(cards_2026: dict[str, Card]) -> None:
    # "speak up for babies and the people who care for them": three lines, large.
    assert cards_2026["instagram-square"].sizes["pledge"] >= 60
    assert cards_2026["story"].sizes["pledge"] >= 80


def test_debug_overlay_outlines_the_boxes(theme_2026: Theme, aoife_2026: CardText,
                                          cards_2026: dict[str, Card]) -> None:
    fmt = FORMATS["story"]
    debug = render_card(theme_2026, aoife_2026, fmt, debug=True)
    plain = cards_2026["story"]
    changed = changed_mask(debug.image, plain.image)
    assert changed.mean() > 0.005
    # The outline colour is on the edge of the pledge box and of the top safe zone.
    px = np.asarray(debug.image)
    b = layout_for(theme_2026, fmt)["pledge"].box
    assert tuple(px[b.y + b.h // 2, b.x]) == (230, 0, 160)
    assert tuple(px[fmt.safe_top, fmt.width // 2]) == (200, 0, 0)
    # ...and the plain card is untouched by it (the static layer is cached per debug flag).
    assert tuple(np.asarray(plain.image)[b.y + b.h // 2, b.x]) != (230, 0, 160)


def test_irish_card_differs_from_english(theme_2026: Theme, cards_2026: dict[str, Card]) -> None:
    ga = render_card(theme_2026, resolve(Supporter(name="Aoife Ní Bhriain", pledge="speak-up",
                                                   org="Sure Start Newry", language="ga"),
                                         theme_2026), FORMATS["instagram-square"])
    assert changed_mask(ga.image, cards_2026["instagram-square"].image).mean() > 0.02


def test_rendering_is_deterministic(theme_2026: Theme, aoife_2026: CardText,
                                    cards_2026: dict[str, Card]) -> None:
    again = render_card(theme_2026, aoife_2026, FORMATS["x"])
    assert not changed_mask(again.image, cards_2026["x"].image).any()


# --- the words that go with the card ------------------------------------------------


def test_alt_text_describes_the_card(cards_2026: dict[str, Card],
                                     photo_cards_2026: dict[str, Card]) -> None:
    alt = cards_2026["story"].alt_text
    assert alt == (
        "A pledge card for Infant Mental Health Awareness Week, 8–14 June 2026, from the "
        "Stronger from the Start alliance. It reads: \"I pledge to speak up for babies and "
        "the people who care for them\", signed Aoife Ní Bhriain, Sure Start Newry. The "
        "hashtag #StrongerFromTheStart is at the bottom, and a QR code linking to the "
        "campaign page is at the bottom right.")
    assert "\u00a0" not in alt  # screen readers read plain spaces
    # Where things are comes from the layout the card was drawn with.
    assert "Their photo fills the top of the card, above the words." in \
        photo_cards_2026["story"].alt_text
    assert "QR code linking to the campaign page is on the right." in \
        cards_2026["instagram-square"].alt_text
    assert "Their photo fills the left side of the card." in \
        photo_cards_2026["facebook"].alt_text
    assert "at the top right" in photo_cards_2026["print-a5"].alt_text  # text style: print


def test_caption_has_the_hashtags_and_link(cards_2026: dict[str, Card]) -> None:
    caption = cards_2026["facebook"].caption
    assert caption.startswith("This Infant Mental Health Awareness Week (8–14 June 2026) I "
                              "pledge to speak up for babies and the people who care for them.")
    assert caption.endswith("#StrongerFromTheStart #IMHAW2026")
    assert "https://www.barnardos.org.uk/northern-ireland/influencing/stronger-from-the-start" \
        in caption
    assert "  " not in caption


def test_irish_alt_text(theme_2026: Theme) -> None:
    card = render_card(theme_2026, resolve(Supporter(name="Caoimhín", pledge="listen",
                                                     language="ga"), theme_2026),
                       FORMATS["instagram-square"])
    assert card.alt_text.startswith("Cárta gealltanais do Sheachtain Feasachta ar "
                                    "Mheabhairshláinte Naíonán, 8–14 Meitheamh 2026")
    assert '"Geallaim éisteacht le leanaí' in card.alt_text
