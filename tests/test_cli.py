"""The `imhcard` command: exit codes, what it prints, and what it writes (or, on a mistake,
does not write). One test runs the installed console script as a subprocess."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result
from conftest import MakeTheme
from helper import decode_qr
from PIL import Image

import imhcard
from imhcard.cli import cli
from imhcard.core.formats import FORMATS
from imhcard.core.theme import load_theme, shipped_themes

AOIFE = ["--name", "Aoife Ní Bhriain", "--org", "Sure Start Newry", "--pledge", "speak-up"]


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), prog_name="imhcard")


def one_line_error(result: Result) -> str:
    """A user's mistake: exit code 2 and exactly one line on stderr, no traceback."""
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.stderr
    assert isinstance(result.exception, SystemExit)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("imhcard: ")
    assert result.stdout == ""
    return lines[0]


def nothing_written(out: Path) -> bool:
    return not out.exists() or not any(out.iterdir())


# --- making cards -------------------------------------------------------------------


def test_card_lists_the_files_it_wrote(tmp_path: Path) -> None:
    out = tmp_path / "cards"
    result = run("card", *AOIFE, "--format", "instagram-square", "--format", "story",
                 "--out", str(out))
    assert result.exit_code == 0, result.stderr
    listed = [Path(line) for line in result.stdout.splitlines()]
    assert [p.name for p in listed] == ["aoife-ni-bhriain-instagram-square.png",
                                        "aoife-ni-bhriain-story.png",
                                        "aoife-ni-bhriain-caption.txt"]
    assert all(p.is_file() for p in listed)
    assert sorted(p.name for p in out.iterdir()) == [
        "aoife-ni-bhriain-caption.txt", "aoife-ni-bhriain-instagram-square.alt.txt",
        "aoife-ni-bhriain-instagram-square.png", "aoife-ni-bhriain-story.alt.txt",
        "aoife-ni-bhriain-story.png"]
    assert result.stderr.startswith("2 card(s) in ")
    with Image.open(listed[1]) as img:
        assert img.size == (1080, 1920)


def test_card_makes_every_format_by_default(tmp_path: Path) -> None:
    out = tmp_path / "cards"
    result = run("card", "--name", "Seán", "--pledge", "read to my baby every night",
                 "--out", str(out))
    assert result.exit_code == 0, result.stderr
    images = sorted(p.name for p in out.iterdir() if not p.name.endswith(".txt"))
    assert images == sorted(f"sean-{name}.{'pdf' if name == 'print-a5' else 'png'}"
                            for name in FORMATS)
    assert len(result.stdout.splitlines()) == len(FORMATS) + 1


def test_card_writes_into_cards_in_the_current_folder(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("card", *AOIFE, "--format", "x")
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "cards" / "aoife-ni-bhriain-x.png").is_file()


def test_card_in_irish_as_jpeg(tmp_path: Path) -> None:
    result = run("card", "--name", "Caoimhín", "--pledge", "listen", "--lang", "ga",
                 "--format", "facebook", "--image-format", "jpeg", "--out", str(tmp_path))
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "caoimhin-facebook.jpg").is_file()
    alt = (tmp_path / "caoimhin-facebook.alt.txt").read_text(encoding="utf-8")
    # Lenition after "do": "do Sheachtain", not "do Seachtain".
    assert alt.startswith("Cárta gealltanais do Sheachtain Feasachta")


def test_card_with_a_photo_and_debug(tmp_path: Path) -> None:
    Image.new("RGB", (64, 64), (200, 30, 30)).save(tmp_path / "me.png")
    result = run("card", *AOIFE, "--photo", str(tmp_path / "me.png"), "--format", "story",
                 "--debug", "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.stderr
    # Outlined boxes are not the card to post: they get their own name.
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "aoife-ni-bhriain-debug-caption.txt", "aoife-ni-bhriain-debug-story.alt.txt",
        "aoife-ni-bhriain-debug-story.png"]


# --- mistakes: one line, exit code 2, nothing written -------------------------------


