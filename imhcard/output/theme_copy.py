"""`imhcard theme new`: an editable copy of a theme, with every file it refers to.

The shipped themes are installed inside the package, where an edit is lost (or never
seen, when imhcard runs from the installed copy). A copy is a folder staff own:

    week-2027/theme.yaml     the theme, its comments kept, paths rewritten
    week-2027/art/2026.png   the artwork, the logo and any fonts it names
    week-2027/logo/mark.png

and every command takes it with `--theme week-2027/`.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from imhcard.core.theme import THEME_FILE, load_theme
from imhcard.core.validate import line_index
from imhcard.errors import OutputError, ThemeError

# Where each kind of referenced file goes in the copy.
_FOLDERS = {("art", "artwork"): "art", ("art", "logo"): "logo", ("fonts", "display"): "fonts",
            ("fonts", "body"): "fonts", ("fonts", "body_bold"): "fonts"}


@dataclass(frozen=True)
class ThemeCopy:
    theme: Path
    files: tuple[Path, ...]


def _references(data: dict[str, Any]) -> list[tuple[tuple[str, ...], str, str]]:
    """(key path, value as written, folder in the copy) for every file the theme names."""
    refs: list[tuple[tuple[str, ...], str, str]] = []
    for (section, key), folder in _FOLDERS.items():
        value = (data.get(section) or {}).get(key)
        if isinstance(value, str):
            refs.append(((section, key), value, folder))
    for i, value in enumerate((data.get("fonts") or {}).get("fallback") or []):
        refs.append((("fonts", "fallback", str(i)), value, "fonts"))
    return refs


def copy_theme(source: Path, dest: Path) -> ThemeCopy:
    """Copy the theme file `source` into the new folder `dest` as theme.yaml, with its
    artwork, logo and fonts beside it and its paths rewritten to them. The folder
    appears whole or not at all; an existing non-empty folder is never touched."""
    load_theme(source)  # only a valid theme is copied
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise OutputError(f"{dest} already exists and is not an empty folder; give a new "
                          "folder name for the copy")
    text = source.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    lines, _ = line_index(text)
    rows = text.splitlines(keepends=True)
    plan: list[tuple[Path, str]] = []
    taken: set[str] = set()
    for key_path, value, folder in _references(data):
        src = (source.parent / value).resolve()
        name = src.name
        n = 2
        while f"{folder}/{name}" in taken:  # two files of one name from different folders
            name = f"{src.stem}-{n}{src.suffix}"
            n += 1
        rel = f"{folder}/{name}"
        taken.add(rel)
        plan.append((src, rel))
        row = lines[key_path] - 1
        if value not in rows[row]:
            raise ThemeError(str(source), [f"{source}:{row + 1}: {'.'.join(key_path)}: "
                                           "cannot rewrite this path in place; write it "
                                           "on one line"])
        head, _, tail = rows[row].rpartition(value)
        rows[row] = head + rel + tail
    note = (f"# An editable copy of {source.name}, made by `imhcard theme new`; its files are "
            "in this folder.\n# Use it with --theme on every command, e.g. "
            f"imhcard theme check {dest}/\n")
    dest.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", suffix=".part", dir=dest.parent))
    try:
        for src, rel in plan:
            (work / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, work / rel)
        (work / THEME_FILE).write_text(note + "".join(rows), encoding="utf-8")
        load_theme(work / THEME_FILE)  # the copy stands on its own
        os.chmod(work, 0o777 & ~_umask())
        if dest.exists():
            dest.rmdir()  # empty, checked above
        os.replace(work, dest)
    except OSError as exc:
        shutil.rmtree(work, ignore_errors=True)
        raise OutputError(f"cannot write the theme copy {dest}: {exc.strerror or exc}") from None
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return ThemeCopy(dest / THEME_FILE, tuple(dest / rel for _, rel in plan))


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
