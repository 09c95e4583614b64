"""Ctrl-C and SIGTERM stop imhcard at once, except inside the few lines that put a card
and its alt text in place together: a stop that arrives there waits until they are both
in place (or neither), then stops as it would have.

The command's own signal handlers (cli/interrupt.py, and the batch's worker processes)
are made with `handler`, which defers a stop while `uninterrupted()` is running.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any


class Stopped(BaseException):
    """Ctrl-C or SIGTERM: stop now, cleaning up on the way out.

    Not KeyboardInterrupt: CPython 3.11 marks a KeyboardInterrupt that passes through
    code being imported as "unhandled" even when it is caught, and then kills itself
    with SIGINT at exit, so a stop during start-up ended as 'killed by SIGINT' rather
    than with the command's own exit status (130 or 143)."""


_depth = 0
_pending: tuple[Callable[[int], Any], int] | None = None

SignalHandler = Callable[[int, "FrameType | None"], None]


def handler(stop: Callable[[int], Any]) -> SignalHandler:
    """A signal handler that calls `stop(signum)` (which raises), or, inside
    `uninterrupted()`, as soon as that block ends."""

    def on_signal(signum: int, frame: FrameType | None) -> None:
        global _pending
        if _depth:
            _pending = (stop, signum)
            return
        stop(signum)

    return on_signal


@contextmanager
def uninterrupted() -> Iterator[None]:
    """A block a stop does not cut in two (it is deferred, never lost)."""
    global _depth, _pending
    _depth += 1
    try:
        yield
    finally:
        _depth -= 1
        if _depth == 0 and _pending is not None:
            (stop, signum), _pending = _pending, None
            stop(signum)
