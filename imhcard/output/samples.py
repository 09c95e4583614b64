"""Sample cards for `imhcard theme check --samples`: every format, every language."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from imhcard.core.fields import PRINTED
from imhcard.core.formats import FORMATS
from imhcard.core.supporter import Supporter, resolve
from imhcard.core.theme import Theme
from imhcard.errors import ThemeError
from imhcard.output.files import write_card
from imhcard.render.pipeline import make_card
from imhcard.render.static import static_layer

# Every field's long but ordinary value, and the longest prompt: the hardest ordinary card.
SAMPLE: dict[str, Any] = {f.name: f.sample for f in PRINTED if f.sample}


def check_layouts(theme: Theme) -> None:
    """Lay out every format in every language; raise one ThemeError listing all that
    does not fit (a title too long for the story card, a QR box too small, ...)."""
    problems: list[str] = []
    for code in theme.languages:
        for fmt in FORMATS.values():
            try:
                static_layer(theme, fmt, code)
            except ThemeError as exc:
                problems += exc.problems
    if problems:
        raise ThemeError(str(theme.path), list(dict.fromkeys(problems)))


def render_samples(theme: Theme, out_dir: Path) -> list[Path]:
    """Render the sample supporter with the longest prompt, per format and language."""
    written: list[Path] = []
    for code, words in theme.languages.items():
        longest = max(words.prompts, key=lambda pid: len(words.prompts[pid]))
        pledge = resolve(Supporter(**{**SAMPLE, "pledge": longest}, language=code), theme)
        for fmt in FORMATS.values():
            made = make_card(theme, pledge, fmt)
            written.append(write_card(made, out_dir, f"sample-{code}").image)
    return written
