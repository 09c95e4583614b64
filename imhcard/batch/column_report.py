"""How each column of an export was understood, with an example row: what `batch --check`
shows first, so staff see a wrong match before a single card is made."""

from __future__ import annotations

from imhcard.batch.answers import understood
from imhcard.batch.columns import Columns
from imhcard.batch.consent import consent_answer
from imhcard.batch.table import InputRow
from imhcard.core.fields import BY_NAME
from imhcard.core.theme import Theme

SHOWN_CHARS = 60


def _cut(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS - 1] + "…"


def understood_lines(columns: Columns, example: InputRow | None, theme: Theme) -> list[str]:
    """One line per field (its columns, and the example row's answer as the card takes
    it), the consent columns, and the columns left unused."""
    lines = [f"columns, as understood (example: row {example.number}):" if example
             else "columns, as understood:"]
    taken, notes = (understood(example, theme) if example else (None, []))
    for name in columns.found:
        source = columns.source(name)
        shown = ""
        if example is not None and taken is not None:
            given, used = example.get(name), taken.get(name)
            if name in BY_NAME and BY_NAME[name].kind == "text" and name != "pledge":
                used = BY_NAME[name].clean(used)  # "n/a" is nothing, a link is the handle
            shown = f": '{_cut(given)}'" if given.strip() else ": (empty)"
            if used != given and used.strip():
                shown += f" → {_cut(used)}"
        lines.append(f"  {name} ← {source.described()}{shown}")
    for _, header in columns.consent:
        answer = ""
        if example is not None:
            said = dict(example.consent).get(header, "")
            yes = consent_answer(said)
            how = "yes" if yes else "no: no card" if yes is False else "not understood"
            answer = f": '{_cut(said)}' ({how})"
        lines.append(f"  consent ← '{_cut(header)}' (no or unticked: no card){answer}")
    unused = columns.unused()
    if unused:
        lines.append("  not used: " + ", ".join(f"'{_cut(h)}'" for h in unused[:12])
                     + (f" and {len(unused) - 12} more" if len(unused) > 12 else ""))
    lines += [f"  {line}" for line in yes_no_lines(columns)]
    lines += [f"  example row: {p.message}" for p in notes]
    return lines


def yes_no_lines(columns: Columns) -> list[str]:
    """A line for each unused column that looks like a yes/no permission question."""
    return [f"'{_cut(h)}' looks like a yes/no question but is not read as consent; if it "
            f'is the consent question, add --column consent="{h}"' for h in columns.yes_no]
