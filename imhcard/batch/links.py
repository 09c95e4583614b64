"""Photo links: recognising them, rewriting share links to downloads, and downloading.

Google Forms' file-upload answers are Drive links, Microsoft Forms' are OneDrive or
SharePoint links. A Drive share link is rewritten to its direct-download form; a
download is https only (every redirect too), ends after a time and size limit
however slowly the bytes come, and is kept only if it is a picture Pillow decodes.
"""

from __future__ import annotations

import http.client
import io
import ipaddress
import re
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
import warnings
from pathlib import Path
from typing import Any

from PIL import Image, UnidentifiedImageError

from imhcard.core.limits import IMAGE_MAX_PIXELS as MAX_PIXELS
from imhcard.core.limits import PHOTO_LINK_MAX_BYTES

MAX_BYTES = PHOTO_LINK_MAX_BYTES  # here, so tests can lower it
READ_TIMEOUT = 10.0  # seconds without a byte before a download is given up
TOTAL_SECONDS = 30.0  # however the bytes trickle in, a download ends by then
MAX_REDIRECTS = 5
_USER_AGENT = "imhcard (pledge cards; photo fetch)"
IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".gif", ".webp", ".heic", ".heif",
                             ".tif", ".tiff", ".bmp", ".avif"})
_URL = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)
_DRIVE_HOSTS = ("drive.google.com", "docs.google.com")
_DRIVE_PATH_ID = re.compile(r"/(?:file/)?d/([-\w]{10,})")
_MS_HOSTS = ("sharepoint.com", "onedrive.live.com", "1drv.ms")

# Tests serve photos from a local http server; nothing else may use plain http.
# Set True only in tests (see tests/test_photos.py); it allows http to loopback only.
allow_http_loopback_for_tests = False

# The problems a link can have, by kind: groups the batch's summary counts.
NOT_DOWNLOADED = "photo is a web link that could not be downloaded"
NOT_SHARED = "photo link gave a web page, not a photo (not shared with 'Anyone with the link'?)"
NOT_IMAGE = "photo is not a picture imhcard can read"
TOO_BIG = "photo is too big"
NOT_HTTPS = "photo link is not https"


class Refused(Exception):
    """A download that is not even tried, or stopped (the message says why)."""

    def __init__(self, kind: str, message: str) -> None:
        self.kind = kind
        super().__init__(message)



def is_link(cell: str) -> bool:
    return bool(_URL.match(cell.strip()))


def first_link(cell: str) -> str:
    """A Google Forms answer with several uploads lists them comma-separated; the
    first is the photo."""
    return re.split(r"[,;\s]+(?=[a-z][a-z0-9+.-]*://)", cell.strip(), flags=re.IGNORECASE)[0]


def drive_id(url: str) -> str | None:
    """The file id of a Google Drive link (open?id=, file/d/ID/view, uc?id=)."""
    parts = urllib.parse.urlsplit(url)
    if (parts.hostname or "").lower() not in _DRIVE_HOSTS:
        return None
    if m := _DRIVE_PATH_ID.search(parts.path):
        return m.group(1)
    ids = urllib.parse.parse_qs(parts.query).get("id")
    return ids[0] if ids else None


def direct_url(url: str) -> str:
    """The link that gives the file itself rather than a page showing it."""
    if fid := drive_id(url):
        return f"https://drive.google.com/uc?export=download&id={fid}"
    parts = urllib.parse.urlsplit(url)
    host = (parts.hostname or "").lower()
    if host.endswith(_MS_HOSTS):
        query = [(k, v) for k, v in urllib.parse.parse_qsl(parts.query) if k != "download"]
        query.append(("download", "1"))
        return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))
    return url


def link_file_name(url: str) -> str:
    """The file name at the end of a link's path, if it looks like an image's
    (SharePoint links to Microsoft Forms uploads carry it)."""
    name = urllib.parse.unquote(urllib.parse.urlsplit(url).path.rsplit("/", 1)[-1])
    return name if Path(name).suffix.lower() in IMAGE_SUFFIXES else ""



def _check_url(url: str) -> None:
    parts = urllib.parse.urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "https":
        return
    if scheme == "http" and allow_http_loopback_for_tests and _is_loopback(parts.hostname):
        return
    raise Refused(NOT_HTTPS, f"the photo link is {scheme}://, not https://; imhcard only "
                   "downloads over https. Download the photo and use --photos DIR")


