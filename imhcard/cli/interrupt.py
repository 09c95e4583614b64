"""SIGTERM is handled like Ctrl-C: the same clean-up (temporary files removed, the
manifest left as it was), then exit 128 + the signal's number (130 or 143), as
shells and process managers expect. Either waits while a card and its alt text are
being put in place together (output/stops.py)."""

from __future__ import annotations

import signal

from imhcard.output.stops import Stopped, handler

_received = signal.SIGINT


def _stop(signum: int) -> None:
    global _received
    _received = signal.Signals(signum)
    raise Stopped


def install() -> None:
    """Turn SIGTERM (and Ctrl-C) into Stopped in this process. A shell that
    started the command with Ctrl-C ignored (a background job) keeps it ignored."""
    signal.signal(signal.SIGTERM, handler(_stop))
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, handler(_stop))


def exit_code() -> int:
    """128 + the number of the signal that stopped the command: 130 (Ctrl-C) or 143."""
    return 128 + int(_received)
