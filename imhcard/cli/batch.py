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
from imhcard.batch.options import BatchOptions, Shard
from imhcard.batch.outcome import RowOutcome
from imhcard.batch.problems import summary_lines
from imhcard.batch.runner import run_batch
from imhcard.batch.sheet import COLUMNS, PER_PAGE, make_sheets
from imhcard.batch.summary import BatchSummary
from imhcard.cli import interrupt
from imhcard.cli.options import (
    debug_option,
    formats_option,
    image_type_option,
    out_option,
    theme_option,
)
from imhcard.cli.theme import announce, use_theme
from imhcard.core.fields import FIELDS
from imhcard.core.theme import resolve_theme
from imhcard.output.stops import Stopped

EXIT_ROWS_FAILED = 1
PLAIN_EVERY_SECONDS = 10.0
# Problems are shown as they happen for the first few rows; the rest are counted in
# the summary by kind, so sixty rows with the same problem are one line.
LIVE_PROBLEM_ROWS = 10


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


# A time left is only said once it means something: after this long and this share.
ETA_AFTER_SECONDS = 5.0
ETA_AFTER_SHARE = 0.05


def time_left(done: int, total: int, elapsed: float) -> str:
    """'about 2m 10s left', or '' while too little is done to tell."""
    if done <= 0 or done >= total or elapsed < ETA_AFTER_SECONDS \
            or done < max(2, total * ETA_AFTER_SHARE):
        return ""
    return f"about {_duration((total - done) * elapsed / done)} left"


class Reporter:
    """Progress on stderr: a bar with count and time left on a terminal, a plain line
    every few seconds otherwise (logs, CI), nothing with --quiet. Problems with rows
    are always shown, as they happen. It counts rows (supporters); each row makes
    a card in every format."""

    def __init__(self, quiet: bool, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.quiet = quiet
        self.tty = self.stream.isatty()
        self.bar: Any = None
        self.total = self.done = 0
        self.problem_rows = 0
        self.started = self.last = time.monotonic()

    def start(self, total: int, workers: int) -> None:
        self.total = total
        self.started = self.last = time.monotonic()
        if self.quiet:
            return
        if self.tty:
            self.bar = click.progressbar(
                length=total, label=f"Making cards: rows ({_n(workers, 'worker')})",
                file=self.stream, show_eta=False, show_pos=True,
                item_show_func=lambda left: left or None)
            self.bar.__enter__()
        else:
            self._say(f"{_n(total, 'row')} to do with {_n(workers, 'worker')}")

    def note(self, line: str) -> None:
        """A step before the cards, like fetching photos (not with --quiet)."""
        if not self.quiet:
            self._say(line)

    def _say(self, line: str) -> None:
        if self.bar is not None:
            # Clear the bar's line; it is drawn again on the next update.
            self.stream.write("\r\x1b[K")
        click.echo(f"imhcard: {line}", file=self.stream)

    def row_done(self, outcome: RowOutcome, problems: Sequence[str]) -> None:
        self.done += 1
        if problems:
            self.problem_rows += 1
            if self.problem_rows <= LIVE_PROBLEM_ROWS:
                for line in problems:
                    self._say(line)
            elif self.problem_rows == LIVE_PROBLEM_ROWS + 1:
                self._say("more rows have problems; they are summarised at the end")
        if self.quiet:
            return
        now = time.monotonic()
        left = time_left(self.done, self.total, now - self.started)
        if self.bar is not None:
            self.bar.update(1, left)
            return
        if now - self.last >= PLAIN_EVERY_SECONDS or self.done == self.total:
            self.last = now
            rate = self.done / max(now - self.started, 1e-9)
            pct = 100 * self.done // max(self.total, 1)
            self._say(f"{self.done}/{self.total} rows ({pct}%), {rate:.1f} rows/s"
                      + (f", {left}" if left else ""))

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
              help=f"Which column holds a field ({', '.join(f.name for f in FIELDS)}) when its "
                   "header is not a common one. Repeatable.")
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
              help="Also pack the cards, alt texts, captions and manifest into cards.zip "
                   "(with --by-supporter, also one zip per supporter).")
@click.option("--check", is_flag=True,
              help="Find every problem (fields, fit, fonts, photos readable or reachable) "
                   "and write nothing; exit 1 if any row would fail.")
@click.option("--photos", "photos_dir", type=click.Path(path_type=Path, file_okay=False),
              metavar="DIR",
              help="A folder of the form's photos, downloaded: photo cells (file names or "
                   "Drive/OneDrive links) are matched to its files by file name, Drive file "
                   "id or the supporter's name in the file name.")