@pytest.mark.parametrize(("args", "message"), [
    (["--name", "", "--pledge", "speak-up"],
     "imhcard: the name is empty; a card needs the supporter's name"),
    (["--name", "\u202e ", "--pledge", "speak-up"],
     "imhcard: the name is empty; a card needs the supporter's name"),
    (["--name", "Aoife", "--pledge", "speak-up", "--format", "tiktok"],
     "imhcard: unknown format 'tiktok'; choose one of: instagram-square, instagram-portrait, "
     "story, facebook, x, linkedin, print-a5, or 'all'"),
    (["--name", "Aoife", "--pledge", "a" * 212],
     "imhcard: the pledge is 212 characters; this theme allows 140: shorten it by 72"),
    (["--name", "Aoife", "--pledge", "speak-up", "--photo", "no-such-photo.jpg"],
     "imhcard: no photo at 'no-such-photo.jpg'; check the file name and folder"),
    (["--name", "Aoife", "--pledge", "speak-up", "--theme", "no-such-theme.yaml"],
     "imhcard: no-such-theme.yaml: no such theme file"),
    (["--name", "Aoife", "--pledge", "speak-up", "--theme", "2019"],
     "imhcard: no theme '2019'; shipped themes: 2024, 2026, or give a theme folder (holding "
     "theme.yaml) or the path of a .yaml file"),
    (["--name", "Aoife", "--pledge", "speak-up", "--lang", "fr"],
     "imhcard: the language 'fr' has no wording in this theme; choose one of: en, ga"),
], ids=["empty-name", "only-control-characters", "unknown-format", "pledge-too-long",
        "missing-photo", "missing-theme-file", "unknown-theme-year", "unknown-language"])
def test_card_mistakes(tmp_path: Path, args: list[str], message: str) -> None:
    out = tmp_path / "cards"
    result = run("card", *args, "--out", str(out))
    assert one_line_error(result) == message
    assert nothing_written(out)


def test_unreadable_photo(tmp_path: Path) -> None:
    (tmp_path / "me.jpg").write_bytes(b"GIF89a but not really")
    out = tmp_path / "cards"
    result = run("card", *AOIFE, "--photo", str(tmp_path / "me.jpg"), "--out", str(out))
    assert one_line_error(result) == ("imhcard: cannot read the photo 'me.jpg': it is damaged "
                                      "or not a picture; save it as a JPEG or PNG and try again")
    assert nothing_written(out)


def test_invalid_theme_lists_every_problem(tmp_path: Path, make_theme: MakeTheme) -> None:
    path = make_theme(('accent: "#E76F51"', 'accent: "orange"'),
                      ("end: 2026-06-14", "end: 2026-06-01"))
    out = tmp_path / "cards"
    result = run("card", *AOIFE, "--theme", str(path), "--out", str(out))
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines[0] == "imhcard: 2 problems:"
    assert [line.strip().split(": ")[1] for line in lines[1:]] == ["colours.accent", "week.end"]
    assert nothing_written(out)


def test_usage_mistake_is_exit_code_2(tmp_path: Path) -> None:
    result = run("card", "--pledge", "speak-up", "--out", str(tmp_path / "cards"))
    assert result.exit_code == 2
    assert "Missing option '--name'" in result.stderr
    assert nothing_written(tmp_path / "cards")


# --- the other commands -------------------------------------------------------------


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout == f"imhcard, version {imhcard.__version__}\n"


def walk(group: click.Group, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    yield path
    ctx = click.Context(group)
    for name in sorted(group.list_commands(ctx)):  # lazily loaded commands too
        command = group.get_command(ctx, name)
        if isinstance(command, click.Group):
            yield from walk(command, (*path, name))
        else:
            yield (*path, name)


COMMANDS = list(walk(cli))


def test_every_command_is_walked() -> None:
    assert {("card",), ("themes",), ("formats",), ("prompts",), ("theme",),
            ("theme", "check"), ("batch",), ("sheet",)} <= set(COMMANDS)


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(("imhcard", *p)))
def test_every_command_has_help_with_an_example(path: tuple[str, ...]) -> None:
    for flag in ("--help", "-h"):
        result = run(*path, flag)
        assert result.exit_code == 0, result.output
        assert "Example" in result.stdout
        assert result.stdout.startswith(f"Usage: {' '.join(('imhcard', *path))} ")


def test_themes() -> None:
    result = run("themes")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "2024  Speak Up For Babies  (10–16 June 2024)  languages: en, ga",
        f"2026  {load_theme(shipped_themes()['2026']).wording().title}  (8–14 June 2026)  "
        "languages: en, ga  DRAFT: the title is a placeholder until the alliance announces "
        "the 2026 theme",
    ]


