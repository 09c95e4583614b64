"""Photos as forms deliver them.

A photo cell may be a file name beside the input, a file in the folder staff
downloaded (`--photos DIR`), or a web link: Google Forms' file-upload answers are
Drive links, Microsoft Forms' are OneDrive/SharePoint links, and people paste
others. Links are first matched against the downloaded folder (by the Drive file
id, the file name in the link, or the supporter's name in the file name, as
Google and Microsoft name uploads: "IMG_1234 - Aoife Ni Bhriain.jpg"), then
fetched: https only, with size and time limits, images only. Fetched photos are
kept in the output folder's hidden cache (or only in memory for --check), so a
re-run does not fetch them again.

When a photo cannot be had the row says why (a `PhotoPick` with a problem);
the batch then makes the card without the photo, or fails the row with --strict.
"""

from __future__ import annotations

import hashlib
import http.client
import io
import ipaddress
import os
import re
import socket
import time
import unicodedata
import urllib.error
import urllib.parse
import urllib.request
import warnings
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image, UnidentifiedImageError

from imhcard.output.files import write_atomic
from imhcard.render.photo import MAX_PIXELS

MAX_BYTES = 25 * 1024 * 1024  # a phone photo is 2-12 MB; refuse anything far bigger
READ_TIMEOUT = 10.0  # seconds without a byte before a download is given up
TOTAL_SECONDS = 30.0  # however the bytes trickle in, a download ends by then
MAX_REDIRECTS = 5
THREADS = 4  # downloads at once: enough to hide latency, polite to the host
CACHE_DIR = ".imhcard-photos"
FOLDER_FILES_MAX = 50_000  # a --photos folder bigger than this is probably the wrong one
_USER_AGENT = "imhcard (pledge cards; photo fetch)"
_IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".gif", ".webp", ".heic", ".heif",
                             ".tif", ".tiff", ".bmp", ".avif"})
_URL = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)
_DRIVE_HOSTS = ("drive.google.com", "docs.google.com")
_DRIVE_PATH_ID = re.compile(r"/(?:file/)?d/([-\w]{10,})")
_DRIVE_ID = re.compile(r"[-\w]{25,}")  # Drive file ids are 28-44 letters, digits, - and _
_MS_HOSTS = ("sharepoint.com", "onedrive.live.com", "1drv.ms")

# Tests serve photos from a local http server; nothing else may use plain http.
# Set True only in tests (see tests/test_photos.py); it allows http to loopback only.
allow_http_loopback_for_tests = False

# The problems, by kind: these are the groups the batch's summary counts.
NOT_DOWNLOADED = "photo is a web link that could not be downloaded"
NOT_SHARED = "photo link gave a web page, not a photo (not shared with 'Anyone with the link'?)"
NOT_IMAGE = "photo is not a picture imhcard can read"
TOO_BIG = "photo is too big"
NOT_FOUND = "photo file not found"
OUTSIDE = "photo is outside the input's folder and --photos"
NOT_HTTPS = "photo link is not https"
AMBIGUOUS = "several downloaded photos match"


@dataclass(frozen=True)
class PhotoPick:
    """What became of one row's photo cell: a file to draw, or why there is none.
    In a --check run a fetched photo is verified but not kept: `checked` is True and
    `path` None."""

    path: Path | None = None
    problem: str = ""  # the sentence for this row ("" when the photo is fine or absent)
    kind: str = ""  # the group it is counted in
    checked: bool = False

    @property
    def has_photo(self) -> bool:
        return self.path is not None or self.checked


NO_PHOTO = PhotoPick()


class _Refused(Exception):
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
    return name if Path(name).suffix.lower() in _IMAGE_SUFFIXES else ""


