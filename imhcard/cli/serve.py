"""`imhcard serve`: the supporters' page, on imhcard's own hardened HTTP server. Needs
the web extra."""

from __future__ import annotations

import logging
import os
import signal
import sys

import click

from imhcard.cli.options import theme_option
from imhcard.cli.theme import announce, use_theme
from imhcard.errors import ImhcardError


class MissingExtra(ImhcardError):
    """The web extra (Starlette, h11, python-multipart) is not installed."""


@click.command()
@theme_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; 0.0.0.0 for every interface (put a TLS proxy in "
                   "front: see docs/serve.md).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on.")
@click.option("--workers", type=click.IntRange(1, 64), metavar="N",
              help="Render processes that make the cards. Default: one per CPU.")
@click.option("--max-wait", type=click.FloatRange(0.1, 60), default=2.0, show_default=True,
              metavar="S",
              help="Take a card request while the wait it can expect for a render process "
                   "is under S seconds; past it, answer 503 with Retry-After.")
@click.option("--queue", type=click.IntRange(0, 10_000), metavar="N",
              help="Also at most N requests waiting for a render process (default: no "
                   "such cap; --max-wait decides).")
@click.option("--timeout", type=click.FloatRange(1, 300), default=20.0, show_default=True,
              help="Seconds one card may take before its render process is replaced.")
@click.option("--upload-memory", type=click.IntRange(16, 65536), default=160,
              show_default=True, metavar="MB",
              help="Memory the photos being uploaded may hold between them; a request "
                   "past it waits its turn before its photo is read.")
@click.option("--max-connections", type=click.IntRange(16, 65536), metavar="N",
              help="Open connections at most. Default: what the open-file limit allows "
                   "(about 900 with a stock 1,024).")
@click.option("--grace", type=click.FloatRange(0, 600), default=30.0, show_default=True,
              metavar="S", help="On SIGTERM or Ctrl-C, seconds the requests in hand have "
                                "to finish.")
def serve(theme_name: str | None, host: str, port: int, workers: int | None, max_wait: float,
          queue: int | None, timeout: float, upload_memory: int, max_connections: int | None,
          grace: float) -> None:
    """Run the supporters' page: name, pledge and photo in, their card out.

    One web process hands cards to N render processes, forked (warm, with the theme's
    layers already made) from a clean parent that never sees a request. Names and
    photos stay in memory; the log has only each request's method, path, status and
    time. Safe to expose as it is: deadlines for slow clients, a cap on connections
    and on upload memory, and admission by expected wait (docs/serve.md). Stop it with
    Ctrl-C or SIGTERM: it finishes the requests in hand first.

    \b
    Examples:
      imhcard serve                                # http://127.0.0.1:8000
      imhcard serve --theme themes/2027.yaml --host 0.0.0.0 --port 8080 --workers 4
    """
    try:
        from imhcard.web.app import create_app
        from imhcard.web.http_basics import Limits
        from imhcard.web.server import Server
    except ImportError as exc:
        raise MissingExtra(f"imhcard serve needs the web extra ({exc.name} is missing); "
                           "install it with: pip install \"imhcard[web]\"") from None
    theme = use_theme(theme_name)  # theme errors show before anything starts
    app = create_app(theme, workers, queue, timeout, max_wait=max_wait,
                     upload_memory=upload_memory)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    click.echo(f"imhcard: the supporters' page is at http://{host}:{port}/ "
               "(Ctrl-C to stop)", err=True)
    announce(theme)
    server = Server(app, host, port, Limits(max_connections=max_connections, grace=grace))
    stopped_by = server.run()
    if stopped_by is not None:
        # Stopped cleanly by a signal: say so in the exit status, as a shell expects
        # (143 for SIGTERM, 130 for Ctrl-C).
        logging.shutdown()
        sys.stderr.flush()
        signal.signal(stopped_by, signal.SIG_DFL)
        os.kill(os.getpid(), stopped_by)
