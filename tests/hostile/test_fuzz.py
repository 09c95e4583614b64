"""Fuzzing the readers: arbitrary bytes and arbitrary YAML/JSON structures give a theme,
rows, or an ImhcardError; never any other exception."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imhcard.batch.inputs import open_input
from imhcard.core.theme import load_theme
from imhcard.errors import ImhcardError

from .conftest import THEME_2026

FUZZ = settings(max_examples=40, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(),
                    st.text(max_size=30), st.dates())
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)),
    max_leaves=30)
# Keys a theme really has, so the fuzz reaches past "unknown key".
THEME_KEYS = ["year", "week", "campaign", "colours", "art", "fonts", "pledge",
              "default_language", "languages", "layouts", "batch"]
theme_like = st.dictionaries(st.sampled_from(THEME_KEYS), values, max_size=8)
SHIPPED = yaml.safe_load(THEME_2026.read_text(encoding="utf-8"))


def theme_or_error(path: Path) -> None:
    with contextlib.suppress(ImhcardError):
        load_theme(path)


@FUZZ
@given(data=st.binary(max_size=2000))
def test_theme_from_arbitrary_bytes(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "theme.yaml"
    path.write_bytes(data)
    theme_or_error(path)


@FUZZ
@given(doc=theme_like)
def test_theme_from_arbitrary_structures(tmp_path: Path, doc: dict[str, object]) -> None:
    path = tmp_path / "theme.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    theme_or_error(path)


@FUZZ
@given(key=st.sampled_from(THEME_KEYS), value=values)
def test_shipped_theme_with_one_key_replaced(tmp_path: Path, key: str, value: object) -> None:
    path = tmp_path / "theme.yaml"
    doc = {**SHIPPED, key: value}
    doc.pop("art", None)  # relative to the shipped theme's folder
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    theme_or_error(path)


def rows_or_error(path: Path) -> None:
    try:
        table = open_input(path)
        table.count()
        for _ in table.rows():
            pass
    except ImhcardError:
        pass


@FUZZ
@given(data=st.binary(max_size=3000),
       suffix=st.sampled_from([".csv", ".tsv", ".json", ".jsonl", ".yaml", ".xlsx"]))
def test_batch_input_from_arbitrary_bytes(tmp_path: Path, data: bytes, suffix: str) -> None:
    path = tmp_path / f"in{suffix}"
    path.write_bytes(data)
    rows_or_error(path)


@FUZZ
@given(doc=st.one_of(values, st.lists(st.dictionaries(
    st.sampled_from(["name", "pledge", "org", "photo", "language", "x"]), values),
    max_size=5)), suffix=st.sampled_from([".json", ".jsonl", ".yaml"]))
def test_batch_input_from_arbitrary_structures(tmp_path: Path, doc: object,
                                               suffix: str) -> None:
    path = tmp_path / f"in{suffix}"
    if suffix == ".yaml":
        text = yaml.safe_dump(doc, allow_unicode=True)
    elif suffix == ".json":
        text = json.dumps(doc, default=str)
    else:
        items = doc if isinstance(doc, list) else [doc]
        text = "".join(json.dumps(i, default=str) + "\n" for i in items)
    path.write_text(text, encoding="utf-8")
    rows_or_error(path)


@FUZZ
@given(cells=st.lists(st.lists(st.text(max_size=20), max_size=6), max_size=6))
def test_csv_of_arbitrary_text(tmp_path: Path, cells: list[list[str]]) -> None:
    path = tmp_path / "in.csv"
    text = "Name,Pledge\n" + "".join(",".join(row) + "\n" for row in cells)
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    rows_or_error(path)
