"""The docs say what the code does: the theme key reference is made from the schema."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from imhcard.core.layout import Element
from imhcard.core.theme_rules import element_schema, schema
from imhcard.core.validate import Schema, with_defaults

ROOT = Path(__file__).resolve().parent.parent


def _theme_docs_tool():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("theme_docs", ROOT / "tools" / "theme_docs.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_docs_themes_md_key_tables_are_made_from_the_schema() -> None:
    doc = (ROOT / "docs" / "themes.md").read_text(encoding="utf-8")
    assert _theme_docs_tool().rewrite(doc) == doc, (
        "docs/themes.md is out of date with the theme schema; run python tools/theme_docs.py")


def test_every_theme_key_is_documented() -> None:
    """Every key has a doc, or is a mapping whose own keys have docs (the field names
    under batch.columns speak for themselves)."""
    undocumented: list[str] = []

    def walk(s: Schema, path: str) -> None:
        for name, key in s.keys.items():
            here = f"{path}{name}"
            if isinstance(key.check, Schema) and not key.doc:
                walk(key.check, here + ".")
            elif not key.doc and not path.startswith("batch.columns."):
                undocumented.append(here)
        if isinstance(s.values, Schema):
            walk(s.values, f"{path}{s.placeholder}.")

    walk(schema(Path(".")), "")
    walk(element_schema(), "layouts.<format>.<box>.")
    assert undocumented == []


def test_box_keys_are_the_layout_elements_fields() -> None:
    fields = set(Element.__dataclass_fields__) - {"name"}
    assert set(element_schema().keys) == fields


def test_defaults_fill_only_what_is_left_out() -> None:
    data = {"pledge": {"max_length": 140}, "default_language": "ga",
            "languages": {"en": {"title": "T"}}}
    filled = with_defaults(data, schema(Path(".")))
    assert filled["pledge"] == {"max_length": 140, "min_text_size": 28}
    assert filled["default_language"] == "ga"
    assert filled["languages"]["en"]["wordmark"] == "Stronger from the Start"
    assert "wordmark" not in data["languages"]["en"], "the input is not changed"
