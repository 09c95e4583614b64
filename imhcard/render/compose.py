"""Composing a card: (theme, pledge, format) -> image, alt text and caption. No file I/O
beyond the theme's own fonts and artwork, which are read once per process."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from imhcard.core.colour import RGB
from imhcard.core.formats import Format
from imhcard.core.images import open_image
from imhcard.core.layout import BACKDROP, Box, Element, build_layout, layout_name
from imhcard.core.pledge import tidy_sentence
from imhcard.core.supporter import CardText, Crop
from imhcard.core.theme import Theme
from imhcard.errors import FitError, FormatError, RefusedFile, ThemeError
from imhcard.render.backdrop import draw_chip, pick_colour, union
from imhcard.render.cover import cover
from imhcard.render.describe import describe_layout, photo_sentence
from imhcard.render.fit import FittedText, fit_text
from imhcard.render.fonts import (
    FontChain,
    builtin_font,
    draw_runs,
    line_runs,
    pil_font,
    shaping_available,
)
from imhcard.render.photo import shaped_photo
from imhcard.render.qr import MIN_MODULE_PX, qr_image

# Where each static text element's words come from, for error messages.
_STATIC_SOURCE = {"wordmark": "wordmark", "title": "title", "dates": "week_name",
                  "intro": "pledge_intro", "qr_label": "qr_label", "hashtag": "hashtags",
                  "signature": "signature"}


_LABELS = {"dates": "week name and dates", "qr_label": "QR label", "intro": "pledge intro"}


@dataclass(frozen=True)
class Card:
    """A finished card and the words that go with it."""

    image: Image.Image
    format: Format
    alt_text: str
    caption: str
    url: str
    sizes: Mapping[str, int]  # font size each text element ended at, for tests and --debug
    layout: Mapping[str, Element]  # the boxes as drawn (a long name moves the person row up)
    title: str = ""  # a document title for the print PDF: "<week name>: <name>"
    style: str = "text"  # the style it was drawn in
    note: str = ""  # said to the supporter, e.g. why a photo card fell back to text
    language: str = ""  # the language code of its words, tagged in its files (ga, en)


@lru_cache(maxsize=32)
def _chain(primary: Path, extra: tuple[Path, ...], weight: str) -> FontChain:
    return FontChain.build(primary, extra, weight)


def chain_for(theme: Theme, role: str) -> FontChain:
    """The fallback chain for a layout's font role: display, body or body_bold."""
    f = theme.fonts
    primary = {"display": f.display, "body": f.body, "body_bold": f.body_bold}[role]
    return _chain(primary, f.fallback, "regular" if role == "body" else "bold")


def layout_for(theme: Theme, fmt: Format, style: str = "text") -> dict[str, Element]:
    """The format's layout in a style, with the theme's overrides and its minimum
    legible size (worked out once per theme, format and style: every card of a batch
    asks for it)."""
    return dict(_layout_for(theme, fmt, style))


def card_style(theme: Theme, pledge: CardText, fmt: Format, has_photo: bool) -> tuple[str, str]:
    """The style a card is drawn in, and a note when it is not the one asked for: the
    supporter's choice, else the theme's for the format; the photo style needs a photo."""
    style = pledge.style or theme.style_for(fmt.name)
    if style == "photo" and not has_photo:
        note = ("the photo style needs a photo; this card uses the text style"
                if pledge.style == "photo" else "")
        return "text", note
    return style, ""


def photo_side(theme: Theme, pledge: CardText, formats: Sequence[Format]) -> int:
    """How many pixels the photo's longer side needs for these cards: a phone photo is
    decoded at a reduced scale down to this (a circle needs less than a backdrop)."""
    side = 256
    for fmt in formats:
        style, _ = card_style(theme, pledge, fmt, True)
        el = layout_for(theme, fmt, style).get("photo")
        if el is not None:
            side = max(side, el.box.w, el.box.h)
    return side


@lru_cache(maxsize=64)
def _layout_for(theme: Theme, fmt: Format, style: str = "text") -> dict[str, Element]:
    floor = round(theme.min_text_size * fmt.scale)
    layout = build_layout(fmt, theme.layouts.get(layout_name(fmt.name, style)), style)
    for name, el in layout.items():
        if el.fill is None and name not in ("art", "logo", "photo", "qr"):
            size = max(el.size, floor)
            layout[name] = replace(el, size=size, min_size=min(size, max(el.min_size, floor)))
    return layout


