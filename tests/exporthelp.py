"""Helpers for the tests of batches of form exports: a file written as an export
wrote it, a run, the manifest by row and the command's --check."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from imhcard.batch.options import BatchOptions
from imhcard.batch.runner import run_batch
from imhcard.batch.summary import BatchSummary
from imhcard.cli import cli
from imhcard.core.theme import resolve_theme

SQUARE = ("instagram-square",)


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def run(src: Path, out: Path, **kwargs: Any) -> BatchSummary:
    return run_batch(BatchOptions(input=src, out_dir=out, theme_path=resolve_theme("2026"),
                                  formats=SQUARE, workers=1, **kwargs))


def by_row(out: Path) -> dict[int, dict[str, Any]]:
    data = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return {c["row"]: c for c in data["cards"]}


def messages(card: dict[str, Any]) -> str:
    return " | ".join(p["message"] for p in card["problems"])


def batch(*args: str) -> str:
    """What `imhcard batch` says on stderr."""
    result = CliRunner().invoke(cli, ["batch", *args, "--format", "instagram-square",
                                      "--workers", "1"])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.stderr
