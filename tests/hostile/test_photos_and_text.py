"""Classes 4 and 5: photos and supporters' text."""

from __future__ import annotations

import os
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from imhcard.batch.inputs import photo_path
from imhcard.core.limits import MARKS_PER_LETTER_MAX
from imhcard.core.supporter import Supporter, resolve
from imhcard.core.theme import Theme
from imhcard.errors import PhotoError, SupporterError
from imhcard.render.photo import load_photo

from .conftest import Sandbox, batch, card, refused

# --- photos ------------------------------------------------------------------------


def noise(path: Path, size: tuple[int, int] = (300, 300), mode: str = "RGB") -> None:
    data = np.random.default_rng(1).integers(0, 255, (size[1], size[0], 3), dtype=np.uint8)
    Image.fromarray(data).convert(mode).save(path)


@pytest.mark.parametrize(("make", "words"), [
    (lambda p: p.write_text("not a photo"), "cannot read the photo 'me.png'"),
    (lambda p: (noise(p.with_suffix(".jpg")),
                p.write_bytes(p.with_suffix(".jpg").read_bytes()[:600])),
     "cannot read the photo 'me.png'"),
    (lambda p: Image.new("1", (20_000, 20_000)).save(p), "the limit is 50 megapixels"),
    (lambda p: p.mkdir(), "is a folder"),
    (lambda p: p.write_bytes(b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n"),
     "cannot read the photo"),
], ids=["not-an-image", "truncated", "bomb", "folder", "eps"])
def test_bad_photo(tmp_path: Path, make: object, words: str) -> None:
    make(tmp_path / "me.png")  # type: ignore[operator]
    started = time.monotonic()
    with pytest.raises(PhotoError) as info:
        load_photo(tmp_path / "me.png")
    assert words in str(info.value) and time.monotonic() - started < 2


@pytest.mark.parametrize("make", [lambda p: os.mkfifo(p), lambda p: p.symlink_to("/dev/zero")],
                         ids=["fifo", "device"])
def test_photo_that_would_hang_or_never_end(box: Sandbox, make: object) -> None:
    make(box.work / "me.png")  # type: ignore[operator]
    ran = box.run(*card("--photo", "me.png"), timeout=20)
    refused(ran, box, "not a regular file")
    assert not box.out.exists() or not any(box.out.iterdir())


@pytest.mark.parametrize(("mode", "size"), [
    ("CMYK", (120, 90)), ("I;16", (90, 120)), ("P", (100, 100)), ("LA", (64, 64))])
def test_unusual_modes_load(tmp_path: Path, mode: str, size: tuple[int, int]) -> None:
    path = tmp_path / ("me.jpg" if mode == "CMYK" else "me.png")
    Image.new(mode, size).save(path)
    photo = load_photo(path)
    assert photo.mode == "RGBA" and photo.size == size


def test_animated_gif_uses_its_first_frame(tmp_path: Path) -> None:
    frames = [Image.new("RGB", (50, 40), (i * 20, 0, 0)) for i in range(30)]
    frames[0].save(tmp_path / "me.gif", save_all=True, append_images=frames[1:])
    photo = load_photo(tmp_path / "me.gif")
    assert photo.size == (50, 40) and photo.getpixel((0, 0))[:3] == (0, 0, 0)


def test_huge_exif_is_read_quickly(tmp_path: Path) -> None:
    image = Image.new("RGB", (100, 100))
    exif = image.getexif()
    exif[0x010E] = "x" * 60_000  # ImageDescription
    exif[0x0112] = 6  # rotated: the photo must still be turned upright
    image.save(tmp_path / "me.jpg", exif=exif)
    started = time.monotonic()
    assert load_photo(tmp_path / "me.jpg").size == (100, 100)
    assert time.monotonic() - started < 2


@pytest.mark.parametrize("cell", [
    "/etc/passwd", "../../../../../etc/passwd", "/dev/zero", "link.png", "sub/../../x.png",
    "http://example.org/me.jpg"])
def test_photo_cell_outside_its_folders(tmp_path: Path, cell: str) -> None:
    (tmp_path / "link.png").symlink_to("/etc/passwd")
    with pytest.raises(PhotoError) as info:
        photo_path(cell, tmp_path)
    assert "is outside" in str(info.value) or "web link" in str(info.value)


def test_batch_photo_outside_its_folder(box: Sandbox) -> None:
    (box.work / "link.png").symlink_to("/etc/passwd")
    (box.work / "in.csv").write_text("Name,Pledge,Photo\nAoife,speak-up,link.png\n")
    ran = box.run(*batch("in.csv"))
    # The card is made without the photo (--strict would fail the row), and said so.
    assert ran.code in (0, 1) and "Traceback" not in ran.stderr, ran.stderr
    assert "in.csv row 2, column 'Photo'" in ran.stderr and "is outside" in ran.stderr
    assert box.leftovers() == []
    assert box.run(*batch("in.csv", "--strict")).code == 1


def test_batch_photo_fifo_in_its_folder_does_not_hang(box: Sandbox) -> None:
    os.mkfifo(box.work / "me.png")
    (box.work / "in.csv").write_text("Name,Pledge,Photo\nAoife,speak-up,me.png\n")
    ran = box.run(*batch("in.csv", "--strict"), timeout=20)
    assert ran.code == 1 and "Traceback" not in ran.stderr, ran.stderr
    assert "in.csv row 2, column 'Photo'" in ran.stderr


def test_photos_dir_is_the_other_allowed_folder(box: Sandbox) -> None:
    (box.root / "photos").mkdir()
    noise(box.root / "photos" / "me.png")
    (box.work / "in.csv").write_text("Name,Pledge,Photo\nAoife,speak-up,me.png\n"
                                     "Bob,listen,../photos/me.png\n")
    ran = box.run(*batch("in.csv", "--photos", "../photos"))
    assert ran.code == 0, ran.stderr
    ran = box.run(*batch("in.csv", "--photos", "no-such-folder"))
    refused(ran, box, "--photos no-such-folder: no such folder")


# --- text --------------------------------------------------------------------------


def quick_error(theme: Theme, **fields: str) -> SupporterError:
    started = time.monotonic()
    with pytest.raises(SupporterError) as info:
        resolve(Supporter(**{"name": "Aoife", "pledge": "speak-up", **fields}), theme)
    assert time.monotonic() - started < 0.5
    return info.value


@pytest.mark.parametrize(("field", "value", "words"), [
    ("name", "A" * 10_000, "the name is 10000 characters"),
    ("pledge", "word " * 2_000, "shorten it by"),
    ("pledge", "w" * 10_000_000, "far more than fits"),
    ("org", "o" * 100_000, "far more than fits"),
    ("name", "\u200b\u2060\u200d", "no visible letters"),
    ("name", "\u202e\u202d", "the name is empty"),
    ("name", "Zalgo" + "\u0301" * 40, f"more than {MARKS_PER_LETTER_MAX} accents"),
    ("pledge", "listen\ufffd", "lost when the file was saved"),
    ("language", "x" * 5_000, "has no wording in this theme"),
], ids=["long-name", "long-pledge", "10-mb-pledge", "long-org", "invisible-name",
        "bidi-only-name", "zalgo", "replacement-char", "long-language"])
def test_text_is_refused_quickly(theme_2026: Theme, field: str, value: str,
                                 words: str) -> None:
    error = quick_error(theme_2026, **{field: value})
    assert words in str(error) and error.field == field
    assert len(str(error)) < 300


def test_bidi_overrides_cannot_reverse_a_name(theme_2026: Theme) -> None:
    text = resolve(Supporter(name="Aoife \u202eevil\u202c", pledge="speak-up"), theme_2026)
    assert text.name == "Aoife evil"


def test_control_characters_are_dropped(theme_2026: Theme) -> None:
    text = resolve(Supporter(name="Ao\x07ife\x1b[31m", pledge="speak-up"), theme_2026)
    assert text.name == "Aoife[31m"


def test_unassigned_code_point_is_named_not_boxed(box: Sandbox) -> None:
    ran = box.run("card", "--name", "Aoife \U000e0fff\u0378", "--pledge", "speak-up",
                  "--format", "instagram-square", "--out", "out")
    refused(ran, box, "U+")


def test_photo_error_is_a_supporter_error() -> None:
    assert issubclass(PhotoError, SupporterError)


def test_only_the_accepted_image_formats_are_registered() -> None:
    """open_image names its formats, and each one's plugin is registered up front, so
    Pillow never loads its other decoders (EPS runs Ghostscript; all of them cost start-up)."""
    from PIL import Image

    from imhcard.core.images import ACCEPTED_FORMATS

    assert all(f in Image.OPEN for f in ACCEPTED_FORMATS)
