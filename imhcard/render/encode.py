"""Encoding a finished card to PNG, JPEG, WebP or PDF bytes.

PNG is written here rather than by Pillow: Pillow's encoder spends most of its
time choosing a row filter per line, which for a flat-colour card buys a few
per cent of size at three to five times the time. Unfiltered rows deflated by
ISA-L (python-isal) give files within ~10 % of Pillow's default, 5-10x faster.
"""

from __future__ import annotations

import io
import re
import struct
import time
import unicodedata
import zlib
from functools import cache

from isal import isal_zlib  # ISA-L: several times faster than zlib at the same ratio
from PIL import Image

_PDF_DATE = time.gmtime(1767225600)  # 2026-01-01 00:00 UTC
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
EXTENSIONS = {"png": ".png", "jpeg": ".jpg", "webp": ".webp", "pdf": ".pdf"}
MEDIA_TYPES = {"png": "image/png", "jpeg": "image/jpeg", "webp": "image/webp",
               "pdf": "application/pdf"}
# What a screen card may be saved as; a print card is always a PDF.
IMAGE_TYPES = ("png", "jpeg", "webp")
SOFTWARE = "imhcard"
# A language tag as a theme names its languages (ga, en, pt-BR): safe inside XML and PDF.
_LANGUAGE = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{1,8})?")


def _tag(language: str) -> str:
    """The language tag to embed, or "" (none) for anything that is not one."""
    return language if _LANGUAGE.fullmatch(language or "") else ""


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


def encode_png(image: Image.Image, description: str = "", language: str = "") -> bytes:
    """An 8-bit RGB PNG tagged sRGB, with the alt text as its Description, tagged with
    its language so tools and screen readers can pick the right voice."""
    rgb = image if image.mode == "RGB" else image.convert("RGB")
    w, h = rgb.size
    # Filter type 0 (none) on every row (see the module docstring): each row copied
    # after its zero filter byte into one buffer (one slice assignment per row, in C),
    # then deflated in one call. Feeding the rows to a streaming compressor two calls
    # a row cost 2 ms more per card in Python's own overhead.
    stride = w * 3
    rows = rgb.tobytes()
    framed = bytearray((stride + 1) * h)
    view = memoryview(framed)
    for y in range(h):
        start = y * (stride + 1) + 1
        view[start:start + stride] = rows[y * stride:(y + 1) * stride]
    idat = [isal_zlib.compress(framed, 2)]
    parts = [
        PNG_SIGNATURE,
        _chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)),
        _chunk(b"sRGB", b"\x00"),  # perceptual rendering intent
        _chunk(b"tEXt", b"Software\x00" + SOFTWARE.encode("latin-1")),
    ]
    if description:
        # iTXt: keyword, compression flag and method, language tag, translated keyword, text.
        parts.append(_chunk(b"iTXt", b"Description\x00\x00\x00" + _tag(language).encode()
                            + b"\x00\x00" + description.encode("utf-8")))
        parts.append(_chunk(b"iTXt", b"XML:com.adobe.xmp\x00\x00\x00\x00\x00"
                            + xmp_packet(description, language)))
    parts += [_chunk(b"IDAT", b"".join(idat)), _chunk(b"IEND", b"")]
    return b"".join(parts)


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.replace("–", "-").replace("—", "-"))
    return folded.encode("ascii", "ignore").decode()


