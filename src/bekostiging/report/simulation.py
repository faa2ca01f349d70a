"""The tables of `simulate` and `sensitivity` (HORIZON.md §2): their columns, and the
narrow tables a terminal shows of them.

The same conventions as `compare`: money in exact euros from whole cents, shares as
fractions with 4 decimals (`SCALES`).
"""

from __future__ import annotations

from typing import Any

STATS = ("mean", "p5", "p50", "p95")
RESULTS = ["variant", "party", *[f"net_{s}" for s in STATS], *[f"delta_{s}" for s in STATS], "p_loss"]
NPV = [*[f"npv_delta_{s}" for s in STATS], "p_loss_npv"]
SETTLEMENT = ["settlement_mean", "settlement_p5", "settlement_p95"]
SHARED_SAVINGS = ["variant", "payer", "p_eligible", "payout_mean", "p_payout", "p_repayment", *SETTLEMENT]
SETTLEMENT_RISK = [
    "variant",
    "recipient",
    "p_below_baseline_before_settlement",
    "p_below_baseline",
    "delta_mean",
    "delta_p5",
]
TORNADO = ["parameter", "low", "high", "metric_low", "metric_high", "swing"]
SHARES = (
    "p_loss",
    "p_loss_npv",
    "p_eligible",
    "p_payout",
    "p_repayment",
    "p_below_baseline_before_settlement",
    "p_below_baseline",
)
NAMES = ("variant", "party", "payer", "recipient")  # the columns of ids
# How many decimals each scaled column has: cents, or ten-thousandths of a share.
SCALES = {
    **{
        c: 2
        for c in (*RESULTS[2:-1], *NPV[:-1], "payout_mean", *SETTLEMENT, "metric_low", "metric_high", "swing")
    },
    **dict.fromkeys(SHARES, 4),
}


def to_tables(tables: dict[str, Any], meta: Any, lang: str, title: str, *, empty: bool = False) -> list[Any]:
    """Rich tables for a terminal, in Dutch or English number format.

    `results` is shown as one narrow table per figure (net, delta, npv_delta), each with
    its mean, percentiles and chance of a loss, so that a terminal can show the euros in
    full; the baseline's delta is 0 in every draw and is left out of the delta tables.
    An empty table (no shared savings) is left out, unless `empty`.
    """
    from rich import box
    from rich.table import Table

    from bekostiging.report.numbers import euro, percent

    parties = {p["id"]: p["name"] for p in meta.parties}
    names = {v["id"]: v["name"] for v in meta.variants}

    def cell(v: Any, c: str) -> str:
        if c == "variant":
            return names.get(v, v)
        if c in ("party", "payer", "recipient"):
            return parties.get(v, v)
        if c in SHARES:
            return percent(v, lang, fraction=True)
        if c in ("low", "high", "parameter"):
            return str(v)
        return euro(v, lang)

    out = []
    for rows, columns, heading in _views(tables, meta.baseline, empty):
        table = Table(title=f"{title}: {heading}", box=box.SIMPLE_HEAVY, title_justify="left")
        for c in columns:
            label = c.removeprefix(f"{heading}_") if heading in ("net", "delta", "npv_delta") else c
            table.add_column(label, justify="left" if c in (*NAMES, "parameter") else "right")
        for row in rows:
            table.add_row(*(cell(row[c], c) for c in columns))
        out.append(table)
    return out


def _views(tables: dict[str, Any], baseline: str, empty: bool):
    """(rows, columns, heading) of each terminal table."""
    for name, frame in tables.items():
        if frame.height == 0 and not empty:
            continue
        rows = list(frame.iter_rows(named=True))
        if name != "results":
            yield rows, frame.columns, name
            continue
        figures = ["net", "delta", *(["npv_delta"] if "npv_delta_mean" in frame.columns else [])]
        for figure in figures:
            columns = ["variant", "party", *[f"{figure}_{s}" for s in STATS]]
            columns += {"net": [], "delta": ["p_loss"], "npv_delta": ["p_loss_npv"]}[figure]
            shown = rows if figure == "net" else [r for r in rows if r["variant"] != baseline]
            yield shown, columns, figure
