"""Sample cards for `imhcard theme check --samples`: every format, every language."""

from __future__ import annotations

from pathlib import Path

from imhcard.compose import render_card
from imhcard.formats import FORMATS
from imhcard.output import write_card
from imhcard.supporter import Supporter, resolve
from imhcard.theme import Theme

# A long name and organisation, and the longest prompt: the hardest ordinary card.
SAMPLE = Supporter(name="Caoimhín Ó Súilleabháin-Wróbel", pledge="",
                   org="Sure Start Newry & Mourne Early Years")


def render_samples(theme: Theme, out_dir: Path) -> list[Path]:
    """Render the sample supporter with the longest prompt, per format and language."""
    written: list[Path] = []
    for code, words in theme.languages.items():
        longest = max(words.prompts, key=lambda pid: len(words.prompts[pid]))
        pledge = resolve(Supporter(name=SAMPLE.name, pledge=longest, org=SAMPLE.org,
                                   language=code), theme)
        for fmt in FORMATS.values():
            card = render_card(theme, pledge, fmt)
            written.append(write_card(card, out_dir, f"sample-{code}", "png").image)
    return written
