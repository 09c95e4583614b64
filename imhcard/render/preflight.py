"""`imhcard theme check`'s look ahead at launch day: what would fail on some card, found
before any supporter meets it. Every problem is one line, `file:line: key: what`, and
all of them are reported, not just the first.

- every static text (title, week and dates, "I pledge to", QR label, hashtag, ...) fits
  its box in every format and language at the smallest size it may shrink to;
- every prompt fits the pledge box of every format in every language at the smallest size,
  and so does a pledge of one's own as long as `pledge.max_length` allows;
- the campaign link fits every format's QR box at the error correction it would use;
- every language has the wording the default language has (optional keys such as
  `signature`, and the placeholders its templates use, like {url}).

Fitting only: nothing is drawn, so checking a theme takes a second or two.
"""

from __future__ import annotations

import string
from dataclasses import replace

from imhcard.core.fields import PRINTED
from imhcard.core.formats import FORMATS, Format
from imhcard.core.layout import STYLES, Element
from imhcard.core.theme import Theme
from imhcard.errors import FitError, FormatError
from imhcard.render.draw import chain_for, fit_in
from imhcard.render.qr import MIN_MODULE_PX, qr_image
from imhcard.render.static import LABELS, STATIC_SOURCE, layout_for, static_text

# Optional wording keys a language should carry when the default language does.
# The mail_* keys too: without them a supporter's e-mail would be in the built-in English.
_OPTIONAL_WORDING = ("tagline", "signature", "wordmark", "photo_alt", "mail_subject",
                     "mail_greeting", "mail_body", "mail_caption", "mail_alt_text")
# What a language's alt text and caption must carry when the default language's do. The
# week's name may be written out instead of {week_name} (Irish inflects it: "do Sheachtain").
_ESSENTIAL_FIELDS = {*(f.name for f in PRINTED), "by", "dates", "hashtag", "hashtags", "url",
                     "accounts", "photo"}


def _fit(text: str, el: Element, theme: Theme, field: str, fmt: Format) -> None:
    fit_in(text, el, chain_for(theme, el.font), field, fmt)


def _layouts(theme: Theme, fmt: Format) -> list[tuple[str, dict[str, Element]]]:
    """The format's layout in each style a card may be drawn in: a supporter may choose
    either, whatever the theme's default."""
    return [(style, layout_for(theme, fmt, style)) for style in STYLES]


def _on(fmt: Format, style: str) -> str:
    return fmt.name if style == "text" else f"{fmt.name} ({style} style)"


def static_text_problems(theme: Theme) -> list[str]:
    """Every static text that does not fit some format, in some style and language."""
    out: list[str] = []
    for code in theme.languages:
        for fmt in FORMATS.values():
            for style, layout in _layouts(theme, fmt):
                for name, source in STATIC_SOURCE.items():
                    if name not in layout:
                        continue
                    key = ("campaign", "hashtags") if name == "hashtag" else (
                        "languages", code, source)
                    try:
                        fit_in(static_text(theme, code, name), layout[name],
                               chain_for(theme, layout[name].font), LABELS.get(name, name),
                               replace(fmt, name=_on(fmt, style)))
                    except FitError as exc:
                        out.append(f"{theme.where(*key)}: {exc}")
    return list(dict.fromkeys(out))


def prompt_problems(theme: Theme) -> list[str]:
    """Every prompt, in every language, that does not fit some format's pledge box even at
    the smallest size: which prompt, which format, and by about how many characters."""
    out: list[str] = []
    for code, words in theme.languages.items():
        for fmt in FORMATS.values():
            for style, layout in _layouts(theme, fmt):
                for pid, text in words.prompts.items():
                    try:
                        _fit(text, layout["pledge"], theme, "pledge",
                             replace(fmt, name=_on(fmt, style)))
                    except FitError as exc:
                        message = str(exc).replace("the pledge is", f"the prompt '{pid}' is", 1)
                        out.append(f"{theme.where('languages', code, 'prompts', pid)}: "
                                   f"{message}")
    return out


def _longest_pledge(theme: Theme, code: str) -> str:
    """A pledge of `pledge.max_length` characters in the language's own words (its prompts,
    repeated), cut at a word boundary: the longest own words a supporter may give."""
    words = " ".join(theme.wording(code).prompts.values()).split()
    text = ""
    while words and len(text) < theme.pledge_max:
        for word in words:
            if len(text) + 1 + len(word) > theme.pledge_max:
                return text
            text = f"{text} {word}".strip()
    return text


def max_length_problems(theme: Theme) -> list[str]:
    """Formats where a pledge as long as `pledge.max_length` allows would not fit: a
    supporter who used every character allowed would get an error on the day."""
    out: list[str] = []
    for code in theme.languages:
        text = _longest_pledge(theme, code)
        for fmt in FORMATS.values():
            for style, layout in _layouts(theme, fmt):
                try:
                    _fit(text, layout["pledge"], theme, "pledge",
                         replace(fmt, name=_on(fmt, style)))
                except FitError as exc:
                    out.append(f"{theme.where('pledge', 'max_length')}: a {len(text)}-character"
                               f" pledge in '{code}' (as long as allowed) does not fit: {exc}; "
                               "lower max_length or give the pledge box more room")
    return out


def qr_problems(theme: Theme) -> list[str]:
    """Every format whose QR box cannot hold the campaign link at a scannable size."""
    out: list[str] = []
    for fmt in FORMATS.values():
        layout = layout_for(theme, fmt)
        if "qr" not in layout:
            continue
        box = layout["qr"].box
        try:
            qr_image(theme.campaign_url(fmt), min(box.w, box.h),
                     max(1, int(MIN_MODULE_PX * fmt.scale)), theme.colours["text"])
        except FormatError as exc:
            # qr_matrix already uses the lowest error correction that keeps the code
            # smallest, so no setting makes this link fit: the box or the link must change.
            out.append(f"{theme.where('campaign', 'url')}: on the {fmt.name} card, even at "
                       f"the lowest error correction (L), {exc}")
    return out


def _placeholders(template: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(template) if f}


def wording_problems(theme: Theme) -> list[str]:
    """Wording the default language has and another lacks."""
    out: list[str] = []
    default = theme.default_language
    ref = theme.wording(default)
    for code, words in theme.languages.items():
        if code == default:
            continue
        for key in _OPTIONAL_WORDING:
            if (("languages", default, key) in theme.lines
                    and ("languages", code, key) not in theme.lines):
                out.append(f"{theme.where('languages', code, key)}: missing; '{default}' has "
                           f"{getattr(ref, key)!r}, so the '{code}' card would show the "
                           "built-in default")
        for key in ("alt_text", "caption"):
            lacking = sorted(_placeholders(getattr(ref, key)) & _ESSENTIAL_FIELDS
                             - _placeholders(getattr(words, key)))
            if lacking:
                out.append(f"{theme.where('languages', code, key)}: lacks "
                           f"{', '.join('{' + f + '}' for f in lacking)}, which the "
                           f"'{default}' {key} has")
    return out


def preflight(theme: Theme) -> list[str]:
    """Every problem a card would meet on the day, one line each (empty: none)."""
    return [*wording_problems(theme), *qr_problems(theme), *static_text_problems(theme),
            *prompt_problems(theme), *max_length_problems(theme)]
