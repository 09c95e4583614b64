"""The yearly theme file: loading, strict validation, and the values a card needs."""

from __future__ import annotations

import datetime as dt
import re
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

import yaml

from imhcard.colour import RGB, contrast, parse_colour
from imhcard.data import assets_dir, themes_dir
from imhcard.errors import ThemeError
from imhcard.formats import ELEMENT_KEYS, ELEMENTS, FORMATS, IMPORTANT, Format, build_layout
from imhcard.validate import Key, Schema, describe, line_index, validate

COLOURS = ("background", "panel", "primary", "accent", "text", "on_accent")
# (foreground, background, minimum ratio, what is drawn so): WCAG AA asks 4.5:1
# for body text and 3:1 for large text (the title and the hashtag).
CONTRAST_PAIRS = (
    ("text", "background", 4.5, "the pledge and name"),
    ("primary", "background", 4.5, "'I pledge to' and the QR label"),
    ("primary", "panel", 3.0, "the title"),
    ("text", "panel", 4.5, "the dates"),
    ("on_accent", "accent", 3.0, "the hashtag"),
)
TEMPLATE_FIELDS = ("name", "org", "by", "handle", "pledge", "title", "tagline", "week_name",
                   "dates", "hashtag", "hashtags", "accounts", "url", "year", "photo")
MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
    "ga": ("Eanáir", "Feabhra", "Márta", "Aibreán", "Bealtaine", "Meitheamh", "Iúil",
           "Lúnasa", "Meán Fómhair", "Deireadh Fómhair", "Samhain", "Nollaig"),
}
BATCH_FIELDS = ("name", "pledge", "org", "photo", "handle", "language")
_SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
_LANG = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]+)?")


@dataclass(frozen=True)
class Wording:
    """A theme's card wording in one language."""

    title: str
    week_name: str
    pledge_intro: str
    qr_label: str
    alt_text: str
    caption: str
    prompts: Mapping[str, str]
    months: tuple[str, ...]
    tagline: str = ""
    wordmark: str = "Stronger from the Start"
    signature: str = "Signed"


@dataclass(frozen=True)
class FontSettings:
    display: Path
    body: Path
    body_bold: Path
    fallback: tuple[Path, ...] = ()


@dataclass(frozen=True)
class Theme:
    """One year's campaign, as the card needs it. Made by `load_theme`."""

    path: Path
    year: int
    start: dt.date
    end: dt.date
    url: str
    utm: Mapping[str, str]
    hashtags: tuple[str, ...]
    accounts: tuple[str, ...]
    colours: Mapping[str, RGB]
    artwork: Path | None
    logo: Path | None
    fonts: FontSettings
    pledge_max: int
    min_text_size: int
    default_language: str
    languages: Mapping[str, Wording]
    layouts: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    columns: Mapping[str, str] = field(default_factory=dict)
    lines: Mapping[tuple[str, ...], int] = field(default_factory=dict, repr=False)

    def where(self, *key_path: str) -> str:
        """'file:line: key.path' for a message about one key of this theme."""
        path = tuple(key_path)
        while path and path not in self.lines:
            path = path[:-1]
        return f"{self.path}:{self.lines.get(path, 1)}: {'.'.join(key_path)}"

    @property
    def hashtag(self) -> str:
        return self.hashtags[0]

    def wording(self, language: str | None = None) -> Wording:
        return self.languages[language or self.default_language]

    def dates_text(self, language: str | None = None) -> str:
        """The week's dates with month names: '8–14 June 2026', '8–14 Meitheamh 2026'."""
        months = self.wording(language).months
        s, e = self.start, self.end
        if (s.year, s.month) == (e.year, e.month):
            text = f"{s.day}–{e.day} {months[s.month - 1]} {e.year}"
        elif s.year == e.year:
            text = f"{s.day} {months[s.month - 1]} – {e.day} {months[e.month - 1]} {e.year}"
        else:
            text = (f"{s.day} {months[s.month - 1]} {s.year} – "
                    f"{e.day} {months[e.month - 1]} {e.year}")
        # No-break spaces: a date never wraps across two lines.
        return text.replace(" ", "\u00a0")

    def campaign_url(self, fmt: Format) -> str:
        """The QR target for one format, with its UTM tags appended."""
        parts = urlsplit(self.url)
        tags = {"utm_source": fmt.utm_source, **{f"utm_{k}": v for k, v in self.utm.items()}}
        query = "&".join(q for q in (parts.query, urlencode(tags)) if q)
        return urlunsplit(parts._replace(query=query))


