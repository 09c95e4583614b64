"""SIGTERM is handled like Ctrl-C: the same clean-up (temporary files removed, the
manifest left as it was), then exit 128 + the signal's number (130 or 143), as
shells and process managers expect."""

from __future__ import annotations

import signal
from types import FrameType

_received = signal.SIGINT


def _on_term(signum: int, frame: FrameType | None) -> None:
    global _received
    _received = signal.Signals(signum)
    raise KeyboardInterrupt


def install() -> None:
    """Turn SIGTERM into KeyboardInterrupt in this process."""
    signal.signal(signal.SIGTERM, _on_term)


def exit_code() -> int:
    """128 + the number of the signal that stopped the command: 130 (Ctrl-C) or 143."""
    return 128 + int(_received)
