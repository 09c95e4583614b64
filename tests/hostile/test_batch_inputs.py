"""Class 3: batch input files. Each is refused before any card is made, with the file,
the line or row, and the limit; big inputs are refused without being read whole."""

from __future__ import annotations

import json
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from imhcard.batch.inputs import open_input
from imhcard.core.limits import (
    CELL_MAX_CHARS,
    COLUMNS_MAX,
    LINE_MAX_BYTES,
    XLSX_MAX_UNPACKED_BYTES,
)
from imhcard.errors import BatchInputError

from .conftest import Sandbox, batch, refused

HEADER = "Name,Pledge,Organisation,Photo\n"
ROW = "Aoife,speak-up,Sure Start,\n"


def read_error(path: Path, within: float = 5.0) -> str:
    """What reading the whole input (as `imhcard batch` does first) says; quickly."""
    started = time.monotonic()
    with pytest.raises(BatchInputError) as info:
        table = open_input(path)
        table.count()
        list(table.rows())
    assert time.monotonic() - started < within
    return str(info.value)


def test_100_mb_cell_is_refused_unread(box: Sandbox) -> None:
    path = box.work / "in.csv"
    with path.open("w") as fh:
        fh.write(HEADER + ROW + 'Bob,"')
    with path.open("r+b") as fh:  # a sparse 100 MB cell: no disk, no time to make
        fh.truncate(100 << 20)
    with path.open("ab") as fh:
        fh.write(b'",x,\n')
    ran = box.run(*batch("in.csv"), timeout=20)
    refused(ran, box, "in.csv line 3", f"longer than {LINE_MAX_BYTES >> 20} MB")


def test_quoted_cell_over_the_limit_across_lines(box: Sandbox) -> None:
    path = box.work / "in.csv"
    path.write_text(HEADER + ROW + 'Bob,"' + "many words\n" * 1000 + '",x,\n')
    assert f"at most {CELL_MAX_CHARS:,} characters" in read_error(path)


def test_a_million_columns(box: Sandbox) -> None:
    path = box.work / "in.csv"
    path.write_text("Name,Pledge" + ",c" * 1_000_000 + "\n" + ROW)
    assert "longer than 1 MB" in read_error(path)
    path.write_text("Name,Pledge" + ",c" * COLUMNS_MAX + "\n" + ROW)
    assert f"the limit is {COLUMNS_MAX:,}" in read_error(path)


def test_mixed_encodings_name_the_line(box: Sandbox) -> None:
    path = box.work / "in.csv"
    path.write_bytes(HEADER.encode() + "Aoife,speak-up,Ní,\n".encode()
                     + "Seán,speak-up,Ní,\n".encode("cp1252"))
    assert read_error(path).startswith("in.csv line 3: the text is not valid UTF-8")


def test_nul_bytes_are_dropped_not_a_crash(box: Sandbox) -> None:
    path = box.work / "in.csv"
    path.write_bytes(HEADER.encode() + b"Ao\0ife,speak-up,X,\n")
    ran = box.run(*batch("in.csv"))
    assert ran.code == 0, ran.stderr
    assert (box.out / "00002-aoife-instagram-square.png").exists()


def xlsx(path: Path, edit: Callable[[str, bytes], bytes] | None = None,
         extra: Callable[[zipfile.ZipFile], None] | None = None) -> None:
    book = openpyxl.Workbook()
    book.active.append(["Name", "Pledge"])
    book.active.append(["Aoife", "speak-up"])
    plain = path.with_suffix(".plain")
    book.save(plain)
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            dst.writestr(info, edit(info.filename, data) if edit else data)
        if extra:
            extra(dst)
    plain.unlink()


