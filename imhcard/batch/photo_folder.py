"""The folder of photos staff downloaded (`--photos DIR`), read once, and what each
file's name says about whose it is.

Google Drive names a form's uploads "<the file's own name> - <the uploader's Google
account name>.jpg" and a second file of that name "... (1).jpg"; OneDrive names
Microsoft Forms' uploads "<name>_<respondent name>.jpg" and a second one
"... 1.jpg"; Jotform's "download all" keeps each submission's files in a folder named
by the submission id, as its links do; a file copied twice by hand is "name-1.jpg".
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from imhcard.batch.links import IMAGE_SUFFIXES

FOLDER_FILES_MAX = 50_000  # a --photos folder bigger than this is probably the wrong one
# A copy's number at the end of a name: "image (1)", "image(2)", "IMG_1 1", "photo-1".
# One or two digits, so a date or a camera's number ("IMG-20260601") is not a copy.
_COPY = re.compile(r"^(?P<base>.*?\S)(?:\s*\((?P<a>\d{1,2})\)|\s(?P<b>\d{1,2})|-(?P<c>\d{1,2}))$")


def words(text: str) -> str:
    """'IMG_1234 - Aoife Ní Bhriain' -> 'img 1234 aoife ni bhriain'."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()
    return " ".join(re.findall(r"[a-z0-9]+", plain))


def compact(text: str) -> str:
    return words(text).replace(" ", "")


@dataclass(frozen=True)
class FolderFile:
    """One photo in the folder and the clues its name gives."""

    path: Path
    rel: str  # its path inside the folder, '/'-separated
    words: str  # the words of its name (copy number removed)
    owner: str  # the words after " - " (Drive) or the last "_" (OneDrive): a person's name
    base: str  # the name without its copy number, to group copies of one name
    copy: int  # 0 for the first file of a name, 1 for "(1)", ...
    mtime: float

    @property
    def name(self) -> str:
        return self.path.name


def _folder_file(root: Path, path: Path) -> FolderFile:
    stem = unicodedata.normalize("NFC", path.stem).strip()
    m = _COPY.match(stem)
    copy = int(m.group("a") or m.group("b") or m.group("c")) if m else 0
    base = m.group("base") if m else stem
    owner = ""
    if " - " in base:
        owner = base.rsplit(" - ", 1)[1]
    elif "_" in base:
        owner = base.rsplit("_", 1)[1]
    owner_words = words(owner) if re.search(r"[^\W\d_]", owner) else ""
    try:
        mtime = path.stat().st_mtime
    except OSError:
        mtime = 0.0
    rel = path.relative_to(root).as_posix()
    return FolderFile(path, rel, words(base), owner_words, words(base) + path.suffix.lower(),
                      copy, mtime)


class PhotoFolder:
    """The photos of a --photos folder (and its subfolders, as a Drive or OneDrive zip
    unpacks), with indexes by file name and path."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.files: list[FolderFile] = []
        self.by_name: dict[str, list[FolderFile]] = {}
        # Each word (and the squeezed owner) of a file's name -> files: a row's name is
        # compared with the files that share a word with it, not with every file.
        self.by_word: dict[str, list[FolderFile]] = {}
        for dirpath, dirnames, filenames in os.walk(self.root):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for filename in sorted(filenames):
                path = Path(dirpath) / filename
                if path.suffix.lower() not in IMAGE_SUFFIXES or filename.startswith("."):
                    continue
                if len(self.files) >= FOLDER_FILES_MAX:
                    return
                f = _folder_file(self.root, path)
                self.files.append(f)
                self.by_name.setdefault(unicodedata.normalize("NFC", filename).casefold(),
                                        []).append(f)
                keys = {*f.words.split(), *f.owner.split(), (f.owner or f.words).replace(" ", "")}
                for key in keys:
                    self.by_word.setdefault(key, []).append(f)

    def by_file_name(self, name: str) -> list[FolderFile]:
        return self.by_name.get(unicodedata.normalize("NFC", Path(name).name).casefold(), [])

    def by_path_end(self, tail: str) -> list[FolderFile]:
        """Files whose path ends with `tail` ('5912345/image.jpg'), case aside."""
        want = "/" + unicodedata.normalize("NFC", tail).casefold().strip("/")
        return [f for f in self.by_file_name(tail)
                if ("/" + unicodedata.normalize("NFC", f.rel).casefold()).endswith(want)]

    def sharing(self, want: str, local: str) -> list[FolderFile]:
        """Files whose name shares a word with `want`, or names the e-mail's `local`."""
        keys = {*want.split(), *(local[:n] for n in range(4, len(local) + 1))}
        seen: dict[str, FolderFile] = {}
        for key in keys:
            for f in self.by_word.get(key, ()):
                seen.setdefault(f.rel, f)
        return list(seen.values())

    def containing(self, token: str) -> list[FolderFile]:
        """Files whose name contains a Drive id (Google names some downloads by it)."""
        return [f for f in self.files if token in f.path.name]


# Words a camera, phone or app puts before a name in a file's name ("IMG_1 Aoife").
_CAMERA_WORDS = frozenset({"img", "pxl", "dsc", "dscn", "dcim", "image", "photo", "picture",
                           "pic", "mvimg", "screenshot", "whatsapp", "signal", "selfie"})


def _camera_then(text: str, want: str) -> bool:
    """'img 4411 marie lee' is a camera's name, then the name: every word before it is a
    number or a camera's word, so 'anne marie lee' is not 'marie lee'."""
    if not text.endswith(" " + want):
        return False
    before = text[:-len(want) - 1].split()
    return all(w in _CAMERA_WORDS or any(ch.isdigit() for ch in w) for w in before)


def name_clue(f: FolderFile, want: str, local: str = "") -> int:
    """How surely a file's name says it is this person's (`want`: the words of their
    name; `local`: their e-mail's name, compacted): 2 when it is the whole name and
    nothing more ("IMG_1 - Aoife Ni Bhriain", "Aoife Ni Bhriain.jpg"), 1 for part of
    it, a name inside a longer one or the e-mail's name ("IMG_1 - Aoife", account
    "Anne Aoife Ni Bhriain", "aoifenb"), 0 for nothing."""
    if want and (f.words == want or f.owner == want or _camera_then(f.words, want)):
        return 2
    owner = f.owner or f.words
    mine, theirs = set(want.split()), set(owner.split())
    if mine and theirs and len(owner.replace(" ", "")) >= 3:
        if theirs <= mine and any(len(w) >= 3 for w in theirs):
            return 1
        if mine <= theirs and len(mine) >= 2:
            return 1
    squeezed = owner.replace(" ", "")
    if len(local) >= 4 and len(squeezed) >= 4 and (local == squeezed or local.startswith(squeezed)
                                                   or squeezed.startswith(local)):
        return 1
    return 0


def likeness(f: FolderFile, name: str) -> float:
    """How alike a file's name and a supporter's name are, 0 to 1 (for 'nearest')."""
    mine = set(words(name).split())
    theirs = set((f.owner or f.words).split())
    if not mine or not theirs:
        return 0.0
    shared = sum(1 for w in theirs if w in mine or any(m.startswith(w) or w.startswith(m)
                                                       for m in mine if len(m) >= 3 <= len(w)))
    return shared / max(len(mine), len(theirs))