@click.option("--strict", is_flag=True,
              help="A photo that cannot be had fails the row. Default: the card is made "
                   "without it and the row is reported.")
@click.option("--dedupe", type=click.Choice(["latest"]),
              help="Of duplicate submissions (same name and e-mail, or same name and "
                   "pledge), make only the newest (by the timestamp column, else the last "
                   "row). Default: make all and flag them.")
@click.option("--prune", is_flag=True,
              help="Remove the cards earlier runs made for rows no longer in the input, "
                   "listing them.")
@click.option("--by-supporter", is_flag=True,
              help="Put each supporter's cards, alt texts and caption in a folder of their "
                   "own.")
@click.option("--report", "report_path", type=click.Path(path_type=Path, dir_okay=False),
              metavar="FILE",
              help="Where to write the HTML report. Default: report.html in the output "
                   "folder (none with --check unless given).")
@click.option("--quiet", "-q", is_flag=True, help="No progress or summary; problems only.")
@debug_option
def batch(input_file: Path, theme_name: str | None, formats: tuple[str, ...],
          out_dir: Path | None, image_type: str, columns: tuple[str, ...], encoding: str | None,
          delimiter: str | None, worksheet: str | None, workers: int | None, shard: str | None,
          make_zip: bool, check: bool, photos_dir: Path | None, strict: bool,
          dedupe: str | None, prune: bool, by_supporter: bool, report_path: Path | None,
          quiet: bool, debug: bool) -> None:
    """Make every supporter's cards from a form export (CSV, XLSX, JSON or YAML).

    Columns are matched by their headers (Name, Your name, Pledge, Organisation,
    Photo, Language, Instagram, Email, Timestamp ...). Photo cells are file names
    relative to INPUT, or web links (Google Forms' Drive links, Microsoft Forms'
    OneDrive links), which are matched in --photos DIR or downloaded over https. A
    row whose photo cannot be had gets its card without the photo, and is reported.
    Writes manifest.csv, manifest.json and report.html beside the cards. Run the
    same command again after a crash or Ctrl-C: cards already made are kept, the
    rest are made. Exit code 0 when every row made its cards, 1 when some rows
    failed (see report.html), 2 when the input file or the flags are wrong.

    \b
    Examples:
      imhcard batch responses.csv --theme 2026 --check      # every problem, nothing written
      imhcard batch responses.csv --out week-2026/ --photos form-photos/
      imhcard batch responses.csv --out week-2026/ --prune  # after rows were deleted
      imhcard batch responses.xlsx --column name="What is your name?" \\
          --column pledge="Your pledge"
      imhcard batch signups.csv --out week-2026/ --shard 1/4    # one of four machines
    """
    options = BatchOptions(
        input=input_file, out_dir=out_dir or Path(f"{input_file.stem}-cards"),
        theme_path=resolve_theme(theme_name), formats=formats, image_type=image_type,
        columns=parse_column_flags(columns), encoding=encoding, delimiter=delimiter,
        sheet=worksheet, workers=workers, shard=Shard.parse(shard) if shard else None,
        zip=make_zip, debug=debug, check=check, strict=strict, photos_dir=photos_dir,
        dedupe=dedupe, prune=prune, by_supporter=by_supporter, report=report_path)
    reporter = Reporter(quiet)
    try:
        summary = run_batch(options, reporter)
    except (KeyboardInterrupt, Stopped):
        reporter.finish()
        click.echo("imhcard: interrupted; the cards made so far are kept. Run the same "
                   "command again to make the rest.", err=True)
        sys.exit(interrupt.exit_code())
    finally:
        reporter.finish()
    if not quiet:
        _say_summary(summary)
    announce(use_theme(options.theme_path), quiet=quiet)  # which theme; a draft's warning
    for path in summary.manifests:
        click.echo(str(path))
    if summary.report is not None:
        click.echo(str(summary.report))
    if summary.zip is not None:
        click.echo(str(summary.zip))
    if summary.failed_rows:
        sys.exit(EXIT_ROWS_FAILED)


