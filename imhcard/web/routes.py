"""The page's routes: each parses the form, hands the card to a render worker (the same
library call the CLI makes), and turns the library's errors into a 4xx naming the field.

    POST /card        the card's bytes (image/png, image/jpeg, image/webp or application/pdf),
                      Content-Disposition: attachment; filename=...
    POST /card.json   {"image": base64, "media_type", "filename", "alt_text", "caption", ...}
    POST /preview     a small JPEG of the card, for the page's live preview
    POST /            the plain HTML form (works without JavaScript): the page with the card
    GET  /theme       prompts, languages, formats and limits as JSON
    GET  /healthz     {"ok": true, ...}
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from imhcard.core.formats import FORMATS, get_format
from imhcard.core.limits import IMAGE_MAX_PIXELS as MAX_PIXELS
from imhcard.core.messages import problem, render, say
from imhcard.core.supporter import ZOOM_MAX
from imhcard.core.theme import Theme
from imhcard.errors import FormatError, ImhcardError, SupporterError
from imhcard.output.memory import CardBytes
from imhcard.render.encode import IMAGE_TYPES
from imhcard.web import jobs
from imhcard.web.forms import MAX_BODY, MAX_PHOTO, MB, BadForm, Form, TooLarge, read_form
from imhcard.web.page import field_limits, render_page
from imhcard.web.pool import Overloaded, RenderPool

DEFAULT_FORMAT = "instagram-square"
NO_STORE = {"Cache-Control": "no-store"}


def _theme(request: Request) -> Theme:
    theme: Theme = request.app.state.theme
    return theme


def _pool(request: Request) -> RenderPool:
    pool: RenderPool = request.app.state.pool
    return pool


def _job(form: Form) -> jobs.CardJob:
    """The form as a render job, or SupporterError naming the field that is wrong."""
    fmt = form.get("format", DEFAULT_FORMAT)
    try:
        get_format(fmt)
    except FormatError:
        raise problem(SupporterError, "format", "unknown_format", value=fmt[:40],
                      choices=", ".join(FORMATS)) from None
    image_type = form.get("image_format", "png").lower()
    if image_type not in IMAGE_TYPES:
        raise problem(SupporterError, "image_format", "unknown_image_type",
                      value=image_type[:20], choices=", ".join(IMAGE_TYPES))
    return jobs.CardJob(form.supporter(), fmt, image_type, form.photo, form.photo_name)


def _field(exc: ImhcardError) -> str | None:
    """The form field an error is about, by the API's field names."""
    if not isinstance(exc, SupporterError):
        return None
    return "lang" if exc.field == "language" else exc.field


def _status(exc: ImhcardError) -> int:
    return 413 if isinstance(exc, TooLarge) else 400 if isinstance(exc, BadForm) else 422


def _message(exc: ImhcardError | Overloaded, lang: str) -> str:
    """What to tell the supporter, in the page's language (core/messages.py)."""
    if isinstance(exc, Overloaded):
        return render(exc.code, lang, {"seconds": exc.retry_after})
    return say(exc, lang)


def _error(exc: ImhcardError | Overloaded, lang: str) -> JSONResponse:
    """{"error": {field, message (for the supporter, in the page's language), code and
    detail (the English wording with every particular, for scripts)}}."""
    body = {"field": None if isinstance(exc, Overloaded) else _field(exc),
            "message": _message(exc, lang), "code": getattr(exc, "code", "") or "error",
            "detail": render(exc.code, "staff", {"seconds": exc.retry_after})
            if isinstance(exc, Overloaded) else str(exc)}
    if isinstance(exc, Overloaded):
        return JSONResponse({"error": body}, 503,
                            {"Retry-After": str(exc.retry_after), **NO_STORE})
    return JSONResponse({"error": body}, _status(exc), NO_STORE)


async def _answer(request: Request, preview: bool,
                  respond: Callable[[CardBytes], Response]) -> Response:
    """Read the form, make the card (or preview) in a worker, answer with `respond`, or
    with the error in the page's language."""
    form = Form()
    try:
        form = await read_form(request)
        made: CardBytes = await _pool(request).run(
            jobs.make_preview if preview else jobs.make_card, _job(form))
    except (ImhcardError, Overloaded) as exc:
        return _error(exc, _language(request, form.get("lang")))
    return respond(made)


async def card(request: Request) -> Response:
    return await _answer(request, False, lambda made: Response(
        made.data, media_type=made.media_type, headers={
            "Content-Disposition": f'attachment; filename="{made.filename}"', **NO_STORE}))


