"""`imhcard serve`: the supporters' page, on uvicorn. Needs the web extra."""

from __future__ import annotations

import logging

import click

from imhcard.cli.options import theme_option
from imhcard.cli.theme import announce, use_theme
from imhcard.errors import ImhcardError


class MissingExtra(ImhcardError):
    """The web extra (Starlette, uvicorn, python-multipart) is not installed."""


@click.command()
@theme_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; 0.0.0.0 for every interface (put a TLS proxy in "
                   "front: see docs/serve.md).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on.")
@click.option("--workers", type=click.IntRange(1, 64), metavar="N",
              help="Render processes that make the cards. Default: one per CPU.")
@click.option("--queue", type=click.IntRange(0, 10_000), metavar="N",
              help="Requests that may wait for a busy render process before the server "
                   "answers 503 (default: 8 per process).")
@click.option("--timeout", type=click.FloatRange(1, 300), default=20.0, show_default=True,
              help="Seconds one card may take before its render process is replaced.")
def serve(theme_name: str | None, host: str, port: int, workers: int | None,
          queue: int | None, timeout: float) -> None:
    """Run the supporters' page: name, pledge and photo in, their card out.

    One web process hands cards to N render processes forked with the theme's
    layers already made. Names and photos stay in memory; the log has only each
    request's method, path, status and time. Stop it with Ctrl-C or SIGTERM: it
    finishes the requests in hand first.

    \b
    Examples:
      imhcard serve                                # http://127.0.0.1:8000
      imhcard serve --theme themes/2027.yaml --host 0.0.0.0 --port 8080 --workers 4
    """
    try:
        import uvicorn

        from imhcard.web.app import create_app
    except ImportError as exc:
        raise MissingExtra(f"imhcard serve needs the web extra ({exc.name} is missing); "
                           "install it with: pip install \"imhcard[web]\"") from None
    theme = use_theme(theme_name)  # theme errors show before binding
    app = create_app(theme, workers, queue, timeout)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    click.echo(f"imhcard: the supporters' page is at http://{host}:{port}/ "
               "(Ctrl-C to stop)", err=True)
    announce(theme)
    # access_log off: uvicorn's would record each visitor's address and query string.
    uvicorn.run(app, host=host, port=port, access_log=False, log_level="warning",
                timeout_graceful_shutdown=30, server_header=False)
