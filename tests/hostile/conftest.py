"""The hostile-input suite's tools: run the real command in a sandbox folder, with a
time limit (a hang fails the test), a memory limit (RLIMIT_AS, so a blow-up fails
the test) and, where asked, a file-size limit (a full disk) or another user (a
read-only folder); then check what a user and the folder would show.

Every refusal is checked for: its exit code, one line naming the problem, no
traceback, no temporary or partial file anywhere in the sandbox, and nothing new
outside the output folder.
"""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
THEME_2026 = REPO / "themes" / "2026.yaml"
ART = REPO / "assets" / "art" / "2026.png"
LOGO = REPO / "assets" / "logo" / "mark.png"
# Well under 1 GB: the promise. Address space counts shared libraries too, so the
# limit is on what the process could map, a stricter test than resident memory.
MEMORY = 1 << 30
NOBODY = 65534


@dataclass(frozen=True)
class Ran:
    code: int
    stdout: str
    stderr: str
    seconds: float

    @property
    def error(self) -> str:
        """The one line a refusal prints."""
        return self.stderr.strip().splitlines()[0] if self.stderr.strip() else ""


class Sandbox:
    """A folder to attack in: `work/` is the current folder, `out/` the output folder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.work = root / "work"
        self.work.mkdir()
        self.out = self.work / "out"
        self._before: set[Path] = set()

    def theme(self, text: str | None = None, edits: Sequence[tuple[str, str]] = (),
              name: str = "theme.yaml") -> Path:
        """A copy of the 2026 theme beside copies of its art, with edits."""
        art = self.work / "art"
        art.mkdir(exist_ok=True)
        shutil.copy(ART, art / "artwork.png")
        shutil.copy(LOGO, art / "logo.png")
        if text is None:
            text = THEME_2026.read_text(encoding="utf-8")
            text = text.replace("../assets/art/2026.png", "art/artwork.png")
            text = text.replace("../assets/logo/mark.png", "art/logo.png")
            for old, new in edits:
                assert text.count(old) == 1, old
                text = text.replace(old, new)
        path = self.work / name
        path.write_text(text, encoding="utf-8")
        return path

    def snapshot(self) -> None:
        self._before = set(self.root.rglob("*"))

    def run(self, *args: str, timeout: float = 30, memory: int = MEMORY,
            file_size: int | None = None, as_nobody: bool = False,
            signal_after: tuple[float, int] | None = None,
            ready: Callable[[], bool] | None = None) -> Ran:
        """The installed command as a subprocess; a hang past `timeout` fails the test.
        With `signal_after` (seconds, signal), the signal is sent that long after the
        start, or as soon as `ready()` says so if that comes first."""
        self.snapshot()

        def limits() -> None:
            # As a user's shell starts it, whatever this test run inherited: a shell
            # that runs pytest in the background ignores SIGINT, and so would the child.
            for signum in (signal.SIGINT, signal.SIGTERM):
                signal.signal(signum, signal.SIG_DFL)
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
            if file_size is not None:
                # Python ignores SIGXFSZ, so a write past the limit fails with EFBIG,
                # as a write to a full disk fails with ENOSPC.
                resource.setrlimit(resource.RLIMIT_FSIZE, (file_size, file_size))
            if as_nobody:
                os.setgid(NOBODY)
                os.setuid(NOBODY)

        env = {**os.environ, "PYTHONPATH": str(REPO), "COLUMNS": "200"}
        started = time.monotonic()
        proc = subprocess.Popen([sys.executable, "-m", "imhcard", *args], cwd=self.work,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env=env, preexec_fn=limits)
        try:
            if signal_after is not None:
                delay, signum = signal_after
                deadline = started + delay
                while proc.poll() is None and time.monotonic() < deadline \
                        and not (ready is not None and ready()):
                    time.sleep(0.01)
                if proc.poll() is None:
                    proc.send_signal(signum)
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            pytest.fail(f"imhcard {' '.join(args)[:200]} did not end within {timeout} s")
        return Ran(proc.returncode, out, err, time.monotonic() - started)

    def leftovers(self) -> list[Path]:
        """Temporary or partial files anywhere in the sandbox."""
        return [p for p in self.root.rglob("*")
                if p.name.endswith((".part", ".tmp")) or p.name.startswith("tmp")]

    def new_outside(self, allowed: Iterable[Path] = ()) -> list[Path]:
        """Files and folders the last run made outside the output folder (and `allowed`)."""
        inside = [self.out, *allowed]
        return [p for p in set(self.root.rglob("*")) - self._before
                if not any(p == d or p.is_relative_to(d) for d in inside)]


@pytest.fixture
def box(tmp_path: Path) -> Sandbox:
    return Sandbox(tmp_path)


def refused(ran: Ran, box: Sandbox, *words: str, code: int = 2,
            allowed: Iterable[Path] = ()) -> None:
    """The promise for a bad input: its exit code, one line naming the problem (every
    one of `words`), no traceback, nothing temporary left, nothing new outside --out."""
    assert "Traceback" not in ran.stderr, ran.stderr[-3000:]
    assert ran.code == code, (ran.code, ran.stderr[-2000:])
    # The shipped theme is a draft until the year's title is announced, and says so.
    lines = [line for line in ran.stderr.strip().splitlines() if "WARNING: DRAFT THEME" not in line]
    assert lines and lines[0].startswith("imhcard: "), ran.stderr[-2000:]
    # Theme problems are listed one per line under "N problems:"; anything else is one line.
    assert len(lines) == 1 or lines[0].endswith("problems:"), ran.stderr[-2000:]
    for word in words:
        assert word in ran.stderr, (word, ran.stderr[-2000:])
    assert box.leftovers() == []
    assert box.new_outside(allowed) == []


CARD = ("card", "--name", "Aoife Ní Bhriain", "--pledge", "speak-up",
        "--format", "instagram-square", "--out", "out")


def card(*extra: str) -> tuple[str, ...]:
    return (*CARD, *extra)


def batch(input_name: str, *extra: str) -> tuple[str, ...]:
    return ("batch", input_name, "--format", "instagram-square", "--out", "out",
            "--workers", "1", "--quiet", *extra)


Writer = Callable[[Path], None]
