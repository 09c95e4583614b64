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
from imhcard.core.layout import FONT_ROLES
from imhcard.core.limits import THEME_MAX_BYTES, THEME_MAX_NODES
from imhcard.core.safe_files import read_regular
from imhcard.core.safe_yaml import explain, load_yaml
from imhcard.core.theme_consistency import cross_checks, layout_checks
from imhcard.core.theme_rules import BATCH_FIELDS, BUNDLED_FONTS, MONTHS, schema
from imhcard.core.validate import line_index, validate, with_defaults
from imhcard.errors import MissingFile, RefusedFile, ThemeError

__all__ = ["BATCH_FIELDS", "MONTHS", "THEME_FILE", "Draft", "FontSettings", "Theme", "Wording",
           "draft_report", "draft_warning", "load_theme", "resolve_theme", "shipped_themes"]

# The file a theme folder holds (what `imhcard theme new` writes).
THEME_FILE = "theme.yaml"


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
    blank_alt_text: str
    blank_caption: str
    name_label: str
    tagline: str
    wordmark: str
    signature: str
    mail_subject: str = ""  # the e-mail to a supporter (batch/mail.py), in this language
    mail_greeting: str = ""
    mail_body: str = ""
    mail_caption: str = ""
    mail_alt_text: str = ""


@dataclass(frozen=True)
class Draft:
    """A theme not ready to go out: why, and which keys still hold placeholder values."""

    reason: str
    placeholders: tuple[str, ...] = ()


@dataclass(frozen=True)
class FontSettings:
    display: Path
    body: Path
    body_bold: Path
    fallback: tuple[Path, ...] = ()

    def of(self, role: str) -> Path:
        """The font file of a layout's font role (core.layout.FONT_ROLES)."""
        path: Path = getattr(self, role)
        return path


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
    draft: Draft | None = None

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
        raw = read_regular(path, "theme file", THEME_MAX_BYTES)
    except MissingFile:
        raise ThemeError(str(path), [f"{path}: no such theme file"]) from None
    except RefusedFile as exc:
        raise ThemeError(str(path), [f"{path}: {exc}"]) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise ThemeError(str(path), [f"{path}:{line}: the theme file is not UTF-8 text; save "
                                     "it as UTF-8"]) from None
    try:
        data = load_yaml(text, THEME_MAX_NODES)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f"{path}:{mark.line + 1}" if mark else str(path)
        raise ThemeError(str(path), [f"{at}: not valid YAML: {explain(exc)}"]) from None
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
            photo_alt=w["photo_alt"].strip(), blank_alt_text=w["blank_alt_text"].strip(),
            blank_caption=w["blank_caption"].strip(), name_label=w["name_label"].strip(),
            tagline=w["tagline"].strip(),
            wordmark=w["wordmark"].strip(), signature=w["signature"].strip(),
            mail_subject=w["mail_subject"].strip(), mail_greeting=w["mail_greeting"].strip(),
            mail_body=w["mail_body"].strip(),
            mail_caption=w["mail_caption"].strip(), mail_alt_text=w["mail_alt_text"].strip(),
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
            **{role: font(role) for role in FONT_ROLES},
            fallback=tuple((base / f).resolve() for f in fonts["fallback"]),
        ),
        pledge_max=data["pledge"]["max_length"],
        min_text_size=data["pledge"]["min_text_size"],
        default_language=data["default_language"], languages=languages,
        layouts=data["layouts"], columns=data["batch"]["columns"], lines=lines,
        styles=data["style"],
        draft=_draft(data.get("draft")),
    )


DRAFT_REASON = "the theme is marked draft"


def _draft(raw: Any) -> Draft | None:
    """`draft: true`, or a mapping with a reason and the placeholder keys (validated)."""
    if not raw:
        return None
    if raw is True:
        return Draft(DRAFT_REASON)
    return Draft(str(raw.get("reason") or DRAFT_REASON).strip(),
                 tuple(str(p) for p in raw.get("placeholders") or ()))


def placeholder_value(theme: Theme, dotted: str) -> str | None:
    """The current value of a placeholder key like 'languages.en.title', if it is text."""
    parts = dotted.split(".")
    if len(parts) == 3 and parts[0] == "languages" and parts[1] in theme.languages:
        value = getattr(theme.languages[parts[1]], parts[2], None)
        return value if isinstance(value, str) else None
    return None


def draft_report(theme: Theme) -> list[str]:
    """For `theme check`: one line per thing still placeholder, with its line number."""
    if theme.draft is None:
        return []
    out = [f"{theme.where('draft')}: the theme is a DRAFT: {theme.draft.reason}; delete the "
           "`draft:` key when it is final"]
    for key in theme.draft.placeholders:
        parts = tuple(key.split("."))
        value = placeholder_value(theme, key)
        if value is None:
            out.append(f"{theme.where('draft', 'placeholders')}: {key}: no such wording key "
                       f"in this theme; languages: {', '.join(theme.languages)}")
        else:
            out.append(f"{theme.where(*parts)}: marked as a placeholder in draft: (now "
                       f"{value!r}); when it is final, take it out of draft.placeholders")
    return out


def draft_warning(theme: Theme) -> str | None:
    """The loud warning every command that makes cards prints for a draft theme, or None.

    One paragraph, for a terminal or a web page: which theme, why it is a draft, what
    is still placeholder, and what to do."""
    if theme.draft is None:
        return None
    held = []
    for key in theme.draft.placeholders:
        value = placeholder_value(theme, key)
        held.append(f"{key} (now {value!r})" if value is not None else key)
    still = f"; marked placeholder: {', '.join(held)}" if held else ""
    return (f"WARNING: DRAFT THEME {theme.path}: {theme.draft.reason}{still}. Do not send "
            "these cards out. When the theme is final, edit it and delete its `draft:` key "
            "(see 'imhcard theme check').")


# --- shipped themes -------------------------------------------------------------


def shipped_themes() -> dict[str, Path]:
    """The themes installed with the package, by name ('2024', '2026'), oldest first."""
    found = {p.stem: p for p in themes_dir().glob("*.yaml")}
    return dict(sorted(found.items()))


def resolve_theme(name_or_path: str | Path | None) -> Path:
    """The theme file a command uses, shared by every command (card, prompts, batch,
    theme check, serve): a shipped year ('2026'), a theme folder (holding theme.yaml,
    as `imhcard theme new` makes), or a theme file. None means the newest shipped year.

    A folder or file that exists wins over a shipped year of the same name, so what
    staff edited is what is used."""
    themes = shipped_themes()
    if name_or_path is None:
        return themes[max(themes)]
    text = str(name_or_path)
    path = Path(text)
    if path.is_dir():
        for candidate in (THEME_FILE, "theme.yml"):
            if (path / candidate).is_file():
                return path / candidate
        raise ThemeError(text, [f"{path}: a folder with no {THEME_FILE} in it; give a theme "
                                f"folder made by 'imhcard theme new', or a theme file"])
    if path.is_file():
        return path
    if text in themes:
        return themes[text]
    if path.suffix.lower() in (".yaml", ".yml"):
        return path  # load_theme says it is missing, with its path
    raise ThemeError(text, [f"no theme '{text}'; shipped themes: {', '.join(themes)}, or give "
                            f"a theme folder (holding {THEME_FILE}) or the path of a .yaml file"])

