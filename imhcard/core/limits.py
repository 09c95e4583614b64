"""Every limit imhcard puts on what it reads, in one place.

The CLI, the batch runner and the web page all refuse input past these, with the
number in the message. docs/limits.md says why each value was chosen; the
hostile-input tests (tests/hostile/) prove each one holds.
"""

from __future__ import annotations

import os

KIB = 1024
MIB = 1024 * KIB

# --- theme files ------------------------------------------------------------------------
# The shipped themes are about 5 KB; a hand-written theme past 256 KB is not a theme.
THEME_MAX_BYTES = 256 * KIB
# Values in a theme (keys, list items, text) after YAML aliases are expanded; the
# shipped themes have about 150. Bounds every walk over the theme, aliases included.
THEME_MAX_NODES = 5_000
# How deep lists and mappings may nest; the theme's own schema is 5 deep.
YAML_MAX_DEPTH = 32
# Any one text in a theme (a title, a prompt, a caption template).
THEME_TEXT_MAX = 1_000
# The campaign link: no QR code holds more than 2,953 bytes, so a longer link is refused
# outright; `theme check` says, per format, when a shorter one is still too dense to scan.
CAMPAIGN_URL_MAX = 2_000

# --- files a theme, a photo or a batch points at ----------------------------------------
# Artwork, logos, photos and card thumbnails: a 48-megapixel phone photo fits; decoded as
# RGBA that is ~200 MB, which with the copies made while cropping stays well under 1 GB.
IMAGE_MAX_PIXELS = 50_000_000
IMAGE_MAX_BYTES = 50 * MIB
# Fonts: the biggest Noto CJK font is about 20 MB.
FONT_MAX_BYTES = 50 * MIB

# --- batch inputs -----------------------------------------------------------------------
# One cell of a CSV, XLSX or JSON input, in characters: a pledge is at most 400.
CELL_MAX_CHARS = 10_000
# One line of a CSV or JSON Lines file, in bytes (a quoted cell may still span lines).
LINE_MAX_BYTES = 1 * MIB
# Columns in a table, keys across a JSON/YAML input's objects: forms have dozens.
COLUMNS_MAX = 1_000
# JSON and YAML documents are read whole; JSON Lines and CSV are streamed with no size limit.
DOCUMENT_MAX_BYTES = 10 * MIB
# YAML is parsed much more slowly than JSON: about 200 KB a second on a busy machine.
YAML_DOCUMENT_MAX_BYTES = 1 * MIB
# Values in a YAML batch input, aliases expanded (about 20 per supporter).
DOCUMENT_MAX_NODES = 200_000
# An .xlsx is a zip: its parts, unpacked, and how many there are (zip bombs).
XLSX_MAX_UNPACKED_BYTES = 100 * MIB
XLSX_MAX_PARTS = 2_000

# --- batch folders ----------------------------------------------------------------------
# manifest.json is read whole by `imhcard sheet` (~1 KB per card).
MANIFEST_MAX_BYTES = 64 * MIB
# Longest file name imhcard writes or reads back from a journal or manifest.
FILE_NAME_MAX = 255

# --- the supporters' page: one request (web/forms.py) ---------------------------------
# A 48-megapixel phone JPEG is ~12 MB, HEIC about half that; with JavaScript the page
# sends its own copy of at most ~200 KB, so this is for the plain form and odd phones.
PAGE_PHOTO_MAX_BYTES = 15 * MIB
# The photo and a little room for the text fields.
PAGE_BODY_MAX_BYTES = PAGE_PHOTO_MAX_BYTES + 64 * KIB
# One text field, in bytes; the theme's own limits on each field are checked after.
PAGE_FIELD_MAX_BYTES = 4_096
# Fields in one form (the page sends about 15).
PAGE_FORM_MAX_PARTS = 32
# RFC 2046: a multipart boundary is 1 to 70 characters.
MULTIPART_BOUNDARY_MAX = 70
# A form sent without a photo (application/x-www-form-urlencoded).
PAGE_URLENCODED_MAX_BYTES = 64 * KIB

# --- photos a batch downloads and cards it mails ----------------------------------------
# A phone photo is 2-12 MB; a link to anything far bigger is refused while downloading.
PHOTO_LINK_MAX_BYTES = 25 * MIB
# One supporter's mail with its cards: most mail servers refuse messages over 20-25 MB.
MAIL_ATTACHMENTS_MAX_BYTES = 20 * MIB

# --- supporters' text -------------------------------------------------------------------
# Combining marks on one letter: Vietnamese needs 2, Tibetan stacks 4-5; "Zalgo" text 50+.
MARKS_PER_LETTER_MAX = 8


def megabytes(n: int) -> str:
    """A byte limit as people say it: '256 KB', '10 MB'."""
    return f"{n // MIB} MB" if n >= MIB else f"{n // KIB} KB"

# --- what decoding an image may cost, checked before any pixel is decoded ----------------
# (core/images.py; measured in bench/README.md "Decoding cost"). A 12-megapixel phone
# JPEG decodes in ~70 ms CPU because libjpeg scales it down while decoding; formats that
# must be decoded whole (PNG, WebP, HEIC, GIF, TIFF, BMP) cost ~17 ms per megapixel, so
# they are held to what an iPhone's default 24-megapixel HEIC needs.
IMAGE_MAX_FULL_DECODE_PIXELS = 30_000_000
# A progressive JPEG is decoded scan by scan over the whole image: ~0.8 ns per pixel per
# scan. Encoders write 3-12 scans; thousands of empty ones are an attack.
JPEG_MAX_SCANS = 100
JPEG_MAX_SCAN_PIXELS = 600_000_000  # pixels × scans: a 48-megapixel photo with 12 scans
# Marker segments in a JPEG (every scan, table, metadata block): a photo has 10-40.
JPEG_MAX_SEGMENTS = 2_000
# Chunks in a PNG (its image data is often split into 8-64 KB chunks: ~2,000 at 15 MB).
PNG_MAX_CHUNKS = 50_000
# EXIF is read only for the photo's orientation, and only up to this size (a phone's is
# ~12-60 KB; the JPEG format itself caps it at 64 KB).
EXIF_MAX_BYTES = 64 * KIB
# Extension blocks before a GIF's first picture (comments, loop settings): a few.
GIF_MAX_BLOCKS = 10_000
# A run-length-compressed BMP is decoded by Pillow in Python (~0.7 s per MB).
BMP_RLE_MAX_BYTES = 256 * KIB


def default_workers() -> int:
    """Worker processes a batch or the page starts when not told: one per CPU this
    process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - macOS and Windows
        return os.cpu_count() or 1
