"""The page's routes: each parses the form, hands the card to a render worker (the same
library call the CLI makes), and turns the library's errors into a 4xx naming the field.

    POST /card        the card's bytes (image/png, image/jpeg, image/webp or application/pdf),
                      Content-Disposition: attachment; filename=...
    POST /card.json   {"image": base64, "media_type", "filename", "alt_text", "caption", ...}
    POST /preview     a small JPEG of the card
    POST /frame       the card without its photo, for the page's live preview (web/live.py)
    POST /photo       where a photo sits in every card, and the card itself (web/live.py)
    POST /            the plain HTML form (works without JavaScript): the page with the card
    GET  /theme       prompts, languages, formats and limits as JSON
    GET  /healthz     {"ok": true, ...}

`image_format=auto` (the page's choice) makes a card with a photo a JPEG and one
without a PNG (web/answers.py says why); the API's default stays PNG.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from functools import cache
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from imhcard.core.formats import FORMATS
from imhcard.core.limits import IMAGE_MAX_PIXELS as MAX_PIXELS
from imhcard.core.limits import MIB, PAGE_BODY_MAX_BYTES, PAGE_PHOTO_MAX_BYTES
from imhcard.core.supporter import ZOOM_MAX
from imhcard.core.theme import Theme
from imhcard.errors import ImhcardError
from imhcard.output.memory import CardBytes
from imhcard.render.encode import IMAGE_TYPES
from imhcard.web import jobs
from imhcard.web.answers import (
    DEFAULT_FORMAT,
    NO_STORE,
    card_job,
    error_body,
    error_response,
    field_of,
    json_response,
    language,
    message,
    pool_of,
    theme_of,
)
from imhcard.web.fonts import web_font
from imhcard.web.forms import Form, read_form
from imhcard.web.page import PageState, field_limits, in_app_browser, render_page
from imhcard.web.photo_jobs import Kept, PhotoJob, keep
from imhcard.web.pool import Overloaded


async def _answer(request: Request, preview: bool,
                  respond: Callable[[CardBytes], Response]) -> Response:
    """Read the form, make the card (or preview) in a worker, answer with `respond`, or
    with the error in the page's language."""
    form = Form()
    try:
        form = await read_form(request)
        made: CardBytes = await pool_of(request).run(
            jobs.make_preview if preview else jobs.make_card, card_job(form))
    except (ImhcardError, Overloaded) as exc:
        return error_response(request, exc, language(request, form.get("lang")))
    return respond(made)


async def card(request: Request) -> Response:
    return await _answer(request, False, lambda made: Response(
        made.data, media_type=made.media_type, headers={
            "Content-Disposition": f'attachment; filename="{made.filename}"', **NO_STORE}))


async def card_json(request: Request) -> Response:
    return await _answer(request, False, lambda made: json_response(
        request, made.as_json(base64.b64encode(made.data).decode("ascii")), headers=NO_STORE))


async def preview(request: Request) -> Response:
    return await _answer(request, True, lambda made: Response(
        made.data, media_type=made.media_type, headers=NO_STORE))


def _state(request: Request, lang: str, form: Form) -> PageState:
    return PageState(lang, form.fields, in_app=in_app_browser(
        request.headers.get("user-agent", "")))


async def page(request: Request) -> Response:
    lang = language(request, request.query_params.get("lang"))
    return HTMLResponse(render_page(theme_of(request), _state(request, lang, Form())))


async def _kept(request: Request, form: Form) -> Kept | None:
    """The photo of a plain form post, kept for the next post: the page's copy of it
    goes back in the page, so an error never makes the supporter choose it again.
    Nothing is kept on the server."""
    if not form.photo:
        return None
    try:
        kept: Kept = await pool_of(request).run(keep, PhotoJob(form.photo, form.photo_name))
    except (ImhcardError, Overloaded):
        return None  # a photo it cannot read is the error the page shows already
    return kept


async def page_post(request: Request) -> Response:
    """The form without JavaScript: the page again, with the card or with the errors,
    and the photo kept in the form."""
    form = Form()
    try:
        form = await read_form(request)
        made: CardBytes = await pool_of(request).run(jobs.make_card, card_job(form))
    except (ImhcardError, Overloaded) as exc:
        lang = language(request, form.get("lang"))
        _, status, headers = error_body(exc, lang)
        field = "" if isinstance(exc, Overloaded) else field_of(exc) or ""
        state = _state(request, lang, form)
        state.errors = [(field, message(exc, lang))]
        if field != "photo":
            state.kept = await _kept(request, form)
        return HTMLResponse(render_page(theme_of(request), state), status, headers)
    state = _state(request, language(request, form.get("lang")), form)
    state.made, state.kept = made, await _kept(request, form)
    return HTMLResponse(render_page(theme_of(request), state), headers=NO_STORE)


async def theme_json(request: Request) -> Response:
    theme = theme_of(request)
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
        "limits": {**field_limits(theme), "photo_bytes": PAGE_PHOTO_MAX_BYTES,
                   "body_bytes": PAGE_BODY_MAX_BYTES, "photo_pixels": MAX_PIXELS,
                   "zoom_max": ZOOM_MAX},
    }
    return JSONResponse(body, headers={"Cache-Control": "public, max-age=300"})


ROLES = {"display": 700, "body": 400, "body_bold": 700}


@cache
def _css(theme: Theme) -> str:
    c = theme.colours
    props = ";".join(f"--{k.replace('_', '-')}:#{v[0]:02x}{v[1]:02x}{v[2]:02x}"
                     for k, v in c.items())
    faces = "".join(
        f'@font-face{{font-family:"imhcard-{role.split("_")[0]}";'
        f"src:url(/fonts/{role}.woff2);"
        f"font-weight:{weight};font-display:swap}}"
        for role, weight in ROLES.items())
    return f"{faces}:root{{{props}}}\n"


async def theme_css(request: Request) -> Response:
    return Response(_css(theme_of(request)), media_type="text/css",
                    headers={"Cache-Control": "public, max-age=300"})


async def font(request: Request) -> Response:
    """A font of the theme's: /fonts/<role>.woff2 is the page's light subset
    (web/fonts.py: WOFF2, or WOFF for a theme's own font where brotli is missing);
    /fonts/<role>.ttf the whole font, for anyone who wants it."""
    f = theme_of(request).fonts
    role, _, kind = request.path_params["name"].rpartition(".")
    path = {"display": f.display, "body": f.body, "body_bold": f.body_bold}.get(role)
    if path is None or kind not in ("woff2", "ttf"):
        return JSONResponse({"error": {"field": None, "message": "no such font"}}, 404)
    if kind == "ttf":
        data = _font_file(path)
        media = "font/otf" if path.suffix.lower() == ".otf" else "font/ttf"
    else:
        data, media = web_font(path)
    return Response(data, media_type=media, headers={"Cache-Control": "public, max-age=86400"})


@cache
def _font_file(path: Any) -> bytes:
    data: bytes = path.read_bytes()
    return data


async def healthz(request: Request) -> Response:
    pool = pool_of(request)
    return JSONResponse({"ok": True, "theme": theme_of(request).year,
                         "workers": pool.settings.workers, "busy": pool.busy,
                         "photo_limit_mb": PAGE_PHOTO_MAX_BYTES // MIB}, headers=NO_STORE)
