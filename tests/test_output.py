"""Files on disk: PNG with its alt text and sRGB, JPEG, WebP and the print PDF; safe file
names always inside the output folder; atomic writes that never leave half a card."""

from __future__ import annotations

import os
import re
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from PIL import Image

from imhcard.core.formats import FORMATS, pick_formats
from imhcard.core.supporter import Supporter
from imhcard.core.theme import Theme
from imhcard.errors import FitError, OutputError
from imhcard.output import cards as cards_module
from imhcard.output.cards import make_cards
from imhcard.output.files import card_stem, slug, write_atomic, write_caption, write_card
from imhcard.render.compose import Card
from imhcard.render.pipeline import encode_card


def leftovers(folder: Path) -> list[str]:
    """Temporary files a write may have left (mkstemp names them .<target>.*.part)."""
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


# --- PNG ----------------------------------------------------------------------------


def test_png_has_alt_text_and_srgb(tmp_path: Path, cards_2026: dict[str, Card]) -> None:
    card = cards_2026["instagram-square"]
    written = write_card(encode_card(card), tmp_path, "aoife-ni-bhriain")
    assert written.image == tmp_path.resolve() / "aoife-ni-bhriain-instagram-square.png"
    assert written.alt == tmp_path.resolve() / "aoife-ni-bhriain-instagram-square.alt.txt"
    with Image.open(written.image) as img:
        assert (img.format, img.mode, img.size) == ("PNG", "RGB", (1080, 1080))
        assert img.info["Description"] == card.alt_text  # read by screen-reader aware tools
        assert "srgb" in img.info
        assert img.info["Software"] == "imhcard"
        img.load()
        # Lossless: the file holds exactly the rendered pixels.
        assert img.tobytes() == card.image.tobytes()
    data = written.image.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data.index(b"sRGB") < data.index(b"IDAT")  # colour space before the pixels
    assert written.alt.read_text(encoding="utf-8") == card.alt_text + "\n"
    assert leftovers(tmp_path) == []


def test_files_can_be_shared(tmp_path: Path, cards_2026: dict[str, Card]) -> None:
    # mkstemp makes owner-only files; a card must get the usual permissions.
    umask = os.umask(0)
    os.umask(umask)
    written = write_card(encode_card(cards_2026["facebook"]), tmp_path, "aoife")
    for path in (written.image, written.alt):
        assert path.stat().st_mode & 0o777 == 0o666 & ~umask


def test_digest_is_of_the_bytes_written(tmp_path: Path, cards_2026: dict[str, Card]) -> None:
    import hashlib

    written = write_card(encode_card(cards_2026["x"]), tmp_path, "aoife")
    assert written.digest == hashlib.sha256(written.image.read_bytes()).hexdigest()


# --- JPEG, WebP, PDF ----------------------------------------------------------------


def test_jpeg(tmp_path: Path, cards_2026: dict[str, Card]) -> None:
    card = cards_2026["story"]
    written = write_card(encode_card(card, "jpeg"), tmp_path, "aoife")
    assert written.image.name == "aoife-story.jpg"
    with Image.open(written.image) as img:
        assert (img.format, img.mode, img.size) == ("JPEG", "RGB", (1080, 1920))
        assert img.info.get("icc_profile"), "no sRGB profile"
        assert img.getexif()[0x010E].startswith("A pledge card for ")  # ImageDescription


def test_jpeg_alt_text_keeps_accents(tmp_path: Path, cards_2026: dict[str, Card]) -> None:
    card = cards_2026["story"]
    written = write_card(encode_card(card, "jpeg"), tmp_path, "aoife")
    data = written.image.read_bytes()
    # XMP carries the alt text exactly (dc:description and IPTC's accessibility field,
    # each as x-default and tagged with the card's language); EXIF's ASCII-only
    # ImageDescription gets an accent-free copy, never '?'.
    assert data.count(escape(card.alt_text).encode("utf-8")) == 4
    with Image.open(written.image) as img:
        ascii_copy = img.getexif()[0x010E]
    assert "?" not in ascii_copy
    assert "Aoife Ni Bhriain" in ascii_copy and "8-14 June 2026" in ascii_copy


def test_webp(tmp_path: Path, cards_2026: dict[str, Card]) -> None:
    written = write_card(encode_card(cards_2026["linkedin"], "webp"), tmp_path, "aoife")
    assert written.image.name == "aoife-linkedin.webp"
    with Image.open(written.image) as img:
        assert (img.format, img.size) == ("WEBP", (1200, 627))
        assert img.info.get("icc_profile"), "no sRGB profile"


