"""A batch killed with SIGKILL in the middle, then run again, ends with a complete,
valid set of cards, the same as an uninterrupted run makes, none made twice."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from PIL import Image

from imhcard.batch.journal import journal_entries

ROWS = 40
FORMATS = ("instagram-square", "story")
pytestmark = [pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX"),
              pytest.mark.slow]


def batch_command(input_path: Path, out: Path, workers: int) -> list[str]:
    return [sys.executable, "-m", "imhcard", "batch", str(input_path), "--out", str(out),
            "--workers", str(workers), *(a for f in FORMATS for a in ("--format", f))]


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.parametrize("workers", [1, 2])
def test_kill_9_then_rerun_gives_a_complete_set(tmp_path: Path, workers: int) -> None:
    signups = tmp_path / "signups.csv"
    with signups.open("w", encoding="utf-8", newline="") as fh:
        out_csv = csv.writer(fh)
        out_csv.writerow(["Your name", "Your pledge", "Organisation"])
        for i in range(ROWS):
            # A third of the supporters share a name with another: distinct files all the same.
            out_csv.writerow([f"Supporter {i % 30}", "listen" if i % 2 else "speak-up",
                              "Sure Start" if i % 3 else ""])
    out = tmp_path / "out"

    proc = subprocess.Popen(batch_command(signups, out, workers), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(list(out.glob("*.png"))) < 10:
        assert proc.poll() is None, "the batch finished before it could be killed"
        time.sleep(0.01)
    workers_pids = children(proc.pid) if Path("/proc").is_dir() else []
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    made_before = len(list(out.glob("*.png")))
    assert 10 <= made_before < ROWS * len(FORMATS)
    assert not (out / "manifest.csv").exists()  # a manifest is only ever complete

    # Orphaned workers notice their parent is gone and leave.
    give_up = time.monotonic() + 5
    while any(alive(p) for p in workers_pids) and time.monotonic() < give_up:
        time.sleep(0.05)
    assert not any(alive(p) for p in workers_pids)

    rerun = subprocess.run(batch_command(signups, out, workers), capture_output=True,
                           text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr

    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    cards = manifest["cards"]
    assert len(cards) == ROWS * len(FORMATS)
    statuses = Counter(c["status"] for c in cards)
    assert statuses["failed"] == 0
    # Resumed, not started over: only a card in a worker's hands at the kill is made again.
    assert statuses["already made"] >= made_before - workers
    listed = {f for c in cards for f in c["files"]}
    on_disk = {p.name for p in out.iterdir() if p.is_file() and not p.name.startswith(".")}
    # Nothing missing or extra.
    assert on_disk - {"manifest.csv", "manifest.json", "report.html"} == listed
    assert not list(out.glob(".*.part"))
    for card in cards:
        with Image.open(out / card["files"][0]) as img:
            img.load()  # every image decodes to the end
            assert img.format == "PNG"

    # The journal says each card was made once, across both runs.
    made = Counter((e["row"], e["format"]) for e in journal_entries(out))
    assert len(made) == ROWS * len(FORMATS)
    assert max(made.values()) == 1

    # And the set is what an uninterrupted run makes: the same text files byte for byte,
    # the same images pixel for pixel with the same embedded alt text. (Not the PNGs'
    # compressed bytes: ISA-L's deflate does not promise identical output for identical
    # input — intel/isa-l#140 — and a killed-and-resumed run on a loaded machine once
    # wrote a card 1 byte shorter with every pixel the same.)
    clean = tmp_path / "clean"
    subprocess.run(batch_command(signups, clean, workers), capture_output=True, check=True,
                   timeout=300)
    for name in sorted(listed):
        if not name.endswith(".png"):
            assert (out / name).read_bytes() == (clean / name).read_bytes(), name
            continue
        with Image.open(out / name) as got, Image.open(clean / name) as want:
            assert got.info.get("Description") == want.info.get("Description"), name
            assert got.tobytes() == want.tobytes(), name