def rows_line(summary: BatchSummary) -> str:
    """The run in one line: rows (supporters) by what became of them, then cards."""
    rows = summary.row_status
    took = f"({_duration(summary.seconds)}, {_n(summary.workers, 'worker')})"
    parts = []
    for status, words in (("made without photo", "without photo"),
                          ("partly made", "partly made"), ("duplicate", "older duplicates "
                          "left out"), ("no consent", "not made: no consent")):
        if rows.get(status):
            parts.append(f"{rows[status]} {words}")
    blank = f", {_n(summary.blank_rows, 'blank row')} ignored" if summary.blank_rows else ""
    if summary.check:
        ok = summary.rows - summary.failed_rows - rows.get("no consent", 0) \
            - rows.get("duplicate", 0)
        extra = "".join(f", {p}" for p in parts if "partly" not in p)
        return (f"checked {_n(summary.rows, 'row')}: {ok} would make their cards{extra}, "
                f"{summary.failed_rows} would fail{blank}; nothing was written {took}")
    made_rows = sum(rows.get(k, 0) for k in ("made", "made without photo"))
    failed = rows.get("failed", 0)
    extra = "".join(f", {p}" for p in parts)
    cards = summary.made + summary.skipped + summary.failed
    return (f"{_n(summary.rows, 'row')} (supporters): {made_rows} made{extra}, {failed} not "
            f"made{blank}; {_n(cards, 'card')}: {summary.made} made now, {summary.skipped} "
            f"already made, {summary.failed} not made {took}")


def _say_summary(summary: BatchSummary) -> None:
    """The counts, then every kind of problem once with the rows it affects."""
    def say(line: str) -> None:
        click.echo(f"imhcard: {line}", err=True)

    if summary.check:
        for line in summary.columns:
            say(line)
    else:
        for line in summary.column_notes:
            say(line)
    say(rows_line(summary))
    groups = summary.tally.groups()
    if groups:
        say(f"problems, by kind ({_n(len(summary.tally.rows), 'row')} affected):")
        for line in summary_lines(groups):
            say(f"  {line}")
    if summary.unused_photos:
        say(f"{_n(len(summary.unused_photos), 'photo')} in {summary.photos_dir} no row used:")
        for line in summary.unused_photos[:LIVE_PROBLEM_ROWS * 2]:
            say(f"  {line}")
        if len(summary.unused_photos) > LIVE_PROBLEM_ROWS * 2:
            say(f"  and {len(summary.unused_photos) - LIVE_PROBLEM_ROWS * 2} more (see the "
                "report)")
    if groups or summary.unused_photos:
        if summary.report is not None:
            say(f"every row and problem is in {summary.report}")
        elif summary.check:
            say("--report FILE writes them all to an HTML page")
    by_row: dict[int, list[str]] = {}
    for row, name in summary.pruned:
        by_row.setdefault(row, []).append(name)
    for row, names in by_row.items():
        why = ("no longer made" if row in summary.rows_seen
               else "the row is no longer in the input")
        say(f"removed row {row}'s files ({why}): {', '.join(names)}")
    if summary.stale:
        say(f"{_n(summary.stale, 'file')} of rows no longer in the input (or no longer "
            "made) are still in the folder; they are in no manifest or zip. --prune "
            "removes them")
    if summary.failed_rows and not summary.check:
        say("fix the failed rows and run the same command again")


@click.command()
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False))
@out_option("Where to write the sheets. Default: FOLDER/sheets.")
@click.option("--per-page", type=click.IntRange(min=1), default=PER_PAGE, show_default=True,
              help="Cards on each page.")
@click.option("--columns", type=click.IntRange(min=1), default=COLUMNS, show_default=True,
              help="Thumbnails across a page.")
@formats_option("Only this format's cards. Repeatable. Default: every format in the batch.")
@click.option("--pdf", is_flag=True,
              help="One PDF (FOLDER/sheets/sheets.pdf) of every card, print PDFs included, "
                   "to review on screen or print.")
def sheet(folder: Path, out_dir: Path | None, per_page: int, columns: int,
          formats: tuple[str, ...], pdf: bool) -> None:
    """Make contact sheets of a batch: every card as a thumbnail, with its row number,
    name and status under it, to look over before anything is posted.

    \b
    Example:
      imhcard sheet week-2026/
      imhcard sheet week-2026/ --pdf                # one PDF to review or print
      imhcard sheet week-2026/ --format story --per-page 24
    """
    made = make_sheets(folder, out_dir, per_page, columns, formats, pdf=pdf)
    for path in made.pages:
        click.echo(str(path))
    if made.pdf is not None:
        click.echo(str(made.pdf))
    for name in made.left_off:
        click.echo(f"imhcard: {name} cards are PDFs and are not on the sheets; open them "
                   "to check, or use --pdf", err=True)
    pages = f"{len(made.pages)} page(s)" if made.pdf is None else made.pdf.name
    click.echo(f"imhcard: {made.cards} cards on {pages}", err=True)
