"""The tables of `simulate` and `sensitivity` (HORIZON.md §2): their columns, and the
narrow tables a terminal shows of them, in the words and number format of `--lang`
(`report.i18n`, group `uncertainty`; `report.numbers`).

The same conventions as `compare`: money in exact euros from whole cents, shares as
fractions with 4 decimals (`SCALES`). Rows come as the tables hold them: variants with
the baseline first, parties in role order (payer, client, network, provider), then by id.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from bekostiging.printable import printable
from bekostiging.report.numbers import euro, number, percent
from bekostiging.report.render import run_notes

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


@dataclass(frozen=True)
class View:
    """What a terminal shows of a simulation: `year` is the year of net and delta (None
    without a horizon), `span` the horizon's (first, last, discount rate), `chosen`
    whether a year was asked for (`--year`), `only` the one table asked for (`--table`)."""

    year: int | None = None
    span: tuple[int, int, Decimal] | None = None
    chosen: bool = False
    only: str | None = None


def simulation_tables(
    tables: dict[str, Any], meta: Any, lang: str, n_draws: int, seed: int, view: View
) -> list[Any]:
    """Rich renderables for a terminal, in one language and its number format.

    A heading (the scenario, the number of draws, the seed), then narrow tables: net, Δ net
    with the chance of a loss, the net present value of Δ net over a horizon, the shared
    savings and the settlement risk, each titled with what it shows and its year. The
    baseline's Δ is 0 in every draw and is left out of the Δ tables.

    With a horizon and no `--year`, the default is the net present value over the whole
    horizon (a year's figures depend on that year's adoption and ramp), with a note how to
    see one year. An empty table (no shared savings) is left out, unless asked for.
    """
    from rich.text import Text

    from bekostiging.report.i18n import labels as labels_of

    words = labels_of(lang).uncertainty
    heading = words["heading"].format(
        scenario=meta.scenario_name, draws=number(Decimal(n_draws), 0, lang), seed=seed
    ) + run_notes([meta], labels_of(lang).words)  # what-ifs and --set overrides
    out: list[Any] = [Text(printable(heading), style="bold")]
    if view.only is not None:
        shown = [view.only]
    elif view.span is not None and not view.chosen:
        shown = ["npv"]
    else:
        shown = ["results", "shared_savings", "settlement_risk"]
    for name in shown:
        if name == "npv":
            out += _figure_tables(tables["results"], meta, lang, view, ["npv_delta"])
        elif name == "results":
            figures = ["net", "delta"]
            if view.only == "results" and view.span is not None:
                figures.append("npv_delta")
            out += _figure_tables(tables["results"], meta, lang, view, figures)
        elif tables[name].height or view.only == name:
            title = words[name].format(year=_year(view))
            out += _table(list(tables[name].iter_rows(named=True)), tables[name].columns, title, meta, lang)
    if view.span is not None and not view.chosen and view.only in (None, "results"):
        first, last, _ = view.span
        out.append(Text(words["years_note"].format(first=first, last=last)))
    return out


def tornado_tables(
    frame: Any, meta: Any, lang: str, metric: str, variant: str, party: str, view: View, money: frozenset[str]
) -> list[Any]:
    """The tornado for a terminal: a heading, the table (parameter values and euros in the
    language's format, money inputs in euros), what low and high are."""
    from rich.text import Text

    from bekostiging.report.i18n import labels as labels_of

    labels = labels_of(lang)
    words = labels.uncertainty
    if metric == "npv_delta" and view.span is not None:
        figure = words["npv_metric"].format(first=view.span[0], last=view.span[1])
    else:
        figure = labels.columns[metric]
    parties = {p["id"]: p["name"] for p in meta.parties}
    variants = {v["id"]: v["name"] for v in meta.variants}
    title = words["tornado"].format(
        metric=figure,
        year=_year(view),
        party=parties.get(party, party),
        variant=variants.get(variant, variant),
    )
    rows = list(frame.iter_rows(named=True))
    shown = _table(rows, frame.columns, title, meta, lang, money=money, note=words["swing_note"])
    notes = run_notes([meta], labels.words)  # what-ifs and --set overrides
    return [Text(printable(meta.scenario_name + notes), style="bold"), *shown]


def _year(view: View) -> str:
    return f" {view.year}" if view.year is not None else ""


def _figure_tables(frame: Any, meta: Any, lang: str, view: View, figures: list[str]) -> list[Any]:
    """One narrow table per figure of `results`: its mean and percentiles (and for a Δ, the
    chance of a loss), so a terminal shows the euros in full."""
    from bekostiging.report.i18n import labels as labels_of

    words = labels_of(lang).uncertainty
    names = {v["id"]: v["name"] for v in meta.variants}
    rank = {p["id"]: i for i, p in enumerate(meta.parties)}
    rows = list(frame.iter_rows(named=True))
    variants = {v: i for i, v in enumerate(dict.fromkeys(r["variant"] for r in rows))}
    out = []
    for figure in figures:
        left_out = False
        columns = ["variant", "party", *[f"{figure}_{s}" for s in STATS]]
        columns += {"net": [], "delta": ["p_loss"], "npv_delta": ["p_loss_npv"]}[figure]
        shown = rows if figure == "net" else [r for r in rows if r["variant"] != meta.baseline]
        # parties in the scenario's order, as in every table; a party that no draw changes
        # in a variant (every figure 0) is left out of the Δ tables, as compare leaves it out
        shown = sorted(shown, key=lambda r: (variants[r["variant"]], rank.get(r["party"], len(rank))))
        if figure != "net":
            kept = [r for r in shown if any(r[c] for c in columns[2:])]
            left_out, shown = len(kept) < len(shown), kept
        if figure == "npv_delta":
            assert view.span is not None
            first, last, rate = view.span
            title = words[figure].format(first=first, last=last, rate=_rate(rate, lang))
        else:
            title = words[figure].format(year=_year(view), baseline=names.get(meta.baseline, meta.baseline))
        heads = {f"{figure}_{s}": words[s] for s in STATS}
        note = words["loss_note"] if figure != "net" else None
        if left_out:
            note = f"{note}\n{labels_of(lang).words['unchanged_left_out']}"
        out += _table(shown, columns, title, meta, lang, heads=heads, note=note)
    return out


def _table(
    rows: list[dict[str, Any]],
    columns: list[str],
    title: str,
    meta: Any,
    lang: str,
    *,
    heads: dict[str, str] | None = None,
    money: frozenset[str] = frozenset(),
    note: str | None = None,
) -> list[Any]:
    """The title (a line of its own, so that it is never wrapped to the table's width), the
    table, and a note below it."""
    from rich import box
    from rich.cells import cell_len
    from rich.table import Table
    from rich.text import Text

    from bekostiging.report.i18n import labels as labels_of

    words = labels_of(lang).uncertainty
    parties = {p["id"]: p["name"] for p in meta.parties}
    names = {v["id"]: v["name"] for v in meta.variants}

    def cell(row: dict[str, Any], c: str) -> str:
        v = row[c]
        if c == "variant":
            return names.get(v, v)
        if c in ("party", "payer", "recipient"):
            return parties.get(v, v)
        if c in SHARES:
            return percent(v, lang, fraction=True)
        if c == "parameter":
            return str(v)
        if c in ("low", "high"):
            return _value(v, lang, money=row["parameter"] in money)
        return euro(v, lang)

    table = Table(box=box.SIMPLE_HEAVY, title_justify="left", caption_justify="left")
    # names and parameters are text, never markup: each cell a Text (`[/]` in a name is shown)
    cells = [[printable(cell(row, c)) for c in columns] for row in rows]
    for i, c in enumerate(columns):
        label = (heads or {}).get(c) or words.get(c, c)
        # A heading wraps to the width of its column's widest cell, so the table is as wide
        # as its figures: a name or an amount is never cut to make room for a heading.
        widest = max((cell_len(r[i]) for r in cells), default=0)
        label = "\n".join(textwrap.wrap(label, max(widest, 18, *(len(w) for w in label.split()))))
        if c == "parameter":  # a long path folds rather than lose its end
            table.add_column(label, min_width=min(widest, 60), overflow="fold")
        else:
            table.add_column(label, justify="left" if c in NAMES else "right", min_width=widest)
    for r in cells:
        table.add_row(*map(Text, r))
    return [Text(printable(title), style="italic"), table, *([Text(note)] if note else [])]


def _value(value: Any, lang: str, *, money: bool) -> str:
    """A parameter value as written, in the language's format: `€ 2.850.000,00` for money,
    `1.330`, `0,85` for other numbers (their own decimals)."""
    exponent = Decimal(value).as_tuple().exponent
    places = max(-exponent, 0) if isinstance(exponent, int) else 0
    if money:
        return euro(Decimal(value), lang, places=max(places, 2))
    return number(Decimal(value), places, lang)


def _rate(rate: Decimal, lang: str) -> str:
    """A discount rate in percent with the decimals it has: 0.04295 -> `4,295%`."""
    exponent = rate.normalize().as_tuple().exponent
    places = max(-exponent - 2, 0) if isinstance(exponent, int) else 0
    return percent(rate, lang, fraction=True, places=places)