def _fit(text: str, el: Element, chain: FontChain, field: str, fmt: Format) -> FittedText:
    return fit_text(text, chain, el.box.w, el.box.h, el.size, el.min_size, el.max_lines,
                    el.line_height, field=field, where=fmt.name)


def _draw_text(image: Image.Image, el: Element, fitted: FittedText, chain: FontChain,
               colour: RGB, field: str) -> tuple[float, float]:
    """Draw fitted text in its box; return where the last line ends (x, baseline)."""
    draw = ImageDraw.Draw(image)
    box = el.box
    top = {"top": box.y, "middle": box.y + (box.h - fitted.height) / 2,
           "bottom": box.bottom - fitted.height}[el.valign]
    # Centre the font's ascent+descent in each line's height, then stand on the baseline.
    inner = (fitted.line_height - (fitted.ascent + fitted.descent)) / 2
    for i, (line, width) in enumerate(zip(fitted.lines, fitted.widths, strict=True)):
        x = {"left": box.x, "center": box.x + (box.w - width) / 2,
             "right": box.right - width}[el.align]
        baseline = top + i * fitted.line_height + inner + fitted.ascent
        # Every line in the whole text's direction, so an Arabic pledge whose second
        # line starts with a Latin word still reads right to left.
        runs = line_runs(line, chain, field, fitted.rtl)
        if len(runs) == 1 and not runs[0].face.emoji:
            mask, left, up = _line_mask(runs[0].face.path, fitted.size, runs[0].text,
                                        runs[0].rtl)
            draw.bitmap((round(x) + left, round(baseline) + up), mask, fill=colour)
        else:
            draw_runs(draw, image, runs, x, baseline, fitted.size, colour)
    return x + width, baseline


# A prompt's lines recur on card after card of a batch (names rarely do): each line
# in one font is rasterised once and its mask reused. 128 masks are a few MB.
@lru_cache(maxsize=128)
def _line_mask(path: Path, size: int, text: str, rtl: bool) -> tuple[Image.Image, int, int]:
    """A line in one font drawn once as a coverage mask: (mask, left, top) relative
    to the start of its baseline, placed at whole pixels."""
    font = pil_font(path, size)
    direction = ("rtl" if rtl else "ltr") if shaping_available() else None
    x0, y0, x1, y1 = font.getbbox(text, anchor="ls", direction=direction)
    left, top, right, bottom = math.floor(x0), math.floor(y0), math.ceil(x1), math.ceil(y1)
    mask = Image.new("L", (max(1, right - left), max(1, bottom - top)), 0)
    ImageDraw.Draw(mask).text((-left, -top), text, font=font, fill=255, anchor="ls",
                              direction=direction)
    return mask, left, top


@lru_cache(maxsize=16)
def _picture(path: Path) -> Image.Image:
    try:
        return open_image(path, "image").convert("RGBA")
    except RefusedFile as exc:  # checked when the theme was loaded; changed since
        raise ThemeError(str(path), [f"{path}: {exc}"]) from None


@lru_cache(maxsize=16)
def _reduced(path: Path, factor: int) -> Image.Image:
    """The theme's picture shrunk by a whole factor (a cheap box filter), once per factor."""
    img = _picture(path)
    return img.reduce(factor) if factor > 1 else img


def _contain(path: Path, w: int, h: int) -> Image.Image:
    """The picture at `path`, as large as fits a w x h box.

    It is box-reduced by a whole factor first (a 1600 px artwork for a 350 px box),
    so the filtering resize, which premultiplies alpha over the whole image, works
    on a small one: several times faster, and the same look at the card's size."""
    img = _picture(path)
    scale = min(w / img.width, h / img.height)
    size = (max(1, round(img.width * scale)), max(1, round(img.height * scale)))
    return _reduced(path, int(1 / scale)).resize(size, Image.Resampling.LANCZOS)


def _static_text(theme: Theme, language: str, name: str) -> str:
    words = theme.wording(language)
    if name == "dates":
        return f"{words.week_name}\n{theme.dates_text(language)}"
    if name == "hashtag":
        return theme.hashtag
    if name == "signature":
        return words.signature
    return {"wordmark": words.wordmark, "title": words.title, "intro": words.pledge_intro,
            "qr_label": words.qr_label}[name]


