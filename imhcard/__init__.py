"""imhcard: pledge cards for Infant Mental Health Awareness Week (#StrongerFromTheStart)."""

from __future__ import annotations

__version__ = "0.1.0"
