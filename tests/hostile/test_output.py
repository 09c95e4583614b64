"""Classes 1, 6 and 7: the output folder, contact sheets and manifests, and two runs at
once. Nothing is written, followed or lost outside the output folder."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from PIL import Image

from imhcard.batch.journal import JOURNAL_PREFIX
from imhcard.batch.manifest import read_manifests
from imhcard.errors import BatchInputError

from .conftest import NOBODY, Sandbox, batch, card, refused

CSV = "Name,Pledge\nAoife,speak-up\nBob,listen\n"


def csv_in(box: Sandbox, text: str = CSV) -> None:
    (box.work / "in.csv").write_text(text)


@pytest.mark.parametrize(("make", "words"), [
    (lambda b: b.out.write_text("x"), "--out out: a file, not a folder"),
    (lambda b: b.out.symlink_to(b.root / "nowhere"), "a symlink to"),
    (lambda b: (b.work / "f").write_text("x"), "--out f/out: cannot make the folder"),
], ids=["file", "dangling-symlink", "through-a-file"])
def test_out_that_is_not_a_folder(box: Sandbox, make: object, words: str) -> None:
    make(box)  # type: ignore[operator]
    args = card()
    if "f/out" in words:
        args = (*args[:-1], "f/out")
    ran = box.run(*args)
    refused(ran, box, words)
    assert not (box.root / "nowhere").exists()


def _nobody_can_run_python() -> bool:
    def drop() -> None:
        os.setgid(NOBODY)
        os.setuid(NOBODY)
    try:
        return subprocess.run([sys.executable, "-c", "import imhcard"], preexec_fn=drop,
                              capture_output=True, cwd="/", timeout=30).returncode == 0
    except OSError:
        return False


def test_read_only_out(tmp_path: Path) -> None:
    # Root ignores permissions, so as root the command runs as nobody in a folder it may
    # read but not write; as anyone else the folder is made read-only.
    if os.geteuid() == 0 and not _nobody_can_run_python():
        # This Python lives where nobody may not go; /proc/sys is read-only even for root.
        box = Sandbox(tmp_path)
        if os.access("/proc/sys/kernel", os.W_OK) or not os.path.isdir("/proc/sys/kernel"):
            pytest.skip("running as root, with no read-only folder to write to")
        ran = box.run(*card()[:-1], "/proc/sys/kernel")
        refused(ran, box, "--out /proc/sys/kernel: the folder is read-only")
        return
    root = Path(tempfile.mkdtemp(dir="/tmp"))
    try:
        os.chmod(root, 0o755)
        box = Sandbox(root)
        os.chmod(box.work, 0o755)
        box.out.mkdir()
        as_root = os.geteuid() == 0
        if not as_root:
            os.chmod(box.out, 0o555)
        ran = box.run(*card(), as_nobody=as_root)
        refused(ran, box, "--out out: the folder is read-only")
        csv_in(box)
        ran = box.run(*batch("in.csv"), as_nobody=as_root)
        refused(ran, box, "--out out: the folder is read-only")
    finally:
        os.chmod(root, 0o755)
        shutil.rmtree(root, ignore_errors=True)


def test_disk_full_leaves_no_card_without_its_alt_text(box: Sandbox) -> None:
    box.out.mkdir()
    earlier = box.out / "aoife-ni-bhriain-instagram-square.png"
    earlier.write_bytes(b"an earlier card")
    # 20 KB per file: the alt text and caption fit, the card does not (EFBIG, like ENOSPC).
    ran = box.run(*card(), file_size=20_000)
    refused(ran, box, "cannot write", "File too large")
    assert sorted(p.name for p in box.out.iterdir()) == [earlier.name]
    assert earlier.read_bytes() == b"an earlier card"


def test_disk_full_in_a_batch_stops_it_cleanly(box: Sandbox) -> None:
    csv_in(box)
    ran = box.run(*batch("in.csv"), file_size=20_000)
    refused(ran, box, "cannot write", "File too large")
    names = sorted(p.name for p in box.out.iterdir() if not p.name.startswith("."))
    assert names == []  # no alt text or caption without its card, no manifest half-written


def test_symlinked_journal_is_not_followed(box: Sandbox) -> None:
    csv_in(box)
    box.out.mkdir()
    victim = box.root / "victim.txt"
    victim.write_text("keep me")
    (box.out / f"{JOURNAL_PREFIX}.jsonl").symlink_to(victim)
    ran = box.run(*batch("in.csv"))
    refused(ran, box, "symlink")
    assert victim.read_text() == "keep me"


def test_symlinked_card_name_is_replaced_not_followed(box: Sandbox) -> None:
    csv_in(box)
    box.out.mkdir()
    victim = box.root / "victim.txt"
    victim.write_text("keep me")
    (box.out / "00002-aoife-instagram-square.png").symlink_to(victim)
    (box.out / "00002-aoife-caption.txt").symlink_to(victim)
    ran = box.run(*batch("in.csv"))
    assert ran.code == 0, ran.stderr
    assert victim.read_text() == "keep me"
    assert not (box.out / "00002-aoife-instagram-square.png").is_symlink()


@pytest.mark.parametrize("name", ["00002-aoife-instagram-square.png", "manifest.csv"])
def test_folder_where_a_file_goes(box: Sandbox, name: str) -> None:
    csv_in(box)
    (box.out / name).mkdir(parents=True)
    ran = box.run(*batch("in.csv"))
    assert "Traceback" not in ran.stderr and ran.code in (1, 2), ran.stderr
    assert "there is a folder of that name" in ran.stderr
    assert not (box.out / "00002-aoife-instagram-square.alt.txt").exists()
    assert box.leftovers() == []


def test_folder_where_a_card_goes(box: Sandbox) -> None:
    (box.out / "aoife-ni-bhriain-instagram-square.png").mkdir(parents=True)
    ran = box.run(*card())
    assert "Traceback" not in ran.stderr and ran.code in (0, 2), ran.stderr
    if ran.code == 0:  # the set went to the next free name, beside the folder
        assert (box.out / "aoife-ni-bhriain-2-instagram-square.png").is_file()
    assert box.leftovers() == []


def test_tampered_journal_cannot_name_files_outside(box: Sandbox) -> None:
    csv_in(box)
    assert box.run(*batch("in.csv")).code == 0
    victim = box.root / "victim.txt"
    victim.write_text("keep me")
    journal = box.out / f"{JOURNAL_PREFIX}.jsonl"
    entry = json.loads(journal.read_text().splitlines()[0])
    entry["files"] = [["../../victim.txt", "0" * 64]]
    entry["key"] = "changed"
    journal.write_text(json.dumps(entry) + "\n")
    ran = box.run(*batch("in.csv", "--zip"))
    assert ran.code == 0, ran.stderr
    assert victim.read_text() == "keep me"
    assert b"keep me" not in (box.out / "cards.zip").read_bytes()


# --- contact sheets and manifests ---------------------------------------------------


@pytest.fixture
def made(box: Sandbox) -> Sandbox:
    csv_in(box)
    assert box.run(*batch("in.csv")).code == 0
    return box


def test_sheet_with_bombs_and_non_images(made: Sandbox) -> None:
    Image.new("1", (20_000, 20_000)).save(made.out / "00002-aoife-instagram-square.png")
    (made.out / "00003-bob-instagram-square.png").write_text("not an image")
    ran = made.run("sheet", "out", timeout=30)
    assert ran.code == 0 and "Traceback" not in ran.stderr, ran.stderr
    assert (made.out / "sheets" / "sheet-instagram-square-01.png").exists()


@pytest.mark.parametrize(("text", "words"), [
    ("[" * 100_000 + "]" * 100_000, "not a manifest imhcard wrote"),
    ('{"cards": [1, 2]}', "not a manifest imhcard wrote"),
    ('{"cards": 5}', "not a manifest imhcard wrote"),
    ('{"cards": [{"row": 1, "name": "x", "format": "story", "status": "made", '
     '"files": ["../../../etc/hostname.png"]}]}', "files must be names of files"),
    ('{"cards": [{"row": 1' + "0" * 5000 + ', "name": "x", "format": "story", '
     '"status": "failed"}]}', "not a manifest imhcard wrote"),
], ids=["deep", "cards-not-objects", "cards-not-a-list", "lies-about-files", "huge-row"])
def test_lying_manifest(tmp_path: Path, text: str, words: str) -> None:
    (tmp_path / "manifest.json").write_text(text)
    with pytest.raises(BatchInputError) as info:
        read_manifests(tmp_path)
    assert words in str(info.value)


def test_sheet_of_a_lying_manifest(made: Sandbox) -> None:
    (made.out / "manifest.json").write_text(
        '{"cards": [{"row": 2, "name": "x", "format": "instagram-square", "status": "made", '
        '"files": ["/etc/hostname.png"]}]}')
    refused(made.run("sheet", "out"), made, "files must be names of files in the batch folder")


def test_sheet_of_a_huge_manifest(made: Sandbox) -> None:
    with (made.out / "manifest.json").open("wb") as fh:
        fh.truncate(1 << 30)  # sparse
    refused(made.run("sheet", "out", timeout=10), made, "the limit is 64 MB")


def test_sheet_manifest_that_is_a_pipe_or_link_out(made: Sandbox) -> None:
    (made.out / "manifest.json").unlink()
    os.mkfifo(made.out / "manifest.json")
    refused(made.run("sheet", "out", timeout=10), made, "not a regular file")
    (made.out / "manifest.json").unlink()
    (made.out / "manifest.json").symlink_to("/etc/hostname")
    refused(made.run("sheet", "out"), made, "is outside")


# --- two runs at once -----------------------------------------------------------------


def test_two_runs_into_one_folder(made: Sandbox) -> None:
    from imhcard.batch.journal import JournalLock

    made.out.mkdir(exist_ok=True)
    whole = JournalLock(made.out.resolve(), None)
    try:
        for args in (batch("in.csv"), batch("in.csv", "--shard", "1/2")):
            ran = made.run(*args)
            refused(ran, made, "another imhcard batch is writing to")
    finally:
        whole.close()
    shard = JournalLock(made.out.resolve(), (1, 2))
    try:
        refused(made.run(*batch("in.csv")), made, "another imhcard batch is writing to")
        assert made.run(*batch("in.csv", "--shard", "2/2")).code == 0  # shards side by side
    finally:
        shard.close()


# --- stopped in the middle ------------------------------------------------------------


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_stopped_batch_cleans_up(box: Sandbox, signum: int, code: int) -> None:
    csv_in(box, "Name,Pledge\n" + "".join(f"Person {i},speak-up\n" for i in range(2000)))

    def some_made() -> bool:  # stopped mid-run, whatever the machine's speed
        return len(list(box.out.glob("*-story.png"))) >= 20

    ran = box.run("batch", "in.csv", "--format", "story", "--out", "out", "--workers", "2",
                  signal_after=(20.0, signum), ready=some_made, timeout=60)
    assert ran.code == code and "Traceback" not in ran.stderr, ran.stderr[-2000:]
    assert "interrupted" in ran.stderr
    assert box.leftovers() == []
    cards = {p.name.removesuffix("-story.png") for p in box.out.glob("*-story.png")}
    alts = {p.name.removesuffix("-story.alt.txt") for p in box.out.glob("*-story.alt.txt")}
    assert cards == alts and not (box.out / "manifest.json").exists()


def test_stopped_card_cleans_up(box: Sandbox) -> None:
    ran = box.run("card", "--name", "Aoife", "--pledge", "speak-up", "--out", "out",
                  signal_after=(2.5, signal.SIGTERM), timeout=30)
    # -15: stopped while Python itself was starting (a loaded machine), before imhcard ran.
    assert ran.code in (0, 143, -15) and "Traceback" not in ran.stderr, ran.stderr
    assert box.leftovers() == []


def test_supporter_folder_that_links_out_is_not_followed(box: Sandbox) -> None:
    """--by-supporter: a link planted where a supporter's folder goes is not written through."""
    csv_in(box)
    box.out.mkdir()
    elsewhere = box.root / "elsewhere"
    elsewhere.mkdir()
    (box.out / "00002-aoife").symlink_to(elsewhere, target_is_directory=True)
    ran = box.run(*batch("in.csv", "--by-supporter"))
    refused(ran, box, "outside", "00002-aoife")
    assert list(elsewhere.iterdir()) == []


