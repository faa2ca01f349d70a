"""The report's sections: finished tables in, a chart and the table with its numbers out.

Each chart builder takes a `View` (the tables of the year shown, summed over the
scenarios by the figures layer) and returns a `Figure`: an inline SVG and the HTML
tables beside it, or a note why there is no chart. Builders only pick, pivot, label
(`i18n`) and format (`numbers`): every figure they show arrives computed.

Sections: 1 net per party and change (`saldo`, `verschil`); 2 the money flows of one
variant (`geldstromen`); 3 where the change comes from (`waterval`); 4 coverage of the
availability functions (`dekking`); 5 shared savings (`besparingen`); 6 the horizon
(`horizon`); with several scenarios, winners and losers per region (`regios`); last,
provenance.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from bekostiging.printable import printable_lines
from bekostiging.report.figures import COLUMNS
from bekostiging.report.html import charts
from bekostiging.report.i18n import labels as labels_of
from bekostiging.report.numbers import cell, compact, euro, euros
from bekostiging.report.tables import flow_picture, node_amounts

if TYPE_CHECKING:
    import polars as pl

    from bekostiging.report.render import Meta

CHARTS = ("saldo", "verschil", "geldstromen", "waterval", "dekking", "besparingen", "horizon", "regios")

# Sections in order: (anchor, text key, charts in it).
SECTIONS = (
    ("saldo", "s_saldo", ("saldo", "verschil")),
    ("geldstromen", "s_geldstromen", ("geldstromen",)),
    ("waterval", "s_waterval", ("waterval",)),
    ("dekking", "s_dekking", ("dekking",)),
    ("besparingen", "s_besparingen", ("besparingen",)),
    ("horizon", "s_horizon", ("horizon",)),
    ("regios", "s_regios", ("regios",)),  # several scenarios only (`REGIONAL`)
    ("herkomst", "s_herkomst", ()),
)


@dataclass
class View:
    """What the report shows: the tables of one year, of one scenario or summed over several."""

    lang: str
    title: str
    metas: list[Meta]
    baseline: str
    whatifs: list[str]
    overrides: list[str]  # `--set` overrides, PATH=VALUE
    variants: dict[str, str]  # id -> name, in order
    parties: dict[str, str]  # id -> name, in order
    roles: dict[str, str]
    year: int | None
    results: pl.DataFrame
    sums: pl.DataFrame  # variant, net, delta: summed over the parties
    flows: pl.DataFrame  # variant, payer, payee, amount (summed per pair)
    availability: pl.DataFrame
    settlements: pl.DataFrame  # shared_savings with kept, n_eligible, n_settlements
    totals: pl.DataFrame
    attribution: pl.DataFrame | None = None
    step_sums: pl.DataFrame | None = None  # variant, party, amount: the steps added up
    horizon: pl.DataFrame | None = None
    per_year: pl.DataFrame | None = None  # year, variant, party, delta
    per_scenario: list[tuple[str, pl.DataFrame]] = field(default_factory=list)  # name, spend_change
    inputs: list[dict[str, str]] = field(default_factory=list)
    regions: pl.DataFrame | None = None  # several scenarios: `report.regions.by_scenario`

    @property
    def many(self) -> bool:
        return len(self.metas) > 1


@dataclass
class Figure:
    name: str
    title: str
    svg: str | None  # None: no data for this chart; `note` says why
    tables: list[str] = field(default_factory=list)
    note: str = ""


# ------------------------------------------------------------------ numbers as text


def _fmt(lang: str) -> Callable[[charts.Number], str]:
    """Exact euros (tooltips, notes)."""
    return lambda value: euro(value if isinstance(value, Decimal) else Decimal(repr(value)), lang)


def _axis(lang: str) -> Callable[[charts.Number], str]:
    return lambda value: compact(value, lang)


# ------------------------------------------------------------------ the charts


def _party_order(view: View) -> list[str]:
    return list(dict.fromkeys(view.results["party"].to_list()))


def _variant_name(view: View, variant: str) -> str:
    name = view.variants.get(variant, variant)
    return f"{name} ({labels_of(view.lang).words['baseline']})" if variant == view.baseline else name


def _variant_colours(view: View, variants: Sequence[str]) -> list[str]:
    index = {v: i for i, v in enumerate(view.variants)}
    return [charts.colour(index.get(v, 0)) for v in variants]


def _by_key(view: View) -> dict[tuple[str, str], dict[str, Any]]:
    return {(r["variant"], r["party"]): r for r in view.results.iter_rows(named=True)}


def _saldo(view: View, _variant: str) -> Figure:
    labels = labels_of(view.lang)
    columns, text = labels.columns, labels.report
    parties = _party_order(view)
    variants = list(dict.fromkeys(view.results["variant"].to_list()))
    rows = _by_key(view)
    values = [[euros(rows[(v, p)]["net"]) for p in parties] for v in variants]
    svg = charts.grouped_bars(
        [view.parties.get(p, p) for p in parties],
        [_variant_name(view, v) for v in variants],
        values,
        title=text["saldo"],
        fmt=_fmt(view.lang),
        axis_fmt=_axis(view.lang),
        colours=_variant_colours(view, variants),
    )
    head = [(columns["party"], False), (columns["role"], False)]
    head += [(_variant_name(view, v), True) for v in variants]
    body = [
        [view.parties.get(p, p), cell(view.roles.get(p, ""), "role", view.lang)]
        + [cell(rows[(v, p)]["net"], "net", view.lang) for v in variants]
        for p in parties
    ]
    sums = {r["variant"]: r["net"] for r in view.sums.iter_rows(named=True)}
    body.append([labels.words["sum"], ""] + [cell(sums[v], "net", view.lang) for v in variants])
    return Figure(
        "saldo", text["saldo"], svg, [table(text["saldo"], head, body, "saldo")], text["saldo_note"]
    )


def _verschil(view: View, _variant: str) -> Figure:
    labels = labels_of(view.lang)
    columns, text = labels.columns, labels.report
    title = text["verschil"].format(baseline=view.variants.get(view.baseline, view.baseline))
    parties = _party_order(view)
    variants = [v for v in dict.fromkeys(view.results["variant"].to_list()) if v != view.baseline]
    if not variants:
        return Figure("verschil", title, None, note=text["only_baseline"])
    rows = _by_key(view)
    values = [[euros(rows[(v, p)]["delta"]) for p in parties] for v in variants]
    svg = charts.grouped_bars(
        [view.parties.get(p, p) for p in parties],
        [view.variants.get(v, v) for v in variants],
        values,
        title=title,
        fmt=_fmt(view.lang),
        axis_fmt=_axis(view.lang),
        colours=_variant_colours(view, variants),
    )
    head = [(columns["party"], False)]
    for v in variants:
        head += [(f"{columns['delta']}: {view.variants.get(v, v)}", True), (f"{columns['delta_pct']}", True)]
    body = [
        [view.parties.get(p, p)]
        + [
            c
            for v in variants
            for c in (
                cell(rows[(v, p)]["delta"], "delta", view.lang),
                cell(rows[(v, p)]["delta_pct"], "delta_pct", view.lang),
            )
        ]
        for p in parties
    ]
    tables = [table(title, head, body, "verschil"), _totals_table(view)]
    if view.many:
        tables.append(_per_scenario_table(view))
    return Figure("verschil", title, svg, tables, text["verschil_note"])


def _totals_table(view: View) -> str:
    labels = labels_of(view.lang)
    names = ["payer_spend", "client_copay", "total"]
    head = [(labels.columns["variant"], False)] + [(labels.columns[c], True) for c in names]
    body = [
        [_variant_name(view, r["variant"])] + [cell(r[c], c, view.lang) for c in names]
        for r in view.totals.iter_rows(named=True)
    ]
    return table(labels.titles["totals"], head, body, "totalen")


def _per_scenario_table(view: View) -> str:
    labels = labels_of(view.lang)
    columns = labels.columns
    others = [v for v in view.variants if v != view.baseline]
    head = [(columns["scenario"], False), (f"{columns['total']}: {_variant_name(view, view.baseline)}", True)]
    head += [(f"Δ {columns['total'].lower()}: {view.variants[v]}", True) for v in others]
    body = []
    for name, spend in view.per_scenario:
        rows = {r["variant"]: r for r in spend.iter_rows(named=True)}
        base = rows[view.baseline]["total"] if view.baseline in rows else None
        row = [name, cell(base, "total", view.lang)]
        row += [cell(rows[v]["change"] if v in rows else None, "total", view.lang) for v in others]
        body.append(row)
    return table(labels.report["per_scenario"], head, body, "per-scenario")


def _geldstromen(view: View, variant: str) -> Figure:
    import polars as pl

    labels = labels_of(view.lang)
    columns, text = labels.columns, labels.report
    name = _variant_name(view, variant)
    title = text["geldstromen"].format(variant=name)
    frame = view.flows.filter(pl.col("variant") == variant)
    flows = [(r["payer"], r["payee"], r["amount"]) for r in frame.iter_rows(named=True)]
    known = dict.fromkeys([*_party_order(view), *(x for f in flows for x in f[:2])])
    order = {p: i for i, p in enumerate(known)}
    flows.sort(key=lambda f: (order[f[0]], order[f[1]]))
    column, drawn, not_drawn = flow_picture(flows, view.roles)
    nodes = [(p, view.parties.get(p, p), column[p]) for p in sorted(column, key=lambda p: order[p])]
    svg = charts.sankey(
        nodes,
        [(a, b, euros(amount)) for a, b, amount in drawn],
        amounts={p: euros(amount) for p, amount in node_amounts(drawn, column).items()},
        title=title,
        columns=text["columns"],
        fmt=lambda v: compact(v, view.lang, places=1 if abs(Decimal(v)) >= 10**6 else 0),
    )
    note = text["flow_note"]
    if not_drawn:
        shown = ", ".join(
            f"{view.parties.get(a, a)} → {view.parties.get(b, b)} {euro(euros(amount), view.lang)}"
            for a, b, amount in not_drawn
        )
        note += " " + text["not_drawn"].format(flows=shown)
    head = [(columns["payer"], False), (columns["payee"], False), (columns["amount"], True)]
    body = [
        [view.parties.get(p, p), view.parties.get(q, q), cell(a, "amount", view.lang)] for p, q, a in flows
    ]
    return Figure(
        "geldstromen",
        title,
        svg,
        [table(text["flows_table"].format(variant=name), head, body, "geldstromen")],
        note,
    )


def _waterval(view: View, _variant: str) -> Figure:
    from bekostiging.mechanisms import STAGES

    labels = labels_of(view.lang)
    text = labels.report
    title = text["waterval"]
    if view.attribution is None or view.step_sums is None:
        return Figure("waterval", title, None, note=text["no_attribution"])
    if view.attribution.height == 0:
        return Figure("waterval", title, None, note=text["only_baseline"])
    frame = view.attribution
    # The engine's fixed order (care first, then each mechanism): a waterfall is cumulative.
    known = ["care", *STAGES]
    steps = sorted(
        dict.fromkeys(frame["step"].to_list()),
        key=lambda s: (s not in known, known.index(s) if s in known else 0),
    )
    step_names = [labels.steps.get(s, s) for s in steps]
    amounts = {(r["variant"], r["party"], r["step"]): r["amount"] for r in frame.iter_rows(named=True)}
    delta = {(r["variant"], r["party"]): r["amount"] for r in view.step_sums.iter_rows(named=True)}
    parties = [p for p in _party_order(view) if any(k[1] == p for k in amounts)]
    panels, body = [], []
    for variant in dict.fromkeys(frame["variant"].to_list()):
        mine = [s for s in steps if any((variant, p, s) in amounts for p in parties)]
        moving = [p for p in parties if any(amounts.get((variant, p, s), 0) for s in mine)]
        rows = [[amounts.get((variant, p, s)) if s in mine else None for s in steps] for p in moving]
        panels.append(
            charts.Panel(
                view.variants.get(variant, variant),
                [view.parties.get(p, p) for p in moving],
                [[euros(v) for v in row] for row in rows],
                [euros(delta[(variant, p)]) for p in moving],
            )
        )
        for p, row in zip(moving, rows, strict=True):
            body.append(
                [view.variants.get(variant, variant), view.parties.get(p, p)]
                + [cell(v, "amount", view.lang) for v in row]
                + [cell(delta[(variant, p)], "delta", view.lang)]
            )
    svg = charts.waterfall(
        panels,
        step_names,
        total_label=labels.columns["delta"],
        title=title,
        fmt=_fmt(view.lang),
        axis_fmt=_axis(view.lang),
    )
    head = [(labels.columns["variant"], False), (labels.columns["party"], False)]
    head += [(s, True) for s in step_names] + [(labels.columns["delta"], True)]
    return Figure(
        "waterval",
        title,
        svg,
        [table(labels.titles["attribution"], head, body, "waterval", row_headers=2)],
        text["waterval_note"],
    )


def _dekking(view: View, _variant: str) -> Figure:
    labels = labels_of(view.lang)
    columns, text = labels.columns, labels.report
    title = text["dekking"]
    frame = view.availability
    if frame.height == 0:
        return Figure("dekking", title, None, note=text["no_availability"])
    names = ("annual_cost", "embedded", "separate", "coverage", "gap")
    groups: dict[tuple[str, str], list[charts.CoverageRow]] = {}
    body_by_group: dict[tuple[str, str], list[list[str]]] = {}
    for r in frame.iter_rows(named=True):
        key = (r["function"], r["party"])
        note = cell(r["coverage"], "coverage", view.lang)
        if r["gap"] > 0:
            note += f" · {columns['gap'].lower()} {euro(euros(r['gap']), view.lang)}"
        groups.setdefault(key, []).append(
            charts.CoverageRow(
                view.variants.get(r["variant"], r["variant"]),
                euros(r["annual_cost"]),
                euros(r["embedded"]),
                euros(r["separate"]),
                euros(r["gap"]),
                note,
            )
        )
        body_by_group.setdefault(key, []).append(
            [
                f"{r['function']} ({view.parties.get(r['party'], r['party'])})",
                _variant_name(view, r["variant"]),
            ]
            + [cell(r[c], c, view.lang) for c in names]
        )
    svg = charts.coverage_bars(
        [(f"{f} ({view.parties.get(p, p)})", rows) for (f, p), rows in groups.items()],
        title=title,
        legend=(columns["embedded"], columns["separate"], columns["gap"]),
        fmt=_fmt(view.lang),
    )
    head = [(columns["function"], False), (columns["variant"], False)]
    head += [(columns[c], True) for c in names]
    body = [row for rows in body_by_group.values() for row in rows]
    return Figure(
        "dekking",
        title,
        svg,
        [table(labels.titles["availability"], head, body, "dekking", row_headers=2)],
        text["dekking_note"],
    )


def _besparingen(view: View, _variant: str) -> Figure:
    labels = labels_of(view.lang)
    columns, text = labels.columns, labels.report
    title = text["besparingen"]
    if view.settlements.height == 0:
        return Figure("besparingen", title, None, note=text["no_settlements"])
    panels, body, split_body = [], [], []
    # the contract columns between the payer and the recipients
    names = tuple(c for c in COLUMNS["shared_savings"] if c not in ("variant", "payer", "recipients"))
    for s in view.settlements.iter_rows(named=True):
        variant = view.variants.get(s["variant"], s["variant"])
        payer = view.parties.get(s["payer"], s["payer"])
        rate = cell(s["savings_rate"], "savings_rate", view.lang)
        split = [(view.parties.get(r["party"], r["party"]), r["amount"], None) for r in s["recipients"]]
        if s["reinvested"]:
            split.append((columns["reinvested"], s["reinvested"], charts.PALETTE[7]))
        if s["kept"] > 0 and s["payout"] > 0:
            split.append((text["kept"].format(payer=payer), s["kept"], charts.MUTED))
        panels.append(
            charts.Settlement(
                f"{variant} – {payer}",
                euros(s["benchmark"]),
                euros(s["actual"]),
                f"{columns['savings']} {euro(euros(s['savings']), view.lang)} ({rate})",
                [(label, euros(a), colour) for label, a, colour in split] if s["payout"] > 0 else [],
                text["no_payout"],
            )
        )
        eligible = (
            cell(s["eligible"], "eligible", view.lang)
            if s["n_settlements"] == 1
            else text["eligible_count"].format(count=s["n_eligible"], total=s["n_settlements"])
        )
        body.append(
            [variant, payer] + [eligible if c == "eligible" else cell(s[c], c, view.lang) for c in names]
        )
        split_body += [[variant, payer, label, cell(a, "amount", view.lang)] for label, a, _ in split if a]
    svg = charts.settlement(
        panels,
        title=title,
        labels=(columns["benchmark"], columns["actual"], columns["recipients"]),
        fmt=_fmt(view.lang),
    )
    head = [(columns["variant"], False), (columns["payer"], False)]
    head += [(columns[c], c not in ("eligible", "outcome", "reason")) for c in names]
    tables = [table(labels.titles["shared_savings"], head, body, "besparingen", row_headers=2)]
    if split_body:
        split_head = [(columns["variant"], False), (columns["payer"], False), (columns["payee"], False)]
        split_head.append((columns["amount"], True))
        tables.append(table(text["split_table"], split_head, split_body, "verdeling", row_headers=2))
    return Figure("besparingen", title, svg, tables, text["besparingen_note"])


def _horizon(view: View, _variant: str) -> Figure:
    labels = labels_of(view.lang)
    columns, text = labels.columns, labels.report
    title = text["horizon"]
    if view.horizon is None or view.per_year is None:
        return Figure("horizon", title, None, note=text["no_horizon"])
    frame = view.per_year
    years = sorted(set(frame["year"].to_list()))
    delta = {(r["year"], r["variant"], r["party"]): r["delta"] for r in frame.iter_rows(named=True)}
    parties = _party_order(view)
    variants = [v for v in dict.fromkeys(frame["variant"].to_list()) if v != view.baseline]
    if not variants:
        return Figure("horizon", title, None, note=text["only_baseline"])
    panels, body = [], []
    for v in variants:
        series = []
        for p in parties:
            row = [delta.get((y, v, p)) for y in years]
            if any(row):
                series.append((view.parties.get(p, p), [euros(x) for x in row]))
                body.append(
                    [view.variants.get(v, v), view.parties.get(p, p)]
                    + [cell(x, "delta", view.lang) for x in row]
                )
        panels.append((view.variants.get(v, v), series))
    svg = charts.lines(
        [str(y) for y in years], panels, title=title, fmt=_fmt(view.lang), axis_fmt=_axis(view.lang)
    )
    head = [(columns["variant"], False), (columns["party"], False)] + [(str(y), True) for y in years]
    tables = [table(text["horizon_table"], head, body, "horizon", row_headers=2)]
    names = ("npv_delta", "npv_margin_delta", "payback_year")
    npv_head = [(columns["variant"], False), (columns["party"], False)] + [(columns[c], True) for c in names]
    npv_body = [
        [view.variants.get(r["variant"], r["variant"]), view.parties.get(r["party"], r["party"])]
        + [cell(r[c], c, view.lang) for c in names]
        for r in view.horizon.iter_rows(named=True)
        if r["variant"] != view.baseline
    ]
    tables.append(table(labels.titles["horizon"], npv_head, npv_body, "npv", row_headers=2))
    return Figure("horizon", title, svg, tables, text["horizon_note"])


def _regios(view: View, _variant: str) -> Figure:
    """Winners and losers per region: per variant a panel, per party a row of dots (one per
    region, at its change), and per variant the table of the regions (the largest gain of
    the providers and networks together first) with the same numbers."""
    import polars as pl

    from bekostiging.report.regions import measure, sort_keys

    labels = labels_of(view.lang)
    text, words = labels.report, labels.words
    frame = view.regions
    if frame is None:
        return Figure("regios", text["s_regios"], None, note=text["no_regions"])
    figure = measure(frame)
    if figure == "npv_delta" and view.per_year is not None:
        years = view.per_year["year"]
        what = text["regios_npv"].format(first=years.min(), last=years.max())
    else:
        what = text["regios_what"].format(baseline=view.variants.get(view.baseline, view.baseline))
    title = text["regios"].format(what=what)
    keys = sort_keys(frame, view.roles, None)
    key_label = words["care_parties"]
    panels, tables = [], []
    colours = dict(zip(view.variants, _variant_colours(view, list(view.variants)), strict=True))
    for (variant,), part in frame.filter(pl.col("variant") != view.baseline).group_by(
        "variant", maintain_order=True
    ):
        name = view.variants.get(variant, variant)
        changed = part.filter((pl.col(figure).fill_null(0) != 0).any().over("party"))
        parties = [p for p in _party_order(view) if p in set(changed["party"].to_list())]
        parties += [p for p in dict.fromkeys(changed["party"].to_list()) if p not in parties]
        regions = list(part["scenario"].unique(maintain_order=True))
        amounts = {(r["scenario"], r["party"]): r[figure] for r in part.iter_rows(named=True)}
        rows = [
            charts.DotRow(
                view.parties.get(p, p),
                [(r, euros(amounts[(r, p)])) for r in regions if amounts.get((r, p)) is not None],
            )
            for p in parties
        ]
        panels.append(charts.DotPanel(name, rows, colours.get(variant, charts.colour(0))))
        head = [(labels.columns["scenario"], False), (key_label, True)]
        head += [(view.parties.get(p, p), True) for p in parties]
        body = [
            [region, cell(keys.get((variant, region)), figure, view.lang)]
            + [cell(amounts.get((region, p)), figure, view.lang) for p in parties]
            for region in regions
        ]
        caption = text["regios_table"].format(variant=name, key=key_label)
        tables.append(table(caption, head, body, f"regios-{variant}"))
    if not panels:
        return Figure("regios", title, None, note=text["only_baseline"])
    svg = charts.dot_plot(panels, title=title, fmt=_fmt(view.lang), axis_fmt=_axis(view.lang))
    return Figure("regios", title, svg, tables, text["regios_note"])


BUILDERS: dict[str, Callable[[View, str], Figure]] = {
    "saldo": _saldo,
    "verschil": _verschil,
    "geldstromen": _geldstromen,
    "waterval": _waterval,
    "dekking": _dekking,
    "besparingen": _besparingen,
    "horizon": _horizon,
    "regios": _regios,
}


# ------------------------------------------------------------------ HTML


def e(text: object) -> str:
    """Text or an attribute value, escaped; a control character (a file name may hold one)
    shown as its escape (`\\x1b`): the page holds SVG charts, and XML cannot hold one."""
    return html.escape(printable_lines(str(text)), quote=True)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9-]+", "-", text.lower()).strip("-")


def table(
    caption: str,
    head: Sequence[tuple[str, bool]],
    body: Sequence[Sequence[str]],
    key: str,
    row_headers: int = 1,
) -> str:
    """An accessible data table: a caption, column headers with scope, row headers."""
    out = [
        f'<div class="table-wrap"><table id="table-{_slug(key)}">',
        f"<caption>{e(caption)}</caption>",
        "<thead><tr>",
    ]
    num = ' class="num"'
    out += [f'<th scope="col"{num if numeric else ""}>{e(label)}</th>' for label, numeric in head]
    out.append("</tr></thead><tbody>")
    for row in body:
        cells = []
        for i, value in enumerate(row):
            numeric = head[i][1]
            attr = ' class="num"' if numeric else ""
            if i < row_headers:
                cells.append(f'<th scope="row"{attr}>{e(value)}</th>')
            else:
                cells.append(f"<td{attr}>{e(value)}</td>")
        out.append(f"<tr>{''.join(cells)}</tr>")
    out.append("</tbody></table></div>")
    return "\n".join(out)


def _figure(figure: Figure, lang: str) -> str:
    if figure.svg is None:
        return f'<p class="note">{e(figure.note)}</p>'
    first_table = re.search(r'<table id="([^"]+)"', figure.tables[0]).group(1) if figure.tables else ""
    described = f' aria-describedby="{first_table}"' if first_table else ""
    return "\n".join(
        [
            f'<figure id="chart-{figure.name}" class="chart"{described}>',
            f'<div class="svg">{figure.svg}</div>',
            f"<figcaption>{e(figure.note)} {e(labels_of(lang).report['table_hint'])}</figcaption>",
            "</figure>",
            *figure.tables,
        ]
    )


def section_body(
    view: View, anchor: str, names: Sequence[str], figures: dict[str, Figure], variant: str
) -> list[str]:
    """The figures of one section, and its notes; provenance for the last."""
    text = labels_of(view.lang).report
    parts = [_figure(figures[name], view.lang) for name in names]
    others = [v for v in view.variants if v != variant]
    if anchor == "geldstromen" and others:
        parts.append(f'<p class="note">{e(text["flow_other"].format(ids=", ".join(others)))}</p>')
    if anchor == "herkomst":
        parts.append(_provenance(view))
    return parts


def _provenance(view: View) -> str:
    from bekostiging.version import __version__

    text = labels_of(view.lang).report
    items = [
        f"<dt>{e(text['tool'])}</dt><dd>bekostiging {e(__version__)}</dd>",
        f"<dt>{e(text['scenario_file'])}</dt><dd>"
        + "<br>".join(f"<code>{e(m.scenario_file)}</code>" for m in view.metas)
        + "</dd>",
        f"<dt>{e(text['whatifs'])}</dt><dd>{e(', '.join(view.whatifs) or text['none'])}</dd>",
        f"<dt>{e(text['overrides'])}</dt><dd>"
        + ("<br>".join(f"<code>{e(o)}</code>" for o in view.overrides) or e(text["none"]))
        + "</dd>",
    ]
    head = [(text["file"], False), (text["sha256"], False)]
    body = [[i["file"], i["sha256"]] for i in view.inputs]
    return f'<dl class="meta">{"".join(items)}</dl>\n' + table(text["inputs"], head, body, "herkomst")


def header(view: View) -> str:
    text = labels_of(view.lang).report
    base = view.variants.get(view.baseline, view.baseline)
    rows = [
        (text["baseline"], f"{base} ({view.baseline})"),
        (text["whatifs"], ", ".join(view.whatifs) or text["none"]),
        *([(text["overrides"], ", ".join(view.overrides))] if view.overrides else []),
        (text["variants"], ", ".join(view.variants.values())),
    ]
    if view.year is not None:
        rows.append((text["year"], str(view.year)))
    if view.many:
        rows.append((text["scenarios"], str(len(view.metas))))
    dl = "".join(f"<dt>{e(k)}</dt><dd>{e(v)}</dd>" for k, v in rows)
    notes = []
    if view.year is not None:
        notes.append(text["year_note"].format(year=view.year))
    if view.many:
        notes.append(text["many_note"].format(count=len(view.metas)))
    extra = "".join(f'<p class="note">{e(n)}</p>' for n in notes)
    return (
        f'<header><p class="kicker">bekostiging · {e(text["report"])}</p>'
        f'<h1>{e(view.title)}</h1><dl class="meta">{dl}</dl>{extra}</header>'
    )
