"""The output formats: one writer per format, found by its name or a file's extension.

This module is light on purpose (no polars, no rich): the CLI reads the names and
extensions while it parses options, before any work starts. A writer's module is
imported when it writes. Every writer has one signature,
`write(result, table, *, dialect, lang) -> str | bytes`, and reads only what every
result offers (`results.Result`): named tables in euros and the metadata beside them.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Writer:
    name: str
    suffixes: tuple[str, ...]  # the file extensions that mean this format
    binary: bool  # bytes that make no sense on a terminal
    module: str

    def write(self, result: Any, table: str | None, *, dialect: str, lang: str) -> str | bytes:
        return importlib.import_module(self.module).write(result, table, dialect=dialect, lang=lang)


WRITERS = {
    w.name: w
    for w in (
        Writer("table", (".txt",), False, "bekostiging.report.writers.table"),
        Writer("csv", (".csv",), False, "bekostiging.report.writers.csv"),
        Writer("json", (".json",), False, "bekostiging.report.writers.json"),
        Writer("parquet", (".parquet",), True, "bekostiging.report.writers.parquet"),
        Writer("xlsx", (".xlsx",), True, "bekostiging.report.writers.xlsx"),
    )
}
TABULAR = tuple(WRITERS)  # what `compare`, `simulate`, `sensitivity`, `explain` and `check` write
# The `report` command's outputs, drawn by report/html/: a page, or one chart.
PICTURES = {"html": (".html",), "svg": (".svg",), "png": (".png",)}
SUFFIXES = {
    **{s: w.name for w in WRITERS.values() for s in w.suffixes},
    **{s: name for name, suffixes in PICTURES.items() for s in suffixes},
}
DIALECTS = ("standard", "excel-nl")


class FormatError(ValueError):
    """The format and the output file do not agree, or no writer has that format."""


def choose(fmt: str | None, output: Path | None, formats: Sequence[str], default: str) -> str:
    """The format to write: `fmt`, or else the one `output`'s extension names, or `default`.

    Refuses an extension that contradicts `fmt`, and one that names no format in `formats`
    (what this command can write), so a `.pdf` never receives an SVG.
    """
    if fmt is not None and fmt not in formats:
        raise FormatError(f"unknown format {fmt!r}; choose from {', '.join(formats)}")
    suffix = output.suffix.lower() if output is not None else ""
    if not suffix:
        return fmt or default
    implied = SUFFIXES.get(suffix)
    known = ", ".join(s for s, name in SUFFIXES.items() if name in formats)
    if implied is None or implied not in formats:
        raise FormatError(f"cannot write a {suffix} file here; give one of {known} (or no extension)")
    if fmt is not None and fmt != implied:
        raise FormatError(f"--format {fmt} does not match the extension of {output} ({implied})")
    return implied


def writer(fmt: str) -> Writer:
    try:
        return WRITERS[fmt]
    except KeyError:
        raise FormatError(f"unknown format {fmt!r}; choose from {', '.join(WRITERS)}") from None