def escape(text: str) -> str:
    """XML character data (xml.sax.saxutils.escape, without importing urllib.request)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def xmp_packet(description: str, language: str = "") -> bytes:
    """An XMP packet carrying the alt text as dc:description and as IPTC's
    "Alt Text (Accessibility)", the field image tools read for screen readers: an
    x-default entry, and the same text tagged with its language (XMP's language
    alternatives), plus dc:language."""
    text = escape(description)
    tag = _tag(language)
    alt = f'<rdf:li xml:lang="x-default">{text}</rdf:li>'
    if tag:
        alt += f'<rdf:li xml:lang="{tag}">{text}</rdf:li>'
    lang = f"<dc:language><rdf:Bag><rdf:li>{tag}</rdf:li></rdf:Bag></dc:language>" if tag else ""
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:Iptc4xmpCore="http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/">'
        f'<dc:description><rdf:Alt>{alt}</rdf:Alt></dc:description>{lang}'
        f'<Iptc4xmpCore:AltTextAccessibility><rdf:Alt>{alt}</rdf:Alt>'
        '</Iptc4xmpCore:AltTextAccessibility>'
        '</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
    ).encode()


_XMP_LANGUAGE = re.compile(rb'<rdf:li xml:lang="(?!x-default")([a-zA-Z0-9-]{2,12})">')
_PDF_LANGUAGE = re.compile(rb"/Lang \(([a-zA-Z0-9-]{2,12})\)")


def embedded_language(data: bytes) -> str | None:
    """The language a card's file is tagged with (as `encode` writes it: the XMP of a
    PNG, JPEG or WebP, the /Lang of a PDF), or None."""
    m = _XMP_LANGUAGE.search(data) or _PDF_LANGUAGE.search(data)
    return m.group(1).decode("ascii") if m else None


def _with_pdf_language(pdf: bytes, language: str) -> bytes:
    """The PDF with /Lang in its catalog, so a screen reader reads it in that language
    (Pillow has no option for it). The entry goes into the catalog dictionary and every
    cross-reference offset after it moves by its length."""
    tag = _tag(language)
    at = pdf.find(b"/Type /Catalog\n")
    xref = pdf.rfind(b"\nxref\n")
    start = pdf.rfind(b"\nstartxref\n")
    if not tag or at < 0 or xref < at or start < xref:
        return pdf
    entry = b"/Lang (" + tag.encode() + b")\n"
    shift = len(entry)

    def moved(m: re.Match[bytes]) -> bytes:
        offset = int(m.group(1))
        return b"%010d" % (offset + shift if offset > at else offset) + m.group(2)

    table = re.sub(rb"(\d{10})( \d{5} n)", moved, pdf[xref:start])
    old_start = int(pdf[start + len(b"\nstartxref\n"):].split(b"\n", 1)[0])
    tail = b"\nstartxref\n%d\n%%%%EOF" % (old_start + shift)
    return pdf[:at] + entry + pdf[at:xref] + table + tail


@cache
def _srgb_profile() -> bytes:
    from PIL import ImageCms  # only JPEG and WebP embed it; PNG says sRGB in a chunk

    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
    data: bytes = profile.tobytes()
    return data


def encode(image: Image.Image, image_type: str, description: str = "", dpi: int | None = None,
           title: str = "", language: str = "") -> bytes:
    """The image as `image_type` (png, jpeg, webp, pdf) bytes, sRGB, with its alt text
    embedded and tagged with `language` (the code of the card's words: ga, en)."""
    if image_type == "png":
        return encode_png(image, description, language)
    buf = io.BytesIO()
    rgb = image.convert("RGB")
    if image_type == "jpeg":
        exif = Image.Exif()
        # EXIF text is ASCII: an accent-free copy for old readers; XMP has the real text.
        exif[0x010E] = _ascii(description)  # ImageDescription
        exif[0x0131] = SOFTWARE
        # A flat-colour card at quality 85 without optimised tables was *larger* than its
        # PNG. Optimised Huffman tables and progressive scans cost no quality (~15 %
        # smaller); quality 80 (mean error 1.6 levels in 255 against 1.4 at 85, no visible
        # difference on text) takes it to ~0.8 x the PNG. Measured by bench/size_bench.py.
        rgb.save(buf, "JPEG", quality=80, subsampling=2, optimize=True, progressive=True,
                 icc_profile=_srgb_profile(), exif=exif.tobytes(),
                 xmp=xmp_packet(description, language))
    elif image_type == "webp":
        rgb.save(buf, "WEBP", quality=90, method=2, icc_profile=_srgb_profile(),
                 xmp=xmp_packet(description, language))
    elif image_type == "pdf":
        # Fixed dates: the same inputs give byte-identical files (batches compare them).
        rgb.save(buf, "PDF", resolution=float(dpi or 300), title=title, subject=description,
                 creator=SOFTWARE, creationDate=_PDF_DATE, modDate=_PDF_DATE)
        return _with_pdf_language(buf.getvalue(), language)
    else:
        raise ValueError(f"unknown image type {image_type!r}")
    return buf.getvalue()
