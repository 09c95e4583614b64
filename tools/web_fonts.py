"""Make the supporters' page's fonts: WOFF2 subsets of the bundled fonts the page uses
(imhcard/web/fonts.py says which letters), written to imhcard/web/static/fonts/
with a manifest of the source fonts they were made from.

    python tools/web_fonts.py          # after changing a bundled font or the letters

Needs fontTools and brotli (the test extra). tests/test_web_fonts.py fails when the
committed subsets no longer match the bundled fonts.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(CHECKOUT))

from imhcard.core.theme_rules import BUNDLED_FONTS  # noqa: E402
from imhcard.web.fonts import FONTS, MANIFEST, digest, make_subset  # noqa: E402

SOURCES = CHECKOUT / "assets" / "fonts"


def main() -> None:
    FONTS.mkdir(parents=True, exist_ok=True)
    manifest: dict[str, dict[str, str]] = {}
    for name in sorted(set(BUNDLED_FONTS.values())):
        source = SOURCES / name
        out = Path(name).with_suffix(".woff2").name
        data = make_subset(source, "woff2")
        (FONTS / out).write_bytes(data)
        manifest[name] = {"file": out, "sha256": digest(source)}
        print(f"{out}: {len(data):,} bytes (from {source.stat().st_size:,})")
    MANIFEST.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
