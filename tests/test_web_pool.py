"""The render workers behind the page: a bounded queue that says 503 rather than making
everyone wait, a time limit that replaces a stuck worker, and errors passed back whole."""

from __future__ import annotations

import asyncio
import os
import time

import pytest

from imhcard.errors import GlyphError
from imhcard.web.pool import Overloaded, PoolSettings, RenderPool

# A real browser, a real server or the pool's processes: the slow part of the suite.
pytestmark = pytest.mark.slow


def nap(seconds: float) -> int:
    time.sleep(seconds)
    return os.getpid()


def refuse(field: str) -> None:
    raise GlyphError(field, f"no font has this {field}")


def run(coro: object) -> object:
    return asyncio.run(coro)  # type: ignore[arg-type]


def test_full_queue_is_overloaded_at_once() -> None:
    async def go() -> list[object]:
        pool = RenderPool(PoolSettings(workers=1, queue=1, timeout=10, queue_wait=10))
        pool.start()
        try:
            started = time.monotonic()
            results = await asyncio.gather(*(pool.run(nap, 0.5) for _ in range(3)),
                                           return_exceptions=True)
            assert time.monotonic() - started < 3
            return results
        finally:
            pool.close()

    results = run(go())
    assert isinstance(results, list)
    over = [r for r in results if isinstance(r, Overloaded)]
    assert len(over) == 1 and over[0].retry_after > 0  # one renders, one waits, one is told
    assert sum(isinstance(r, int) for r in results) == 2


def test_a_stuck_render_is_replaced() -> None:
    async def go() -> tuple[int, int]:
        pool = RenderPool(PoolSettings(workers=1, queue=4, timeout=0.5, queue_wait=10))
        pool.start()
        try:
            first = await pool.run(nap, 0)
            with pytest.raises(Overloaded, match="took too long"):
                await pool.run(nap, 30)
            return first, await pool.run(nap, 0)  # a fresh worker answers
        finally:
            pool.close()

    result = run(go())
    assert isinstance(result, tuple)
    first, second = result
    assert first != second


def test_library_errors_come_back_as_raised() -> None:
    async def go() -> None:
        pool = RenderPool(PoolSettings(workers=1, queue=1, timeout=5, queue_wait=5))
        pool.start()
        try:
            with pytest.raises(GlyphError) as info:
                await pool.run(refuse, "name")
            assert info.value.field == "name"
            assert await pool.run(nap, 0) > 0  # the worker is still there
        finally:
            pool.close()

    run(go())