def _on_photo(layout: Mapping[str, Element]) -> tuple[str, ...]:
    """Photo style: the elements that sit on the photo itself, inside the chip's box."""
    chip = layout.get("chip")
    if chip is None:
        return ()
    c = chip.box
    return tuple(k for k, el in layout.items() if k not in ("chip", BACKDROP) and el.fill is None
                 and c.x <= el.box.x and c.y <= el.box.y and el.box.right <= c.right
                 and el.box.bottom <= c.bottom)


def _fit_static(theme: Theme, fmt: Format, language: str, name: str,
                el: Element) -> FittedText:
    try:
        return _fit(_static_text(theme, language, name), el, chain_for(theme, el.font),
                    _LABELS.get(name, name), fmt)
    except FitError as exc:
        where = theme.where("languages", language, _STATIC_SOURCE[name])
        raise ThemeError(str(theme.path), [f"{where}: {exc}"]) from None


_STATIC_TEXT = ("wordmark", "title", "dates", "intro", "qr_label", "hashtag", "signature")


# A 1080-wide layer is 3.5 MB; 32 holds every format in two languages, with room.
@lru_cache(maxsize=32)
def static_layer(theme: Theme, fmt: Format, language: str, debug: bool = False,
                 style: str = "text", has_photo: bool = False,
                 ) -> tuple[Image.Image, dict[str, int]]:
    """Everything on a card that is the same for every supporter, made once per
    theme, format, language and style; each card starts from a copy of it (never
    draw on the returned image itself). In the text style a photo takes the
    artwork's place; in the photo style what sits on the photo is drawn per card."""
    layout = layout_for(theme, fmt, style)
    skip = set(_on_photo(layout)) | {"chip"}
    if has_photo and "photo" in layout and "art" in layout \
            and layout["photo"].box.overlaps(layout["art"].box):
        skip.add("art")
    c = theme.colours
    image = Image.new("RGB", (fmt.width, fmt.height), c["background"])
    draw = ImageDraw.Draw(image)
    sizes: dict[str, int] = {}
    for name, el in layout.items():
        if el.fill is not None and name not in skip:
            draw.rectangle((el.box.x, el.box.y, el.box.right - 1, el.box.bottom - 1),
                           fill=c[el.fill])
    if "art" in layout and theme.artwork and "art" not in skip:
        art = _contain(theme.artwork, layout["art"].box.w, layout["art"].box.h)
        b = layout["art"].box
        image.paste(art, (b.x + (b.w - art.width) // 2, b.y + (b.h - art.height) // 2), art)
    if "logo" in layout and theme.logo and "logo" not in skip:
        b = layout["logo"].box
        mark = _contain(theme.logo, b.w, b.h)
        # The mark is drawn as a shape in the theme's colour, so it suits every palette.
        x, y = b.x + (b.w - mark.width) // 2, b.y + (b.h - mark.height) // 2
        image.paste(c["primary"], (x, y, x + mark.width, y + mark.height), mark.getchannel("A"))
    if "qr" in layout:
        b = layout["qr"].box
        url = theme.campaign_url(fmt)
        min_module = max(1, int(MIN_MODULE_PX * fmt.scale))
        try:
            code = qr_image(url, min(b.w, b.h), min_module, c["text"])
        except FormatError as exc:
            raise ThemeError(str(theme.path), [f"{theme.where('layouts', fmt.name, 'qr')}: "
                                               f"{exc}"]) from None
        image.paste(code, (b.x + (b.w - code.width) // 2, b.y + (b.h - code.height) // 2))
    for name in _STATIC_TEXT:
        if name not in layout:
            continue
        el = layout[name]
        fitted = _fit_static(theme, fmt, language, name, el)
        sizes[name] = fitted.size
        if name in skip:
            continue
        end, baseline = _draw_text(image, el, fitted, chain_for(theme, el.font), c[el.colour],
                                   name)
        if name == "signature":
            # A ruled line to sign on, from the label to the box's right edge.
            thickness = max(2, fitted.size // 16)
            draw.line((end + fitted.size // 2, baseline, el.box.right, baseline),
                      fill=c[el.colour], width=thickness)
    if debug:
        _debug_overlay(image, layout, fmt)
    return image, sizes


@lru_cache(maxsize=32)
def photo_marks(theme: Theme, fmt: Format, language: str) -> tuple[Image.Image, Box] | None:
    """Photo style: what sits on the photo (logo, wordmark, week) as one mask, and the
    box it covers; drawn per card in whichever colour reads on that photo."""
    layout = layout_for(theme, fmt, "photo")
    names = _on_photo(layout)
    if not names:
        return None
    area = union(layout[k].box for k in names)
    canvas = Image.new("RGB", (area.w, area.h), (0, 0, 0))
    white = (255, 255, 255)
    for name in names:
        el = layout[name]
        b = replace(el.box, x=el.box.x - area.x, y=el.box.y - area.y)
        if name == "logo" and theme.logo:
            mark = _contain(theme.logo, b.w, b.h)
            x, y = b.x + (b.w - mark.width) // 2, b.y + (b.h - mark.height) // 2
            canvas.paste(white, (x, y, x + mark.width, y + mark.height), mark.getchannel("A"))
        elif name in _STATIC_TEXT:
            fitted = _fit_static(theme, fmt, language, name, el)
            _draw_text(canvas, replace(el, box=b), fitted, chain_for(theme, el.font), white,
                       name)
    mask = canvas.convert("L")
    # Only as big as what was drawn: a short wordmark needs a short chip.
    bbox = mask.getbbox() or (0, 0, 1, 1)
    mask = mask.crop(bbox)
    return mask, Box(area.x + bbox[0], area.y + bbox[1], bbox[2] - bbox[0], bbox[3] - bbox[1])


def _backdrop(image: Image.Image, base: Image.Image, layout: Mapping[str, Element],
              photo: Image.Image, crop: Crop | None) -> None:
    """Photo style: the photo under the whole photo box, then the opaque boxes of the
    static layer (panel, band, QR code) put back on top of it."""
    b = layout[BACKDROP].box
    covered = cover(photo, b.w, b.h, crop)
    # A transparent photo shows the card's background through it, as in the text style.
    image.paste(covered, (b.x, b.y), covered if covered.mode == "RGBA" else None)
    for name, el in layout.items():
        if (el.fill is not None and name != "chip") or name == "qr":
            e = el.box
            if e.overlaps(b):
                image.paste(base.crop((e.x, e.y, e.right, e.bottom)), (e.x, e.y))


def _marks_on_photo(image: Image.Image, theme: Theme, fmt: Format, language: str,
                    limit: Box) -> None:
    """The logo, wordmark and week on the photo: in the theme's primary or background
    colour, whichever reads on the photo there, over a chip when neither does."""
    marks = photo_marks(theme, fmt, language)
    if marks is None:
        return
    mask, box = marks
    c = theme.colours
    pad = max(8, round(16 * fmt.scale))
    x0, y0 = max(limit.x, box.x - pad), max(limit.y, box.y - pad)
    x1, y1 = min(limit.right, box.right + pad), min(limit.bottom, box.bottom + pad)
    chip = Box(x0, y0, x1 - x0, y1 - y0)
    region = image.crop((chip.x, chip.y, chip.right, chip.bottom))
    colour, needs_chip = pick_colour(region, (c["primary"], c["background"]))
    if needs_chip:
        colour = c["primary"]
        draw_chip(image, chip, c["background"], radius=pad)
    image.paste(colour, (box.x, box.y, box.right, box.bottom), mask)


def _debug_overlay(image: Image.Image, layout: Mapping[str, Element], fmt: Format) -> None:
    """Outline every box with its name, and shade the zones a story's app covers."""
    draw = ImageDraw.Draw(image)
    if fmt.safe_top:
        draw.rectangle((0, 0, fmt.width, fmt.safe_top), outline=(200, 0, 0), width=3)
    if fmt.safe_bottom:
        draw.rectangle((0, fmt.height - fmt.safe_bottom, fmt.width, fmt.height),
                       outline=(200, 0, 0), width=3)
    label = ImageFont.truetype(str(builtin_font("NotoSans-Bold.ttf")), max(14, fmt.width // 60))
    for name, el in layout.items():
        b = el.box
        draw.rectangle((b.x, b.y, b.right - 1, b.bottom - 1), outline=(230, 0, 160), width=2)
        draw.text((b.x + 4, b.y + 2), name, fill=(230, 0, 160), font=label)


def text_fields(theme: Theme, pledge: CardText, has_photo: bool,
                layout: Mapping[str, Element] | None = None, fmt: Format | None = None,
                style: str = "text") -> dict[str, str]:
    """The values the alt text and caption templates may use. With the card's layout,
    `{photo}` and `{layout}` say where the photo, hashtag and QR code actually are."""
    words = theme.wording(pledge.language)
    dates = theme.dates_text(pledge.language).replace("\u00a0", " ")
    accounts = " ".join(theme.accounts)
    photo = f"{words.photo_alt} " if has_photo and words.photo_alt else ""
    where = ""
    if layout is not None and fmt is not None:
        said = photo_sentence(layout, fmt, style, has_photo, pledge.language)
        photo = f"{said} " if said is not None and has_photo else photo
        where = describe_layout(layout, fmt, pledge.language, theme.hashtag)
    return {
        "name": pledge.name, "org": pledge.org, "by": f", {pledge.org}" if pledge.org else "",
        "handle": pledge.handle,
        "pledge": pledge.pledge, "title": words.title, "tagline": words.tagline,
        "week_name": words.week_name, "dates": dates, "hashtag": theme.hashtag,
        "hashtags": " ".join(theme.hashtags), "accounts": accounts, "url": theme.url,
        "year": str(theme.year), "photo": photo, "layout": where,
    }


def _tidy(text: str) -> str:
    # A pledge ending "!" or "." meets the template's own full stop: "night!. Every".
    return tidy_sentence(" ".join(text.split()))


def _fit_growing(text: str, el: Element, chain: FontChain, field: str,
                 fmt: Format) -> FittedText:
    """Fit in the designed box; a long name or organisation may take more lines
    (up to max_lines at the smallest size) rather than ever being cut."""
    try:
        return _fit(text, el, chain, field, fmt)
    except FitError:
        tall = math.ceil(el.max_lines * round(el.min_size * el.line_height))
        if tall <= el.box.h:
            raise
        return _fit(text, replace(el, box=replace(el.box, h=tall)), chain, field, fmt)


def _beside_name(layout: Mapping[str, Element]) -> bool:
    """Whether the photo sits in the name's row (a theme may put it there), rather
    than in place of the artwork or behind the card as in the shipped layouts."""
    if "photo" not in layout or "name" not in layout:
        return False
    ph, nb = layout["photo"].box, layout["name"].box
    return ph.y < nb.bottom and nb.y < ph.bottom and ph.h < 2 * nb.h + 1 and not ph.overlaps(nb)


def _person_layout(layout: dict[str, Element], has_photo: bool) -> dict[str, Element]:
    """Without a photo beside the name, what stood to its right moves left into its place."""
    out = dict(layout)
    if has_photo or not _beside_name(layout):
        return out
    ph = layout["photo"].box
    for key in ("name", "org"):
        el = layout.get(key)
        if el is None or el.box.x < ph.right or not (el.box.y < ph.bottom
                                                      and ph.y < el.box.bottom):
            continue
        out[key] = replace(el, box=replace(el.box, x=ph.x, w=el.box.w + el.box.x - ph.x))
    return out


def _grow_upwards(layout: dict[str, Element], name: FittedText,
                  org: FittedText | None) -> dict[str, Element]:
    """Make room for a name or organisation that needed more lines than its box.

    The photo, name and organisation move up together by the extra height, and
    the pledge's box gives that height up, so nothing overlaps."""
    extra_name = max(0, name.height - layout["name"].box.h)
    extra_org = max(0, org.height - layout["org"].box.h) if org and "org" in layout else 0
    extra = extra_name + extra_org
    if not extra:
        return layout
    out = dict(layout)

    def move(key: str, dy: int, dh: int = 0) -> None:
        el = out[key]
        out[key] = replace(el, box=replace(el.box, y=el.box.y + dy, h=el.box.h + dh))

    name_box = layout["name"].box
    # The photo moves with the name only when it sits beside it (not in place of the
    # artwork, nor as the backdrop of the photo style).
    beside = _beside_name(layout)
    row = ("photo", "name", "org") if beside else ("name", "org")
    for key in row:
        if key in out:
            move(key, -extra)
    move("name", 0, extra_name)
    if "org" in out:
        if out["org"].box.y >= name_box.bottom - extra:  # org sits under the name
            move("org", extra_name, extra_org)
        else:
            move("org", 0, extra_org)
    if beside:
        # Keep the photo centred on the name beside it.
        ph, nb = out["photo"].box, out["name"].box
        out["photo"] = replace(out["photo"], box=replace(ph, y=nb.y + (nb.h - ph.h) // 2))
    pledge = out["pledge"].box
    top = min(out[k].box.y for k in row if k in out)
    out["pledge"] = replace(out["pledge"], box=replace(
        pledge, h=min(pledge.h, top - pledge.y - 16)))
    return out


def fit_card(theme: Theme, pledge: CardText, fmt: Format, has_photo: bool) -> None:
    """Fit a card's words without drawing anything: raises the FitError or GlyphError
    render_card would (a batch's --check uses this)."""
    style, _ = card_style(theme, pledge, fmt, has_photo)
    _fitted(theme, pledge, fmt, has_photo, style)


def _fitted(theme: Theme, pledge: CardText, fmt: Format, has_photo: bool, style: str
            ) -> tuple[dict[str, Element], list[tuple[str, FittedText]]]:
    """The layout as the supporter's words need it, and each text element fitted."""
    layout = _person_layout(layout_for(theme, fmt, style), has_photo)
    # Fit everything before drawing anything, so a failure costs no pixels. The
    # name (never cut) is fitted first; the pledge takes the room that is left.
    chain = {role: chain_for(theme, role) for role in ("display", "body", "body_bold")}
    name_fit = _fit_growing(pledge.name, layout["name"], chain[layout["name"].font], "name",
                            fmt)
    # The organisation line also carries the supporter's handle, so people can find them.
    org_line = " · ".join(part for part in (pledge.org, pledge.handle) if part)
    org_fit = (_fit_growing(org_line, layout["org"], chain[layout["org"].font], "org", fmt)
               if org_line and "org" in layout else None)
    designed = layout["pledge"].box
    layout = _grow_upwards(layout, name_fit, org_fit)
    pledge_el = layout["pledge"]
    try:
        pledge_fit = _fit(pledge.pledge, pledge_el, chain[pledge_el.font], "pledge", fmt)
    except FitError as exc:
        if pledge_el.box == designed:
            raise
        raise FitError("pledge", f"{exc} (the long name and organisation take some of its "
                       "room on this card; shortening them helps too)") from None
    drawn = [("pledge", pledge_fit), ("name", name_fit)]
    if org_fit is not None:
        drawn.append(("org", org_fit))
    return layout, drawn


def render_card(theme: Theme, pledge: CardText, fmt: Format, photo: Image.Image | None = None,
                debug: bool = False, crop: Crop | None = None) -> Card:
    """Compose one card in the supporter's style (or the theme's for the format).
    Raises FitError naming the field when text cannot fit. The photo is framed by the
    supporter's crop (`pledge.crop`, or `crop` when given) in both styles."""
    style, note = card_style(theme, pledge, fmt, photo is not None)
    has_photo = photo is not None and "photo" in layout_for(theme, fmt, style)
    layout, drawn = _fitted(theme, pledge, fmt, photo is not None, style)
    base, sizes = static_layer(theme, fmt, pledge.language, debug, style, has_photo)
    sizes = dict(sizes)
    c = theme.colours
    chain = {role: chain_for(theme, role) for role in ("display", "body", "body_bold")}
    image = base.copy()
    if style == "photo" and photo is not None:
        _backdrop(image, base, layout, photo, crop or pledge.crop)
        _marks_on_photo(image, theme, fmt, pledge.language, layout["chip"].box)
    for field, fit in drawn:
        el = layout[field]
        sizes[field] = fit.size
        _draw_text(image, replace(el, box=replace(el.box, h=max(el.box.h, fit.height))), fit,
                   chain[el.font], c[el.colour], field)
    if style == "text" and photo is not None and "photo" in layout:
        el = layout["photo"]
        b = el.box
        shaped = shaped_photo(photo, b.w, b.h, el.shape, crop or pledge.crop)
        image.paste(shaped, (b.x + (b.w - shaped.width) // 2, b.y + (b.h - shaped.height) // 2),
                    shaped)
    if debug:
        _debug_overlay(image, {k: layout[k] for k in ("pledge", "name", "org", "photo")
                               if k in layout}, fmt)

    fields = text_fields(theme, pledge, has_photo, layout, fmt, style)
    words = theme.wording(pledge.language)
    return Card(image=image, format=fmt, alt_text=_tidy(words.alt_text.format(**fields)),
                caption=_tidy(words.caption.format(**fields)), url=theme.campaign_url(fmt),
                sizes=sizes, layout=layout, title=f"{words.week_name}: {pledge.name}",
                style=style, note=note, language=pledge.language)
