"""`imhcard card` and the commands that list what it can make: themes, formats, prompts."""

from __future__ import annotations

import time
from pathlib import Path

import click

from imhcard.cli.options import (
    debug_option,
    formats_option,
    image_type_option,
    lang_option,
    out_option,
    theme_option,
)
from imhcard.core.formats import FORMATS, pick_formats
from imhcard.core.supporter import Supporter
from imhcard.core.theme import load_theme, resolve_theme, shipped_themes
from imhcard.errors import SupporterError
from imhcard.output.cards import make_cards


@click.command()
@click.option("--name", required=True, help="Your name as it should appear on the card.")
@click.option("--pledge", required=True, metavar="ID|TEXT",
              help="A prompt id (see `imhcard prompts`) or your own words.")
@click.option("--org", default="", help="Your organisation or role (optional).")
@click.option("--photo", type=click.Path(path_type=Path), help="A photo of you (optional).")
@click.option("--handle", default="", help="Your social media handle (optional).")
@click.option("--style", type=click.Choice(["text", "photo"]), default=None,
              help="photo: your photo fills the card, the words on a band; text: the pledge "
                   "on the theme's colours, your photo beside it. Default: the theme's choice "
                   "per format (photo when you give one, in 2026).")
@lang_option()
@theme_option
@formats_option()
@out_option("Folder to write the cards into.", default=Path("cards"))
@image_type_option
@debug_option
def card(name: str, pledge: str, org: str, photo: Path | None, handle: str, style: str | None,
         language: str | None, theme_name: str | None, formats: tuple[str, ...],
         out_dir: Path, image_type: str, debug: bool) -> None:
    """Make one supporter's pledge card in every size.

    \b
    Examples:
      imhcard card --name "Aoife Ní Bhriain" --org "Sure Start Newry" --pledge speak-up
      imhcard card --name "Seán" --pledge "read to my baby every night" \\
          --photo me.jpg --format instagram-square --format story --out cards/
      imhcard card --name "Caoimhín" --pledge listen --lang ga
      imhcard card --name "Niamh" --pledge speak-up --photo me.jpg --style text
    """
    theme = load_theme(resolve_theme(theme_name))
    started = time.perf_counter()
    made = make_cards(theme, Supporter(name=name, pledge=pledge, org=org, photo=photo,
                                       handle=handle, language=language, style=style),
                      pick_formats(formats), out_dir, image_type, debug)
    for note in made.notes:
        click.echo(f"note: {note}", err=True)
    for written in made.files:
        click.echo(str(written.image))
    click.echo(str(made.caption))
    click.echo(f"{len(made.files)} card(s) in {time.perf_counter() - started:.2f}s; "
               f"alt text beside each image, post caption in {made.caption.name}", err=True)


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
        click.echo(f"{name}  {w.title}  ({dates})  languages: {', '.join(theme.languages)}")


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
    theme = load_theme(resolve_theme(theme_name))
    if language and language not in theme.languages:
        raise SupporterError("language", f"the language '{language}' has no wording in this "
                             f"theme; choose one of: {', '.join(theme.languages)}")
    words = theme.wording(language)
    for pid, text in words.prompts.items():
        click.echo(f"{pid:<18} {words.pledge_intro} {text}")
