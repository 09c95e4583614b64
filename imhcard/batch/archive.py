"""Packing a batch's cards into one zip to send (and with --by-supporter, one per
supporter)."""

from __future__ import annotations

import csv
import io
import json
import os
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path

from imhcard.batch.manifest import DELIVERED, status_read
from imhcard.output.files import atomic_file

# Zip entries get a fixed date, so the same cards always make the same zip.
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def zip_batch(out_dir: Path, manifests: Sequence[Path], zip_path: Path) -> Path:
    """Pack the cards, alt texts and captions a manifest lists, with the manifest, into
    one zip for sending. Images are stored as they are (they are compressed already).
    The zip goes to people who post or print the cards: the manifest in it leaves out
    the supporters' e-mail addresses."""
    with atomic_file(zip_path) as tmp, zipfile.ZipFile(tmp, "w") as archive:
        seen: set[str] = set()
        for manifest in manifests:
            _add_bytes(archive, _without_emails(out_dir / manifest.name), manifest.name)
        for name in _listed_files(manifests):
            if name not in seen:
                seen.add(name)
                _add(archive, out_dir / name, name)
    return zip_path


def zip_supporters(out_dir: Path, manifests: Sequence[Path]) -> tuple[Path, ...]:
    """With --by-supporter: one zip per supporter's folder (FOLDER.zip beside it), with
    their cards, alt texts and caption, to send to each supporter on their own."""
    by_folder: dict[str, dict[str, None]] = {}
    for name in _listed_files(manifests):
        folder, sep, _ = name.partition("/")
        if sep:
            by_folder.setdefault(folder, {})[name] = None
    made: list[Path] = []
    for folder, names in by_folder.items():
        path = out_dir / f"{folder}.zip"
        with atomic_file(path) as tmp, zipfile.ZipFile(tmp, "w") as archive:
            for name in names:
                _add(archive, out_dir / name, name)
        made.append(path)
    return tuple(made)


def _listed_files(manifests: Sequence[Path]) -> Iterator[str]:
    """Files of made and skipped cards, streamed from the CSV manifests."""
    for manifest in manifests:
        if manifest.suffix != ".csv":
            continue
        with manifest.open(encoding="utf-8-sig", newline="") as fh:
            for record in csv.DictReader(fh):
                if status_read(record["status"]) in DELIVERED:
                    yield from record["files"].split()


def _without_emails(path: Path) -> bytes:
    """A manifest's bytes with the e-mail column emptied."""
    if path.suffix == ".json":
        data = json.loads(path.read_text(encoding="utf-8"))
        for card in data.get("cards", []):
            card.pop("email", None)
        return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    out = io.StringIO(newline="")
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        writer = csv.writer(out)
        header = next(reader, [])
        drop = header.index("email") if "email" in header else -1
        for record in [header, *reader]:
            writer.writerow([cell for i, cell in enumerate(record) if i != drop])
    return "\ufeff".encode() + out.getvalue().encode("utf-8")


def _add_bytes(archive: zipfile.ZipFile, data: bytes, name: str) -> None:
    info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
    info.external_attr = 0o644 << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(info, data)


def _add(archive: zipfile.ZipFile, path: Path, name: str) -> None:
    info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
    info.external_attr = 0o644 << 16
    text = path.suffix in (".txt", ".csv", ".json")
    info.compress_type = zipfile.ZIP_DEFLATED if text else zipfile.ZIP_STORED
    # Never through a symlink: the zip holds only files in the batch folder.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(fd, "rb") as src, archive.open(info, "w") as dst:
        while chunk := src.read(1 << 20):
            dst.write(chunk)
