"""report.html: a batch's problems for staff to read in a browser.

One self-contained page (no scripts, no fonts, no images, nothing fetched: its
Content-Security-Policy forbids it), every supporter's words escaped, readable by
screen readers (headings, captioned tables with header cells, status in words, not
colour alone), and printable. Problems are grouped by kind with links to the rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from pathlib import Path

from imhcard.batch.columns import Columns
from imhcard.batch.problems import Problem, RowReport
from imhcard.batch.summary import BatchSummary
from imhcard.output.files import write_atomic

_CSS = """
:root { color-scheme: light; --ink: #14213d; --muted: #4a5560; --line: #c4ccca;
        --bad: #8f1d12; --bad-bg: #fbe3e0; --warn: #6b4a00; --warn-bg: #fff3cd;
        --ok: #1b5e20; --ok-bg: #e3f4e5; }
* { box-sizing: border-box; }
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
       color: var(--ink); margin: 0 auto; padding: 1.5rem; max-width: 72rem; }
h1 { font-size: 1.75rem; margin: 0 0 .25rem; }
h2 { font-size: 1.3rem; margin: 2rem 0 .5rem; border-bottom: 2px solid var(--line); }
p.lead { color: var(--muted); margin-top: 0; }
dl.counts { display: grid; grid-template-columns: repeat(auto-fill, minmax(8.5rem, 1fr));
            gap: .75rem; margin: 1rem 0; }
