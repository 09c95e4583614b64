"""The routes behind the page's live preview, made so that moving the photo costs no
request and a photo crosses a phone's slow connection once:

    POST /frame   the card for the current words without its photo, as a layer the page
                  draws the photo under (output/frame.py), with the pledge's length as
                  the server counts it. ?photo=1 for the card with a photo; ?layer=png
                  for a browser without WebP. No photo is sent.
    POST /photo   the page's copy of the photo: where it sits in every card
                  (output/placing.py), as the first line of NDJSON; with ?card=1 the card
                  itself for the form's words (as /card.json) on a second line, so a
                  supporter who changes nothing more has it at once; with ?copy=1 (a
                  photo the browser could not shrink) the server's copy goes back too.
"""

from __future__ import annotations

import asyncio
import base64
import json
import zlib
from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from imhcard.core.fields import clean_text
from imhcard.core.messages import problem
from imhcard.core.pledge import normalise_pledge
from imhcard.core.theme import Theme
from imhcard.errors import ImhcardError, PhotoError
from imhcard.output.memory import CardBytes
from imhcard.web import jobs, photo_jobs
from imhcard.web.answers import (
    NO_STORE,
    accepts_gzip,
    card_job,
    error_body,
    error_response,
    json_response,
    language,
    pool_of,
    theme_of,
)
from imhcard.web.forms import Form, read_form
from imhcard.web.pool import Overloaded


def pledge_chars(theme: Theme, form: Form, lang: str) -> int | None:
    """How long the supporter's own pledge is as the server counts it against the
    theme's limit: after its own clean-up and normalising (core/supporter.py), so
    "I pledge to read every night." counts as "read every night." does. None for a
    prompt or nothing."""
    raw = clean_text(form.pledge())
    words = theme.wording(lang)
    if not raw or raw.lower() in words.prompts:
        return None
    text = normalise_pledge(raw, words.pledge_intro, lang, words.prompts.values())
    return None if text.lower() in words.prompts else len(text)


async def frame(request: Request) -> Response:
    form = Form()
    lang = language(request, None)
    count: int | None = None
    try:
        form = await read_form(request)
        lang = language(request, form.get("lang"))
        count = pledge_chars(theme_of(request), form, lang)
        job = card_job(form)  # checks the format
        layer = "png" if request.query_params.get("layer") == "png" else "webp"
        body: dict[str, Any] = await pool_of(request).run(photo_jobs.frame, photo_jobs.FrameJob(
            job.supporter, job.format, request.query_params.get("photo") == "1", layer))
    except (ImhcardError, Overloaded) as exc:
        return error_response(request, exc, lang, pledge_chars=count)
    return json_response(request, {**body, "pledge_chars": count}, headers=NO_STORE)


class _Lines:
    """NDJSON lines, gzipped as one stream flushed after each line, so the first line
    reaches the phone while the second is still being made."""

    def __init__(self, gzip: bool) -> None:
        self.z = zlib.compressobj(6, zlib.DEFLATED, 31) if gzip else None

    def line(self, obj: Any) -> bytes:
        data = json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"
        if self.z is None:
            return data
        return self.z.compress(data) + self.z.flush(zlib.Z_SYNC_FLUSH)

    def end(self) -> bytes:
        return b"" if self.z is None else self.z.flush()


def _quietly(task: asyncio.Future[Any]) -> None:
    """A card nobody waits for any more finishes in its worker; its outcome is dropped."""
    if not task.cancelled():
        task.exception()


async def photo(request: Request) -> Response:
    form = Form()
    lang = language(request, None)
    pool = pool_of(request)
    want_card = request.query_params.get("card") == "1"
    make_copy = request.query_params.get("copy") == "1"
    card: asyncio.Future[CardBytes] | None = None
    try:
        form = await read_form(request)
        lang = language(request, form.get("lang"))
        if not form.photo:
            raise problem(PhotoError, "photo", "photo_missing")
        job = None
        if want_card:
            try:
                job = card_job(form)
            except ImhcardError:
                job = None  # the preview says what is wrong with the words
        if job is not None and not make_copy:  # made beside the places, on another worker
            card = asyncio.ensure_future(pool.run(jobs.make_card, job))
        placed: photo_jobs.Placed = await pool.run(photo_jobs.place, photo_jobs.PhotoJob(
            form.photo, form.photo_name, lang, make_copy))
        if job is not None and placed.copy is not None:
            card = asyncio.ensure_future(pool.run(jobs.make_card, replace(
                job, photo=placed.copy)))
    except (ImhcardError, Overloaded) as exc:
        if card is not None:
            card.add_done_callback(_quietly)
        return error_response(request, exc, lang)
    lines = _Lines(accepts_gzip(request))

    async def body() -> AsyncIterator[bytes]:
        yield lines.line(placed.as_json())
        if card is not None:
            card.add_done_callback(_quietly)
            try:
                # Shielded: a supporter who moves on closes the request, and the card
                # finishes in its worker rather than the worker being killed mid-card.
                made = await asyncio.shield(card)
            except (ImhcardError, Overloaded) as exc:
                yield lines.line(error_body(exc, lang)[0])
            else:
                yield lines.line({"card": made.as_json(
                    base64.b64encode(made.data).decode("ascii"))})
        yield lines.end()

    headers = {**NO_STORE, "X-Accel-Buffering": "no"}
    if lines.z is not None:
        headers.update({"Content-Encoding": "gzip", "Vary": "Accept-Encoding"})
    return StreamingResponse(body(), media_type="application/x-ndjson", headers=headers)

