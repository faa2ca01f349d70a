"""One renderer for every output format (sqlite-utils' lesson: never two copies).

Figures arrive as polars frames of exact scaled integers (`figures.SCALES`); here they
become text: rich tables for people, CSV and JSON for scripts. JSON numbers are written
from `Decimal`, never through a float.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from bekostiging.report.figures import SCALES, Figures, columns_of
from bekostiging.report.numbers import scaled

FORMATS = ("table", "csv", "json")
SCHEMA_VERSION = 1
_INJECTION = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class Meta:
    """What the outputs say about where the numbers came from."""

    scenario_name: str
    scenario_file: str
    inputs: list[dict[str, str]]
    baseline: str
    whatifs: list[str]
    variants: list[dict[str, str]]
    parties: list[dict[str, str]]


def render(figures: Figures, meta: Meta, fmt: str, table: str | None = None, lang: str = "nl") -> str:
    if fmt == "json":
        return render_json(figures, meta, with_ledger=table == "ledger")
    if fmt == "csv":
        name = table or default_table(figures)
        return render_csv(figures.table(name), name)
    from bekostiging.report.terminal import render_tables

    return render_tables(figures, meta, table, lang)


def default_table(figures: Figures) -> str:
    """`results`, unless a breakdown (`--by`) was asked for: then that breakdown."""
    by = [name for name in figures.extra if name.startswith("by_")]
    return by[0] if by else "results"


def render_many(
    items: list[tuple[Figures, Meta]],
    total: Any,
    fmt: str,
    table: str | None = None,
    dialect: str = "standard",
) -> str:
    """Several scenarios (SCENARIO.md §6): side by side with a `scenario` column, plus a total."""
    if fmt == "json":
        from bekostiging import __version__

        document = {
            "schema_version": SCHEMA_VERSION,
            "tool": {"name": "bekostiging", "version": __version__},
            "scenarios": [_document(f, m, with_ledger=table == "ledger") for f, m in items],
            "total": {"results": json_rows(total, "results")},
        }
        return dumps(document) + "\n"
    name = table or default_table(items[0][0])
    parts = [(meta.scenario_name, figures.table(name)) for figures, meta in items]
    return _csv(parts, name, dialect, total if name == "results" else None)


# ------------------------------------------------------------------ CSV


# name -> (field separator, decimal mark, byte-order mark)
DIALECTS = {"standard": (",", ".", ""), "excel-nl": (";", ",", "\ufeff")}


def render_csv(frame: Any, name: str, dialect: str = "standard") -> str:
    return _csv([(None, frame)], name, dialect)


def _csv(parts: list[tuple[str | None, Any]], name: str, dialect: str, total: Any = None) -> str:
    """One CSV writer for every dialect; with scenario names, a leading `scenario` column."""
    separator, mark, bom = DIALECTS[dialect]
    columns = [c for c in columns_of(parts[0][1], name) if c != "recipients"]
    named = parts[0][0] is not None
    out = io.StringIO()
    writer = csv.writer(out, delimiter=separator, lineterminator="\n")
    writer.writerow((["scenario"] if named else []) + columns)
    if total is not None:
        parts = [*parts, ("total", total)]
    for scenario, frame in parts:
        lead = [_csv_cell(scenario, "scenario")] if named else []
        for row in frame.select(columns).iter_rows():
            writer.writerow(lead + [_csv_cell(v, c, mark) for v, c in zip(row, columns, strict=True)])
    return bom + out.getvalue()


def _csv_cell(value: Any, column: str, mark: str = ".") -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if column in SCALES:
        text = str(scaled(value, column))
        return text.replace(".", mark) if mark != "." else text
    text = str(value)
    if text.startswith(_INJECTION):  # spreadsheet formula injection
        text = "'" + text
    # A bare carriage return would end a row in a spreadsheet: make it a quoted newline.
    return text.replace("\r\n", "\n").replace("\r", "\n")


# ------------------------------------------------------------------ JSON


def render_json(figures: Figures, meta: Meta, *, with_ledger: bool = False) -> str:
    return dumps(_document(figures, meta, with_ledger=with_ledger)) + "\n"


def provenance(meta: Meta) -> dict[str, Any]:
    """Where the numbers came from: the tool, the scenario, every input file with its hash."""
    from bekostiging import __version__

    return {
        "tool": {"name": "bekostiging", "version": __version__},
        "scenario": {"name": meta.scenario_name, "file": meta.scenario_file},
        "inputs": meta.inputs,
        "baseline": meta.baseline,
        "whatifs": meta.whatifs,
    }


def _document(figures: Figures, meta: Meta, *, with_ledger: bool = False) -> dict[str, Any]:
    document: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        **provenance(meta),
        "variants": meta.variants,
        "parties": meta.parties,
    }
    for name in figures.names():
        if name != "ledger" or with_ledger:
            document[name] = json_rows(figures.table(name), name)
    return document


def json_rows(frame: Any, name: str) -> list[dict[str, Any]]:
    rows = []
    for row in frame.select(columns_of(frame, name)).iter_rows(named=True):
        out = {}
        for column, value in row.items():
            if column == "recipients":
                out[column] = [{"party": r["party"], "amount": scaled(r["amount"], "amount")} for r in value]
            else:
                out[column] = scaled(value, column) if column in SCALES else value
        rows.append(out)
    return rows


def dumps(value: Any, indent: int = 2, level: int = 0) -> str:
    """JSON with `Decimal` written as exact numbers (the json module would need floats)."""
    pad, inner = " " * (indent * level), " " * (indent * (level + 1))
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [
            f"{inner}{json.dumps(str(k), ensure_ascii=False)}: {dumps(v, indent, level + 1)}"
            for k, v in value.items()
        ]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(value, list | tuple):
        if not value:
            return "[]"
        return "[\n" + ",\n".join(inner + dumps(v, indent, level + 1) for v in value) + "\n" + pad + "]"
    return json.dumps(value, ensure_ascii=False)
