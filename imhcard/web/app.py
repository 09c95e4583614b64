"""The supporters' page as an ASGI app: `create_app()` for uvicorn, TestClient or any
ASGI server.

The app loads the theme once, warms its layers and forks the render workers at
start-up (lifespan), and stops them at shutdown, after uvicorn has finished the
requests in flight. Every response gets the security headers; the only log line per
request is its method, path, status and time: never a name, a query or an address.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from starlette.applications import Starlette
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from imhcard.core.theme import Theme, load_theme, resolve_theme
from imhcard.web import jobs, live, routes
from imhcard.web.pool import PoolSettings, RenderPool

log = logging.getLogger("imhcard.web")
STATIC = Path(__file__).parent / "static"

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
       "font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; "
       "object-src 'none'; frame-ancestors 'none'")
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
]


class Guard:
    """Security headers on every response, and one privacy-safe log line per request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_with_headers(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                names = {k.lower() for k, _ in message.get("headers", [])}
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"],
                                      *(h for h in SECURITY_HEADERS if h[0] not in names)]
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        finally:
            log.info("%s %s %d %.0fms", scope["method"], scope["path"], status,
                     (time.perf_counter() - started) * 1000)


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
               else os.cpu_count() or 1)


def create_app(theme: str | Theme | None = None, workers: int | None = None,
               queue: int | None = None, timeout: float = 20.0) -> ASGIApp:
    """The app for `theme` (a shipped year or a file; the newest year by default).

    Settings not given come from the environment, so a deployment can run
    `uvicorn --factory imhcard.web.app:create_app`: IMHCARD_THEME, IMHCARD_WORKERS
    (render processes, default one per CPU), IMHCARD_QUEUE (requests that may wait
    for a worker; default 8 per worker), IMHCARD_TIMEOUT (seconds per render)."""
    loaded = theme if isinstance(theme, Theme) else load_theme(
        resolve_theme(theme or os.environ.get("IMHCARD_THEME") or None))
    n = workers or int(os.environ.get("IMHCARD_WORKERS") or default_workers())
    settings = PoolSettings(
        workers=n, queue=queue if queue is not None else int(
            os.environ.get("IMHCARD_QUEUE") or 8 * n),
        timeout=float(os.environ.get("IMHCARD_TIMEOUT") or timeout), queue_wait=30.0)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        jobs.use_theme(loaded)  # warm before forking: workers inherit the layers
        pool = RenderPool(settings)
        pool.start()
        app.state.pool = pool
        try:
            yield
        finally:
            pool.close()

    app = Starlette(routes=[
        Route("/", routes.page, methods=["GET"]),
        Route("/", routes.page_post, methods=["POST"]),
        Route("/card", routes.card, methods=["POST"]),
        Route("/card.json", routes.card_json, methods=["POST"]),
        Route("/preview", routes.preview, methods=["POST"]),
        Route("/frame", live.frame, methods=["POST"]),
        Route("/photo", live.photo, methods=["POST"]),
        Route("/theme", routes.theme_json, methods=["GET"]),
        Route("/theme.css", routes.theme_css, methods=["GET"]),
        Route("/fonts/{name}", routes.font, methods=["GET"]),
        Route("/healthz", routes.healthz, methods=["GET"]),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ], lifespan=lifespan)
    app.state.theme = loaded
    app.state.settings = settings
    return Guard(app)