@pytest.mark.parametrize("kind", ["png", "jpeg", "webp"])
def test_print_card_is_always_a_pdf(tmp_path: Path, cards_2026: dict[str, Card],
                                    kind: str) -> None:
    written = write_card(encode_card(cards_2026["print-a5"], kind), tmp_path, "aoife")
    assert written.image.name == "aoife-print-a5.pdf"
    data = written.image.read_bytes()
    assert data.startswith(b"%PDF")
    # A5 is 148 × 210 mm = 419.5 × 595.3 points: 1748 × 2480 pixels at 300 dpi.
    box = re.search(rb"/MediaBox \[ ?0 0 ([\d.]+) ([\d.]+) ?\]", data)
    assert box is not None
    assert (float(box.group(1)), float(box.group(2))) == pytest.approx((419.52, 595.2))


def test_unknown_image_type(tmp_path: Path, cards_2026: dict[str, Card]) -> None:
    with pytest.raises(OutputError) as info:
        write_card(encode_card(cards_2026["x"], "gif"), tmp_path, "aoife")
    assert str(info.value) == "unknown image type 'gif'; choose one of: png, jpeg, webp"
    assert list(tmp_path.iterdir()) == []


def test_caption_beside_the_cards(tmp_path: Path, cards_2026: dict[str, Card]) -> None:
    path = write_caption(cards_2026["x"].caption, tmp_path, "aoife")
    assert path == tmp_path.resolve() / "aoife-caption.txt"
    assert path.read_text(encoding="utf-8") == cards_2026["x"].caption + "\n"


# --- atomic writes ------------------------------------------------------------------