def _words(text: str) -> str:
    """'IMG_1234 - Aoife Ní Bhriain' -> 'img 1234 aoife ni bhriain'."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()
    return " ".join(re.findall(r"[a-z0-9]+", plain))


def _inside(path: Path, folders: Iterable[Path]) -> bool:
    return any(path == f or f in path.parents for f in folders)


# --- the folder staff downloaded -------------------------------------------------------------


class PhotoFolder:
    """The files of a --photos folder (and its subfolders, as a Drive or OneDrive zip
    unpacks), indexed by file name, Drive id and the words of the name."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.by_name: dict[str, list[Path]] = {}
        self.stems: list[tuple[str, Path]] = []
        count = 0
        for dirpath, dirnames, filenames in os.walk(self.root):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for filename in sorted(filenames):
                path = Path(dirpath) / filename
                if path.suffix.lower() not in _IMAGE_SUFFIXES or filename.startswith("."):
                    continue
                count += 1
                if count > FOLDER_FILES_MAX:
                    return
                self.by_name.setdefault(filename.casefold(), []).append(path)
                self.stems.append((_words(path.stem), path))

    def by_file_name(self, name: str) -> list[Path]:
        return self.by_name.get(Path(name).name.casefold(), [])

    def containing(self, token: str) -> list[Path]:
        """Files whose name contains a Drive id (Google names some downloads by it)."""
        return [p for _, p in self.stems if token in p.name]

    def named_for(self, supporter: str) -> list[Path]:
        """Files whose name ends with the supporter's name ("IMG_1234 - Aoife Ní Bhriain",
        "IMG_1234_Aoife Ni Bhriain") or is just the name."""
        want = _words(supporter)
        if not want:
            return []
        return [p for words, p in self.stems if words == want or words.endswith(" " + want)]


def _one(paths: list[Path], what: str) -> PhotoPick | None:
    if len(paths) == 1:
        return PhotoPick(paths[0])
    if len(paths) > 1:
        names = ", ".join(f"'{p.name}'" for p in paths[:3])
        return PhotoPick(problem=f"several photos in --photos match {what} ({names}); put "
                         "the right file's name in the photo cell", kind=AMBIGUOUS)
    return None


def match_in_folder(folder: PhotoFolder, cell: str, supporter: str) -> PhotoPick | None:
    """The downloaded file for a link or file name, by the most certain clue first."""
    if is_link(cell):
        url = first_link(cell)
        if (fid := drive_id(url)) and (pick := _one(folder.containing(fid),
                                                    "the Drive file id")):
            return pick
        if (name := link_file_name(url)) and (pick := _one(folder.by_file_name(name),
                                                             f"'{name}'")):
            return pick
    elif pick := _one(folder.by_file_name(cell), f"'{Path(cell).name}'"):
        return pick
    return _one(folder.named_for(supporter), "the supporter's name")


# --- downloading ----------------------------------------------------------------------------


