"""The `imhcard` command. Each command parses its flags, calls the library, and
turns the library's errors into one line on stderr; nothing else lives here."""

from __future__ import annotations

import importlib
import sys

import click

from imhcard import __version__
from imhcard.cli import interrupt
from imhcard.cli.card import card, formats, prompts, themes
from imhcard.errors import ImhcardError
from imhcard.output.stops import Stopped

EXIT_BAD_INPUT = 2
# Commands imported only when run (or listed in --help): `imhcard card` starts in a
# fraction of the time without the batch runner, multiprocessing and spreadsheets.
LAZY = {"theme": "imhcard.cli.theme:theme", "batch": "imhcard.cli.batch:batch",
        "sheet": "imhcard.cli.batch:sheet", "serve": "imhcard.cli.serve:serve",
        "mail": "imhcard.cli.mail:mail"}
# click 8.2+ raises this for a bare `imhcard` (8.1 printed the help and exited 0 itself).
_NO_ARGS: tuple[type[Exception], ...] = tuple(
    e for e in (getattr(click.exceptions, "NoArgsIsHelpError", None),) if e is not None)


class CardsGroup(click.Group):
    """Turns any ImhcardError into one line on stderr and exit code 2; loads the
    LAZY commands on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [*super().list_commands(ctx), *LAZY]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in LAZY and cmd_name not in self.commands:
            module, _, attr = LAZY[cmd_name].partition(":")
            self.add_command(getattr(importlib.import_module(module), attr), cmd_name)
        return super().get_command(ctx, cmd_name)

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


for command in (card, themes, formats, prompts):
    cli.add_command(command)


def main() -> None:
    """Console entry point: click's own usage errors, like the library's, are one line."""
    interrupt.install()
    try:
        code = cli.main(prog_name="imhcard", standalone_mode=False)
    except _NO_ARGS as exc:  # `imhcard` or `imhcard theme` alone: the help, as asked
        click.echo(exc.format_message() if isinstance(exc, click.ClickException) else exc)
        sys.exit(0)
    except click.UsageError as exc:
        where = exc.ctx.command_path if exc.ctx else "imhcard"
        click.echo(f"imhcard: {exc.format_message()} (see '{where} --help')", err=True)
        sys.exit(EXIT_BAD_INPUT)
    except click.ClickException as exc:
        click.echo(f"imhcard: {exc.format_message()}", err=True)
        sys.exit(exc.exit_code)
    except (click.Abort, KeyboardInterrupt, Stopped):
        click.echo("imhcard: interrupted; nothing half-written was left behind", err=True)
        sys.exit(interrupt.exit_code())
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":  # pragma: no cover
    main()
