"""The package's rooms and the direction of their imports (README, Development).

    core  <-  render  <-  output  <-  batch  <-  cli
                              ^------------  web

A room may import the rooms to its left and `errors` / `bundled`, never to its right,
and only cli/ may import click. The check reads the source (imports inside functions
count too), so it needs no import side effects.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "imhcard"

# What each room may import from imhcard (besides itself).
ALLOWED: dict[str, set[str]] = {
    "errors": set(),
    "bundled": set(),
    "core": {"errors", "bundled"},
    "render": {"errors", "bundled", "core"},
    "output": {"errors", "bundled", "core", "render"},
    "batch": {"errors", "bundled", "core", "render", "output"},
    "web": {"errors", "bundled", "core", "render", "output"},
    "cli": {"errors", "bundled", "core", "render", "output", "batch", "web"},
    "__main__": {"cli"},
}
# Third-party packages only a room's own front end may import.
ONLY_IN = {"click": {"cli"}, "starlette": {"web"}, "uvicorn": {"web", "cli"}, "h11": {"web"}}


def room_of(module: str) -> str:
    """'imhcard.render.fit' -> 'render'; 'imhcard' -> ''."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def imports_of(source: str, module: str) -> list[tuple[int, str]]:
    """(line, imported module) for every import in `source`, relative ones resolved."""
    found: list[tuple[int, str]] = []
    package = module.rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.append((node.lineno, base))
            found += [(node.lineno, f"{base}.{a.name}") for a in node.names if base == "imhcard"]
    return found


def violations(source: str, module: str) -> list[str]:
    """Every import in `module`'s source that goes against the direction above."""
    room = room_of(module)
    out: list[str] = []
    for line, target in imports_of(source, module):
        top = target.split(".")[0]
        if top == "imhcard":
            other = room_of(target)
            if other and other != room and other != "__version__" \
                    and other not in ALLOWED.get(room, set()):
                out.append(f"{module}:{line} imports {target} ({room}/ may not import {other}/)")
        elif top in ONLY_IN and room not in ONLY_IN[top]:
            out.append(f"{module}:{line} imports {top} (only {', '.join(ONLY_IN[top])}/ may)")
    return out


def modules() -> list[tuple[str, Path]]:
    return [(".".join(("imhcard", *p.relative_to(PACKAGE).with_suffix("").parts))
             .removesuffix(".__init__"), p) for p in sorted(PACKAGE.rglob("*.py"))]


def test_every_module_is_in_a_known_room() -> None:
    unknown = [m for m, _ in modules() if room_of(m) and room_of(m) not in ALLOWED]
    assert unknown == [], "add the new room to ALLOWED and to the README's table"


def test_imports_go_one_way() -> None:
    found = [v for m, p in modules() for v in violations(p.read_text(encoding="utf-8"), m)]
    assert found == []


@pytest.mark.parametrize(("module", "source"), [
    ("imhcard.render.fit", "from imhcard.batch.runner import run_batch\n"),
    ("imhcard.core.theme", "def f():\n    import imhcard.render.compose\n"),
    ("imhcard.core.theme", "from ..render import compose\n"),
    ("imhcard.output.cards", "import click\n"),
    ("imhcard.web.app", "from imhcard.cli import main\n"),
    ("imhcard.batch.runner", "from imhcard.cli.options import theme_option\n"),
])
def test_the_check_catches_a_wrong_import(module: str, source: str) -> None:
    assert violations(source, module)


@pytest.mark.parametrize(("module", "source"), [
    ("imhcard.render.fit", "from imhcard.core.layout import Box\n"
                           "from imhcard import __version__\n"),
    ("imhcard.cli.card", "import click\nfrom imhcard.batch.runner import run_batch\n"),
    ("imhcard.batch.row", "from .journal import Made\n"),
])
def test_the_check_allows_the_right_direction(module: str, source: str) -> None:
    assert violations(source, module) == []
