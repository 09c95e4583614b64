"""`imhcard theme check` and `imhcard theme new`; `announce`, which every command that
uses a theme calls so its output says which theme file it used and warns of a draft."""

from __future__ import annotations

from pathlib import Path

import click

from imhcard.core.theme import Theme, draft_report, draft_warning, load_theme, resolve_theme
from imhcard.errors import ThemeError

EXIT_DRAFT = 1


def announce(theme: Theme, warn: bool = True, quiet: bool = False) -> None:
    """On stderr: the theme file in use (not when `quiet`) and, for a draft theme, the
    loud warning (always, when `warn`)."""
    if not quiet:
        click.echo(f"imhcard: theme {theme.path}", err=True)
    warning = draft_warning(theme)
    if warning and warn:
        click.secho(f"imhcard: {warning}", err=True, fg="red", bold=True)


def use_theme(name_or_path: str | Path | None) -> Theme:
    """Resolve and load the theme a command was given. Commands `announce` it once their
    work is done, so a mistake is still one line and the warning is the last thing seen."""
    return load_theme(resolve_theme(name_or_path))


@click.group()
def theme() -> None:
    """Make an editable copy of a theme, and check a theme before the cards go out.

    \b
    Examples:
      imhcard theme new week-2027/ --from 2026
      imhcard theme check week-2027/ --samples samples/
    """


@theme.command("check")
@click.argument("path", metavar="FOLDER|FILE|YEAR")
@click.option("--samples", type=click.Path(path_type=Path),
              help="Also render a sample card per format and language into this folder.")
@click.option("--final", is_flag=True,
              help="Exit 1 if the theme is still a draft (for a last check before launch).")
def theme_check(path: str, samples: Path | None, final: bool) -> None:
    """Check a theme for everything that would fail on the day, and with --samples
    make a sample card of every format in every language.

    Reports every problem, one line each with the theme file's line number: keys and
    values, colour contrast, every prompt fitting every format at the smallest text
    size in every language, the campaign link fitting the QR code, wording missing
    from a language, and what is still a draft placeholder.

    \b
    Examples:
      imhcard theme check week-2027/ --samples samples/
      imhcard theme check themes/2026.yaml --final
    """
    from imhcard.output.samples import render_samples
    from imhcard.render.preflight import preflight

    loaded = use_theme(path)
    problems = preflight(loaded)
    if problems:
        raise ThemeError(str(loaded.path), problems)
    announce(loaded, warn=False)  # the draft's details are listed below
    click.echo(f"{loaded.path}: valid ({len(loaded.languages)} languages, "
               f"{len(loaded.wording().prompts)} pledge prompts)")
    for line in draft_report(loaded):
        click.echo(f"imhcard: {line}", err=True)
    if samples:
        for written in render_samples(loaded, samples):
            click.echo(str(written))
    if final and loaded.draft is not None:
        click.echo("imhcard: not final: the theme is still a draft", err=True)
        raise SystemExit(EXIT_DRAFT)


@theme.command("new")
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False))
@click.option("--from", "source", metavar="YEAR|FOLDER|FILE",
              help="The theme to copy: a shipped year (see `imhcard themes`), a theme "
                   "folder or a theme file. Default: the newest shipped year.")
def theme_new(folder: Path, source: str | None) -> None:
    """Make an editable copy of a theme in a new FOLDER: theme.yaml with the artwork,
    logo and fonts it uses beside it. Edit FOLDER/theme.yaml, then give --theme FOLDER
    to every command (card, prompts, batch, theme check).

    \b
    Example:
      imhcard theme new week-2027/ --from 2026
      imhcard theme check week-2027/ --samples samples/
      imhcard card --theme week-2027/ --name "Seán" --pledge listen
    """
    from imhcard.output.theme_copy import copy_theme

    origin = resolve_theme(source)
    made = copy_theme(origin, folder)
    click.echo(str(made.theme))
    files = ", ".join(str(p.relative_to(folder)) for p in made.files) or "no files"
    click.echo(f"imhcard: copied {origin} to {made.theme} with {files}; edit it, then "
               f"check it: imhcard theme check {folder}/ --samples samples/", err=True)
