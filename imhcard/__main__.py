from __future__ import annotations

from imhcard.cli import main

main()
