"""Launch day without surprises: the theme staff edit is the theme used, a draft theme
warns, `theme check` finds what would fail on the day, blank cards, and a card never
overwrites a different earlier one."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner, Result
from conftest import MakeTheme
from helper import changed_mask, decode_qr
from PIL import Image

from imhcard.cli import cli
from imhcard.core.formats import FORMATS
from imhcard.core.theme import (
    draft_report,
    draft_warning,
    load_theme,
    resolve_theme,
    shipped_themes,
)
from imhcard.errors import OutputError, ThemeError
from imhcard.output.theme_copy import copy_theme
from imhcard.render.blank import render_blank
from imhcard.render.compose import Card
from imhcard.render.pipeline import encode_card
from imhcard.render.preflight import preflight
from imhcard.render.static import layout_for

README = Path(__file__).parent.parent / "README.md"


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), prog_name="imhcard")


def ours(tmp_path: Path, name: str = "week") -> Path:
    """An editable copy of the shipped 2026 theme, as `imhcard theme new` makes it."""
    return copy_theme(shipped_themes()["2026"], tmp_path / name).theme.parent


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


# --- which theme ---------------------------------------------------------------------


def test_a_folder_is_a_theme(tmp_path: Path) -> None:
    folder = ours(tmp_path)
    assert resolve_theme(str(folder)) == folder / "theme.yaml"
    assert resolve_theme(folder / "theme.yaml") == folder / "theme.yaml"
    assert resolve_theme("2024") == shipped_themes()["2024"]


def test_a_folder_without_a_theme_file(tmp_path: Path) -> None:
    with pytest.raises(ThemeError) as info:
        resolve_theme(str(tmp_path))
    assert str(info.value) == (f"{tmp_path}: a folder with no theme.yaml in it; give a theme "
                               "folder made by 'imhcard theme new', or a theme file")


def test_a_folder_named_like_a_year_is_the_folder(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    # What staff made and named is what is used, not the installed theme of that year.
    ours(tmp_path, "2026")
    monkeypatch.chdir(tmp_path)
    assert resolve_theme("2026") == Path("2026") / "theme.yaml"


def test_theme_new_copies_what_the_theme_uses(tmp_path: Path) -> None:
    made = copy_theme(shipped_themes()["2026"], tmp_path / "week-2027")
    folder = tmp_path / "week-2027"
    assert sorted(str(p.relative_to(folder)) for p in folder.rglob("*")) == [
        "art", "art/2026.png", "logo", "logo/mark.png", "theme.yaml"]
    text = made.theme.read_text(encoding="utf-8")
    assert "  artwork: art/2026.png\n" in text and "  logo: logo/mark.png\n" in text
    assert "# Irish wording (An Caighdeán Oifigiúil)" in text  # comments kept
    theme = load_theme(made.theme)
    assert theme.artwork == (folder / "art" / "2026.png").resolve()
    assert (folder / "art" / "2026.png").read_bytes() == (
        shipped_themes()["2026"].parent / "../assets/art/2026.png").read_bytes()


def test_theme_new_copies_fonts_the_theme_names(tmp_path: Path, make_theme: MakeTheme) -> None:
    fonts = shipped_themes()["2026"].parent / ".." / "assets" / "fonts"
    (tmp_path / "themes" / "f").mkdir()
    shutil.copy(fonts / "NotoSans-Bold.ttf", tmp_path / "themes" / "f" / "Own.ttf")
    source = make_theme(append="fonts:\n  display: f/Own.ttf\n"
                               "  fallback: [../assets/fonts/NotoSans-Regular.ttf]\n")
    made = copy_theme(source, tmp_path / "copy")
    assert sorted(p.name for p in made.files) == ["2026.png", "NotoSans-Regular.ttf",
                                                   "Own.ttf", "mark.png"]
    theme = load_theme(made.theme)
    assert theme.fonts.display == (tmp_path / "copy" / "fonts" / "Own.ttf").resolve()
    assert theme.fonts.fallback == ((tmp_path / "copy" / "fonts" /
                                     "NotoSans-Regular.ttf").resolve(),)


def test_theme_new_never_touches_an_existing_folder(tmp_path: Path) -> None:
    (tmp_path / "week").mkdir()
    (tmp_path / "week" / "notes.txt").write_text("mine")
    with pytest.raises(OutputError, match="already exists"):
        copy_theme(shipped_themes()["2026"], tmp_path / "week")
    assert [p.name for p in (tmp_path / "week").iterdir()] == ["notes.txt"]


def test_theme_new_command(tmp_path: Path) -> None:
    result = run("theme", "new", str(tmp_path / "week-2027"), "--from", "2026")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"{tmp_path / 'week-2027' / 'theme.yaml'}\n"
    assert "art/2026.png, logo/mark.png" in result.stderr
    again = run("theme", "new", str(tmp_path / "week-2027"))
    assert again.exit_code == 2
    assert again.stderr.startswith("imhcard: ") and len(again.stderr.splitlines()) == 1


def _title_changed(before: Path, after: Path, theme_path: Path) -> None:
    """The two cards differ, and only inside the title's box."""
    with Image.open(before) as a, Image.open(after) as b:
        mask = changed_mask(a, b)
    title = layout_for(load_theme(theme_path), FORMATS["story"])["title"].box
    ys, xs = np.nonzero(mask)
    assert len(ys), "the edited title did not change the card"
    assert title.y <= ys.min() and ys.max() < title.bottom
    assert title.x <= xs.min() and xs.max() < title.right


