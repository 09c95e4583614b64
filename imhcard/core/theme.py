"""The yearly theme file: loading, strict validation, and the values a card needs."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

import yaml

from imhcard.bundled import assets_dir, themes_dir
from imhcard.core.colour import RGB, parse_colour
from imhcard.core.formats import Format
from imhcard.core.theme_rules import (
    BATCH_FIELDS,
    BUNDLED_FONTS,
    MONTHS,
    cross_checks,
    layout_checks,
    schema,
)
from imhcard.core.validate import YAML_LOADER, line_index, validate, with_defaults
from imhcard.errors import ThemeError

__all__ = ["BATCH_FIELDS", "MONTHS", "FontSettings", "Theme", "Wording", "load_theme",
           "resolve_theme", "shipped_themes"]


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
    names: tuple[str, ...]
    photo_alt: str
    tagline: str
    wordmark: str
    signature: str


@dataclass(frozen=True)
class FontSettings:
    display: Path
    body: Path
    body_bold: Path
    fallback: tuple[Path, ...] = ()


# Identity equality: a loaded theme is one value for the life of a process, and
# compose caches each theme's layouts and static layers keyed on it.
@dataclass(frozen=True, eq=False)
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
    styles: Mapping[str, str] = field(default_factory=dict)
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

    def style_for(self, fmt_name: str) -> str:
        """The theme's card style for a format when the supporter chooses none."""
        return self.styles.get(fmt_name) or self.styles.get("default") or "text"

    def wording(self, language: str | None = None) -> Wording:
        return self.languages[language or self.default_language]

    def language_code(self, text: str) -> str | None:
        """The code of the language `text` names, by code or by one of its `names`
        ('ga', 'Irish', 'as Gaeilge'), or None."""
        wanted = _plain(text)
        for code, words in self.languages.items():
            if wanted == code.lower() or wanted in {_plain(n) for n in words.names}:
                return code
        return None

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


def _plain(text: str) -> str:
    """'Irish (Gaeilge) ' -> 'irish gaeilge': how names of languages are compared."""
    return " ".join(re.sub(r"[\W_]+", " ", text.casefold()).split())


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
        data = yaml.load(text, Loader=YAML_LOADER)
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
    problems += [f"{where(p)}: {'.'.join(p)}: {msg}" for p, msg in cross_checks(data)]
    if not problems:
        problems += [f"{where(p)}: {'.'.join(p)}: {msg}" for p, msg in layout_checks(data)]
    if problems:
        raise ThemeError(str(path), problems)
    return _build(path, data, lines)


def _build(path: Path, data: dict[str, Any], lines: dict[tuple[str, ...], int]) -> Theme:
    base = path.parent
    data = with_defaults(data, schema(base))
    fonts_dir = assets_dir() / "fonts"
    fonts, art = data["fonts"], data["art"]

    def font(key: str) -> Path:
        return ((base / fonts[key]).resolve() if key in fonts
                else Path(str(fonts_dir / BUNDLED_FONTS[key])))

    languages = {
        code: Wording(
            title=w["title"].strip(), week_name=w["week_name"].strip(),
            pledge_intro=w["pledge_intro"].strip(), qr_label=w["qr_label"].strip(),
            alt_text=w["alt_text"].strip(), caption=w["caption"].strip(),
            prompts={k: v.strip() for k, v in w["prompts"].items()},
            months=tuple(w.get("months") or MONTHS[code]), names=tuple(w["names"]),
            photo_alt=w["photo_alt"].strip(), tagline=w["tagline"].strip(),
            wordmark=w["wordmark"].strip(), signature=w["signature"].strip(),
        )
        for code, w in data["languages"].items()
    }
    return Theme(
        path=path.resolve(), year=data["year"], start=data["week"]["start"],
        end=data["week"]["end"], url=data["campaign"]["url"].strip(),
        utm=data["campaign"]["utm"], hashtags=tuple(data["campaign"]["hashtags"]),
        accounts=tuple(data["campaign"]["accounts"]),
        colours={k: parse_colour(v) for k, v in data["colours"].items()},
        artwork=(base / art["artwork"]).resolve() if "artwork" in art else None,
        logo=(base / art["logo"]).resolve() if "logo" in art else None,
        fonts=FontSettings(
            display=font("display"), body=font("body"), body_bold=font("body_bold"),
            fallback=tuple((base / f).resolve() for f in fonts["fallback"]),
        ),
        pledge_max=data["pledge"]["max_length"],
        min_text_size=data["pledge"]["min_text_size"],
        default_language=data["default_language"], languages=languages,
        layouts=data["layouts"], columns=data["batch"]["columns"], lines=lines,
        styles=data["style"],
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