def test_sheet_of_a_failed_row_with_a_9000_character_name(box: Sandbox) -> None:
    """The name is refused for the card, but the contact sheet still labels the row: a
    label never measures more text than its tile can hold, so this takes seconds."""
    csv_in(box, "Name,Pledge\n" + "Ab " * 3000 + ",speak-up\nBob,listen\n")
    assert box.run(*batch("in.csv")).code == 1  # the long name's row fails
    ran = box.run("sheet", "out", "--pdf", timeout=20)
    assert ran.code == 0 and "Traceback" not in ran.stderr, ran.stderr
    assert ran.seconds < 15
    assert (box.out / "sheets" / "sheets.pdf").exists()


@pytest.mark.slow
@pytest.mark.parametrize("command", ["card", "batch"])
def test_a_stop_at_any_instant_leaves_no_temporary_file(box: Sandbox, command: str) -> None:
    """SIGTERM at many instants through a run (start-up, reading, rendering, each write,
    the manifest): whatever it interrupts, no .part file is left and nothing but whole
    files are in the output folder."""
    csv_in(box, "Name,Pledge\n" + "".join(f"Person {i},speak-up\n" for i in range(30)))
    args = card() if command == "card" else batch("in.csv", "--format", "story")
    whole = box.run(*args, timeout=60)
    assert whole.code in (0, 1), whole.stderr
    span = whole.seconds
    for i in range(12):
        shutil.rmtree(box.out, ignore_errors=True)
        ran = box.run(*args, signal_after=(span * (i + 0.5) / 12, signal.SIGTERM), timeout=60)
        # -15: stopped while Python itself was starting, before imhcard was running.
        assert ran.code in (0, 1, 143, -15) and "Traceback" not in ran.stderr, ran.stderr
        assert box.leftovers() == [], (i, box.leftovers())
        for png in box.out.glob("*.png"):
            with Image.open(png) as img:
                img.load()  # every card there is whole