def test_formats() -> None:
    result = run("formats")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert [line.split()[0] for line in lines] == list(FORMATS)
    assert "1080×1920" in lines[2] and "keep clear: top 250 px, bottom 340 px" in lines[2]
    assert "1748×2480 PDF" in lines[6]


def test_prompts_in_irish() -> None:
    result = run("prompts", "--lang", "ga")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert [line.split()[0] for line in lines] == [
        "speak-up", "first-1001-days", "listen", "relationships", "play-talk-cuddle",
        "champion"]
    assert lines[2].split(maxsplit=1)[1] == ("Geallaim éisteacht le leanaí agus a mothúcháin "
                                             "a ghlacadh dáiríre")
    assert all(" Geallaim " in line for line in lines)


def test_prompts_in_english_from_the_2024_theme() -> None:
    result = run("prompts", "--theme", "2024")
    assert result.exit_code == 0
    assert "speak-up           I pledge to speak up for babies" in result.stdout


def test_prompts_unknown_language() -> None:
    assert one_line_error(run("prompts", "--lang", "fr")) == (
        "imhcard: the language 'fr' has no wording in this theme; choose one of: en, ga")


@pytest.mark.slow
def test_theme_check_writes_a_sample_per_format(tmp_path: Path) -> None:
    shipped = shipped_themes()["2026"]
    samples = tmp_path / "samples"
    result = run("theme", "check", str(shipped), "--samples", str(samples))
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"{shipped}: valid (2 languages, 6 pledge prompts)"
    written = {Path(line).name for line in lines[1:]}
    for lang in ("en", "ga"):
        for name, fmt in FORMATS.items():
            expected = f"sample-{lang}-{name}.{'pdf' if fmt.is_print else 'png'}"
            assert expected in written
            assert (samples / expected).is_file()
    with Image.open(samples / "sample-ga-story.png") as img:
        assert img.size == (1080, 1920)


def test_theme_check_without_samples(make_theme: MakeTheme) -> None:
    path = make_theme()
    result = run("theme", "check", str(path))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"{path}: valid (2 languages, 6 pledge prompts)\n"


def test_theme_check_reports_problems(make_theme: MakeTheme) -> None:
    path = make_theme(("  url: https://www.barnardos.org.uk", "  url: ftp://www.barnardos.org.uk"))
    result = run("theme", "check", str(path))
    assert result.exit_code == 2
    [line] = result.stderr.splitlines()
    assert line.startswith(f"imhcard: {path}:")
    assert "campaign.url: expected a web address starting https://" in line


# --- the installed command ----------------------------------------------------------


def installed_command() -> list[str]:
    script = Path(sys.executable).parent / "imhcard"
    if script.is_file():
        return [str(script)]
    found = shutil.which("imhcard")
    return [found] if found else [sys.executable, "-m", "imhcard"]


@pytest.mark.slow
def test_installed_command_end_to_end(tmp_path: Path) -> None:
    """The console script, from a folder that is not the repository."""
    command = installed_command()
    made = subprocess.run([*command, "card", "--name", "Seán", "--pledge",
                           "read to my baby every night", "--format", "story"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert made.returncode == 0, made.stderr
    card = tmp_path / "cards" / "sean-story.png"
    assert made.stdout.splitlines()[0] == str(card.resolve())
    with Image.open(card) as img:
        assert img.size == (1080, 1920)
        assert "read to my baby every night" in img.info["Description"]
        assert decode_qr(img) == [
            "https://www.barnardos.org.uk/northern-ireland/influencing/stronger-from-the-start"
            "?utm_source=instagram&utm_medium=pledge-card&utm_campaign=imh-week-2026"]

    mistake = subprocess.run([*command, "card", "--name", " ", "--pledge", "listen",
                              "--out", "oops"], cwd=tmp_path, capture_output=True, text=True,
                             timeout=120)
    assert mistake.returncode == 2
    assert mistake.stderr == "imhcard: the name is empty; a card needs the supporter's name\n"
    assert not (tmp_path / "oops").exists()

    # A flag left out is one line too, not click's usage block.
    usage = subprocess.run([*command, "card", "--pledge", "listen"], cwd=tmp_path,
                           capture_output=True, text=True, timeout=120)
    assert usage.returncode == 2
    assert usage.stderr == ("imhcard: Missing option '--name'. "
                            "(see 'imhcard card --help')\n")

    module = subprocess.run([sys.executable, "-m", "imhcard", "--version"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=60)
    assert module.stdout == f"imhcard, version {imhcard.__version__}\n"