# --- checks: each returns None, or a sentence saying what is allowed --------------


def _text(value: Any) -> str | None:
    if isinstance(value, str) and value.strip():
        return None
    return f"expected some text, found {describe(value)}"


def _optional_text(value: Any) -> str | None:
    return None if isinstance(value, str) else f"expected text, found {describe(value)}"


def _int_between(lo: int, hi: int) -> Any:
    def check(value: Any) -> str | None:
        if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
            return f"expected a whole number from {lo} to {hi}, found {describe(value)}"
        return None

    return check


def _number_between(lo: float, hi: float) -> Any:
    def check(value: Any) -> str | None:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not lo <= value <= hi:
            return f"expected a number from {lo} to {hi}, found {describe(value)}"
        return None

    return check


def _date(value: Any) -> str | None:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return None
    return f"expected a date written YYYY-MM-DD, found {describe(value)}"


def _colour(value: Any) -> str | None:
    try:
        parse_colour(value if isinstance(value, str) else "")
    except ValueError:
        return f"expected a colour written like \"#0F5C5A\", found {describe(value)}"
    return None


def _url(value: Any) -> str | None:
    if not isinstance(value, str):
        return f"expected a web address, found {describe(value)}"
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return f"expected a web address starting https:// (or http://), found {describe(value)}"
    return None


def _one_of(*choices: str) -> Any:
    def check(value: Any) -> str | None:
        if value in choices:
            return None
        return f"expected one of {', '.join(choices)}; found {describe(value)}"

    return check


def _list_of(item: Any) -> Any:
    def check(value: Any) -> str | None:
        if not isinstance(value, list):
            return f"expected a list, found {describe(value)}"
        for i, v in enumerate(value):
            if err := item(v):
                return f"item {i + 1}: {err}"
        return None

    return check


def _hashtag(value: Any) -> str | None:
    if isinstance(value, str) and re.fullmatch(r"#\w+", value):
        return None
    return f"expected a hashtag like \"#StrongerFromTheStart\" (no spaces), found {describe(value)}"


def _file(base: Path, kinds: str) -> Any:
    def check(value: Any) -> str | None:
        if not isinstance(value, str) or not value.strip():
            return f"expected the path of a {kinds} file, relative to the theme file"
        if not (base / value).is_file():
            return (f"no file at '{value}' (looked in {base / value}); paths are relative "
                    f"to the theme file")
        return None

    return check


def _template(value: Any) -> str | None:
    if err := _text(value):
        return err
    try:
        names = [f for _, f, _, _ in string.Formatter().parse(value) if f is not None]
    except ValueError as exc:
        return f"a template with unbalanced braces ({exc}); write {{{{ for a literal brace"
    unknown = [n for n in names if n not in TEMPLATE_FIELDS]
    if unknown:
        return (f"unknown placeholder {{{unknown[0]}}}; allowed: "
                + ", ".join(f"{{{f}}}" for f in TEMPLATE_FIELDS))
    return None


def _box(value: Any) -> str | None:
    if (isinstance(value, list) and len(value) == 4
            and all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in value)
            and value[2] > 0 and value[3] > 0):
        return None
    return f"expected [x, y, width, height] in whole pixels, found {describe(value)}"


def _slug(key: str) -> str | None:
    if _SLUG.fullmatch(key):
        return None
    return f"a prompt id is lower-case letters, digits and hyphens (like speak-up), found '{key}'"


def _lang_key(key: str) -> str | None:
    if _LANG.fullmatch(key):
        return None
    return f"a language is a code like en or ga, found '{key}'"


