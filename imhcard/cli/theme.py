"""`imhcard theme check`: a theme file's problems, all at once, and sample cards."""

from __future__ import annotations

from pathlib import Path

import click

from imhcard.core.theme import load_theme, resolve_theme


@click.group()
def theme() -> None:
    """Work with theme files.

    \b
    Example:
      imhcard theme check themes/2026.yaml --samples samples/
    """


@theme.command("check")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--samples", type=click.Path(path_type=Path),
              help="Also render a sample card per format and language into this folder.")
def theme_check(path: Path, samples: Path | None) -> None:
    """Check a theme file and, with --samples, make a sample card of every format.

    \b
    Example:
      imhcard theme check themes/2026.yaml --samples samples/
    """
    from imhcard.output.samples import check_layouts, render_samples

    loaded = load_theme(resolve_theme(str(path)))
    check_layouts(loaded)
    click.echo(f"{path}: valid ({len(loaded.languages)} languages, "
               f"{len(loaded.wording().prompts)} pledge prompts)")
    if samples:
        for written in render_samples(loaded, samples):
            click.echo(str(written))
