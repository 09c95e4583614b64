"""Writing cards to disk: safe file names, atomic writes, alt text and caption beside."""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from imhcard.errors import OutputError
from imhcard.output.stops import uninterrupted
from imhcard.render.pipeline import MadeCard

_CREATE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0)


def publish(tmp: Path, path: Path) -> None:
    """Put a finished temporary file in place: renamed over the target (a rename within
    one file system is atomic). It was made with the permissions any new file gets
    (cards are for sharing), so nothing needs changing first."""
    os.replace(tmp, path)


def temp_beside(path: Path, staged: list[Path]) -> int:
    """A new temporary file in `path`'s folder (so the final rename stays on one file
    system), open for writing; `publish` puts it in place.

    Its name goes into `staged` *before* the file is made, so a stop (Ctrl-C, SIGTERM)
    at any instant leaves nothing the caller's clean-up of `staged` does not remove."""
    while True:
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.part")
        staged.append(tmp)
        try:
            return os.open(tmp, _CREATE | os.O_EXCL, 0o666)
        except FileExistsError:
            staged.remove(tmp)
        except FileNotFoundError:  # the folder is not made yet: make it, once
            staged.remove(tmp)
            if path.parent.exists():
                raise
            path.parent.mkdir(parents=True, exist_ok=True)


@contextmanager
def atomic_file(path: Path) -> Iterator[Path]:
    """A temporary path beside `path` to write; it replaces `path` only if the block
    ends without an error, and is removed otherwise, so a killed or failed write
    leaves no half-written file."""
    staged: list[Path] = []
    try:
        with _removed_on_failure(staged, path):
            os.close(temp_beside(path, staged))
            yield staged[-1]
            publish(staged[-1], path)
    finally:
        staged.clear()


@contextmanager
def _removed_on_failure(staged: list[Path], path: Path) -> Iterator[None]:
    """Remove the temporary files in `staged` if the block fails, whatever stopped it
    (Ctrl-C included); a file-system error becomes one line saying which file."""
    try:
        yield
    except OSError as exc:
        for tmp in staged:
            tmp.unlink(missing_ok=True)
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
    except BaseException:
        for tmp in staged:
            tmp.unlink(missing_ok=True)
        raise


def slug(name: str, limit: int = 48) -> str:
    """A file-name-safe ASCII form of a name: 'Aoife Ní Bhriain' -> 'aoife-ni-bhriain'.

    Names with no Latin letters (陈美玲, شيماء) get a short stable code instead,
    so two different names never share a file.
    """
    ascii_text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    text = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:limit].strip("-")
    # A letter or digit with no ASCII spelling (陈, ش, Ø) would vanish from the
    # slug, so 'Zoë 陈' and 'Zoë 林' would share a file: add a hash of the name.
    lost = any(ch.isalnum() and not unicodedata.normalize("NFKD", ch).encode("ascii", "ignore")
               for ch in name)
    if lost or not text:
        digest = hashlib.sha1(name.encode("utf-8")).hexdigest()[:8]
        text = f"{text}-{digest}" if text else f"supporter-{digest}"
    return text


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` so that it is either wholly there or not at all.

    The card's own fast path (two of these per card): one open, write and rename.
    The temporary name is fixed per process, so no random names are tried, and the
    file is created with the usual permissions, so no chmod is needed."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.part")
    with _removed_on_failure([tmp], path):
        try:
            fd = os.open(tmp, _CREATE, 0o666)
        except FileNotFoundError:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(tmp, _CREATE, 0o666)
        with open(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)


@dataclass(frozen=True)
class Written:
    """The files one card became."""

    image: Path
    alt: Path
    digest: str
    caption: Path | None = None


def card_stem(out_dir: Path, stem: str, fmt_name: str) -> Path:
    path = (out_dir / f"{stem}-{fmt_name}").resolve()
    if path.parent != out_dir.resolve():
        raise OutputError(f"refusing to write outside {out_dir}: {path}")
    return path


def card_files(made: MadeCard, out_dir: Path, stem: str) -> list[tuple[Path, bytes]]:
    """The image and alt text files one card becomes: (path, bytes), image first."""
    base = card_stem(out_dir, stem, made.card.format.name)
    return [(base.with_name(base.name + made.extension), made.data),
            (base.with_name(base.name + ".alt.txt"), (made.card.alt_text + "\n").encode())]


def caption_file(caption: str, out_dir: Path, stem: str) -> tuple[Path, bytes]:
    return card_stem(out_dir, stem, "caption").with_suffix(".txt"), (caption + "\n").encode()


def write_together(files: Sequence[tuple[Path, bytes]]) -> None:
    """Write files so that either all of them are in place or none is changed: each goes
    to a temporary file beside its target first (a full disk or a kill stops there and
    the temporaries are removed), and only then are all renamed into place. A card is
    never left without its alt text or caption, nor the other way round."""
    staged: list[Path] = []
    try:
        for path, data in files:
            if path.is_dir() and not path.is_symlink():
                raise OutputError(f"cannot write {path}: there is a folder of that name; "
                                  "move it away")
            with os.fdopen(temp_beside(path, staged), "wb") as fh:
                fh.write(data)
        with uninterrupted():  # a stop never leaves a card without its alt text
            for tmp, (path, _) in zip(staged, files, strict=True):
                publish(tmp, path)
            staged.clear()  # in place: nothing left to clean up
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
    finally:
        for tmp in staged:
            tmp.unlink(missing_ok=True)


def write_card(made: MadeCard, out_dir: Path, stem: str, caption: bool = False) -> Written:
    """Write the image and its alt text (and with `caption`, the post caption), all or
    nothing; return where they went."""
    files = card_files(made, out_dir, stem)
    if caption:
        files.append(caption_file(made.card.caption, out_dir, stem))
    write_together(files)
    (image_path, data), (alt_path, _) = files[:2]
    return Written(image_path, alt_path, hashlib.sha256(data).hexdigest(),
                   files[2][0] if caption else None)


def write_caption(caption: str, out_dir: Path, stem: str) -> Path:
    path, data = caption_file(caption, out_dir, stem)
    write_atomic(path, data)
    return path


def prepare_out_dir(out_dir: Path) -> Path:
    """Make the output folder (and its parents) if need be; its real path. A path that is
    a file, a symlink to nowhere, under a file, or a folder that cannot be written to is
    one clear OutputError before anything is made."""
    if out_dir.is_symlink() and not out_dir.exists():
        raise OutputError(f"--out {out_dir}: a symlink to '{os.readlink(out_dir)}', which "
                          "does not exist; give a folder")
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(f"--out {out_dir}: a file, not a folder; give a folder (it is made "
                          "if it does not exist)")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"--out {out_dir}: cannot make the folder: "
                          f"{exc.strerror or exc}") from None
    if not os.access(out_dir, os.W_OK | os.X_OK):
        raise OutputError(f"--out {out_dir}: the folder is read-only; give a folder you can "
                          "write to")
    return out_dir.resolve()
