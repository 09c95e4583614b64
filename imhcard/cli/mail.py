"""`imhcard mail`: a thin command over imhcard.batch.mail."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from imhcard.batch.mail import (
    PASSWORD_ENV,
    USER_ENV,
    MailError,
    parse_sender,
    send_all,
    write_letters,
)
from imhcard.batch.manifest import made_with_draft
from imhcard.batch.problems import summary_lines
from imhcard.cli.options import formats_option, theme_option
from imhcard.cli.theme import announce
from imhcard.core.theme import load_theme, resolve_theme

EXIT_SOME_NOT_SENT = 1


def _theme_of(folder: Path, theme_name: str | None) -> Path:
    """--theme if given, else the theme the batch was made with (its manifest says)."""
    if theme_name:
        return resolve_theme(theme_name)
    for manifest in sorted(folder.glob("manifest*.json")):
        try:
            recorded = json.loads(manifest.read_text(encoding="utf-8")).get("theme")
        except (OSError, ValueError):
            continue
        if isinstance(recorded, str) and Path(recorded).is_file():
            return Path(recorded)
    return resolve_theme(None)


@click.command()
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False))
@click.option("--from", "sender", required=True, metavar="ADDRESS",
              help='Who the messages are from, like "Stronger from the Start '
                   '<cards@example.org>".')
@click.option("--subject", help="The subject line for every message. Default: the theme's "
                                "mail_subject, in the language of each supporter's card.")
@formats_option("Attach only this format's card. Repeatable. Default: every format made.")
@theme_option
@click.option("--smtp", "server", metavar="HOST:PORT",
              help=f"Also send them through this SMTP server (STARTTLS when offered; login "
                   f"from {USER_ENV} and {PASSWORD_ENV}). Resumable: a sent log in "
                   "FOLDER/mail/ means nobody gets their card twice.")
@click.option("--dry-run", is_flag=True,
              help="Say what would be written and sent; write and send nothing.")
@click.option("--draft-ok", is_flag=True,
              help="Send cards made with a draft theme (a test run to your own "
                   "addresses). Without it, --smtp refuses cards the manifest records as "
                   "made with a draft theme, whatever --theme says.")
def mail(folder: Path, sender: str, subject: str | None, formats: tuple[str, ...],
         theme_name: str | None, server: str | None, dry_run: bool, draft_ok: bool) -> None:
    """Write one ready-to-send e-mail (.eml) per supporter of a batch, with their cards
    attached and the suggested caption and alt text in the body; with --smtp, send them.

    The address is the one the supporter gave on the form (an Email or "Email
    Address" column). Supporters with no address, or no card, are listed. Cards made
    with a draft theme (as the batch's manifest records it, whatever --theme says) are
    not sent unless --draft-ok. Exit code 0 when every message was written (and with --smtp, sent);
    1 when some could not be (a wrong address, cards too big, refused by the server).

    \b
    Examples:
      imhcard mail week-2026/ --from "Stronger from the Start <cards@example.org>"
      IMHCARD_SMTP_USER=cards@example.org IMHCARD_SMTP_PASSWORD=... \\
          imhcard mail week-2026/ --from cards@example.org --smtp smtp.office365.com:587
    """
    theme = load_theme(_theme_of(folder, theme_name))
    # Judged by the cards' own record, whatever --theme says: the manifest notes the
    # theme the cards were made with, and whether it was a draft.
    parse_sender(sender)  # a wrong --from is said before anything else
    draft = made_with_draft(folder)
    if draft and server is not None and not dry_run and not draft_ok:
        raise MailError(f"the cards in {folder} were made with a draft theme ({draft}); "
                        "imhcard will not send them to supporters. Make them again with the "
                        "final theme, or add --draft-ok for a test run to your own addresses")
    letters, skipped = write_letters(folder, theme, sender, subject, formats, dry_run)
    for letter in letters:
        click.echo(str(letter.path))
    # One line per reason, with its rows: a form with no Email column is one line.
    reasons: dict[str, list[int]] = {}
    for s in skipped:
        why = "not an e-mail address" if s.why.endswith("is not an e-mail address") else s.why
        reasons.setdefault(why, []).append(s.row)
    for line in summary_lines(reasons.items()):
        click.echo(f"imhcard: no message: {line}", err=True)
    verb = "would be written" if dry_run else "written"
    cards = sum(x.cards for x in letters)
    people = len(letters) + len(skipped)
    click.echo(f"imhcard: {_n(people, 'supporter')}: {_n(len(letters), 'message')} {verb} "
               f"({_n(cards, 'card')} attached) in {folder / 'mail'}"
               + (f"; {len(skipped)} without one" if skipped else ""), err=True)
    announce(theme, quiet=True)  # a draft theme's warning, last thing before any sending
    if draft and not draft_ok:
        click.echo(f"imhcard: WARNING: these cards were made with a DRAFT THEME ({draft}); "
                   "do not send them to supporters", err=True)
    # Supporters with no address or no card are listed, not failures; a message that
    # could not be written (a wrong address, cards too big) or sent is.
    unwritable = [s for s in skipped if s.fixable]
    if server is None:
        sys.exit(EXIT_SOME_NOT_SENT if unwritable else 0)
    result = send_all(letters, folder, server, sender, dry_run)
    if dry_run:
        todo = len(letters) - len(result.already)
        click.echo(f"imhcard: {_n(todo, 'message')} would be sent through {server}; "
                   f"{len(result.already)} were sent before", err=True)
        return
    for letter, why in result.refused:
        click.echo(f"imhcard: row {letter.row} ({letter.to}): not sent: {why}", err=True)
    click.echo(f"imhcard: {_n(len(result.sent), 'message')} sent, {len(result.already)} sent "
               f"before, {len(result.refused)} refused by the server", err=True)
    sys.exit(EXIT_SOME_NOT_SENT if unwritable or result.refused else 0)


def _n(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"
