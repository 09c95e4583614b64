"""Reading a card request's form: the request is admitted first (by the render queue's
expected wait, then by the upload memory budget: admission.py), and only then is the
body read, chunk by chunk, with caps checked as it arrives, and parsed in memory.
Nothing is spooled to a temporary file (Starlette's own form parser writes uploads
over 1 MIB to disk), so a supporter's photo never touches the disk."""

from __future__ import annotations

import base64
import binascii
import math
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import ClientDisconnect, Request

from imhcard.core.fields import FIELDS
from imhcard.core.limits import (
    MIB,
    MULTIPART_BOUNDARY_MAX,
    PAGE_BODY_MAX_BYTES,
    PAGE_FIELD_MAX_BYTES,
    PAGE_FORM_MAX_PARTS,
    PAGE_PHOTO_MAX_BYTES,
    PAGE_URLENCODED_MAX_BYTES,
)
from imhcard.core.messages import problem
from imhcard.core.supporter import Crop, Supporter
from imhcard.errors import SupporterError
from imhcard.web.admission import UploadBudget
from imhcard.web.headers import log_safe
from imhcard.web.pool import Overloaded

FIRST_RESERVATION = 256 * 1024  # upload memory taken before the first byte is read
# The supporter's fields the page asks for (from the table), and the card's own settings.
SUPPORTER_FIELDS = tuple(f for f in FIELDS if f.on_card)
FORM_FIELDS = (*(f.option for f in SUPPORTER_FIELDS), "format", "image_format", "crop_x",
               "crop_y", "zoom", "pledge_choice", "pledge_own", "crop", "photo_remove")
# The plain form's photo, kept in the page after a post (web/routes.py): base64 text.
KEPT = "photo_kept"
MAX_KEPT = PAGE_PHOTO_MAX_BYTES * 4 // 3 + 4


class TooLarge(SupporterError):
    """The request or its photo is over the server's size limit (HTTP 413)."""


class BadForm(SupporterError):
    """The body is not a form this server can read (HTTP 400)."""


@dataclass
class Form:
    """A card request's fields as text, and the photo's bytes if one was sent."""

    fields: dict[str, str] = field(default_factory=dict)
    photo: bytes = b""
    photo_name: str = ""
    kept: bytes = b""  # the plain form's kept photo, in base64, until read_form decodes it

    def take_kept_photo(self) -> None:
        """The plain form's kept photo is the photo, unless a new one was chosen or the
        supporter asked for none."""
        kept, self.kept = self.kept.strip(), b""
        if self.get("photo_remove"):
            self.photo, self.photo_name = b"", ""
        elif kept and not self.photo:
            try:
                self.photo = base64.b64decode(kept, validate=True)
            except (binascii.Error, ValueError):
                raise problem(BadForm, "photo", "form_unreadable",
                              why="the kept photo is not base64") from None
            self.photo_name = "photo"

    def get(self, name: str, default: str = "") -> str:
        return self.fields.get(name, default).strip() or default

    def pledge(self) -> str:
        """`pledge` as the CLI takes it; the page sends a choice and its own words."""
        if "pledge" in self.fields:
            return self.fields["pledge"]
        choice = self.get("pledge_choice")
        return self.fields.get("pledge_own", "") if choice in ("", "own") else choice

    def crop(self) -> Crop | None:
        """The supporter's crop, or None for the automatic one (faces kept in frame).
        `crop=auto` says they did not move the photo, `crop=set` that they did; a form
        without `crop` (a script) has a crop when it gives any of its numbers."""
        mode = self.get("crop")
        given = any(self.get(name) for name in ("crop_x", "crop_y", "zoom"))
        if mode == "auto" or (mode != "set" and not given):
            return None
        values = []
        for name, default in (("crop_x", 0.5), ("crop_y", 0.5), ("zoom", 1.0)):
            text = self.get(name)
            try:
                value = float(text) if text else default
            except ValueError:
                raise problem(SupporterError, name, "crop_not_number", value=text[:20]) from None
            if not math.isfinite(value):
                raise problem(SupporterError, name, "crop_not_number", value=text[:20])
            values.append(value)
        return Crop(*values).check()

    def supporter(self) -> Supporter:
        """The form's supporter fields, by the table (core/fields.py)."""
        values: dict[str, Any] = {f.name: self.fields.get(f.option, "")
                                  for f in SUPPORTER_FIELDS}
        return Supporter(**{**values, "pledge": self.pledge()}, crop=self.crop())


