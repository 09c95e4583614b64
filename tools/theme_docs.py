"""Rewrite the key reference tables in docs/themes.md from the theme schema.

The schema in imhcard/core/theme_rules.py is the one description of every theme key:
it validates theme files, gives the defaults and, through this script, the docs.
tests/test_docs.py fails when docs/themes.md is out of date.

    python tools/theme_docs.py
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from imhcard.core.theme_rules import reference_tables  # noqa: E402

DOC = ROOT / "docs" / "themes.md"


def block(name: str, table: str) -> str:
    return f"<!-- generated: {name} (python tools/theme_docs.py) -->\n{table}\n<!-- end: {name} -->"


def rewrite(text: str) -> str:
    for name, table in reference_tables().items():
        pattern = re.compile(rf"<!-- generated: {name} .*?<!-- end: {name} -->", re.S)
        if not pattern.search(text):
            raise SystemExit(f"docs/themes.md has no '<!-- generated: {name} ...' block")
        text = pattern.sub(lambda _, n=name, t=table: block(n, t), text)
    return text


if __name__ == "__main__":
    DOC.write_text(rewrite(DOC.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"wrote {DOC}")