def _is_loopback(host: str | None) -> bool:
    if not host:
        return False
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Drive answers with a redirect to where the file is; every hop is checked too."""

    max_redirections = MAX_REDIRECTS

    def redirect_request(self, req: Any, fp: Any, code: int, msg: str, headers: Any,
                         newurl: str) -> urllib.request.Request | None:
        _check_url(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_OPENER = urllib.request.build_opener(_Redirects())


def _sniff(data: bytes) -> str | None:
    """The image type the first bytes say, or None."""
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data[4:8] == b"ftyp" and data[8:12] in (b"heic", b"heix", b"hevc", b"hevx", b"mif1",
                                                  b"msf1", b"avif", b"heim", b"heis"):
        return "heif"
    if data.startswith((b"II*\x00", b"MM\x00*")):
        return "tiff"
    if data.startswith(b"BM"):
        return "bmp"
    return None


def verify_image(data: bytes) -> None:
    """Raise Refused unless the bytes are a picture Pillow decodes, of a sane size."""
    if _sniff(data) is None:
        head = data[:512].lstrip().lower()
        if head.startswith((b"<!doctype html", b"<html", b"<")):
            raise Refused(NOT_SHARED, "the photo link gave a web page, not a photo; the file "
                           "is probably not shared with 'Anyone with the link' (or needs a "
                           "sign-in). Download it and use --photos DIR")
        raise Refused(NOT_IMAGE, "the photo link gave a file that is not a picture "
                       "(JPEG, PNG, HEIC, WebP or GIF)")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as img:
                if img.width * img.height > MAX_PIXELS:
                    raise Refused(TOO_BIG, f"the photo is {img.width}×{img.height} pixels; "
                                   "imhcard takes photos under 60 megapixels")
                img.draft("RGB", (1024, 1024))
                img.load()
    except Refused:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError,
            Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise Refused(NOT_IMAGE, "the downloaded photo cannot be read as a picture; it may "
                       "be damaged, or only part of it came") from None


def download(url: str) -> bytes:
    """The bytes at an https link (Drive links rewritten to their download form),
    checked to be a picture; raises Refused saying why not. The limits are read
    when called (MAX_BYTES, READ_TIMEOUT, TOTAL_SECONDS), so tests can lower them."""
    max_bytes, total_seconds, read_timeout = MAX_BYTES, TOTAL_SECONDS, READ_TIMEOUT
    target = direct_url(url)
    _check_url(target)
    deadline = time.monotonic() + total_seconds
    request = urllib.request.Request(target, headers={"User-Agent": _USER_AGENT,
                                                      "Accept": "image/*"})
    try:
        with _OPENER.open(request, timeout=read_timeout) as response:
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise Refused(TOO_BIG, f"the photo at the link is {int(length) // 2**20} MB; "
                               f"imhcard downloads photos up to {max_bytes // 2**20} MB")
            chunks: list[bytes] = []
            size = 0
            while chunk := response.read1(1 << 16):
                size += len(chunk)
                if size > max_bytes:
                    raise Refused(TOO_BIG, f"the photo at the link is over "
                                   f"{max_bytes // 2**20} MB; imhcard downloads photos up to "
                                   f"{max_bytes // 2**20} MB")
                if time.monotonic() > deadline:
                    raise Refused(NOT_DOWNLOADED, f"the photo took over {total_seconds:.0f} s "
                                   "to download; download it and use --photos DIR")
                chunks.append(chunk)
    except Refused:
        raise
    except urllib.error.HTTPError as exc:
        hint = ("the file is not shared, or was deleted" if exc.code in (401, 403, 404, 410)
                else "the server had a problem; try again later")
        raise Refused(NOT_DOWNLOADED, f"downloading the photo gave HTTP {exc.code} "
                       f"({hint})") from None
    except (urllib.error.URLError, OSError, ValueError, http.client.HTTPException) as exc:
        reason = getattr(exc, "reason", exc)
        if isinstance(reason, (socket.timeout, TimeoutError)):
            text = f"no answer within {read_timeout:g} s"
        elif isinstance(reason, socket.gaierror):
            host = urllib.parse.urlsplit(target).hostname
            text = f"cannot reach {host}: no network, or the address is wrong"
        elif isinstance(reason, ConnectionRefusedError):
            text = "the server refused the connection"
        else:
            text = str(reason) or "the connection failed"
        raise Refused(NOT_DOWNLOADED, f"the photo could not be downloaded ({text})") from None
    data = b"".join(chunks)
    verify_image(data)
    return data
