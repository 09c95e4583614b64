"""Which card requests may upload now: a memory budget shared by the bodies being read.

A card request is admitted before a byte of its body is read (forms.read_form): first
by the wait it can expect for a render worker (pool.RenderPool.refuse), then by memory.
It reserves from a budget shared by every upload in progress what its body may take
next, before reading it: a first 256 KB (a form without a photo needs less), then, as
the body arrives, twice what it holds, up to its Content-Length or the cap. So the
memory bodies hold is bounded before it is spent, and a thousand clients trickling
bodies hold a few hundred KB each, not the cap each.

When the budget is spent, a request waits, its body unread, and room is made:

1. an upload that has stopped sending (the app has waited `stalled` seconds, 1, for its
   next byte) gives its place up: 408, and its connection is closed;
2. the waiting request with the least left to upload goes first; to let it in, an upload
   that is itself waiting for more memory and has more left to upload gives its place up
   (503 with Retry-After): under pressure, the biggest uploads yield to a supporter's
   photo, never the other way round.

A request that does not get what it needs within `wait` seconds is answered 503 with
Retry-After. The memory is given back when the response has been sent (app.Guard).
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import MutableMapping
from dataclasses import dataclass, field
from typing import Any

from imhcard.web.pool import Overloaded

_KEY = "imhcard.reserved"


@dataclass(eq=False)
class _Holder:
    upload: Any  # the server's view of the request body (protocol.Cycle), or None
    size: int = 0
    released: bool = False


@dataclass(eq=False)
class _Waiter:
    size: int  # bytes asked for, beyond what its holder has
    left: int  # bytes the request has still to upload: the smallest goes first
    holder: _Holder | None
    future: asyncio.Future[None] = field(repr=False)
    gave_way: bool = False


class UploadBudget:
    """Bytes the request bodies being read may hold between them."""

    def __init__(self, total: int, wait: float = 5.0, stalled: float = 1.0) -> None:
        self.total = total
        self.wait = wait
        self.stalled = stalled
        self.used = 0
        self._holders: list[_Holder] = []
        self._waiters: list[_Waiter] = []

    @property
    def waiting(self) -> int:
        return len(self._waiters)

    async def reserve(self, scope: MutableMapping[str, Any], size: int, left: int) -> int:
        """Hold `size` bytes in all for this request, which has `left` bytes still to
        upload; waits (its body unread) up to `wait` seconds, or raises Overloaded (503).
        The bytes it now holds."""
        state = scope.setdefault("state", {})
        holder = state.get(_KEY)
        if not isinstance(holder, _Holder) or holder.released:
            holder = _Holder(scope.get("extensions", {}).get("imhcard.upload"))
            state[_KEY] = holder
        size = min(size, self.total)
        if size <= holder.size:
            return holder.size
        more = size - holder.size
        if self.used + more > self.total or self._waiters:
            await self._wait_for(more, left, holder)
        if holder.released:  # given up while it waited
            raise _gave_way()
        if holder.size == 0:
            self._holders.append(holder)
        holder.size += more
        self.used += more
        return holder.size

    async def _wait_for(self, size: int, left: int, holder: _Holder) -> None:
        loop = asyncio.get_running_loop()
        waiter = _Waiter(size, left, holder if holder.size else None, loop.create_future())
        self._waiters.append(waiter)
        deadline = loop.time() + self.wait
        try:
            while not waiter.future.done():
                self._make_room(loop.time())
                self._grant()
                remaining = deadline - loop.time()
                if waiter.future.done():
                    break
                if remaining <= 0:
                    raise Overloaded("the server is busy receiving other photos",
                                     max(1, math.ceil(self.wait)))
                await asyncio.wait({waiter.future}, timeout=min(0.5, remaining))
        finally:
            self._waiters.remove(waiter)
        if waiter.gave_way:
            # A fresh exception: one kept in the future would tie this frame, and the
            # upload's buffers, into a cycle only the garbage collector could free.
            raise _gave_way()

    def release(self, scope: MutableMapping[str, Any]) -> None:
        """The request is over: give its bytes back, and let waiters in."""
        holder = scope.get("state", {}).pop(_KEY, None)
        if isinstance(holder, _Holder):
            self._give_back(holder)
            self._grant()

    def _give_back(self, holder: _Holder) -> None:
        if not holder.released:
            holder.released = True
            self.used -= holder.size
            if holder in self._holders:
                self._holders.remove(holder)

    def _granted(self) -> int:
        return sum(w.size for w in self._waiters if w.future.done() and not w.gave_way)

    def _grant(self) -> None:
        """Let waiters in, least left to upload first, each whose bytes fit in what is
        free. A granted waiter takes its bytes itself when it wakes."""
        room = self.total - self.used - self._granted()
        for waiter in sorted(self._waiters, key=lambda w: w.left):
            if not waiter.future.done() and waiter.size <= room:
                waiter.future.set_result(None)
                room -= waiter.size

    def _make_room(self, now: float) -> None:
        """Free what the first waiter needs: stalled uploads first, then uploads waiting
        for more memory with more left to upload than it."""
        pending = [w for w in self._waiters if not w.future.done()]
        if not pending:
            return
        first = min(pending, key=lambda w: w.left)
        short = first.size - (self.total - self.used - self._granted())
        for holder in list(self._holders):
            if short <= 0:
                return
            upload = holder.upload
            if upload is not None and hasattr(upload, "stalled_for") and \
                    upload.stalled_for(now) >= self.stalled:
                upload.evict()
                short -= holder.size
                self._give_back(holder)
        for waiter in sorted(pending, key=lambda w: -w.left):
            if short <= 0 or waiter.left <= first.left:
                return
            if waiter.holder is not None and not waiter.holder.released:
                short -= waiter.holder.size
                self._give_back(waiter.holder)
                waiter.gave_way = True
                waiter.future.set_result(None)


def _gave_way() -> Overloaded:
    return Overloaded("the server is busy receiving other photos", 2)