def _check_url(url: str) -> None:
    parts = urllib.parse.urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "https":
        return
    if scheme == "http" and allow_http_loopback_for_tests and _is_loopback(parts.hostname):
        return
    raise _Refused(NOT_HTTPS, f"the photo link is {scheme}://, not https://; imhcard only "
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
    """Raise _Refused unless the bytes are a picture Pillow decodes, of a sane size."""
    if _sniff(data) is None:
        head = data[:512].lstrip().lower()
        if head.startswith((b"<!doctype html", b"<html", b"<")):
            raise _Refused(NOT_SHARED, "the photo link gave a web page, not a photo; the file "
                           "is probably not shared with 'Anyone with the link' (or needs a "
                           "sign-in). Download it and use --photos DIR")
        raise _Refused(NOT_IMAGE, "the photo link gave a file that is not a picture "
                       "(JPEG, PNG, HEIC, WebP or GIF)")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as img:
                if img.width * img.height > MAX_PIXELS:
                    raise _Refused(TOO_BIG, f"the photo is {img.width}×{img.height} pixels; "
                                   "imhcard takes photos under 60 megapixels")
                img.draft("RGB", (1024, 1024))
                img.load()
    except _Refused:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError,
            Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
        raise _Refused(NOT_IMAGE, f"the downloaded photo cannot be read "
                       f"({exc.__class__.__name__}); it may be damaged") from None


def download(url: str) -> bytes:
    """The bytes at an https link (Drive links rewritten to their download form),
    checked to be a picture; raises _Refused saying why not. The limits are read
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
                raise _Refused(TOO_BIG, f"the photo at the link is {int(length) // 2**20} MB; "
                               f"imhcard downloads photos up to {max_bytes // 2**20} MB")
            chunks: list[bytes] = []
            size = 0
            while chunk := response.read1(1 << 16):
                size += len(chunk)
                if size > max_bytes:
                    raise _Refused(TOO_BIG, f"the photo at the link is over "
                                   f"{max_bytes // 2**20} MB; imhcard downloads photos up to "
                                   f"{max_bytes // 2**20} MB")
                if time.monotonic() > deadline:
                    raise _Refused(NOT_DOWNLOADED, f"the photo took over {total_seconds:.0f} s "
                                   "to download; download it and use --photos DIR")
                chunks.append(chunk)
    except _Refused:
        raise
    except urllib.error.HTTPError as exc:
        hint = ("the file is not shared, or was deleted" if exc.code in (401, 403, 404, 410)
                else "the server had a problem; try again later")
        raise _Refused(NOT_DOWNLOADED, f"downloading the photo gave HTTP {exc.code} "
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
            text = str(reason) or reason.__class__.__name__
        raise _Refused(NOT_DOWNLOADED, f"the photo could not be downloaded ({text})") from None
    data = b"".join(chunks)
    verify_image(data)
    return data


# --- one run's photos ----------------------------------------------------------------------


@dataclass
class PhotoResolver:
    """Finds every row's photo. Build it, `prefetch` the run's links (in a few threads,
    before rows are made), then `pick` each row's photo."""

    base: Path  # the input file's folder: photo file names are relative to it
    folder: PhotoFolder | None = None
    cache: Path | None = None  # where fetched photos are kept; None: memory only (--check)
    fetch: Callable[[str], bytes] | None = None  # default: download

    def __post_init__(self) -> None:
        self.base = self.base.resolve()
        self._fetched: dict[str, PhotoPick] = {}

    @property
    def allowed(self) -> tuple[Path, ...]:
        return (self.base,) + ((self.folder.root,) if self.folder else ())

    def prefetch(self, cells: Iterable[tuple[str, str]]) -> int:
        """Fetch the links of (cell, supporter name) pairs that the folder does not
        already hold, THREADS at a time. Returns how many links were fetched."""
        todo: dict[str, None] = {}
        for cell, name in cells:
            if not is_link(cell):
                continue
            if self.folder is not None and match_in_folder(self.folder, cell, name) is not None:
                continue
            url = first_link(cell)
            if url not in self._fetched:
                todo[url] = None
        if not todo:
            return 0
        with ThreadPoolExecutor(min(THREADS, len(todo))) as pool:
            for url, pick in zip(todo, pool.map(self._get, todo), strict=True):
                self._fetched[url] = pick
        return len(todo)

    def _cached(self, url: str) -> Path | None:
        if self.cache is None:
            return None
        digest = hashlib.sha256(direct_url(url).encode()).hexdigest()[:32]
        return self.cache / f"{digest}.img"

    def _get(self, url: str) -> PhotoPick:
        cached = self._cached(url)
        if cached is not None and cached.is_file():
            return PhotoPick(cached)
        try:
            data = (self.fetch or download)(url)
        except _Refused as exc:
            return PhotoPick(problem=str(exc), kind=exc.kind)
        if cached is None:
            return PhotoPick(checked=True)
        write_atomic(cached, data)
        return PhotoPick(cached)

    def pick(self, cell: str, supporter: str) -> PhotoPick:
        """The photo for a row's photo cell and name."""
        cell = cell.strip()
        if not cell:
            return NO_PHOTO
        if is_link(cell):
            if self.folder is not None and (pick := match_in_folder(self.folder, cell,
                                                                    supporter)):
                return pick
            url = first_link(cell)
            if url not in self._fetched:
                self._fetched[url] = self._get(url)
            return self._fetched[url]
        return self._local(cell, supporter)

    def _local(self, cell: str, supporter: str) -> PhotoPick:
        if "\\" in cell and "/" not in cell and not Path(cell).is_absolute():
            cell = cell.replace("\\", "/")  # typed on Windows: photos\me.jpg
        path = (self.base / cell).resolve()  # an absolute path stays as it is
        if not _inside(path, self.allowed):
            where = " or the --photos folder" if self.folder else ""
            return PhotoPick(problem=f"the photo '{cell}' is outside the input file's folder"
                             f"{where}; imhcard reads photos only from there (use --photos "
                             "DIR)", kind=OUTSIDE)
        if path.is_file():
            return PhotoPick(path)
        if self.folder is not None and (pick := match_in_folder(self.folder, cell, supporter)):
            return pick
        where = f"'{self.base.name}/'" + (f" or --photos '{self.folder.root.name}/'"
                                          if self.folder else "")
        return PhotoPick(problem=f"no photo '{cell}' in {where}; check the file name, or "
                         "give the folder of downloaded photos with --photos DIR",
                         kind=NOT_FOUND)


def photo_cells(rows: Iterable[Mapping[str, str]]) -> Iterable[tuple[str, str]]:
    """(photo cell, name) of rows that have a photo cell."""
    for values in rows:
        cell = values.get("photo", "").strip()
        if cell:
            yield cell, values.get("name", "")