def _format_key(key: str) -> str | None:
    if key in FORMATS:
        return None
    return f"unknown format; allowed: {', '.join(FORMATS)}"


def schema(base: Path) -> Schema:
    """The theme file's schema; file paths are checked relative to `base`."""
    image = _file(base, "PNG or JPEG")
    font = _file(base, "TTF or OTF font")
    element = Schema(keys={
        "box": Key(_box, False), "fill": Key(_one_of(*COLOURS), False),
        "font": Key(_one_of("display", "body", "body_bold"), False),
        "size": Key(_int_between(8, 400), False), "min_size": Key(_int_between(8, 400), False),
        "colour": Key(_one_of(*COLOURS), False),
        "align": Key(_one_of("left", "center", "right"), False),
        "valign": Key(_one_of("top", "middle", "bottom"), False),
        "max_lines": Key(_int_between(1, 12), False),
        "line_height": Key(_number_between(0.8, 2.0), False),
        "hidden": Key(lambda v: None if isinstance(v, bool) else "expected true or false", False),
        "shape": Key(_one_of("circle", "rounded", "square"), False),
    })
    assert set(element.keys) == set(ELEMENT_KEYS)
    wording = Schema(keys={
        "title": Key(_text), "tagline": Key(_optional_text, False),
        "week_name": Key(_text), "pledge_intro": Key(_text), "qr_label": Key(_text),
        "wordmark": Key(_text, False), "signature": Key(_text, False),
        "alt_text": Key(_template), "caption": Key(_template),
        "months": Key(_list_of(_text), False),
        "prompts": Key(Schema(values=_text, key_check=_slug)),
    })
    return Schema(keys={
        "year": Key(_int_between(2000, 2100)),
        "week": Key(Schema(keys={"start": Key(_date), "end": Key(_date)})),
        "campaign": Key(Schema(keys={
            "url": Key(_url),
            "utm": Key(Schema(values=_text, key_check=lambda k: None if k in (
                "medium", "campaign", "content", "term") else
                "UTM keys are medium, campaign, content, term (source is set per format)"),
                False),
            "hashtags": Key(_list_of(_hashtag)),
            "accounts": Key(_list_of(_text), False),
        })),
        "colours": Key(Schema(keys={c: Key(_colour) for c in COLOURS})),
        "art": Key(Schema(keys={"artwork": Key(image, False), "logo": Key(image, False)}), False),
        "fonts": Key(Schema(keys={
            "display": Key(font, False), "body": Key(font, False), "body_bold": Key(font, False),
            "fallback": Key(_list_of(font), False),
        }), False),
        "pledge": Key(Schema(keys={
            "max_length": Key(_int_between(20, 400)),
            "min_text_size": Key(_int_between(12, 60), False),
        })),
        "default_language": Key(_text, False),
        "languages": Key(Schema(values=wording, key_check=_lang_key)),
        "layouts": Key(Schema(values=Schema(keys={e: Key(element, False) for e in ELEMENTS}),
                              key_check=_format_key), False),
        "batch": Key(Schema(keys={"columns": Key(
            Schema(keys={f: Key(_text, False) for f in BATCH_FIELDS}), False)}), False),
    })