def test_xlsx_zip_bomb(box: Sandbox) -> None:
    def bomb(archive: zipfile.ZipFile) -> None:
        with archive.open("xl/media/padding.bin", "w") as fh:  # compresses ~1000:1
            for _ in range(XLSX_MAX_UNPACKED_BYTES // (1 << 20) + 1):
                fh.write(bytes(1 << 20))
    xlsx(box.work / "in.xlsx", extra=bomb)
    ran = box.run(*batch("in.xlsx"), timeout=20)
    refused(ran, box, "in.xlsx: unpacks to", "the limit is 100 MB")


def test_xlsx_external_entity(box: Sandbox) -> None:
    def xxe(name: str, data: bytes) -> bytes:
        if name != "xl/worksheets/sheet1.xml":
            return data
        doctype = b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        if data.startswith(b"<?xml"):
            head, _, rest = data.partition(b"?>")
            data = head + b"?>" + doctype + rest
        else:
            data = doctype + data
        return data.replace(b"Aoife", b"&e;")
    xlsx(box.work / "in.xlsx", edit=xxe)
    assert "declares XML entities" in read_error(box.work / "in.xlsx")


@pytest.mark.parametrize("make", [
    lambda p: zipfile.ZipFile(p, "w").writestr("hello.txt", "hi"),
    lambda p: p.write_bytes(b"PK\3\4 not really a zip"),
    lambda p: xlsx(p, edit=lambda n, d: d[: len(d) // 2] if n.endswith("sheet1.xml") else d),
], ids=["zip-not-xlsx", "not-a-zip", "cut-sheet"])
def test_file_that_is_not_a_workbook(box: Sandbox, make: Callable[[Path], object]) -> None:
    make(box.work / "in.xlsx")
    assert "save it again as .xlsx" in read_error(box.work / "in.xlsx")


@pytest.mark.parametrize(("name", "text", "words"), [
    ("in.json", "[" * 100_000 + "]" * 100_000, "nested too deeply"),
    ("in.jsonl", "[" * 100_000 + "]" * 100_000 + "\n", "nested too deeply"),
    ("in.json", '[{"name": "A", "pledge": ' + "9" * 10_000 + "}]", "not valid JSON"),
    ("in.jsonl", '{"name": "A", "pledge": ' + "9" * 10_000 + "}\n", "line 1: not valid JSON"),
    ("in.yaml", "s: [{name: A, pledge: 1" + "0" * 100 + "}]", "digits; the limit is 30"),
    ("in.yaml", "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{b}: &{b} [{', '.join([f'*{a}'] * 9)}]\n"
        for a, b in zip("abcdefgh", "bcdefghi", strict=True)), "alias bomb"),
    ("in.json", json.dumps([{"name": "A", "pledge": "p", **{f"k{i}": 1 for i in range(2000)}}]),
     f"more than {COLUMNS_MAX:,} different keys"),
], ids=["json-deep", "jsonl-deep", "json-huge-int", "jsonl-huge-int", "yaml-huge-int",
        "yaml-alias-bomb", "json-many-keys"])
def test_documents(box: Sandbox, name: str, text: str, words: str) -> None:
    (box.work / name).write_text(text)
    assert words in read_error(box.work / name)


def test_json_far_past_the_limit_is_refused_unread(box: Sandbox) -> None:
    path = box.work / "in.json"
    with path.open("wb") as fh:
        fh.write(b"[")
        fh.truncate(3 << 30)  # "3 GB" of supporters, sparse
    ran = box.run(*batch("in.json"), timeout=15)
    refused(ran, box, "in.json", "the limit is 10 MB", "JSON Lines")


def test_many_rows_stream_in_flat_memory(box: Sandbox) -> None:
    # Half a million blank rows, then a bad one, read in a 1 GB address space: streamed.
    path = box.work / "in.jsonl"
    with path.open("w") as fh:
        fh.write('{"name": "Aoife", "pledge": "speak-up"}\n')
        fh.write("\n" * 500_000)
        fh.write('{"name": "", "pledge": "speak-up"}\n')
    ran = box.run(*batch("in.jsonl"), timeout=60)
    assert ran.code == 1, ran.stderr  # the last row has no name
    assert "in.jsonl line 500002" in ran.stderr and "Traceback" not in ran.stderr
    assert box.leftovers() == []


def test_lone_surrogate_in_json_fails_its_row_only(box: Sandbox) -> None:
    (box.work / "in.json").write_text(
        '[{"name": "A\\ud800b", "pledge": "speak-up"}, {"name": "Bo", "pledge": "listen"},'
        ' {"name": "Cy", "pledge": "speak-up", "language": "\\udfff"}]')
    ran = box.run(*batch("in.json"))
    assert ran.code == 1 and "Traceback" not in ran.stderr, ran.stderr
    assert "in.json item 1" in ran.stderr and "lost when the file was saved" in ran.stderr
    assert "in.json item 3" in ran.stderr
    manifest = json.loads((box.out / "manifest.json").read_text(encoding="utf-8"))
    assert [c["status"] for c in manifest["cards"]] == ["failed", "made", "failed"]
