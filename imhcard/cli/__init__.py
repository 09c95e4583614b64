"""The `imhcard` command. Each command parses its flags, calls the library, and
turns the library's errors into one line on stderr; nothing else lives here."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from imhcard import __version__
from imhcard.cli.batch import batch, sheet
from imhcard.cli.serve import serve
from imhcard.core.formats import FORMATS
from imhcard.core.supporter import Supporter
from imhcard.core.theme import load_theme, resolve_theme, shipped_themes
from imhcard.errors import ImhcardError, SupporterError
from imhcard.output.cards import make_cards, pick_formats
from imhcard.output.files import IMAGE_TYPES

EXIT_BAD_INPUT = 2

theme_option = click.option(
    "--theme", "theme_name", metavar="YEAR|FILE",
    help="A shipped theme's year (see `imhcard themes`) or a theme file. "
         "Default: the newest shipped year.")


class CardsGroup(click.Group):
    """Turns any ImhcardError into one line on stderr and exit code 2."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except ImhcardError as exc:
            click.echo(f"imhcard: {exc}", err=True)
            ctx.exit(EXIT_BAD_INPUT)


@click.group(cls=CardsGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="imhcard")
def cli() -> None:
    """Pledge cards for Infant Mental Health Awareness Week, #StrongerFromTheStart.

    \b
    Example:
      imhcard card --name "Aoife Ní Bhriain" --org "Sure Start Newry" --pledge speak-up
    """


@cli.command()
@click.option("--name", required=True, help="Your name as it should appear on the card.")
@click.option("--pledge", required=True, metavar="ID|TEXT",
              help="A prompt id (see `imhcard prompts`) or your own words.")
@click.option("--org", default="", help="Your organisation or role (optional).")
@click.option("--photo", type=click.Path(path_type=Path), help="A photo of you (optional).")
@click.option("--handle", default="", help="Your social media handle (optional).")
@click.option("--lang", "language", metavar="CODE", help="Card language, e.g. en or ga.")
@theme_option
@click.option("--format", "formats", multiple=True, metavar="NAME",
              help="A format from `imhcard formats`, or 'all' (the default). Repeatable.")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("cards"),
              show_default=True, help="Folder to write the cards into.")
@click.option("--image-format", "image_type", type=click.Choice(IMAGE_TYPES), default="png",
              show_default=True, help="Image file type (print-a5 is always PDF).")
@click.option("--debug", is_flag=True, help="Outline every layout box, to tune a layout.")
def card(name: str, pledge: str, org: str, photo: Path | None, handle: str,
         language: str | None, theme_name: str | None, formats: tuple[str, ...],
         out_dir: Path, image_type: str, debug: bool) -> None:
    """Make one supporter's pledge card in every size.

    \b
    Examples:
      imhcard card --name "Aoife Ní Bhriain" --org "Sure Start Newry" --pledge speak-up
      imhcard card --name "Seán" --pledge "read to my baby every night" \\
          --photo me.jpg --format instagram-square --format story --out cards/
      imhcard card --name "Caoimhín" --pledge listen --lang ga
    """
    theme = load_theme(resolve_theme(theme_name))
    started = time.perf_counter()
    made = make_cards(theme, Supporter(name=name, pledge=pledge, org=org, photo=photo,
                                       handle=handle, language=language),
                      pick_formats(formats), out_dir, image_type, debug)
    for written in made.files:
        click.echo(str(written.image))
    click.echo(str(made.caption))
    click.echo(f"{len(made.files)} card(s) in {time.perf_counter() - started:.2f}s; "
               f"alt text beside each image, post caption in {made.caption.name}", err=True)


@cli.command()
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


@cli.command()
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


@cli.command()
@theme_option
@click.option("--lang", "language", metavar="CODE", help="Language of the wording.")
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


@cli.group()
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


# Staff batches live in their own module; they are commands like any other.
cli.add_command(batch)
cli.add_command(sheet)
cli.add_command(serve)


def main() -> None:
    """Console entry point: click's own usage errors, like the library's, are one line."""
    try:
        code = cli.main(prog_name="imhcard", standalone_mode=False)
    except click.UsageError as exc:
        where = exc.ctx.command_path if exc.ctx else "imhcard"
        click.echo(f"imhcard: {exc.format_message()} (see '{where} --help')", err=True)
        sys.exit(EXIT_BAD_INPUT)
    except click.ClickException as exc:
        click.echo(f"imhcard: {exc.format_message()}", err=True)
        sys.exit(exc.exit_code)
    except (click.Abort, KeyboardInterrupt):
        click.echo("imhcard: interrupted; nothing half-written was left behind", err=True)
        sys.exit(130)
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":  # pragma: no cover
    main()