def _cross_checks(data: Any) -> list[tuple[tuple[str, ...], str]]:
    """Rules between keys. Each rule runs only where the keys it reads are themselves
    valid (their own problems are already reported), so one run reports everything."""
    out: list[tuple[tuple[str, ...], str]] = []
    if not isinstance(data, dict):
        return out
    week = data.get("week")
    if isinstance(week, dict) and not _date(week.get("start")) and not _date(week.get("end")) \
            and week["end"] < week["start"]:
        out.append((("week", "end"), f"the week ends ({week['end']}) before it starts "
                                     f"({week['start']})"))
    raw = data.get("colours")
    if isinstance(raw, dict):
        colours = {k: parse_colour(v) for k, v in raw.items()
                   if k in COLOURS and isinstance(v, str) and not _colour(v)}
        for fg, bg, need, what in CONTRAST_PAIRS:
            if fg in colours and bg in colours:
                ratio = contrast(colours[fg], colours[bg])
                if ratio < need:
                    out.append((("colours", fg), f"{raw[fg]} on {bg} {raw[bg]} has contrast "
                                f"{ratio:.2f}:1, below the {need}:1 WCAG AA needs for {what}; "
                                "darken or lighten one of them"))
        if "text" in colours and contrast(colours["text"], (255, 255, 255)) < 7:
            out.append((("colours", "text"), "the text colour is drawn as the QR code's dark "
                        "modules on white and needs contrast 7:1 or more to scan reliably"))
    langs = data.get("languages")
    if not isinstance(langs, dict) or not all(isinstance(w, dict) for w in langs.values()):
        return out
    default = data.get("default_language", "en")
    if default not in langs:
        out.append((("default_language",), f"'{default}' has no wording under languages; "
                    f"defined: {', '.join(map(str, langs))}"))
        return out
    ids = set(langs[default].get("prompts") or {})
    for code, words in langs.items():
        if code not in MONTHS and "months" not in words:
            out.append((("languages", code, "months"), "missing; give the twelve month "
                        "names for this language"))
        elif isinstance(words.get("months"), list) and len(words["months"]) != 12:
            out.append((("languages", code, "months"),
                        f"expected 12 month names, found {len(words['months'])}"))
        prompts = words.get("prompts")
        if isinstance(prompts, dict) and set(prompts) != ids:
            missing = sorted(ids - set(prompts))
            extra = sorted(set(prompts) - ids)
            out.append((("languages", code, "prompts"), "the prompts differ from "
                        f"'{default}': missing {missing or 'none'}, extra {extra or 'none'}"))
    return out


# What every card must show; a theme may move these boxes but not hide them.
REQUIRED_ELEMENTS = ("title", "dates", "intro", "pledge", "name", "org", "hashtag", "qr")


def _layout_checks(data: dict[str, Any]) -> list[tuple[tuple[str, ...], str]]:
    """Geometry of the layouts as the theme overrides them: every box on the canvas,
    clear of a story's app buttons, required boxes shown, readable boxes apart."""
    out: list[tuple[tuple[str, ...], str]] = []
    overrides = data.get("layouts") or {}
    for name, fmt in FORMATS.items():
        own = overrides.get(name) or {}
        for key in REQUIRED_ELEMENTS:
            if (own.get(key) or {}).get("hidden"):
                out.append((("layouts", name, key, "hidden"),
                            f"the {key} cannot be hidden: every card shows it"))
        layout = build_layout(fmt, own)
        for key, el in layout.items():
            b, path = el.box, ("layouts", name, key)
            if b.x < 0 or b.y < 0 or b.right > fmt.width or b.bottom > fmt.height:
                out.append((path, f"the box [{b.x}, {b.y}, {b.w}, {b.h}] reaches past the "
                            f"{fmt.width}×{fmt.height} card"))
            elif key in IMPORTANT and (b.y < fmt.safe_top
                                       or b.bottom > fmt.height - fmt.safe_bottom):
                out.append((path, f"the box [{b.x}, {b.y}, {b.w}, {b.h}] is under the app's "
                            f"buttons; keep it between y={fmt.safe_top} and "
                            f"y={fmt.height - fmt.safe_bottom}"))
        keys = [k for k in layout if k in IMPORTANT]
        for i, a in enumerate(keys):
            for b_key in keys[i + 1:]:
                if (a in own or b_key in own) and layout[a].box.overlaps(layout[b_key].box):
                    moved = a if a in own else b_key
                    other = b_key if moved == a else a
                    out.append((("layouts", name, moved), f"the {moved} box overlaps the "
                                f"{other} box; move one of them"))
    return out