def test_failed_rename_leaves_no_file_and_no_temporary(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    target = tmp_path / "card.png"
    with pytest.raises(OutputError) as info:
        write_atomic(target, b"\x89PNG...")
    assert str(info.value) == f"cannot write {target}: No space left on device"
    assert list(tmp_path.iterdir()) == []


def test_failed_write_keeps_the_previous_card(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "card.png"
    target.write_bytes(b"the card from yesterday")
    monkeypatch.setattr(os, "replace", lambda src, dst: (_ for _ in ()).throw(OSError(5, "EIO")))
    with pytest.raises(OutputError):
        write_atomic(target, b"half a new card")
    assert target.read_bytes() == b"the card from yesterday"
    assert leftovers(tmp_path) == []


def test_interrupted_write_leaves_no_temporary(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupt(src: str, dst: str) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupt)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(tmp_path / "card.png", b"data")
    assert list(tmp_path.iterdir()) == []


def test_card_write_failure_leaves_no_image(tmp_path: Path, cards_2026: dict[str, Card],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(src: str, dst: str) -> None:
        raise OSError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OutputError):
        write_card(encode_card(cards_2026["story"]), tmp_path, "aoife")
    assert not any(p.suffix == ".png" for p in tmp_path.iterdir())
    assert leftovers(tmp_path) == []


def test_successful_write_replaces_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "card.png"
    target.write_bytes(b"old")
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["card.png"]


def test_error_in_a_later_format_writes_nothing(tmp_path: Path, theme_2026: Theme,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """make_cards renders every format before it writes any."""
    real = cards_module.make_card

    def fails_on_story(theme: Theme, pledge: object, fmt: object, *a: object,
                       **k: object) -> object:
        if getattr(fmt, "name", "") == "story":
            raise FitError("pledge", "the pledge is too long to fit on the story card")
        return real(theme, pledge, fmt, *a, **k)  # type: ignore[arg-type]

    monkeypatch.setattr(cards_module, "make_card", fails_on_story)
    out = tmp_path / "cards"
    with pytest.raises(FitError):
        make_cards(theme_2026, Supporter(name="Aoife", pledge="listen"),
                   pick_formats(["instagram-square", "story"]), out)
    assert not out.exists() or list(out.iterdir()) == []


def test_make_cards_writes_every_format(tmp_path: Path, theme_2026: Theme) -> None:
    made = make_cards(theme_2026, Supporter(name="Aoife Ní Bhriain", pledge="speak-up"),
                      pick_formats(["instagram-square", "print-a5"]), tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "aoife-ni-bhriain-caption.txt", "aoife-ni-bhriain-instagram-square.alt.txt",
        "aoife-ni-bhriain-instagram-square.png", "aoife-ni-bhriain-print-a5.alt.txt",
        "aoife-ni-bhriain-print-a5.pdf"]
    assert [w.image.name for w in made.files] == ["aoife-ni-bhriain-instagram-square.png",
                                                  "aoife-ni-bhriain-print-a5.pdf"]
    assert made.caption.name == "aoife-ni-bhriain-caption.txt"


def test_pick_formats() -> None:
    assert pick_formats([]) == list(FORMATS.values())
    assert pick_formats(["all"]) == list(FORMATS.values())
    assert [f.name for f in pick_formats(["story", "x", "story"])] == ["story", "x"]


# --- file names ---------------------------------------------------------------------


@pytest.mark.parametrize(("name", "expected"), [
    ("Aoife Ní Bhriain", "aoife-ni-bhriain"),
    ("Seán O'Neill", "sean-o-neill"),
    ("Caoimhín Ó Súilleabháin-Wróbel", "caoimhin-o-suilleabhain-wrobel"),
    ("  Mary   Smith  ", "mary-smith"),
    ("/etc/passwd", "etc-passwd"),
    (".hidden", "hidden"),
])
def test_slug(name: str, expected: str) -> None:
    assert slug(name) == expected


def test_slug_for_a_name_with_no_latin_letters_is_a_stable_code() -> None:
    first = slug("陈美玲")
    assert re.fullmatch(r"supporter-[0-9a-f]{8}", first)
    assert slug("陈美玲") == first  # the same name always gets the same file
    assert slug("陈美林") != first  # and a different name a different one
    assert re.fullmatch(r"supporter-[0-9a-f]{8}", slug("شيماء"))


def test_slug_is_never_longer_than_the_limit() -> None:
    name = "Caoimhín Ó Súilleabháin-Wróbel Fitzgerald Mac Giolla Phádraig Nic Dhonnchadha-Óg"
    assert len(slug(name)) <= 48 + 9


def test_different_mixed_script_names_get_different_files() -> None:
    assert slug("Zoë 陈") != slug("Zoë 林")


@pytest.mark.parametrize("name", ["../../etc", "..", "../../../tmp/evil", "a/../../b",
                                  "\\..\\..\\windows", "~/.ssh/id_rsa"])
def test_names_never_escape_the_output_folder(tmp_path: Path, cards_2026: dict[str, Card],
                                              name: str) -> None:
    out = tmp_path / "out"
    written = write_card(encode_card(cards_2026["x"]), out, slug(name))
    assert written.image.parent == out.resolve()
    assert written.alt.parent == out.resolve()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_stem_with_a_path_in_it_is_refused(tmp_path: Path) -> None:
    with pytest.raises(OutputError) as info:
        card_stem(tmp_path, "../escape", "story")
    assert str(info.value).startswith(f"refusing to write outside {tmp_path}")


def test_same_card_gives_byte_identical_files(cards_2026: dict[str, Card]) -> None:
    """Batches compare files by digest; nothing time-dependent may be embedded."""

    for name in ("instagram-square", "print-a5"):
        assert encode_card(cards_2026[name]).data == encode_card(cards_2026[name]).data


@pytest.mark.parametrize("write", ["together", "atomic_file"])
def test_a_stop_just_after_the_temporary_file_is_made_leaves_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, write: str) -> None:
    """The window SIGTERM could fall into: the temporary file exists, the caller has not
    yet heard of it. Its name is now known before it is made, so the clean-up finds it."""
    import os

    from imhcard.output import files

    real_open = os.open

    def open_then_stop(path: object, flags: int, mode: int = 0o777) -> int:
        os.close(real_open(path, flags, mode))  # type: ignore[arg-type]
        raise KeyboardInterrupt

    monkeypatch.setattr(files.os, "open", open_then_stop)
    with pytest.raises(KeyboardInterrupt):
        if write == "together":
            files.write_together([(tmp_path / "a.png", b"x")])
        else:
            with files.atomic_file(tmp_path / "a.png"):
                pass
    monkeypatch.undo()
    assert list(tmp_path.iterdir()) == []


def test_a_stop_inside_the_renames_waits_for_them() -> None:
    """A signal that arrives while a card and its alt text are being put in place is
    handled once both are in place, never between them, and never lost."""
    import os
    import signal

    from imhcard.output.stops import handler, uninterrupted

    class Stopped(Exception):
        pass

    def stop(signum: int) -> None:
        raise Stopped(signum)

    done = []
    previous = signal.signal(signal.SIGUSR1, handler(stop))
    try:
        with pytest.raises(Stopped), uninterrupted():
            os.kill(os.getpid(), signal.SIGUSR1)
            done.append("card")
            done.append("alt text")
        assert done == ["card", "alt text"]
        with pytest.raises(Stopped):  # outside the block, at once
            os.kill(os.getpid(), signal.SIGUSR1)
            done.append("never")
        assert "never" not in done
    finally:
        signal.signal(signal.SIGUSR1, previous)
