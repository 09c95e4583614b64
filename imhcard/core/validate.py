"""A small strict validator for YAML documents, with line numbers and "did you mean".

The theme file is the one thing staff edit by hand on a deadline, so every
problem is collected (not just the first) and each names the file, the line,
the key path, what was found and what is allowed.
"""

from __future__ import annotations

import copy
import difflib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

# libyaml's loader when PyYAML was built with it: the same documents, several times faster.
YAML_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# A check returns None when the value is fine, or the sentence that says what is allowed.
Check = Callable[[Any], "str | None"]


@dataclass(frozen=True)
class Key:
    """One key of a mapping: its check, whether it may be left out, what it is for (the
    reference in docs/themes.md is made from `doc`), and the value used when it is left
    out (None: no value; the code reading it decides)."""

    check: Check | Schema
    required: bool = True
    doc: str = ""
    default: Any = None


@dataclass(frozen=True)
class Schema:
    """A mapping with known keys, or (with `values`) any keys sharing one check;
    `placeholder` names such a key in the reference, like `<code>`."""

    keys: Mapping[str, Key] = field(default_factory=dict)
    values: Check | Schema | None = None
    key_check: Check | None = None
    placeholder: str = "<key>"


def with_defaults(data: Any, schema: Schema) -> Any:
    """A copy of valid `data` with every left-out key that has a default filled in."""
    if not isinstance(data, dict):
        return data
    out = dict(data)
    for name, key in schema.keys.items():
        if name not in out and key.default is not None:
            out[name] = copy.deepcopy(key.default)
        if name in out and isinstance(key.check, Schema):
            out[name] = with_defaults(out[name], key.check)
    if isinstance(schema.values, Schema):
        for name, value in out.items():
            if name not in schema.keys:
                out[name] = with_defaults(value, schema.values)
    return out


def reference(schema: Schema, prefix: str = "") -> list[tuple[str, Key]]:
    """Every documented key, as (dotted name, Key), in the schema's order; a nested
    mapping's own keys follow it, and a key with no doc of its own is left out."""
    rows: list[tuple[str, Key]] = []
    for name, key in schema.keys.items():
        dotted_name = f"{prefix}{name}"
        if key.doc:
            rows.append((dotted_name, key))
        if isinstance(key.check, Schema):
            rows += reference(key.check, dotted_name + ".")
            if isinstance(key.check.values, Schema):
                rows += reference(key.check.values, f"{dotted_name}.{key.check.placeholder}.")
    return rows


def line_index(text: str) -> tuple[dict[tuple[str, ...], int], list[tuple[tuple[str, ...], int]]]:
    """Map every key path in a YAML document to its 1-based line number; also list
    keys written twice in one mapping (YAML keeps the last one without a word)."""
    lines: dict[tuple[str, ...], int] = {}
    twice: list[tuple[tuple[str, ...], int]] = []
    try:
        root = yaml.compose(text, Loader=YAML_LOADER)
    except yaml.YAMLError:
        return lines, twice

    def walk(node: yaml.Node, path: tuple[str, ...]) -> None:
        lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                key_path = (*path, str(k.value))
                if key_path in lines:
                    twice.append((key_path, lines[key_path]))
                lines[key_path] = k.start_mark.line + 1
                walk(v, key_path)
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                walk(item, (*path, str(i)))

    if root is not None:
        walk(root, ())
    return lines, twice


def dotted(path: tuple[str, ...]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if part.isdigit() else (f".{part}" if out else part)
    return out or "(top level)"


def validate(
    data: Any, schema: Schema, where: Callable[[tuple[str, ...]], str]
) -> list[str]:
    """Check `data` against `schema`; return every problem as one line each."""
    problems: list[str] = []

    def say(path: tuple[str, ...], message: str) -> None:
        problems.append(f"{where(path)}: {dotted(path)}: {message}")

    def visit(value: Any, spec: Check | Schema, path: tuple[str, ...]) -> None:
        if isinstance(spec, Schema):
            if not isinstance(value, dict):
                say(path, f"expected a mapping of keys, found {describe(value)}")
                return
            for key, item in value.items():
                key_s = str(key)
                if spec.keys and key_s in spec.keys:
                    visit(item, spec.keys[key_s].check, (*path, key_s))
                elif spec.values is not None:
                    if spec.key_check is not None and (err := spec.key_check(key_s)):
                        say((*path, key_s), err)
                        continue
                    visit(item, spec.values, (*path, key_s))
                else:
                    known = sorted(spec.keys)
                    close = difflib.get_close_matches(key_s, known, n=1, cutoff=0.6)
                    hint = f"did you mean '{close[0]}'? " if close else ""
                    say((*path, key_s), f"unknown key; {hint}allowed: {', '.join(known)}")
            for key, k in spec.keys.items():
                if k.required and key not in value:
                    say((*path, key), "missing; this key is required")
            return
        err = spec(value)
        if err:
            say(path, err)

    visit(data, schema, ())
    return problems


def describe(value: Any) -> str:
    """How a found value is shown in a message."""
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return f"{value!r} (true/false)"
    if isinstance(value, (dict, list)):
        return f"a {'mapping' if isinstance(value, dict) else 'list'}"
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."
