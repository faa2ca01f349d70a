"""Rich tables for people, in Dutch by default (`€ 1.234.567,89`) or English."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from bekostiging.report.figures import MONEY, Figures

LABELS = {
    "nl": {
        "party": "Partij",
        "scenario": "Scenario",
        "role": "Rol",
        "revenue": "Opbrengsten",
        "payments": "Betalingen",
        "net": "Saldo",
        "delta": "Δ saldo",
        "delta_pct": "Δ %",
        "cost": "Kosten",
        "margin": "Marge",
        "component": "Component",
        "function": "Functie",
        "annual_cost": "Jaarkosten",
        "embedded": "In tarieven",
        "separate": "Apart",
        "coverage": "Dekking",
        "gap": "Tekort",
        "payer": "Betaler",
        "benchmark": "Benchmark",
        "actual": "Werkelijk",
        "savings": "Besparing",
        "savings_rate": "Besparing %",
        "eligible": "Recht op deling",
        "payout": "Uitkering",
        "reinvested": "Geherinvesteerd",
        "recipients": "Verdeling",
        "variant": "Variant",
        "payer_spend": "Uitgaven betalers",
        "client_copay": "Eigen bijdragen",
        "total": "Totaal",
        "payee": "Ontvanger",
        "profile": "Profiel",
        "activity": "Activiteit",
        "amount": "Bedrag",
        "yes": "ja",
        "no": "nee",
        "baseline": "basis",
        "sum": "Som",
        "t_results": "Geldstromen per partij",
        "t_overview": "Saldo per partij en verschil met de basis (details: --table results)",
        "t_by": "Uitsplitsing",
        "t_attribution": "Waar komt het verschil vandaan",
        "t_total": "Totaal over alle scenario's",
        "t_horizon": "Over de hele periode: contante waarde en terugverdienjaar",
        "npv_delta": "Contante waarde Δ saldo",
        "npv_margin_delta": "Contante waarde Δ marge",
        "payback_year": "Terugverdiend in",
        "year": "Jaar",
        "steps": {
            "care": "zorg",
            "payment": "betaling",
            "availability": "beschikbaarheid",
            "collaboration": "samenwerking",
            "quality": "kwaliteit",
            "refill": "opvulzorg",
            "revenue_guarantee": "omzetgarantie",
            "ceiling": "plafond",
            "shared_savings": "gedeelde besparingen",
            "adoption": "adoptie",
        },
        "t_components": "Per component",
        "t_availability": "Dekking van de beschikbaarheidsfuncties",
        "t_shared_savings": "Gedeelde besparingen",
        "t_totals": "Totale uitgaven per variant",
        "t_ledger": "Grootboek",
        "whatifs": "Wat-als",
        "roles": {
            "payer": "betaler",
            "provider": "aanbieder",
            "client": "cliënt",
            "network": "netwerk",
        },
    },
    "en": {
        "party": "Party",
        "scenario": "Scenario",
        "role": "Role",
        "revenue": "Revenue",
        "payments": "Payments",
        "net": "Net",
        "delta": "Δ net",
        "delta_pct": "Δ %",
        "cost": "Cost",
        "margin": "Margin",
        "component": "Component",
        "function": "Function",
        "annual_cost": "Annual cost",
        "embedded": "In tariffs",
        "separate": "Separate",
        "coverage": "Coverage",
        "gap": "Gap",
        "payer": "Payer",
        "benchmark": "Benchmark",
        "actual": "Actual",
        "savings": "Savings",
        "savings_rate": "Savings %",
        "eligible": "Eligible",
        "payout": "Payout",
        "reinvested": "Reinvested",
        "recipients": "Split",
        "variant": "Variant",
        "payer_spend": "Payer spend",
        "client_copay": "Co-payments",
        "total": "Total",
        "payee": "Payee",
        "profile": "Profile",
        "activity": "Activity",
        "amount": "Amount",
        "yes": "yes",
        "no": "no",
        "baseline": "baseline",
        "sum": "Sum",
        "t_results": "Money flows per party",
        "t_overview": "Net per party and change against the baseline (details: --table results)",
        "t_by": "Breakdown",
        "t_attribution": "Where the change comes from",
        "t_total": "Total over all scenarios",
        "t_horizon": "Over the horizon: net present values and payback year",
        "npv_delta": "NPV Δ net",
        "npv_margin_delta": "NPV Δ margin",
        "payback_year": "Payback year",
        "year": "Year",
        "steps": {
            "care": "care",
            "payment": "payment",
            "availability": "availability",
            "collaboration": "collaboration",
            "quality": "quality",
            "refill": "refill",
            "revenue_guarantee": "guarantee",
            "ceiling": "ceiling",
            "shared_savings": "shared savings",
            "adoption": "adoption",
        },
        "t_components": "By component",
        "t_availability": "Coverage of the availability functions",
        "t_shared_savings": "Shared savings",
        "t_totals": "Total spend per variant",
        "t_ledger": "Ledger",
        "whatifs": "What-ifs",
        "roles": {
            "payer": "payer",
            "provider": "provider",
            "client": "client",
            "network": "network",
        },
    },
}

MONEY_COLUMNS = {*MONEY, "npv_delta", "npv_margin_delta"}


def number(value: Decimal, places: int, lang: str) -> str:
    """`1234567.891` -> `1.234.567,89` (nl) or `1,234,567.89` (en)."""
    text = f"{value:,.{places}f}"
    if lang == "nl":
        text = text.replace(",", "_").replace(".", ",").replace("_", ".")
    return text


def euro(value: Decimal | None, lang: str) -> str:
    if value is None:
        return "–"
    return f"€ {number(value, 2, lang)}" if lang == "nl" else f"€{number(value, 2, lang)}".replace("€-", "-€")


def percent(value: Decimal | None, lang: str, *, fraction: bool = False) -> str:
    if value is None:
        return "–"
    return f"{number(value * 100 if fraction else value, 2 if not fraction else 1, lang)}%"


def cell(value: Any, column: str, lang: str) -> str:
    from bekostiging.report.render import scaled

    if value is None:
        return "–"
    if isinstance(value, bool):
        return LABELS[lang]["yes" if value else "no"]
    if column in MONEY_COLUMNS:
        return euro(scaled(value, column), lang)
    if column == "delta_pct":
        return percent(scaled(value, column), lang)
    if column in ("coverage", "savings_rate"):
        return percent(scaled(value, column), lang, fraction=True)
    if column == "role":
        return LABELS[lang]["roles"].get(value, value)
    return str(value)


def render_tables(
    figures: Figures, meta: Any, table: str | None, lang: str, console: Console | None = None
) -> str:
    """Print the tables to `console`, or return them as plain text when none is given."""
    target = console or Console(file=io.StringIO(), width=160, color_system=None, force_terminal=False)
    labels = LABELS[lang]
    title = f"[bold]{escape(meta.scenario_name)}[/bold]"
    if meta.whatifs:
        title += f"  ({labels['whatifs']}: {', '.join(meta.whatifs)})"
    target.print(title)
    if "year" in figures.results.columns:
        _render_years(figures, meta, table, lang, target)
    else:
        _render_one(figures, meta, table, lang, target)
    if console is None:
        assert isinstance(target.file, io.StringIO)
        return target.file.getvalue()
    return ""


def _render_years(figures: Figures, meta: Any, table: str | None, lang: str, target: Console) -> None:
    """Per year its tables (the overview and totals, unless a table is chosen), then the
    horizon summary: net present values and payback years."""
    from bekostiging.report.figures import split_years

    labels = LABELS[lang]
    if table != "horizon":
        for year, one in split_years(figures).items():
            target.rule(f"[bold]{year}[/bold]")
            _render_one(one, meta, table, lang, target, compact=table is None)
    if table in (None, "horizon"):
        names = {v["id"]: v["name"] for v in meta.variants}
        parties = {p["id"]: p["name"] for p in meta.parties}
        summary = figures.table("horizon")
        summary = summary.filter(summary["variant"] != meta.baseline)
        target.print(
            _table(summary, "horizon", labels["t_horizon"], lang, parties, with_variant=True, names=names)
        )


def _render_one(
    figures: Figures, meta: Any, table: str | None, lang: str, target: Console, compact: bool = False
) -> None:
    labels = LABELS[lang]
    names = {v["id"]: v["name"] for v in meta.variants}
    parties = {p["id"]: p["name"] for p in meta.parties}
    if table is None:
        target.print(_overview(figures.results, meta, lang, parties, names))
        for name in figures.extra:
            if name.startswith("by_"):
                by_table = _table(
                    figures.table(name), name, labels["t_by"], lang, parties, with_variant=True, names=names
                )
                target.print(by_table)
    if table in (None, "attribution") and "attribution" in figures.extra:
        for variant, part in figures.table("attribution").group_by("variant", maintain_order=True):
            target.print(_waterfall(part, variant[0], lang, parties, names))
    chosen = [table] if table else (["totals"] if compact else ["availability", "shared_savings", "totals"])
    for name in chosen:
        if name in ("attribution", "horizon"):
            continue
        frame = figures.table(name)
        if frame.height == 0:
            continue
        if name in ("results", "components", "ledger"):
            for variant in frame["variant"].unique(maintain_order=True):
                part = frame.filter(frame["variant"] == variant)
                suffix = f" ({labels['baseline']})" if variant == meta.baseline else ""
                heading = f"{labels['t_' + name]}: {names.get(variant, variant)}{suffix}"
                target.print(_table(part, name, heading, lang, parties, with_variant=False))
        else:
            target.print(
                _table(frame, name, labels["t_" + name], lang, parties, with_variant=True, names=names)
            )


def _table(
    frame, name, heading, lang, parties, with_variant: bool = True, names=None, scenario=False
) -> Table:
    from bekostiging.report.figures import columns_of

    labels = LABELS[lang]
    columns = [c for c in columns_of(frame, name) if (with_variant or c != "variant")]
    if scenario:
        columns = ["scenario", *columns]
    totals = name == "results"
    table = Table(title=heading, box=box.SIMPLE_HEAVY, title_justify="left", show_footer=totals)
    for c in columns:
        right = c in MONEY_COLUMNS or c in ("delta_pct", "coverage", "savings_rate")
        footer = ""
        if totals and c == "party":
            footer = labels["sum"]
        elif totals and c == "net":
            footer = euro(Decimal(int(frame["net"].sum())).scaleb(-2), lang)
        table.add_column(labels.get(c, c), justify="right" if right else "left", footer=footer, no_wrap=right)
    for row in frame.select(columns).iter_rows(named=True):
        cells = []
        for c in columns:
            value = row[c]
            if c in ("party", "payer", "payee") and value in parties and parties[value] != value:
                cells.append(f"{parties[value]}")
            elif c == "variant" and names:
                cells.append(names.get(value, value))
            elif c == "recipients":
                cells.append(", ".join(f"{r['party']} {cell(r['amount'], 'amount', lang)}" for r in value))
            else:
                cells.append(cell(value, c, lang))
        table.add_row(*cells)
    return table


def _overview(results: Any, meta: Any, lang: str, parties: dict, names: dict, title: str = "") -> Table:
    """Parties down, variants across: net in the baseline, then Δ net per variant."""
    labels = LABELS[lang]
    variants = list(results["variant"].unique(maintain_order=True))
    heading = title or labels["t_overview"]
    table = Table(title=heading, box=box.SIMPLE_HEAVY, title_justify="left", show_footer=True)
    table.add_column(labels["party"], footer=labels["sum"])
    table.add_column(labels["role"])
    by_key = {(r["variant"], r["party"]): r for r in results.iter_rows(named=True)}
    for v in variants:
        head = (
            f"{labels['net']}\n{names.get(v, v)}"
            if v == meta.baseline
            else f"{labels['delta']}\n{names.get(v, v)}"
        )
        column = "net" if v == meta.baseline else "delta"
        total = sum(by_key[(v, p)][column] for p in parties)
        table.add_column(head, justify="right", no_wrap=True, footer=cell(total, column, lang))
    for p in dict.fromkeys(r["party"] for r in results.iter_rows(named=True)):
        row = [parties.get(p, p), cell(by_key[(variants[0], p)]["role"], "role", lang)]
        row += [cell(by_key[(v, p)]["net" if v == meta.baseline else "delta"], "net", lang) for v in variants]
        table.add_row(*row)
    return table


def _waterfall(frame: Any, variant: str, lang: str, parties: dict, names: dict) -> Table:
    """Parties down, steps across, then the delta they add up to."""
    labels = LABELS[lang]
    steps = list(frame["step"].unique(maintain_order=True))
    title = f"{labels['t_attribution']}: {names.get(variant, variant)}"
    table = Table(title=title, box=box.SIMPLE_HEAVY, title_justify="left")
    table.add_column(labels["party"])
    for step in steps:
        table.add_column(labels["steps"].get(step, step), justify="right", no_wrap=True)
    table.add_column(labels["delta"], justify="right", no_wrap=True)
    amounts = {(r["party"], r["step"]): r["amount"] for r in frame.iter_rows(named=True)}
    for party in dict.fromkeys(frame["party"]):
        row = [amounts[(party, s)] for s in steps]
        table.add_row(
            parties.get(party, party), *(cell(v, "amount", lang) for v in row), cell(sum(row), "delta", lang)
        )
    return table


def _of_year(frame: Any, year: int | None) -> Any:
    """The rows of one year, without the year column (all rows when there are no years)."""
    import polars as pl

    return frame if year is None else frame.filter(pl.col("year") == year).drop("year")


def render_many_tables(
    items: list, total: Any, table: str | None, lang: str, console: Console | None = None
) -> str:
    """Several scenarios. By default the picture as a whole: the results summed per party
    (net in the baseline, Δ per variant) and the summed totals; with `table`, that table of
    every scenario, one after the other, with a scenario column."""
    import polars as pl

    target = console or Console(file=io.StringIO(), width=160, color_system=None, force_terminal=False)
    labels = LABELS[lang]
    metas = [meta for _, meta in items]
    names = {v["id"]: v["name"] for m in metas for v in m.variants}
    parties = {p["id"]: p["name"] for m in metas for p in m.parties}
    if table is None:
        title = f"{labels['t_total']} ({len(metas)})"
        stacked = pl.concat([f.totals for f, _ in items])
        # With a [horizon], one overview and one totals table per year (the files cover the
        # same years): years are never added up.
        years = total["year"].unique(maintain_order=True).to_list() if "year" in total.columns else [None]
        for year in years:
            if year is not None:
                target.rule(f"[bold]{year}[/bold]")
            target.print(_overview(_of_year(total, year), metas[0], lang, parties, names, title=title))
            totals = _of_year(stacked, year).group_by("variant", maintain_order=True).sum()
            target.print(
                _table(totals, "totals", labels["t_totals"], lang, parties, with_variant=True, names=names)
            )
    else:
        stacked = pl.concat(
            [f.table(table).with_columns(scenario=pl.lit(m.scenario_name)) for f, m in items],
            how="diagonal",
        )
        target.print(
            _table(stacked, table, labels.get(f"t_{table}", table), lang, parties, True, names, True)
        )
    if console is None:
        assert isinstance(target.file, io.StringIO)
        return target.file.getvalue()
    return ""
