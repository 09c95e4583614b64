"""Options shared by several commands, declared once so their names, choices and
help texts cannot drift apart (as sqlite-utils does)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from imhcard.core.fields import OWN
from imhcard.core.layout import STYLES
from imhcard.render.encode import IMAGE_TYPES

F = TypeVar("F", bound=Callable[..., Any])


def theme_option(fn: F) -> F:
    """--theme YEAR|FILE, passed on as `theme_name`."""
    return click.option(
        "--theme", "theme_name", metavar="YEAR|FOLDER|FILE",
        help="A shipped theme's year (see `imhcard themes`), a theme folder (made by "
             "`imhcard theme new`) or a theme file. Default: the newest shipped year.")(fn)


def _lower(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    """Format names and language codes are lower-case; accept 'Story', 'GA', ' en '."""
    if value is None:
        return None
    if isinstance(value, tuple):
        return tuple(v.strip().lower() for v in value)
    return str(value).strip().lower()


def formats_option(help: str = "A format from `imhcard formats`, or 'all' (the default). "
                               "Repeatable.") -> Callable[[F], F]:
    """--format NAME (repeatable, any case), passed on as `formats`."""
    return click.option("--format", "formats", multiple=True, metavar="NAME", help=help,
                        callback=_lower)


def lang_option(help: str = "Card language, e.g. en or ga.") -> Callable[[F], F]:
    """--lang CODE (any case), passed on as `language`."""
    return click.option("--lang", "language", metavar="CODE", help=help, callback=_lower)


def image_type_option(fn: F) -> F:
    """--image-format png|jpeg|webp, passed on as `image_type`."""
    return click.option(
        "--image-format", "image_type", type=click.Choice(IMAGE_TYPES, case_sensitive=False),
        default="png",
        show_default=True, help="Image file type (print-a5 is always PDF).")(fn)


def out_option(help: str, default: Path | None = None) -> Callable[[F], F]:
    """--out FOLDER, passed on as `out_dir`."""
    return click.option("--out", "out_dir", type=click.Path(path_type=Path), metavar="FOLDER",
                        default=default, show_default=default is not None, help=help)


def debug_option(fn: F) -> F:
    """--debug: outline every layout box."""
    return click.option("--debug", is_flag=True,
                        help="Outline every layout box, to tune a layout.")(fn)


def supporter_options(fn: F) -> F:
    """One option per field a supporter gives (core/fields.py), passed on together as
    `supporter_values`, a dict by field name holding only the options given."""

    @functools.wraps(fn)
    def inner(**kwargs: Any) -> Any:
        values = {f.name: kwargs.pop(f"field_{f.name}") for f in OWN}
        return fn(supporter_values={k: v for k, v in values.items() if v is not None},
                  **kwargs)

    decorated: Callable[..., Any] = inner
    for f in reversed(OWN):
        flag = f"--{f.option}"
        if f.kind == "photo":
            option = click.option(flag, f"field_{f.name}", type=click.Path(path_type=Path),
                                  help=f.help)
        elif f.kind == "choice":
            option = click.option(flag, f"field_{f.name}", type=click.Choice(STYLES),
                                  help=f.help)
        elif f.kind == "language":
            option = click.option(flag, f"field_{f.name}", metavar="CODE", help=f.help,
                                  callback=_lower)
        else:
            option = click.option(flag, f"field_{f.name}", help=f.help,
                                  metavar="ID|TEXT" if f.name == "pledge" else None)
        decorated = option(decorated)
    return decorated  # type: ignore[return-value]
