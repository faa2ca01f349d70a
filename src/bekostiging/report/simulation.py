"""The outputs of `simulate` and `sensitivity` (HORIZON.md §2): csv, json and rich tables.

The same conventions as `compare`: money in exact decimals from whole cents, shares with
4 decimals, one CSV writer (render.py's cell formatting and formula-injection guard).
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

from bekostiging.report.render import Meta, _csv_cell, dumps, provenance

STATS = ("mean", "p5", "p50", "p95")
RESULTS = ["variant", "party", *[f"net_{s}" for s in STATS], *[f"delta_{s}" for s in STATS], "p_loss"]
NPV = [*[f"npv_delta_{s}" for s in STATS], "p_loss_npv"]
SHARED_SAVINGS = ["variant", "payer", "p_eligible", "payout_mean"]
TORNADO = ["parameter", "low", "high", "metric_low", "metric_high", "swing"]
SHARES = {"p_loss", "p_loss_npv", "p_eligible"}


def value(raw: Any, column: str) -> Any:
    """Cents as euros, ten-thousandths as a fraction; anything else as it is."""
    if raw is None or isinstance(raw, str | bool):
        return raw
    if column in SHARES:
        return Decimal(raw).scaleb(-4)
    if column in ("low", "high"):
        return raw  # a parameter value, already a Decimal
    return Decimal(raw).scaleb(-2)


def columns_for(name: str, rows: list[dict[str, Any]]) -> list[str]:
    if name == "results":
        return RESULTS + (NPV if rows and "npv_delta_mean" in rows[0] else [])
    return {"shared_savings": SHARED_SAVINGS, "tornado": TORNADO}[name]


def to_csv(rows: list[dict[str, Any]], name: str) -> str:
    columns = columns_for(name, rows)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(value(row[c], c)) for c in columns])
    return out.getvalue()


def _cell(v: Any) -> str:
    """Numbers as plain decimals (never altered); text through the formula-injection guard."""
    if isinstance(v, Decimal):
        return str(v)
    return _csv_cell(v, "")


def to_json(tables: dict[str, list[dict[str, Any]]], meta: Meta, extra: dict[str, Any]) -> str:
    document: dict[str, Any] = {"schema_version": 1, **provenance(meta), **extra}
    for name, rows in tables.items():
        columns = columns_for(name, rows)
        document[name] = [{c: value(row[c], c) for c in columns} for row in rows]
    return dumps(document) + "\n"


def to_tables(tables: dict[str, list[dict[str, Any]]], meta: Meta, lang: str, title: str):
    """Rich tables for a terminal, in Dutch or English number format.

    `results` is shown as one narrow table per figure (net, delta, npv_delta), each with
    its mean, percentiles and chance of a loss, so that a terminal can show the euros in
    full; the baseline's delta is 0 in every draw and is left out of the delta tables.
    """
    from rich import box
    from rich.table import Table

    from bekostiging.report.numbers import euro, percent

    parties = {p["id"]: p["name"] for p in meta.parties}
    names = {v["id"]: v["name"] for v in meta.variants}

    def cell(v: Any, c: str) -> str:
        if c == "variant":
            return names.get(v, v)
        if c in ("party", "payer"):
            return parties.get(v, v)
        if c in SHARES:
            return percent(v, lang, fraction=True)
        if c in ("low", "high", "parameter"):
            return str(v)
        return euro(v, lang)

    out = []
    for rows, columns, heading in _views(tables, meta.baseline):
        table = Table(title=f"{title}: {heading}", box=box.SIMPLE_HEAVY, title_justify="left")
        for c in columns:
            label = c.removeprefix(f"{heading}_") if heading in ("net", "delta", "npv_delta") else c
            table.add_column(
                label, justify="left" if c in ("variant", "party", "payer", "parameter") else "right"
            )
        for row in rows:
            table.add_row(*(cell(value(row[c], c), c) for c in columns))
        out.append(table)
    return out


def _views(tables: dict[str, list[dict[str, Any]]], baseline: str):
    """(rows, columns, heading) of each terminal table."""
    for name, rows in tables.items():
        if not rows:
            continue
        if name != "results":
            yield rows, columns_for(name, rows), name
            continue
        figures = ["net", "delta", *(["npv_delta"] if "npv_delta_mean" in rows[0] else [])]
        for figure in figures:
            columns = ["variant", "party", *[f"{figure}_{s}" for s in STATS]]
            columns += {"net": [], "delta": ["p_loss"], "npv_delta": ["p_loss_npv"]}[figure]
            shown = rows if figure == "net" else [r for r in rows if r["variant"] != baseline]
            yield shown, columns, figure
