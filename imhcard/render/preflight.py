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

from imhcard.core.formats import FORMATS, Format
from imhcard.core.layout import Element
from imhcard.core.theme import Theme
from imhcard.errors import FitError, FormatError
from imhcard.render.compose import chain_for, layout_for
from imhcard.render.fit import fit_text
from imhcard.render.qr import MIN_MODULE_PX, qr_image

# The words of each static box, and the theme key they come from.
_STATIC = {"wordmark": "wordmark", "title": "title", "dates": "week_name",
           "intro": "pledge_intro", "qr_label": "qr_label", "hashtag": "hashtags",
           "signature": "signature"}
_LABELS = {"dates": "week name and dates", "qr_label": "QR label", "intro": "pledge intro"}
# Optional wording keys a language should carry when the default language does.
# The mail_* keys too: without them a supporter's e-mail would be in the built-in English.
_OPTIONAL_WORDING = ("tagline", "signature", "wordmark", "photo_alt", "mail_subject",
                     "mail_greeting", "mail_body", "mail_caption", "mail_alt_text")
# What a language's alt text and caption must carry when the default language's do. The
# week's name may be written out instead of {week_name} (Irish inflects it: "do Sheachtain").
_ESSENTIAL_FIELDS = {"name", "org", "by", "pledge", "dates", "hashtag", "hashtags", "url",
                     "accounts", "photo"}


def _fit(text: str, el: Element, theme: Theme, field: str, fmt: Format) -> None:
    fit_text(text, chain_for(theme, el.font), el.box.w, el.box.h, el.size, el.min_size,
             el.max_lines, el.line_height, field=field, where=fmt.name)


def _static_text(theme: Theme, code: str, name: str) -> str:
    w = theme.wording(code)
    return {"wordmark": w.wordmark, "title": w.title,
            "dates": f"{w.week_name}\n{theme.dates_text(code)}", "intro": w.pledge_intro,
            "qr_label": w.qr_label, "hashtag": theme.hashtag, "signature": w.signature}[name]


def static_text_problems(theme: Theme) -> list[str]:
    """Every static text that does not fit some format, per language."""
    out: list[str] = []
    for code in theme.languages:
        for fmt in FORMATS.values():
            layout = layout_for(theme, fmt)
            for name, source in _STATIC.items():
                if name not in layout:
                    continue
                key = ("campaign", "hashtags") if name == "hashtag" else (
                    "languages", code, source)
                try:
                    _fit(_static_text(theme, code, name), layout[name], theme,
                         _LABELS.get(name, name), fmt)
                except FitError as exc:
                    out.append(f"{theme.where(*key)}: {exc}")
    return out


def prompt_problems(theme: Theme) -> list[str]:
    """Every prompt, in every language, that does not fit some format's pledge box even at
    the smallest size: which prompt, which format, and by about how many characters."""
    out: list[str] = []
    for code, words in theme.languages.items():
        for fmt in FORMATS.values():
            el = layout_for(theme, fmt)["pledge"]
            for pid, text in words.prompts.items():
                try:
                    _fit(text, el, theme, "pledge", fmt)
                except FitError as exc:
                    message = str(exc).replace("the pledge is", f"the prompt '{pid}' is", 1)
                    out.append(f"{theme.where('languages', code, 'prompts', pid)}: {message}")
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
            try:
                _fit(text, layout_for(theme, fmt)["pledge"], theme, "pledge", fmt)
            except FitError as exc:
                out.append(f"{theme.where('pledge', 'max_length')}: a {len(text)}-character "
                           f"pledge in '{code}' (as long as allowed) does not fit: {exc}; "
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