dl.counts div { border: 1px solid var(--line); border-radius: 6px; padding: .5rem .75rem; }
dl.counts dt { color: var(--muted); font-size: .9rem; }
dl.counts dd { margin: 0; font-size: 1.5rem; font-weight: 700; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
caption { text-align: left; color: var(--muted); padding-bottom: .25rem; }
th, td { text-align: left; vertical-align: top; padding: .4rem .6rem;
         border-bottom: 1px solid var(--line); overflow-wrap: anywhere; }
thead th { border-bottom: 2px solid var(--ink); }
td.num, th.num { text-align: right; white-space: nowrap; }
ul { margin: 0; padding-left: 1.1rem; }
.status { display: inline-block; padding: 0 .4rem; border-radius: 4px; font-weight: 600;
          white-space: nowrap; }
.failed { color: var(--bad); background: var(--bad-bg); }
.warn { color: var(--warn); background: var(--warn-bg); }
.ok { color: var(--ok); background: var(--ok-bg); }
.where { color: var(--muted); font-size: .9rem; }
a { color: #0b4f9c; }
a:focus { outline: 3px solid #ffbf47; outline-offset: 1px; }
/* A phone: each table row becomes a block, so nothing is squeezed to one letter wide. */
@media (max-width: 40rem) {
  body { padding: 1rem; }
  table, caption, tbody, tr, th, td { display: block; }
  thead { position: absolute; left: -9999px; }
  tr { border-bottom: 1px solid var(--line); padding: .5rem 0; }
  th, td { border: 0; padding: .15rem 0; text-align: left; }
  td.num, th.num { text-align: left; }
  td.num::before { content: "Rows: "; color: var(--muted); font-weight: 400; }
  tr[id] th.num::before { content: "Row "; }
}
@media print { a { color: inherit; text-decoration: none; } h2 { break-after: avoid; }
               tr { break-inside: avoid; } }
"""

_STATUS_CLASS = {"failed": "failed", "made without photo": "warn", "duplicate": "warn",
                 "made": "ok", "partly made": "failed", "no consent": "warn"}
_STATUS_WORDS = {"failed": "not made", "made without photo": "made without photo",
                 "duplicate": "left out (older duplicate)", "made": "made, with a note",
                 "partly made": "partly made (some sizes not made)",
                 "no consent": "not made: no consent"}


def _count(label: str, value: int) -> str:
    return f"<div><dt>{escape(label)}</dt><dd>{value:,}</dd></div>"


def _row_links(rows: Sequence[int]) -> str:
    return ", ".join(f'<a href="#row-{r}">{r}</a>' for r in rows)


def _problem_item(p: Problem, columns: Columns | None) -> str:
    header = columns.header(p.field) if columns is not None and p.field else None
    where = [f"column “{escape(header)}”"] if header else []
    if p.format:
        where.append(escape(p.format))
    tail = f' <span class="where">({"; ".join(where)})</span>' if where else ""
    return f"<li>{escape(p.message)}{tail}</li>"


def _row(r: RowReport, columns: Columns | None) -> str:
    cls = _STATUS_CLASS.get(r.status, "warn")
    words = _STATUS_WORDS.get(r.status, r.status)
    items = "".join(_problem_item(p, columns) for p in r.problems)
    name = escape(r.name) if r.name else "<em>(no name)</em>"
    return (f'<tr id="row-{r.row}"><th scope="row" class="num">{r.row}</th><td>{name}</td>'
            f'<td><span class="status {cls}">{escape(words)}</span></td>'
            f"<td><ul>{items}</ul></td></tr>")


def render_report(summary: BatchSummary, input_name: str, columns: Columns | None) -> str:
    """The report as HTML text."""
    tally = summary.tally
    without_photo = sum(r.status == "made without photo" for r in tally.rows)
    title = f"{'Check' if summary.check else 'Batch'} report: {input_name}"
    verb = ("checked; nothing was written" if summary.check
            else "made into cards")
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        # Nothing may be fetched: the page is read offline, and names must not leak.
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        "style-src 'unsafe-inline'\">",
        '<meta name="referrer" content="no-referrer">',
        f"<title>{escape(title)}</title><style>{_CSS}</style></head><body>",
        f"<header><h1>{escape(title)}</h1>",
        f'<p class="lead">{summary.rows:,} rows of {escape(input_name)} {verb}.</p></header>',
        "<main>",
        '<section aria-labelledby="counts"><h2 id="counts">Counts</h2><dl class="counts">',
        _count("Rows", summary.rows),
    ]
    if summary.check:
        parts.append(_count("Rows with a problem that stops the card", summary.failed_rows))
    else:
        parts += [_count("Cards made now", summary.made),
                  _count("Cards already made", summary.skipped),
                  _count("Rows not made", summary.failed_rows)]
    older = sum(r.status == "duplicate" for r in tally.rows)
    parts.append(_count("Would be made without photo" if summary.check else "Made without photo",
                        without_photo))
    if older:
        parts.append(_count("Older duplicates left out", older))
    if summary.blank_rows:
        parts.append(_count("Blank rows ignored", summary.blank_rows))
    parts.append("</dl></section>")
    groups = tally.groups()
    parts.append('<section aria-labelledby="kinds"><h2 id="kinds">Problems by kind</h2>')
    if not groups:
        parts.append("<p>No problems: every row makes its cards.</p></section>")
    else:
        parts += ["<table><caption>Each kind of problem, the most common first. A row may "
                  "have several.</caption><thead><tr><th scope=\"col\">Problem</th>"
                  '<th scope="col" class="num">Rows</th><th scope="col">Which rows</th>'
                  "</tr></thead><tbody>"]
        for kind, rows in groups:
            stops = kind in tally.fatal_kinds
            label = (' <span class="status failed">stops the card</span>' if stops
                     else ' <span class="status warn">card still made</span>')
            parts.append(f"<tr><th scope=\"row\">{escape(kind)}{label}</th>"
                         f'<td class="num">{len(rows):,}</td><td>{_row_links(rows)}</td></tr>')
        parts.append("</tbody></table></section>")
        parts += ['<section aria-labelledby="rows"><h2 id="rows">Rows with problems</h2>',
                  "<table><caption>Row numbers are as the spreadsheet numbers them (the "
                  "header is row 1).</caption><thead><tr>"
                  '<th scope="col" class="num">Row</th><th scope="col">Name</th>'
                  '<th scope="col">Status</th><th scope="col">Problems</th></tr></thead>'
                  "<tbody>"]
        parts += [_row(r, columns) for r in tally.rows]
        parts.append("</tbody></table></section>")
    if summary.column_notes:
        parts += ['<section aria-labelledby="columns"><h2 id="columns">Columns to look '
                  "at</h2><ul>"]
        parts += [f"<li>{escape(line)}</li>" for line in summary.column_notes]
        parts.append("</ul></section>")
    if summary.unused_photos:
        parts += ['<section aria-labelledby="unused"><h2 id="unused">Photos no row used</h2>',
                  f"<p>In {escape(summary.photos_dir)}: each with the rows whose names are "
                  "nearest. A photo two rows could own is used by neither.</p><ul>"]
        parts += [f"<li>{escape(line)}</li>" for line in summary.unused_photos]
        parts.append("</ul></section>")
    parts.append("</main></body></html>\n")
    return "\n".join(parts)


def write_report(path: Path, summary: BatchSummary, input_name: str,
                 columns: Columns | None) -> Path:
    """Write report.html (atomically)."""
    write_atomic(path, render_report(summary, input_name, columns).encode("utf-8"))
    return path
