"""What `imhcard batch` was asked to do: the options, checked, and the shares of rows."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from imhcard.errors import BatchInputError
from imhcard.render.encode import IMAGE_TYPES


@dataclass(frozen=True)
class Shard:
    """One of N deterministic shares of the rows: row numbers modulo N."""

    index: int
    count: int

    @classmethod
    def parse(cls, text: str) -> Shard:
        i, sep, n = text.partition("/")
        if sep and i.strip().isdigit() and n.strip().isdigit():
            shard = cls(int(i), int(n))
            if 1 <= shard.index <= shard.count:
                return shard
        raise BatchInputError(f"--shard {text}: write it as I/N with 1 <= I <= N, like 2/4 "
                              "for the second of four shares")

    def takes(self, row: int) -> bool:
        return row % self.count == self.index - 1

    def as_tuple(self) -> tuple[int, int]:
        return (self.index, self.count)


@dataclass(frozen=True)
class BatchOptions:
    """Everything `imhcard batch` was asked to do."""

    input: Path
    out_dir: Path
    theme_path: Path
    formats: tuple[str, ...] = ()
    image_type: str = "png"
    columns: Mapping[str, str] = field(default_factory=dict)
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    workers: int | None = None
    shard: Shard | None = None
    zip: bool = False
    debug: bool = False
    check: bool = False  # find every problem; write nothing (but a --report asked for)
    strict: bool = False  # a photo that cannot be had fails the row
    photos_dir: Path | None = None  # the photos staff downloaded
    dedupe: str | None = None  # "latest": make only the newest of duplicate submissions
    prune: bool = False  # remove the cards of rows no longer in the input
    by_supporter: bool = False  # a folder (and with zip, a zip) per supporter
    report: Path | None = None  # where report.html goes (default: in the output folder)

def check_options(opts: BatchOptions) -> None:
    if opts.image_type not in IMAGE_TYPES:
        raise BatchInputError(f"unknown image type '{opts.image_type}'; choose one of: "
                              f"{', '.join(IMAGE_TYPES)}")
    if opts.photos_dir is not None and not opts.photos_dir.is_dir():
        raise BatchInputError(f"--photos {opts.photos_dir}: no such folder")
    if opts.workers is not None and opts.workers < 1:
        raise BatchInputError(f"--workers {opts.workers}: give 1 or more")
    if opts.dedupe not in (None, "latest"):
        raise BatchInputError(f"--dedupe {opts.dedupe}: the choice is 'latest'")
    if opts.prune and opts.shard:
        raise BatchInputError("--prune needs the whole batch: run it without --shard, once "
                              "every shard is made")
    if opts.photos_dir is not None and not opts.photos_dir.is_dir():
        raise BatchInputError(f"--photos {opts.photos_dir}: no such folder")