async def card_json(request: Request) -> Response:
    return await _answer(request, False, lambda made: JSONResponse(
        made.as_json(base64.b64encode(made.data).decode("ascii")), headers=NO_STORE))


async def preview(request: Request) -> Response:
    return await _answer(request, True, lambda made: Response(
        made.data, media_type=made.media_type, headers=NO_STORE))


def _language(request: Request, asked: str | None) -> str:
    theme = _theme(request)
    lang = (asked or "").strip().lower()
    return lang if lang in theme.languages else theme.default_language


async def page(request: Request) -> Response:
    lang = _language(request, request.query_params.get("lang"))
    return HTMLResponse(render_page(_theme(request), lang, {}, [], None))


async def page_post(request: Request) -> Response:
    """The form without JavaScript: the page again, with the card or with the errors."""
    form = Form()
    try:
        form = await read_form(request)
        made: CardBytes = await _pool(request).run(jobs.make_card, _job(form))
    except (ImhcardError, Overloaded) as exc:
        lang = _language(request, form.get("lang"))
        if isinstance(exc, Overloaded):
            errors = [("", _message(exc, lang))]
            status, headers = 503, {"Retry-After": str(exc.retry_after), **NO_STORE}
        else:
            field = _field(exc) or ""
            errors, status, headers = [(field, _message(exc, lang))], _status(exc), NO_STORE
        return HTMLResponse(render_page(_theme(request), lang, form.fields, errors, None),
                            status, headers)
    lang = _language(request, form.get("lang"))
    return HTMLResponse(render_page(_theme(request), lang, form.fields, [], made),
                        headers=NO_STORE)


async def theme_json(request: Request) -> Response:
    theme = _theme(request)
    body: dict[str, Any] = {
        "year": theme.year, "url": theme.url, "hashtags": list(theme.hashtags),
        "default_language": theme.default_language,
        "languages": {code: {"week_name": w.week_name, "title": w.title,
                             "pledge_intro": w.pledge_intro, "prompts": dict(w.prompts),
                             "dates": theme.dates_text(code).replace("\u00a0", " ")}
                      for code, w in theme.languages.items()},
        "formats": [{"name": f.name, "width": f.width, "height": f.height,
                     "description": f.description,
                     "media_type": "application/pdf" if f.is_print else "image"}
                    for f in FORMATS.values()],
        "default_format": DEFAULT_FORMAT,
        "image_formats": list(IMAGE_TYPES),
        "limits": {**field_limits(theme), "photo_bytes": MAX_PHOTO,
                   "body_bytes": MAX_BODY, "photo_pixels": MAX_PIXELS, "zoom_max": ZOOM_MAX},
    }
    return JSONResponse(body, headers={"Cache-Control": "public, max-age=300"})


@cache
def _css(theme: Theme) -> str:
    c = theme.colours
    props = ";".join(f"--{k.replace('_', '-')}:#{v[0]:02x}{v[1]:02x}{v[2]:02x}"
                     for k, v in c.items())
    faces = "".join(
        f'@font-face{{font-family:"imhcard-{family}";src:url(/fonts/{role}.ttf);'
        f"font-weight:{weight};font-display:swap}}"
        for family, role, weight in (("display", "display", 700), ("body", "body", 400),
                                     ("body", "body_bold", 700)))
    return f"{faces}:root{{{props}}}\n"


async def theme_css(request: Request) -> Response:
    return Response(_css(_theme(request)), media_type="text/css",
                    headers={"Cache-Control": "public, max-age=300"})


@cache
def _font(path: Path) -> bytes:
    return path.read_bytes()


async def font(request: Request) -> Response:
    f = _theme(request).fonts
    path = {"display": f.display, "body": f.body, "body_bold": f.body_bold}.get(
        request.path_params["role"])
    if path is None:
        return JSONResponse({"error": {"field": None, "message": "no such font"}}, 404)
    kind = "font/otf" if path.suffix.lower() == ".otf" else "font/ttf"
    return Response(_font(path), media_type=kind,
                    headers={"Cache-Control": "public, max-age=86400"})


async def healthz(request: Request) -> Response:
    pool = _pool(request)
    return JSONResponse({"ok": True, "theme": _theme(request).year,
                         "workers": pool.settings.workers, "busy": pool.busy,
                         "photo_limit_mb": MAX_PHOTO // MB}, headers=NO_STORE)
