"""`imhcard card` and the commands that list what it can make: themes, formats, prompts."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import click

from imhcard.cli.options import (
    debug_option,
    formats_option,
    image_type_option,
    lang_option,
    out_option,
    supporter_options,
    theme_option,
)
from imhcard.cli.theme import announce, use_theme
from imhcard.core.fields import BY_NAME, OWN
from imhcard.core.formats import FORMATS, pick_formats
from imhcard.core.supporter import Supporter
from imhcard.core.theme import load_theme, shipped_themes
from imhcard.errors import SupporterError
from imhcard.output.cards import make_blank_cards, make_cards


@click.command()
@supporter_options
@click.option("--blank", is_flag=True,
              help="A card to fill in by hand: empty lines for the pledge (and, on print-a5, "
                   "the name), written as blank-<format>. No --name or --pledge.")
@theme_option
@formats_option()
@out_option("Folder to write the cards into.", default=Path("cards"))
@image_type_option
@click.option("--force", is_flag=True,
              help="Overwrite an earlier, different card of the same name. Without it the "
                   "new card gets the next free name (aoife-2-story.png).")
@debug_option
def card(supporter_values: dict[str, Any], blank: bool, theme_name: str | None,
         formats: tuple[str, ...], out_dir: Path, image_type: str, force: bool,
         debug: bool) -> None:
    """Make one supporter's pledge card in every size.

    Says on stderr which theme file it used, and warns on every run when the theme is
    still a draft. An earlier card is never overwritten by a different one.

    \b
    Examples:
      imhcard card --name "Aoife Ní Bhriain" --org "Sure Start Newry" --pledge speak-up
      imhcard card --name "Seán" --pledge "read to my baby every night" \\
          --photo me.jpg --format instagram-square --format story --out cards/
      imhcard card --name "Caoimhín" --pledge listen --lang ga
      imhcard card --name "Niamh" --pledge speak-up --photo me.jpg --style text
      imhcard card --blank --format print-a5
    """
    given = {BY_NAME[k].option: v for k, v in supporter_values.items() if v}
    language = supporter_values.get("language")
    if blank:
        extra = [f"--{flag}" for flag in given if flag not in ("lang", "style")]
        if extra:
            raise click.UsageError(f"--blank makes a card to fill in by hand; leave out "
                                   f"{', '.join(extra)}")
    else:
        missing = [f"--{f.option}" for f in OWN if f.required and f.name not in supporter_values]
        if missing:
            raise click.UsageError(f"Missing option '{missing[0]}'.")
    theme = use_theme(theme_name)
    started = time.perf_counter()
    if blank:
        made = make_blank_cards(theme, pick_formats(formats), out_dir, image_type, language,
                                force, debug)
    else:
        made = make_cards(theme, Supporter(**supporter_values), pick_formats(formats),
                          out_dir, image_type, debug, force=force)
    for note in made.notes:
        click.echo(f"note: {note}", err=True)
    if image_type == "png" and made.photo_cards:
        click.echo("note: a photo card is about a tenth of the size as JPEG, which looks the "
                   "same: add --image-format jpeg", err=True)
    for written in made.files:
        click.echo(str(written.image))
    click.echo(str(made.caption))
    if made.renamed:
        click.echo(f"imhcard: {out_dir} already holds a different card named "
                   f"{made.wanted_stem}-...; these are {made.stem}-... (--force to overwrite)",
                   err=True)
    click.echo(f"{len(made.files)} card(s) in {time.perf_counter() - started:.2f}s; "
               f"alt text beside each image, post caption in {made.caption.name}", err=True)
    announce(theme)


@click.command()
def themes() -> None:
    """List the yearly themes that come with imhcard.

    \b
    Example:
      imhcard themes
    """
    for name, path in shipped_themes().items():
        theme = load_theme(path)
        w = theme.wording()
        dates = theme.dates_text().replace("\u00a0", " ")
        draft = f"  DRAFT: {theme.draft.reason}" if theme.draft else ""
        click.echo(f"{name}  {w.title}  ({dates})  languages: {', '.join(theme.languages)}"
                   f"{draft}")


@click.command()
def formats() -> None:
    """List the card sizes imhcard makes.

    \b
    Example:
      imhcard formats
    """
    for fmt in FORMATS.values():
        kind = "PDF" if fmt.is_print else "image"
        safe = (f"; keep clear: top {fmt.safe_top} px, bottom {fmt.safe_bottom} px"
                if fmt.safe_top or fmt.safe_bottom else "")
        click.echo(f"{fmt.name:<20} {fmt.width}×{fmt.height} {kind:<5}  {fmt.description}{safe}")


@click.command()
@theme_option
@lang_option("Language of the wording.")
def prompts(theme_name: str | None, language: str | None) -> None:
    """List the pledge prompts a supporter can pick by id.

    \b
    Example:
      imhcard prompts --lang ga
    """
    theme = use_theme(theme_name)
    code = theme.language_code(language) if language else theme.default_language
    if code is None:
        raise SupporterError("language", f"the language '{language}' has no wording in this "
                             f"theme; choose one of: {', '.join(theme.languages)}")
    words = theme.wording(code)
    for pid, text in words.prompts.items():
        click.echo(f"{pid:<18} {words.pledge_intro} {text}")
    announce(theme, warn=False)
