"""Class 2: theme files. Every one ends as a ThemeError naming the file, the line and the
limit, quickly, or as a theme; never a traceback, a hang or a memory blow-up."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from PIL import Image

from imhcard.core.limits import (
    CAMPAIGN_URL_MAX,
    THEME_MAX_BYTES,
    THEME_MAX_NODES,
    THEME_TEXT_MAX,
    YAML_MAX_DEPTH,
)
from imhcard.core.theme import load_theme
from imhcard.errors import ThemeError

from .conftest import Sandbox, card, refused

ALIAS_BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{b}: &{b} [{', '.join([f'*{a}'] * 9)}]\n"
    for a, b in zip("abcdefgh", "bcdefghi", strict=True))


def artwork_line(path: Path) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if line.startswith("  artwork:"))


def problems_of(path: Path, within: float = 5.0) -> list[str]:
    started = time.monotonic()
    try:
        load_theme(path)
    except ThemeError as exc:
        assert time.monotonic() - started < within
        return exc.problems
    raise AssertionError("the theme loaded")


def test_alias_bomb_is_refused_in_bounded_memory(box: Sandbox) -> None:
    # 9 ** 9 = 387 million values once expanded; the file is 300 bytes.
    box.theme(ALIAS_BOMB)
    ran = box.run("theme", "check", "theme.yaml", timeout=20)
    refused(ran, box, "theme.yaml:", f"more than {THEME_MAX_NODES:,} values", "alias bomb")


@pytest.mark.parametrize("text", [
    "year: " + "[" * 100_000 + "]" * 100_000,
    "year:\n" + "".join(" " * i + "k:\n" for i in range(1, 200)),
], ids=["flow", "block"])
def test_deep_nesting(box: Sandbox, text: str) -> None:
    path = box.theme(text)
    assert f"nested more than {YAML_MAX_DEPTH} deep" in problems_of(path)[0]


def test_huge_theme_file_is_refused_unread(box: Sandbox) -> None:
    path = box.work / "theme.yaml"
    with path.open("wb") as fh:  # sparse: 2 GB that take no disk and no time to make
        fh.truncate(2 << 30)
    ran = box.run("theme", "check", "theme.yaml", timeout=10)
    refused(ran, box, "theme.yaml", "2048 MB", f"the limit is {THEME_MAX_BYTES // 1024} KB")


@pytest.mark.parametrize(("edit", "words"), [
    (("year: 2026", "year: 1" + "0" * 5000), ["5001 digits; the limit is 30"]),
    (("start: 2026-06-08", "start: 2026-02-30"), ["2026-02-30 is not a real date"]),
    (("max_length: 140", "max_length: 1e400"), ["pledge.max_length", "from 20 to 400"]),
    (('background: "#F6FAF8"', "background: [1, 2]"), ["colours.background", "a list"]),
    (('background: "#F6FAF8"', 'background: "#GGGGGG"'), ["like \"#0F5C5A\""]),
    (("default_language: en", "default_language: [1]"), ["default_language"]),
    (("title: A Pledge for Every Baby", "title: " + "A" * (THEME_TEXT_MAX + 1)),
     [f"the limit for any text in a theme is {THEME_TEXT_MAX:,}"]),
    (("stronger-from-the-start\n", "x" * 2_100 + "\n"),
     [f"the limit is {CAMPAIGN_URL_MAX:,}: no QR code can hold a longer one"]),
    (("year: 2026", "year: !!python/object/apply:os.system ['touch pwned']"),
     ["could not determine a constructor"]),
], ids=["huge-number", "30-february", "inf", "colour-list", "not-a-colour", "language-list",
        "long-title", "long-url", "python-tag"])
def test_wrong_values_are_named(box: Sandbox, edit: tuple[str, str], words: list[str]) -> None:
    problems = problems_of(box.theme(edits=[edit]))
    for word in words:
        assert any(word in p for p in problems), (word, problems)
    assert not (box.work / "pwned").exists()


def test_wrong_types_everywhere(box: Sandbox) -> None:
    path = box.theme("year: []\nweek: 3\ncampaign: x\ncolours: 1\nlanguages: [1]\n"
                     "pledge: {max_length: x}\nlayouts: 3\nfonts: {fallback: 7}\n")
    assert len(problems_of(path)) >= 8


def test_long_url_that_passes_the_schema_cannot_break_the_qr_code(box: Sandbox) -> None:
    long_utm = "    campaign: " + "c" * 990 + "\n"
    box.theme(edits=[("    campaign: imh-week-2026\n", long_utm)])
    ran = box.run(*card("--theme", "theme.yaml"))
    refused(ran, box, "QR")


def bomb_png(path: Path) -> None:
    Image.new("1", (20_000, 20_000)).save(path)  # 400 megapixels in 50 KB


@pytest.mark.parametrize(("make", "words"), [
    (lambda p: p.write_text("not a picture"), "cannot read the image 'artwork.png'"),
    (bomb_png, "over 100 megapixels; the limit is 50 megapixels"),
    (lambda p: (p.unlink(), p.mkdir()), "is a folder"),
], ids=["not-an-image", "decompression-bomb", "folder"])
def test_artwork_that_is_not_artwork(box: Sandbox, make: object, words: str) -> None:
    path = box.theme()
    make(box.work / "art" / "artwork.png")  # type: ignore[operator]
    [problem] = problems_of(path)
    assert problem.startswith(f"{path}:{artwork_line(path)}: art.artwork: ") and words in problem


@pytest.mark.parametrize(("make", "words"), [
    (lambda p: (p.unlink(), os.mkfifo(p)), "not a regular file"),
    (lambda p: (p.unlink(), p.symlink_to("/dev/zero")), "is outside"),
], ids=["fifo", "device"])
def test_artwork_that_would_hang_or_never_end(box: Sandbox, make: object, words: str) -> None:
    path = box.theme()
    make(box.work / "art" / "artwork.png")  # type: ignore[operator]
    ran = box.run("theme", "check", "theme.yaml", timeout=20)
    refused(ran, box, f"theme.yaml:{artwork_line(path)}: art.artwork", words)


@pytest.mark.parametrize("where", ["../../../../../../etc/passwd", "/etc/passwd"])
def test_artwork_outside_the_theme_folder(box: Sandbox, where: str) -> None:
    path = box.theme(edits=[("art/artwork.png", where)])
    assert "is outside" in problems_of(path)[0]


def test_font_that_is_not_a_font(box: Sandbox) -> None:
    (box.work / "art").mkdir()
    (box.work / "art" / "body.ttf").write_bytes(b"\0\1\0\0" + b"x" * 100)
    box.theme(edits=[("pledge:\n", "fonts:\n  body: art/body.ttf\npledge:\n")])
    ran = box.run(*card("--theme", "theme.yaml"))
    refused(ran, box, "fonts.body", "not a TrueType or OpenType font")


@pytest.mark.parametrize("make", [
    lambda p: os.mkfifo(p), lambda p: p.symlink_to("/dev/zero"), lambda p: p.mkdir()],
    ids=["fifo", "device", "folder"])
def test_theme_option_that_is_not_a_file(box: Sandbox, make: object) -> None:
    make(box.work / "t.yaml")  # type: ignore[operator]
    ran = box.run(*card("--theme", "t.yaml"), timeout=15)
    refused(ran, box, "t.yaml")


def test_theme_that_is_not_utf8(box: Sandbox) -> None:
    path = box.work / "theme.yaml"
    path.write_bytes(b"year: 2026\ntitle: caf\xe9\n")
    assert problems_of(path) == [f"{path}:2: the theme file is not UTF-8 text; save it as UTF-8"]