def _too_large_body() -> TooLarge:
    return problem(TooLarge, "photo", "request_over_size", mb=PAGE_BODY_MAX_BYTES // MIB,
                   photo_mb=PAGE_PHOTO_MAX_BYTES // MIB)


def _text(name: str, raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise problem(BadForm, name, "form_unreadable",
                      why=f"the {name[:40]} is not UTF-8 text") from None


class _Parts:
    """Callbacks for python-multipart's streaming parser, keeping parts in memory."""

    def __init__(self, form: Form) -> None:
        self.form = form
        self.header_field = b""
        self.header_value = b""
        self.headers: dict[bytes, bytes] = {}
        self.data = bytearray()
        self.name = ""
        self.filename: str | None = None
        self.count = 0

    def on_part_begin(self) -> None:
        self.count += 1
        if self.count > PAGE_FORM_MAX_PARTS:
            raise problem(BadForm, "form", "form_unreadable",
                          why=f"it has more than {PAGE_FORM_MAX_PARTS} fields")
        self.headers, self.data, self.name, self.filename = {}, bytearray(), "", None

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self.header_field += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self.header_value += data[start:end]

    def on_header_end(self) -> None:
        self.headers[self.header_field.lower()] = self.header_value
        self.header_field = self.header_value = b""

    def on_headers_finished(self) -> None:
        _, options = parse_options_header(self.headers.get(b"content-disposition", b""))
        self.name = options.get(b"name", b"").decode("utf-8", "replace")
        filename = options.get(b"filename")
        self.filename = None if filename is None else filename.decode("utf-8", "replace")

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        self.data += memoryview(data)[start:end]  # no copy of the slice on the way
        if self.name == KEPT:
            if len(self.data) > MAX_KEPT:
                raise problem(TooLarge, "photo", "photo_over_size", mb=PAGE_PHOTO_MAX_BYTES // MIB)
        elif self.name == "photo":
            if len(self.data) > PAGE_PHOTO_MAX_BYTES:
                raise problem(TooLarge, "photo", "photo_over_size", mb=PAGE_PHOTO_MAX_BYTES // MIB)
        elif len(self.data) > PAGE_FIELD_MAX_BYTES:
            raise problem(TooLarge, self.name[:40] or "form", "form_unreadable",
                          why=f"the {self.name[:40] or 'field'} is over "
                              f"{PAGE_FIELD_MAX_BYTES} bytes")

    def on_part_end(self) -> None:
        if self.name == "photo":
            # An empty file input (no photo chosen) sends an empty part: no photo.
            if self.data:
                self.form.photo = bytes(self.data)
                self.form.photo_name = (self.filename or "")[-80:]
        elif self.name == KEPT and self.filename is None:
            self.form.kept = bytes(self.data)
        elif self.name in FORM_FIELDS and self.filename is None:
            self.form.fields[self.name] = _text(self.name, bytes(self.data))


class _Memory:
    """The upload memory this request holds, taken before each part of it is read."""

    def __init__(self, request: Request, limit: int, declared: bool) -> None:
        self.budget: UploadBudget | None = getattr(request.app.state, "uploads", None)
        self.scope = request.scope
        self.limit = limit
        self.declared = declared  # a body of unknown length ranks behind every known one
        self.held = 0

    async def ahead_of(self, size: int) -> None:
        """Hold enough for the next chunk after `size` bytes (twice as much, at most
        the limit): waits, or raises Overloaded (503), when the budget is spent."""
        if self.budget is not None and size + FIRST_RESERVATION > self.held:
            want = min(self.limit, max(FIRST_RESERVATION, 2 * size, size + FIRST_RESERVATION))
            left = self.limit - size if self.declared else PAGE_BODY_MAX_BYTES
            self.held = await self.budget.reserve(self.scope, want, left)


async def _admit(request: Request, declared: int | None, ctype: bytes) -> _Memory:
    """Before a byte of the body is read: a place in the render queue's expected wait,
    then memory for its first part (503 with Retry-After if either is not there)."""
    pool = getattr(request.app.state, "pool", None)
    if pool is not None:
        retry = pool.refuse()
        if retry is not None:
            raise Overloaded("the server is busy making other cards", retry)
    cap = PAGE_BODY_MAX_BYTES if ctype == b"multipart/form-data" else PAGE_URLENCODED_MAX_BYTES
    memory = _Memory(request, min(declared, cap) if declared is not None else cap,
                     declared is not None)
    await memory.ahead_of(0)
    return memory


async def read_form(request: Request) -> Form:
    """The request's form, read with every cap enforced while reading."""
    declared_text = request.headers.get("content-length")
    declared = int(declared_text) if declared_text and declared_text.isdigit() else None
    if declared is not None and declared > PAGE_BODY_MAX_BYTES:
        raise _too_large_body()  # refused before a byte of it is read
    ctype, options = parse_options_header(request.headers.get("content-type"))
    form = Form()
    if ctype == b"multipart/form-data":
        boundary = options.get(b"boundary")
        if not boundary:
            raise problem(BadForm, "form", "form_unreadable",
                          why="the multipart form has no boundary")
        if len(boundary) > MULTIPART_BOUNDARY_MAX:
            raise problem(BadForm, "form", "form_unreadable",
                          why=f"the multipart form's boundary is over {MULTIPART_BOUNDARY_MAX} "
                              "characters; send the form from the page")
    elif ctype not in (b"application/x-www-form-urlencoded", b""):
        raise problem(BadForm, "form", "form_unreadable",
                      why=f"a body of type {ctype.decode('latin-1')[:60]!r}; send multipart/"
                          "form-data (with a photo) or a URL-encoded form")
    memory = await _admit(request, declared, ctype)
    parts = _Parts(form)
    try:
        if ctype == b"multipart/form-data":
            parser = MultipartParser(boundary, {  # type: ignore[arg-type]
                name: getattr(parts, name) for name in (
                    "on_part_begin", "on_part_data", "on_part_end", "on_header_field",
                    "on_header_value", "on_header_end", "on_headers_finished")})
            size = 0
            async for chunk in request.stream():
                size += len(chunk)
                if size > PAGE_BODY_MAX_BYTES:
                    raise _too_large_body()
                parser.write(chunk)
                await memory.ahead_of(size)
            parser.finalize()
        elif ctype in (b"application/x-www-form-urlencoded", b""):
            body = bytearray()
            async for chunk in request.stream():
                body += chunk
                if len(body) > PAGE_URLENCODED_MAX_BYTES:
                    raise problem(TooLarge, "form", "form_unreadable",
                                  why="the form is over 64 KB; send the photo as "
                                      "multipart/form-data")
            for key, value in parse_qsl(_text("form", bytes(body)), keep_blank_values=True,
                                        max_num_fields=PAGE_FORM_MAX_PARTS * 4):
                if key in FORM_FIELDS:
                    form.fields[key] = value
    except (MultipartParseError, ValueError) as exc:
        raise problem(BadForm, "form", "form_unreadable",
                      why=f"the form is malformed: {log_safe(str(exc), 80)}") from None
    except ClientDisconnect:
        raise problem(BadForm, "form", "form_incomplete") from None
    finally:
        # A refused request's partial photo goes now, not when the traceback that keeps
        # this frame alive is collected.
        parts.data = bytearray()
    form.take_kept_photo()
    return form