def load_theme(path: str | Path) -> Theme:
    """Read and validate a theme file; raise ThemeError listing every problem."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ThemeError(str(path), [f"{path}: no such theme file"]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ThemeError(str(path), [f"{path}: cannot read the theme file ({exc})"]) from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f"{path}:{mark.line + 1}" if mark else str(path)
        problem = getattr(exc, "problem", None) or str(exc)
        raise ThemeError(str(path), [f"{at}: not valid YAML: {problem}"]) from None
    lines, twice = line_index(text)

    def where(key_path: tuple[str, ...]) -> str:
        while key_path and key_path not in lines:
            key_path = key_path[:-1]
        return f"{path}:{lines.get(key_path, 1)}"

    problems = [f"{where(p)}: {'.'.join(p)}: written twice (first on line {first}); YAML "
                "would silently keep only this one, so delete one of them"
                for p, first in twice]
    problems += validate(data, schema(path.parent), where)
    problems += [f"{where(p)}: {'.'.join(p)}: {msg}" for p, msg in _cross_checks(data)]
    if not problems:
        problems += [f"{where(p)}: {'.'.join(p)}: {msg}" for p, msg in _layout_checks(data)]
    if problems:
        raise ThemeError(str(path), problems)
    return _build(path, data, lines)


def _build(path: Path, data: dict[str, Any], lines: dict[tuple[str, ...], int]) -> Theme:
    base = path.parent
    fonts_dir = assets_dir() / "fonts"
    fonts = data.get("fonts", {})

    def font(key: str, default: str) -> Path:
        return (base / fonts[key]).resolve() if key in fonts else Path(str(fonts_dir / default))

    art = data.get("art", {})
    languages = {
        code: Wording(
            title=w["title"].strip(), week_name=w["week_name"].strip(),
            pledge_intro=w["pledge_intro"].strip(), qr_label=w["qr_label"].strip(),
            alt_text=w["alt_text"].strip(), caption=w["caption"].strip(),
            prompts={k: v.strip() for k, v in w["prompts"].items()},
            months=tuple(w.get("months") or MONTHS[code]), tagline=w.get("tagline", "").strip(),
            wordmark=w.get("wordmark", "Stronger from the Start").strip(),
            signature=w.get("signature", "Signed").strip(),
        )
        for code, w in data["languages"].items()
    }
    return Theme(
        path=path.resolve(), year=data["year"], start=data["week"]["start"],
        end=data["week"]["end"], url=data["campaign"]["url"].strip(),
        utm=data["campaign"].get("utm", {}), hashtags=tuple(data["campaign"]["hashtags"]),
        accounts=tuple(data["campaign"].get("accounts", [])),
        colours={k: parse_colour(v) for k, v in data["colours"].items()},
        artwork=(base / art["artwork"]).resolve() if "artwork" in art else None,
        logo=(base / art["logo"]).resolve() if "logo" in art else None,
        fonts=FontSettings(
            display=font("display", "brand-Bold.ttf"), body=font("body", "NotoSans-Regular.ttf"),
            body_bold=font("body_bold", "NotoSans-Bold.ttf"),
            fallback=tuple((base / f).resolve() for f in fonts.get("fallback", [])),
        ),
        pledge_max=data["pledge"]["max_length"],
        min_text_size=data["pledge"].get("min_text_size", 28),
        default_language=data.get("default_language", "en"), languages=languages,
        layouts=data.get("layouts", {}), columns=data.get("batch", {}).get("columns", {}),
        lines=lines,
    )


# --- shipped themes -------------------------------------------------------------


def shipped_themes() -> dict[str, Path]:
    """The themes installed with the package, by name ('2024', '2026'), oldest first."""
    found = {p.stem: p for p in themes_dir().glob("*.yaml")}
    return dict(sorted(found.items()))


def resolve_theme(name_or_path: str | None) -> Path:
    """A theme name ('2026') or a path to a theme file; None means the newest shipped year."""
    themes = shipped_themes()
    if name_or_path is None:
        return themes[max(themes)]
    if name_or_path in themes:
        return themes[name_or_path]
    path = Path(name_or_path)
    if path.suffix.lower() in (".yaml", ".yml") or path.exists():
        return path
    raise ThemeError(name_or_path, [f"no theme '{name_or_path}'; shipped themes: "
                                    f"{', '.join(themes)}, or give the path of a .yaml file"])


@cache
def cached_theme(path: Path) -> Theme:
    return load_theme(path)
