"""`imhcard batch` and `imhcard sheet`: thin commands over imhcard.batch.runner and
imhcard.batch.sheet. The progress bar lives here; the library only reports rows done."""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

import click

from imhcard.batch.columns import parse_column_flags
from imhcard.batch.row import RowOutcome
from imhcard.batch.runner import BatchOptions, Shard, run_batch
from imhcard.batch.sheet import COLUMNS, PER_PAGE, make_sheets
from imhcard.cli.options import (
    debug_option,
    formats_option,
    image_type_option,
    out_option,
    theme_option,
)
from imhcard.cli.theme import announce, use_theme
from imhcard.core.theme import resolve_theme

EXIT_ROWS_FAILED = 1
EXIT_INTERRUPTED = 130
PLAIN_EVERY_SECONDS = 10.0


def _n(count: int, word: str) -> str:
    """'1 row', '2 rows'."""
    return f"{count} {word}{'' if count == 1 else 's'}"


def _duration(seconds: float) -> str:
    seconds = max(0, round(seconds))
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m {seconds % 60:02d}s"
    return f"{seconds // 3600}h {seconds % 3600 // 60:02d}m"


class Reporter:
    """Progress on stderr: a bar with count and time left on a terminal, a plain line
    every few seconds otherwise (logs, CI), nothing with --quiet. Problems with rows
    are always shown, as they happen."""

    def __init__(self, quiet: bool, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.quiet = quiet
        self.tty = self.stream.isatty()
        self.bar: Any = None
        self.total = self.done = 0
        self.started = self.last = time.monotonic()

    def start(self, total: int, workers: int) -> None:
        self.total = total
        self.started = self.last = time.monotonic()
        if self.quiet:
            return
        if self.tty:
            self.bar = click.progressbar(length=total, label=f"Making cards "
                                         f"({_n(workers, 'worker')})",
                                         file=self.stream, show_eta=True, show_pos=True)
            self.bar.__enter__()
        else:
            self._say(f"{_n(total, 'row')} to do with {_n(workers, 'worker')}")

    def _say(self, line: str) -> None:
        if self.bar is not None:
            # Clear the bar's line; it is drawn again on the next update.
            self.stream.write("\r\x1b[K")
        click.echo(f"imhcard: {line}", file=self.stream)

    def row_done(self, outcome: RowOutcome, problems: Sequence[str]) -> None:
        self.done += 1
        for line in problems:
            self._say(line)
        if self.quiet:
            return
        if self.bar is not None:
            self.bar.update(1)
            return
        now = time.monotonic()
        if now - self.last >= PLAIN_EVERY_SECONDS or self.done == self.total:
            self.last = now
            rate = self.done / max(now - self.started, 1e-9)
            left = (self.total - self.done) / rate if rate else 0
            pct = 100 * self.done // max(self.total, 1)
            self._say(f"{self.done}/{self.total} rows ({pct}%), {rate:.1f} rows/s, "
                      f"about {_duration(left)} left")

    def finish(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


@click.command()
@click.argument("input_file", metavar="INPUT", type=click.Path(path_type=Path))
@theme_option
@formats_option()
@out_option("Folder for the cards and manifest. Default: INPUT's name + '-cards', "
            "in the current folder.")
@image_type_option
@click.option("--column", "columns", multiple=True, metavar="FIELD=HEADER",
              help="Which column holds a field (name, pledge, org, photo, handle, language) "
                   "when its header is not a common one. Repeatable.")
@click.option("--encoding", metavar="NAME",
              help="Text encoding of a CSV, e.g. cp1252 for Excel's plain 'CSV'. "
                   "Default: UTF-8 (with or without a byte-order mark).")
@click.option("--delimiter", metavar="CHAR",
              help="CSV cell separator. Default: guessed from the header (comma, semicolon, "
                   "tab or |).")
@click.option("--worksheet", metavar="NAME", help="The sheet of an .xlsx file. Default: the first.")
@click.option("--workers", type=click.IntRange(min=1), metavar="N",
              help="Worker processes. Default: one per CPU.")
@click.option("--shard", metavar="I/N",
              help="Make only the I-th of N shares of the rows (by row number), to split a "
                   "big batch across machines or jobs; every row is in exactly one share.")
@click.option("--zip", "make_zip", is_flag=True,
              help="Also pack the cards, alt texts, captions and manifest into cards.zip.")
@click.option("--quiet", "-q", is_flag=True, help="No progress or summary; problems only.")
@debug_option
def batch(input_file: Path, theme_name: str | None, formats: tuple[str, ...],
          out_dir: Path | None, image_type: str, columns: tuple[str, ...], encoding: str | None,
          delimiter: str | None, worksheet: str | None, workers: int | None, shard: str | None,
          make_zip: bool, quiet: bool, debug: bool) -> None:
    """Make every supporter's cards from a form export (CSV, XLSX, JSON or YAML).

    Columns are matched by their headers (Name, Your name, Pledge, Organisation,
    Photo, Language, Instagram ...); photo cells are file paths relative to INPUT.
    Writes manifest.csv and manifest.json beside the cards. Run the same command
    again after a crash or Ctrl-C: cards already made are kept, the rest are made.
    Exit code 0 when every row made its cards, 1 when some rows failed (see the
    manifest), 2 when the input file or the flags are wrong.

    \b
    Examples:
      imhcard batch signups.csv --theme 2026 --format instagram-square --format story \\
          --out week-2026/
      imhcard batch responses.xlsx --column name="What is your name?" \\
          --column pledge="Your pledge"
      imhcard batch signups.csv --out week-2026/ --shard 1/4    # one of four machines
    """
    options = BatchOptions(
        input=input_file, out_dir=out_dir or Path(f"{input_file.stem}-cards"),
        theme_path=resolve_theme(theme_name), formats=formats, image_type=image_type,
        columns=parse_column_flags(columns), encoding=encoding, delimiter=delimiter,
        sheet=worksheet, workers=workers, shard=Shard.parse(shard) if shard else None,
        zip=make_zip, debug=debug)
    reporter = Reporter(quiet)
    try:
        summary = run_batch(options, reporter)
    except KeyboardInterrupt:
        reporter.finish()
        click.echo("imhcard: interrupted; the cards made so far are kept. Run the same "
                   "command again to make the rest.", err=True)
        sys.exit(EXIT_INTERRUPTED)
    finally:
        reporter.finish()
    if not quiet:
        blank = (f"; {_n(summary.blank_rows, 'blank row')} ignored" if summary.blank_rows
                 else "")
        failed = (f", {summary.failed} failed in {_n(summary.failed_rows, 'row')}"
                  if summary.failed else ", 0 failed")
        click.echo(f"imhcard: {_n(summary.rows, 'row')}: {_n(summary.made, 'card')} made, "
                   f"{summary.skipped} already made{failed}{blank} "
                   f"({_duration(summary.seconds)}, {_n(summary.workers, 'worker')})", err=True)
        if summary.failed_rows:
            click.echo(f"imhcard: the failed rows and why are in {summary.manifests[0]}; fix "
                       "them and run the same command again", err=True)
    announce(use_theme(options.theme_path), quiet=quiet)  # which theme; a draft's warning
    for path in summary.manifests:
        click.echo(str(path))
    if summary.zip is not None:
        click.echo(str(summary.zip))
    if summary.failed_rows:
        sys.exit(EXIT_ROWS_FAILED)


@click.command()
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False))
@out_option("Where to write the sheets. Default: FOLDER/sheets.")
@click.option("--per-page", type=click.IntRange(min=1), default=PER_PAGE, show_default=True,
              help="Cards on each page.")
@click.option("--columns", type=click.IntRange(min=1), default=COLUMNS, show_default=True,
              help="Thumbnails across a page.")
@formats_option("Only this format's cards. Repeatable. Default: every format in the batch.")
def sheet(folder: Path, out_dir: Path | None, per_page: int, columns: int,
          formats: tuple[str, ...]) -> None:
    """Make contact sheets of a batch: every card as a thumbnail, with its row number
    and name under it, to look over before anything is posted.

    \b
    Example:
      imhcard sheet week-2026/
      imhcard sheet week-2026/ --format story --per-page 24
    """
    made = make_sheets(folder, out_dir, per_page, columns, formats)
    for path in made.pages:
        click.echo(str(path))
    for name in made.left_off:
        click.echo(f"imhcard: {name} cards are PDFs and are not on the sheets; open them "
                   "to check", err=True)
    click.echo(f"imhcard: {made.cards} cards on {len(made.pages)} page(s)", err=True)
