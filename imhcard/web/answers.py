"""What every route of the page shares: the theme and render pool the app holds, the
page's language, the form as a render job, errors as a 4xx naming the field (in the
supporter's language, from core/messages.py), and JSON compressed for a slow phone."""

from __future__ import annotations

import gzip
import json
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from imhcard.core.formats import FORMATS, get_format
from imhcard.core.messages import problem, render, say
from imhcard.core.theme import Theme
from imhcard.errors import FormatError, ImhcardError, SupporterError
from imhcard.render.encode import IMAGE_TYPES
from imhcard.web import jobs
from imhcard.web.forms import BadForm, Form, TooLarge
from imhcard.web.pool import Overloaded, RenderPool

DEFAULT_FORMAT = "instagram-square"
NO_STORE = {"Cache-Control": "no-store"}
# "auto": the file type that makes the best card in the least time on a phone's
# connection: JPEG for a card with a photo (about a seventh of the PNG: a photo is
# what JPEG is for, and the text on it looks the same at quality 80), PNG for a card
# of words and flat colours alone (crisper edges, and no bigger than the JPEG).
AUTO = "auto"
# JSON this short is not worth compressing.
GZIP_FROM = 1024


def theme_of(request: Request) -> Theme:
    theme: Theme = request.app.state.theme
    return theme


def pool_of(request: Request) -> RenderPool:
    pool: RenderPool = request.app.state.pool
    return pool


def language(request: Request, asked: str | None) -> str:
    """The page's language: the one asked for in the form when the theme has it, else in
    the address (?lang=, which the page's form and script also send, so a form that
    cannot be read is still answered in its language), else the theme's."""
    theme = theme_of(request)
    lang = (asked or request.query_params.get("lang") or "").strip().lower()
    return lang if lang in theme.languages else theme.default_language


def image_type(form: Form) -> str:
    """The card's file type: the one asked for, or by the rule of AUTO."""
    asked = form.get("image_format", "png").lower()
    if asked == AUTO:
        return "jpeg" if form.photo else "png"
    if asked not in IMAGE_TYPES:
        raise problem(SupporterError, "image_format", "unknown_image_type",
                      value=asked[:20], choices=", ".join(IMAGE_TYPES))
    return asked


def card_job(form: Form) -> jobs.CardJob:
    """The form as a render job, or SupporterError naming the field that is wrong."""
    fmt = form.get("format", DEFAULT_FORMAT)
    try:
        get_format(fmt)
    except FormatError:
        raise problem(SupporterError, "format", "unknown_format", value=fmt[:40],
                      choices=", ".join(FORMATS)) from None
    return jobs.CardJob(form.supporter(), fmt, image_type(form), form.photo, form.photo_name)


def field_of(exc: ImhcardError) -> str | None:
    """The form field an error is about, by the API's field names."""
    if not isinstance(exc, SupporterError):
        return None
    return "lang" if exc.field == "language" else exc.field


def status_of(exc: ImhcardError) -> int:
    return 413 if isinstance(exc, TooLarge) else 400 if isinstance(exc, BadForm) else 422


def message(exc: ImhcardError | Overloaded, lang: str) -> str:
    """What to tell the supporter, in the page's language (core/messages.py)."""
    if isinstance(exc, Overloaded):
        return render(exc.code, lang, {"seconds": exc.retry_after})
    return say(exc, lang)


def error_body(exc: ImhcardError | Overloaded, lang: str) -> tuple[dict[str, Any], int,
                                                                   dict[str, str]]:
    """{"error": {field, message (for the supporter, in the page's language), code and
    detail (the English wording with every particular, for scripts)}}, its status and
    headers (503 with Retry-After when the server is busy)."""
    body = {"field": None if isinstance(exc, Overloaded) else field_of(exc),
            "message": message(exc, lang), "code": getattr(exc, "code", "") or "error",
            "detail": render(exc.code, "staff", {"seconds": exc.retry_after})
            if isinstance(exc, Overloaded) else str(exc)}
    if isinstance(exc, Overloaded):
        return {"error": body}, 503, {"Retry-After": str(exc.retry_after), **NO_STORE}
    return {"error": body}, status_of(exc), dict(NO_STORE)


def accepts_gzip(request: Request) -> bool:
    return "gzip" in request.headers.get("accept-encoding", "").lower()


def json_response(request: Request, body: Any, status: int = 200,
                  headers: dict[str, str] | None = None) -> Response:
    """JSON, gzipped when the client takes it and it is worth it: a card's image in
    base64 gzips back to about the image's own size, a third less to download."""
    data = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    out = dict(headers or {})
    if len(data) >= GZIP_FROM and accepts_gzip(request):
        data = gzip.compress(data, 6, mtime=0)
        out.update({"Content-Encoding": "gzip", "Vary": "Accept-Encoding"})
    return Response(data, status, out, media_type="application/json")


def error_response(request: Request, exc: ImhcardError | Overloaded, lang: str,
                   **extra: Any) -> Response:
    body, status, headers = error_body(exc, lang)
    return json_response(request, {**body, **extra}, status, headers)
