"""Reading a text file line by line, in the encoding it was saved in (a byte-order mark
wins; UTF-16 too), naming the line of a decoding error, and refusing a line past the
limit rather than gathering it (a file with no line breaks would otherwise be read whole)."""

from __future__ import annotations

import codecs
import io
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from imhcard.core.limits import LINE_MAX_BYTES, megabytes
from imhcard.errors import BatchInputError

CHUNK = 1 << 16


def _split(fh: BinaryIO, sep: bytes, path: Path) -> Iterator[bytes]:
    """The file's lines, each with its ending, read in chunks; a line past
    LINE_MAX_BYTES is refused rather than gathered (a file with no line breaks
    would otherwise be read whole)."""
    rest = b""
    number = 1
    while chunk := fh.read(CHUNK):
        rest += chunk
        *lines, rest = rest.split(sep)
        for line in lines:
            yield line + sep
        number += len(lines)
        if len(rest) > LINE_MAX_BYTES:
            raise BatchInputError(_long_line(path, number))
    if rest:
        yield rest


def _long_line(path: Path, number: int) -> str:
    return (f"{path.name} line {number}: the line is longer than "
            f"{megabytes(LINE_MAX_BYTES)}, the limit for one line; is this really a "
            "spreadsheet export?")


def decode_error(path: Path, line: int, encoding: str, exc: UnicodeDecodeError) -> str:
    byte = exc.object[exc.start:exc.start + 1].hex().upper() if exc.object else "?"
    if codecs.lookup(encoding).name == "utf-8":
        return (f"{path.name} line {line}: the text is not valid UTF-8 (byte 0x{byte}); the "
                "file was probably saved as plain 'CSV' rather than 'CSV UTF-8'. Save it as "
                "CSV UTF-8, or read it as it is with --encoding cp1252")
    return (f"{path.name} line {line}: the text is not valid {encoding} (byte 0x{byte}); "
            "check --encoding (utf-8 and cp1252 are the usual ones)")


def utf16_without_bom(head: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' for text saved as UTF-16 with no byte-order mark (some
    tools' "Unicode text"): mostly Latin letters, so every other byte is NUL, on the
    odd bytes (little-endian) or the even ones (big-endian). None for anything else."""
    pairs = len(head) // 2
    if pairs < 4:
        return None
    odd, even = head[1:pairs * 2:2].count(0), head[0:pairs * 2:2].count(0)
    if odd >= pairs * 0.3 and even * 10 <= odd:
        return "utf-16-le"
    if even >= pairs * 0.3 and odd * 10 <= even:
        return "utf-16-be"
    return None


def text_lines(path: Path, encoding: str | None) -> Iterator[str]:
    """Decoded lines with their endings; a decoding error names the line."""
    with path.open("rb") as fh:
        head = fh.read(CHUNK)
        fh.seek(0)
        if head.startswith(codecs.BOM_UTF8):
            encoding = "utf-8"  # a byte-order mark says UTF-8, whatever was asked
            fh.seek(len(codecs.BOM_UTF8))
        elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            encoding = "utf-16"
        elif encoding is None:
            encoding = utf16_without_bom(head)
        encoding = encoding or "utf-8"
        if codecs.lookup(encoding).name.startswith(("utf-16", "utf-32")):
            # Wide encodings cannot be split at the byte b"\n"; let io decode them.
            text = io.TextIOWrapper(fh, encoding=encoding, newline="")
            done = 0  # lines decoded so far, for the error's line number
            try:
                while decoded := text.readline(LINE_MAX_BYTES // 2 + 1):
                    if len(decoded) > LINE_MAX_BYTES // 2:
                        raise BatchInputError(_long_line(path, done + 1))
                    yield decoded
                    done += 1
            except UnicodeDecodeError as exc:
                raise BatchInputError(decode_error(path, done + 1, encoding, exc)) from None
            return
        # Old Mac spreadsheets end lines with a bare CR.
        sep = b"\r" if b"\r" in head and b"\n" not in head else b"\n"
        for number, raw in enumerate(_split(fh, sep, path), 1):
            try:
                yield raw.decode(encoding)
            except UnicodeDecodeError as exc:
                raise BatchInputError(decode_error(path, number, encoding, exc)) from None


