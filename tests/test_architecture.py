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


# --- rooms a newcomer can read --------------------------------------------------------

MODULE_MAX_LINES = 400
FUNCTION_MAX_LINES = 80
BENCH = PACKAGE.parent / "bench"


def long_functions(source: str, limit: int = FUNCTION_MAX_LINES) -> list[tuple[str, int]]:
    """(name, lines) of every function or method longer than `limit` lines."""
    return [(node.name, node.end_lineno - node.lineno + 1)
            for node in ast.walk(ast.parse(source))
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            and node.end_lineno is not None and node.end_lineno - node.lineno + 1 > limit]


def test_no_module_is_over_400_lines() -> None:
    long = {m: n for m, p in modules()
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MODULE_MAX_LINES}
    assert long == {}, "split it by what its parts mean"


def test_no_function_is_over_80_lines() -> None:
    long = {m: found for m, p in modules()
            if (found := long_functions(p.read_text(encoding="utf-8")))}
    assert long == {}


def test_the_length_check_catches_a_long_function() -> None:
    body = "".join(f"    x{i} = {i}\n" for i in range(FUNCTION_MAX_LINES))
    assert long_functions(f"def f():\n{body}") == [("f", FUNCTION_MAX_LINES + 1)]
    assert long_functions(f"def f():\n{body[: body.rindex('    x')]}") == []


def import_graph(files: list[tuple[str, Path]]) -> dict[str, set[str]]:
    """Module -> the modules of `files` it imports (imports inside functions count)."""
    names = {m for m, _ in files}
    graph: dict[str, set[str]] = {}
    for module, path in files:
        targets = set()
        for _, target in imports_of(path.read_text(encoding="utf-8"), module):
            while target and target not in names:
                target = target.rpartition(".")[0]
            if target and target != module:
                targets.add(target)
        graph[module] = targets
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every import circle, each once (Tarjan's strongly connected components)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_no_import_circles() -> None:
    package = [(m, p) for m, p in modules() if p.name != "__init__.py"]
    bench = [(p.stem, p) for p in sorted(BENCH.glob("*.py"))]  # they import each other so
    assert cycles(import_graph(package)) == []
    assert cycles(import_graph(bench)) == []


def test_the_circle_check_catches_a_circle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


# --- one table of supporter fields --------------------------------------------------------

FIELD_MODULES_MAX = 6


def names_field(source: str, field: str) -> bool:
    """Whether code names `field`: as a string of its own ("org"), a keyword argument
    (org=...), an attribute (text.org) or a parameter; not inside other words or web
    addresses (example.org)."""
    for node in ast.walk(ast.parse(source)):
        if (isinstance(node, ast.Constant) and node.value == field) \
                or (isinstance(node, ast.Attribute) and node.attr == field) \
                or (isinstance(node, ast.keyword) and node.arg == field) \
                or (isinstance(node, ast.arg) and node.arg == field) \
                or (isinstance(node, ast.Name) and node.id == field):
            return True
    return False


@pytest.mark.parametrize("field", ["handle", "org"])
def test_a_supporter_field_is_named_in_few_modules(field: str) -> None:
    """Everything about a field derives from core/fields.py; its name appears only
    where it must: the table, the records, where it is drawn or has a logic of its own."""
    named = sorted(m for m, p in modules() if names_field(p.read_text(encoding="utf-8"), field))
    assert len(named) <= FIELD_MODULES_MAX, named


def test_the_field_check_reads_code_not_words() -> None:
    assert names_field("x = text.org\n", "org")
    assert names_field("f(org='')\n", "org")
    assert names_field("d = {'org': 1}\n", "org")
    assert not names_field("url = 'https://example.org/'\n", "org")
    assert not names_field("s = 'the organisation'\n", "org")
