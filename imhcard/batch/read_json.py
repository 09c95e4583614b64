"""Reading JSON, JSON Lines and YAML lists of supporters (what scripts write) as a table."""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import Any

import yaml

from imhcard.batch.columns import match_columns
from imhcard.batch.table import InputTable, Record
from imhcard.batch.text_file import decode_error, text_lines
from imhcard.core.fields import OWN
from imhcard.core.limits import (
    COLUMNS_MAX,
    DOCUMENT_MAX_BYTES,
    DOCUMENT_MAX_NODES,
    YAML_DOCUMENT_MAX_BYTES,
)
from imhcard.core.safe_files import read_regular
from imhcard.core.safe_yaml import explain, load_yaml
from imhcard.errors import BatchInputError, RefusedFile


def _kind(value: Any) -> str:
    """What a JSON or YAML value is, in words."""
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, (int, float)):
        return "a number"
    if value is None:
        return "nothing (null)"
    words = {dict: "an object", list: "a list", str: "text"}
    return next((w for t, w in words.items() if isinstance(value, t)), "a value")


def _object_cells(item: Any, keys: list[str]) -> list[Any] | str:
    if not isinstance(item, dict):
        return "expected an object with name and pledge, found " + _kind(item)
    return [item.get(k) for k in keys]


def _json(text: str, name: str, first_line: int) -> Any:
    """json.loads, with every way it can fail as one BatchInputError naming the line."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise BatchInputError(f"{name} line {first_line + exc.lineno - 1}: not valid JSON: "
                              f"{exc.msg}") from None
    except RecursionError:
        raise BatchInputError(f"{name} line {first_line}: lists or objects nested too deeply "
                              "to be a list of supporters") from None
    except ValueError as exc:  # a number with thousands of digits
        raise BatchInputError(f"{name} line {first_line}: not valid JSON: {exc}") from None


def _check_keys(name: str, keys: Collection[str]) -> None:
    if len(keys) > COLUMNS_MAX:
        raise BatchInputError(f"{name}: the objects have more than {COLUMNS_MAX:,} different "
                              f"keys, the limit; keep only {', '.join(f.name for f in OWN)}")


def open_document(path: Path, kind: str, explicit: dict[str, str], theme_map: dict[str, str],
                   encoding: str) -> InputTable:
    """A JSON or YAML list of objects (or an object holding one such list). Scripts
    write these; they are read whole, unlike the streamed spreadsheet formats."""
    limit = DOCUMENT_MAX_BYTES if kind == "json" else YAML_DOCUMENT_MAX_BYTES
    try:
        raw = read_regular(path, "input file", limit)
    except RefusedFile as exc:
        raise BatchInputError(f"{exc}; a {kind.upper()} input is read whole, so for a bigger "
                              "batch use JSON Lines (.jsonl) or CSV, which are streamed") from None
    try:
        text = raw.decode("utf-8-sig" if encoding == "utf-8" else encoding)
    except UnicodeDecodeError as exc:
        line = exc.object[:exc.start].count(b"\n") + 1
        raise BatchInputError(decode_error(path, line, encoding, exc)) from None
    try:
        data = _json(text, path.name, 1) if kind == "json" else \
            load_yaml(text, DOCUMENT_MAX_NODES)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" line {mark.line + 1}" if mark else ""
        raise BatchInputError(f"{path.name}{at}: not valid YAML: {explain(exc)}") from None
    if isinstance(data, dict):
        lists = [v for v in data.values() if isinstance(v, list)]
        data = lists[0] if len(lists) == 1 else data
    if not isinstance(data, list):
        raise BatchInputError(f"{path.name}: expected a list of supporters (objects with "
                              f"name and pledge), found {_kind(data)}")
    keys = list(dict.fromkeys(str(k) for item in data if isinstance(item, dict) for k in item))
    _check_keys(path.name, keys)
    cols = match_columns(keys, path.name, explicit, theme_map)
    items = data

    def rows() -> Iterator[Record]:
        for number, item in enumerate(items, 1):
            yield number, _object_cells(item, keys)

    return InputTable(path, kind, "item", cols, rows)


def open_jsonl(path: Path, explicit: dict[str, str], theme_map: dict[str, str],
                encoding: str) -> InputTable:
    def rows() -> Iterator[tuple[int, Any]]:
        for number, line in enumerate(text_lines(path, encoding), 1):
            if not line.strip():
                yield number, []
                continue
            yield number, _json(line, path.name, number)

    # The keys are gathered in one streaming pass; only the set of names is kept.
    seen: dict[str, None] = {}
    for _, item in rows():
        if isinstance(item, dict):
            seen.update(dict.fromkeys(str(k) for k in item))
            _check_keys(path.name, seen)
    keys = list(seen)
    cols = match_columns(keys, path.name, explicit, theme_map)

    def cells() -> Iterator[Record]:
        for number, item in rows():
            yield number, item if item == [] else _object_cells(item, keys)

    return InputTable(path, "jsonl", "line", cols, cells)