@pytest.mark.slow
def test_an_edit_to_the_copy_shows_on_the_next_card(tmp_path: Path) -> None:
    folder = ours(tmp_path)
    args = ["card", "--theme", str(folder), "--name", "Seán", "--pledge", "listen",
            "--format", "story", "--out"]
    first = run(*args, str(tmp_path / "a"))
    assert first.exit_code == 0, first.stderr
    assert f"imhcard: theme {(folder / 'theme.yaml').resolve()}\n" in first.stderr
    edit(folder / "theme.yaml", "title: A Pledge for Every Baby", "title: Little Minds Matter")
    second = run(*args, str(tmp_path / "b"))
    assert second.exit_code == 0, second.stderr
    _title_changed(tmp_path / "a" / "sean-story.png", tmp_path / "b" / "sean-story.png",
                   folder / "theme.yaml")


def _readme_section(title: str) -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index(f"## {title}")
    return text[start:text.index("\n## ", start + 3)]


@pytest.mark.slow
def test_the_readmes_launch_steps_work_with_the_installed_command(tmp_path: Path) -> None:
    """Follow "When the year's theme is announced" word for word with the installed
    console script (as after `pip install .`): the edited title is on the next card."""
    from test_cli import installed_command

    command = installed_command()
    section = _readme_section("When the year's theme is announced")
    steps = [line for block in re.findall(r"```sh\n(.*?)```", section, re.S)
             for line in block.splitlines() if line.startswith("imhcard ")]
    assert [s.split()[1] for s in steps] == ["theme", "theme", "card", "batch"]
    (tmp_path / "signups.csv").write_text("Name,Pledge\nSeán,listen\n", encoding="utf-8")

    def do(step: str) -> subprocess.CompletedProcess[str]:
        import shlex
        done = subprocess.run([*command, *shlex.split(step)[1:]], cwd=tmp_path,
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, (step, done.stderr)
        return done

    do(steps[0])  # theme new week-2026/ --from 2026
    theme_file = tmp_path / "week-2026" / "theme.yaml"
    # "replace the two title: lines ... and delete the draft: block"
    edit(theme_file, "title: A Pledge for Every Baby", "title: Little Minds Matter")
    edit(theme_file, "title: Gealltanas do gach leanbh", "title: Intinn bheag, ábhar mór")
    text = theme_file.read_text(encoding="utf-8")
    theme_file.write_text(re.sub(r"\ndraft:\n(  .*\n)+", "\n", text), encoding="utf-8")
    check = do(steps[1])  # theme check week-2026/ --samples samples/
    assert "DRAFT" not in check.stderr
    assert f"imhcard: theme {theme_file.resolve()}" in check.stderr
    card = do(steps[2] + " --format story")
    assert "DRAFT" not in card.stderr
    assert f"imhcard: theme {theme_file.resolve()}" in card.stderr
    shipped = do("imhcard card --name Seán --pledge listen --format story --out shipped/")
    assert "WARNING: DRAFT THEME" in shipped.stderr
    _title_changed(tmp_path / "shipped" / "sean-story.png", tmp_path / "cards" / "sean-story.png",
                   theme_file)
    batch = do(steps[3] + " --format story --workers 1")
    assert f"imhcard: theme {theme_file.resolve()}" in batch.stderr


# --- draft themes ----------------------------------------------------------------------


def test_the_shipped_2026_theme_is_a_draft() -> None:
    theme = load_theme(shipped_themes()["2026"])
    assert theme.draft is not None
    assert theme.draft.placeholders == ("languages.en.title", "languages.ga.title")
    warning = draft_warning(theme)
    assert warning is not None and warning.startswith("WARNING: DRAFT THEME ")
    assert "'A Pledge for Every Baby'" in warning
    assert draft_warning(load_theme(shipped_themes()["2024"])) is None


@pytest.mark.slow
def test_card_warns_on_every_run_with_a_draft_theme(tmp_path: Path) -> None:
    for _ in range(2):
        result = run("card", "--name", "Seán", "--pledge", "listen", "--format", "x",
                     "--out", str(tmp_path))
        assert result.exit_code == 0
        assert result.stderr.splitlines()[-1].startswith("imhcard: WARNING: DRAFT THEME ")
    quiet = run("card", "--theme", "2024", "--name", "Seán", "--pledge", "listen",
                "--format", "x", "--out", str(tmp_path))
    assert "DRAFT" not in quiet.stderr


@pytest.mark.slow
def test_batch_warns_with_a_draft_theme(tmp_path: Path) -> None:
    (tmp_path / "in.csv").write_text("Name,Pledge\nSeán,listen\n", encoding="utf-8")
    result = run("batch", str(tmp_path / "in.csv"), "--format", "x", "--workers", "1",
                 "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.stderr
    assert "imhcard: WARNING: DRAFT THEME " in result.stderr
    assert f"imhcard: theme {shipped_themes()['2026']}" in result.stderr


@pytest.mark.slow
def test_theme_check_lists_what_is_still_placeholder(make_theme: MakeTheme) -> None:
    path = make_theme()
    text = path.read_text(encoding="utf-8")
    line = next(i for i, s in enumerate(text.splitlines(), 1)
            if s.startswith("    title: A Pledge"))
    result = run("theme", "check", str(path))
    assert result.exit_code == 0, result.stderr
    assert (f"imhcard: {path}:{line}: languages.en.title: marked as a placeholder in draft: "
            "(now 'A Pledge for Every Baby')") in result.stderr
    assert len(draft_report(load_theme(path))) == 3
    final = run("theme", "check", str(path), "--final")
    assert final.exit_code == 1
    assert final.stderr.endswith("imhcard: not final: the theme is still a draft\n")


@pytest.mark.parametrize(("draft", "message"), [
    ("draft: maybe\n", "draft: expected true, false, or a mapping"),
    ("draft:\n  reason: ''\n", "reason: expected some text"),
    ("draft:\n  placeholders: [title]\n", "placeholders: expected a list of wording keys"),
    ("draft:\n  why: x\n", "unknown key 'why'"),
])
def test_bad_draft_values(make_theme: MakeTheme, draft: str, message: str) -> None:
    path = make_theme(("draft:\n  reason: the title is a placeholder until the alliance "
                       "announces the 2026 theme\n  placeholders: [languages.en.title, "
                       "languages.ga.title]\n", draft))
    with pytest.raises(ThemeError) as info:
        load_theme(path)
    assert message in str(info.value)


def test_a_placeholder_that_names_no_key(make_theme: MakeTheme) -> None:
    path = make_theme(("[languages.en.title, languages.ga.title]",
                       "[languages.fr.title]"))
    assert "languages.fr.title: no such wording key" in "\n".join(
        draft_report(load_theme(path)))


# --- what would fail on the day ------------------------------------------------------------


def test_shipped_themes_pass_the_look_ahead() -> None:
    for path in shipped_themes().values():
        assert preflight(load_theme(path)) == []


def test_a_prompt_too_long_for_some_formats(make_theme: MakeTheme) -> None:
    long = "listen to babies and take their feelings seriously " * 6
    path = make_theme(("      listen: listen to babies and take their feelings seriously",
                       f"      listen: {long.strip()}"))
    line = next(i for i, s in enumerate(path.read_text().splitlines(), 1)
                if s.startswith("      listen: listen to babies and take their feelings "
                                "seriously listen"))
    problems = preflight(load_theme(path))
    assert problems, "a 311-character prompt does not fit at 1,080 px"
    for p in problems:
        assert p.startswith(f"{path}:{line}: languages.en.prompts.listen: the prompt 'listen' "
                            "is too long to fit on the ")
        assert re.search(r"shorten it by about \d+ characters?$", p)
    formats = {re.search(r"on the (\S+)(?: \(photo style\))? card", p).group(1)  # type: ignore[union-attr]
               for p in problems}
    assert "instagram-square" in formats and len(formats) >= 3


def test_a_prompt_that_overflows_only_the_photo_style(make_theme: MakeTheme) -> None:
    """Supporters may choose either style on any format: theme check fits every prompt in
    both, so a photo-style pledge box too small for a prompt is found before the day."""
    path = make_theme(append="layouts:\n  instagram-square@photo:\n"
                             "    pledge: {box: [60, 654, 620, 40]}\n")
    problems = preflight(load_theme(path))
    assert problems
    assert all("on the instagram-square (photo style) card" in p for p in problems), problems
    assert any("languages.en.prompts." in p for p in problems)
    assert any("languages.ga.prompts." in p for p in problems)


def test_a_max_length_no_pledge_could_fit(make_theme: MakeTheme) -> None:
    path = make_theme(("  max_length: 140", "  max_length: 400"))
    problems = preflight(load_theme(path))
    assert problems
    line = next(i for i, s in enumerate(path.read_text().splitlines(), 1)
                if s == "  max_length: 400")
    for p in problems:
        assert p.startswith(f"{path}:{line}: pledge.max_length: a ")
        assert "(as long as allowed) does not fit: the pledge is too long to fit on the " in p


@pytest.mark.slow
def test_every_problem_is_reported_with_its_line(make_theme: MakeTheme) -> None:
    path = make_theme(
        ("    title: A Pledge for Every Baby  # placeholder: see draft: above",
         "    title: " + "A Very Long Title For Every Single Baby In The Land " * 2),
        ("    signature: Sínithe\n", ""),
        ("  url: https://www.barnardos.org.uk/northern-ireland/influencing/stronger-from-the-"
         "start", "  url: https://www.barnardos.org.uk/" + "x" * 700))
    result = run("theme", "check", str(path))
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert re.fullmatch(r"imhcard: \d+ problems:", lines[0])
    body = lines[1:]
    assert all(re.match(rf"  {re.escape(str(path))}:\d+: ", p) for p in body)
    assert any("languages.ga.signature: missing; 'en' has 'Signed'" in p for p in body)
    assert any("languages.en.title: the title is too long to fit on the story card" in p
               for p in body)
    assert any("campaign.url: on the instagram-square card, even at the lowest error "
               "correction (L), the QR code needs" in p for p in body)


# --- blank cards ----------------------------------------------------------------------------


def _dark_rows(card: Card, box_name: str) -> int:
    """Rows of the box that are a ruled line: dark across most of the box's width."""
    b = card.layout[box_name].box
    pixels = np.asarray(card.image.convert("L").crop((b.x, b.y, b.right, b.bottom)))
    return int(((pixels < 100).mean(axis=1) > 0.9).sum())


def test_blank_cards_have_lines_to_write_on(theme_2026: object) -> None:
    theme = load_theme(shipped_themes()["2026"])
    square = render_blank(theme, FORMATS["instagram-square"])
    assert _dark_rows(square, "pledge") >= 3 * 3  # three lines, 3 px thick
    name = square.layout["name"].box
    # No name on the social tile: the name's place is the background.
    crop = np.asarray(square.image.crop((name.x, name.y, name.right, name.bottom)))
    assert (crop == np.array(theme.colours["background"])).all()
    assert decode_qr(square.image)
    printed = render_blank(theme, FORMATS["print-a5"])
    assert _dark_rows(printed, "pledge") >= 4 * 5
    assert "empty lines for a pledge" in printed.alt_text
    assert "Fill in your own pledge" in printed.caption


@pytest.mark.slow
def test_blank_command(tmp_path: Path) -> None:
    result = run("card", "--blank", "--format", "print-a5", "--format", "story",
                 "--out", str(tmp_path))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [str(tmp_path / "blank-print-a5.pdf"),
                                          str(tmp_path / "blank-story.png"),
                                          str(tmp_path / "blank-caption.txt")]
    irish = run("card", "--blank", "--lang", "GA", "--format", "story", "--out", str(tmp_path))
    assert irish.exit_code == 0, irish.stderr
    assert (tmp_path / "blank-ga-story.png").is_file()
    assert "faoi \"Geallaim\"" in (tmp_path / "blank-ga-story.alt.txt").read_text()
    debug = run("card", "--blank", "--debug", "--format", "story", "--out", str(tmp_path))
    assert debug.stdout.splitlines()[0] == str(tmp_path / "blank-debug-story.png")
    mixed = run("card", "--blank", "--name", "Seán", "--out", str(tmp_path / "no"))
    assert mixed.exit_code == 2
    assert not (tmp_path / "no").exists()


# --- never overwrite a different card -------------------------------------------------------


@pytest.mark.slow
def test_a_different_card_of_the_same_name_gets_a_new_name(tmp_path: Path) -> None:
    base = ["card", "--name", "Seán", "--format", "story", "--out", str(tmp_path)]
    first = run(*base, "--pledge", "listen")
    story = (tmp_path / "sean-story.png").read_bytes()
    same = run(*base, "--pledge", "listen")
    assert same.stdout == first.stdout  # the same card again: the same files
    assert "already holds" not in same.stderr
    other = run(*base, "--pledge", "read to my baby every night")
    assert other.exit_code == 0, other.stderr
    assert other.stdout.splitlines() == [str(tmp_path / "sean-2-story.png"),
                                         str(tmp_path / "sean-2-caption.txt")]
    assert "already holds a different card named sean-...; these are sean-2-..." in (
        other.stderr)
    assert (tmp_path / "sean-story.png").read_bytes() == story
    forced = run(*base, "--pledge", "read to my baby every night", "--force")
    assert forced.stdout.splitlines()[0] == str(tmp_path / "sean-story.png")
    assert (tmp_path / "sean-story.png").read_bytes() == (
        tmp_path / "sean-2-story.png").read_bytes()


def test_a_mistyped_prompt_id_in_a_batch_is_that_rows_error(tmp_path: Path) -> None:
    (tmp_path / "in.csv").write_text("Name,Pledge\nSeán,speakup\nAoife,I will Read daily!.\n",
                                     encoding="utf-8")
    result = run("batch", str(tmp_path / "in.csv"), "--format", "x", "--workers", "1",
                 "--out", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "row 2" in result.stderr and "did you mean 'speak-up'?" in result.stderr
    manifest = (tmp_path / "out" / "manifest.csv").read_text(encoding="utf-8")
    assert "I pledge to read daily!" in manifest  # the alt text shows the final sentence


# --- small things -------------------------------------------------------------------------


@pytest.mark.slow
def test_imhcard_alone_shows_the_help() -> None:
    from test_cli import installed_command

    done = subprocess.run(installed_command(), capture_output=True, text=True, timeout=60)
    assert done.returncode == 0
    assert done.stdout.startswith("Usage: imhcard [OPTIONS] COMMAND [ARGS]...")
    assert "card " in done.stdout and done.stderr == ""


@pytest.mark.slow
def test_format_language_and_image_type_ignore_case(tmp_path: Path) -> None:
    result = run("card", "--name", "Seán", "--pledge", "listen", "--format", "Story",
                 "--lang", "GA", "--image-format", "JPEG", "--out", str(tmp_path))
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "sean-story.jpg").is_file()
    prompts = run("prompts", "--lang", "GA")
    assert prompts.exit_code == 0 and "Geallaim" in prompts.stdout


@pytest.mark.slow
def test_jpeg_is_smaller_than_png(cards_2026: dict[str, Card]) -> None:
    for name, card in cards_2026.items():
        if card.format.is_print:
            continue
        png, jpeg, webp = (len(encode_card(card, kind).data) for kind in ("png", "jpeg", "webp"))
        assert webp < jpeg < png * 0.9, (name, png, jpeg, webp)


def test_irish_wording_follows_the_grammar() -> None:
    for path in shipped_themes().values():
        theme = load_theme(path)
        ga = theme.wording("ga")
        # The week's name lenited after do, le linn and i gcomhair; written out, since
        # {week_name} is the nominative (issue 20, docs/irish-glossary.md).
        assert ga.week_name == "Seachtain Feasachta ar Mheabhairshláinte Naíonán"
        assert ga.alt_text.startswith("Cárta gealltanais do Sheachtain Feasachta ar Mheabhair")
        assert ga.caption.startswith("Le linn Sheachtain Feasachta ar Mheabhairshláinte")
        assert "i gcomhair Sheachtain Feasachta ar" in " ".join(ga.blank_caption.split())
        assert ga.qr_label.startswith("Scanáil ")
        assert ga.mail_subject.startswith("Do chárta gealltanais do Sheachtain Feasachta ar")
        assert "irish-glossary.md" in path.read_text(encoding="utf-8")
