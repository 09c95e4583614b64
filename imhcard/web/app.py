"""The supporters' page as an ASGI app: `create_app()` for `imhcard serve` (its own
server, imhcard/web/server.py), TestClient or any ASGI server.

At start-up (lifespan) the app forks the render workers' clean parent, which warms the
theme's layers (pool.py, zygote.py); at shutdown, after the server has finished the
requests in flight, it stops them. Card requests are admitted by expected wait and by
upload memory before their bodies are read (forms.py, admission.py). Every response
gets the security headers; the only log line per request is its method, path, status
and time, with control characters escaped: never a name, a query or an address.
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

from imhcard.core.limits import MIB, default_workers
from imhcard.core.theme import Theme, load_theme, resolve_theme
from imhcard.web import jobs, live, routes
from imhcard.web.admission import UploadBudget
from imhcard.web.headers import CSP, SECURITY_HEADERS, log_safe
from imhcard.web.pool import PoolSettings, RenderPool

log = logging.getLogger("imhcard.web")
STATIC = Path(__file__).parent / "static"
__all__ = ["CSP", "SECURITY_HEADERS", "Guard", "create_app"]


class Guard:
    """Security headers on every response, one privacy-safe log line per request, and
    the request's upload memory given back when it is over."""

    def __init__(self, app: ASGIApp, uploads: UploadBudget | None = None) -> None:
        self.app = app
        self.uploads = uploads

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
            if self.uploads is not None:
                self.uploads.release(scope)
            log.info("%s %s %d %.0fms", log_safe(scope["method"], 20),
                     log_safe(scope["path"]), status, (time.perf_counter() - started) * 1000)


def create_app(theme: str | Theme | None = None, workers: int | None = None,
               queue: int | None = None, timeout: float = 20.0, max_wait: float | None = None,
               upload_memory: int | None = None) -> ASGIApp:
    """The app for `theme` (a shipped year or a file; the newest year by default).

    Settings not given come from the environment, so a deployment can run
    `uvicorn --factory imhcard.web.app:create_app`: IMHCARD_THEME, IMHCARD_WORKERS
    (render processes, default one per CPU), IMHCARD_MAX_WAIT (admit a card request
    while its expected wait is under this many seconds; default 2), IMHCARD_QUEUE (also
    at most this many waiting; default no such cap), IMHCARD_TIMEOUT (seconds per
    render), IMHCARD_UPLOAD_MEMORY (MB the bodies being read may hold; default 160)."""
    loaded = theme if isinstance(theme, Theme) else load_theme(
        resolve_theme(theme or os.environ.get("IMHCARD_THEME") or None))
    n = workers or int(os.environ.get("IMHCARD_WORKERS") or default_workers())
    env_queue = os.environ.get("IMHCARD_QUEUE")
    settings = PoolSettings(
        workers=n, queue=queue if queue is not None else int(env_queue) if env_queue else None,
        timeout=float(os.environ.get("IMHCARD_TIMEOUT") or timeout),
        wait_budget=max_wait if max_wait is not None else float(
            os.environ.get("IMHCARD_MAX_WAIT") or 2.0))
    uploads = UploadBudget(MIB * (upload_memory if upload_memory is not None else int(
        os.environ.get("IMHCARD_UPLOAD_MEMORY") or 160)))

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        # The workers' clean parent is forked now, before any server opens its socket
        # (uvicorn and imhcard's own server run the lifespan first); it draws the
        # theme's layers, and every worker forked from it starts warm.
        pool = RenderPool(settings, warm=lambda: jobs.use_theme(loaded))
        pool.start()
        await pool.connect()
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
    app.state.uploads = uploads
    return Guard(app, uploads)
