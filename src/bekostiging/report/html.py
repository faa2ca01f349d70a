"""The report as one self-contained HTML file: inline CSS, inline SVG charts, no scripts.

    >>> from bekostiging.api import compare
    >>> from bekostiging.report.html import build_report, chart_svg
    >>> page = build_report(compare("scenario.toml", attribution=True))          # Dutch
    >>> svg = chart_svg(compare("scenario.toml"), "geldstromen", lang="en")      # one chart

The page opens offline: it refers to nothing outside itself (no URL of any kind, no font,
no script), so it can be mailed, archived and opened years later. Every chart is a
`<figure id="chart-NAME">` followed by a `<table>` with the same numbers; the footer says
which files (with their sha256) and which tool version made them.

Several scenarios (a folder of regions) make one report too: pass a list of comparisons.
The charts then show the figures summed per party id over all scenarios (like `compare`
of several files prints their total), and section 1 adds a table per scenario.

Sections: 1 net per party and change (`saldo`, `verschil`); 2 the money flows of one
variant (`geldstromen`); 3 where the change comes from (`waterval`, needs
`compare(..., attribution=True)`); 4 coverage of the availability functions
(`dekking`); 5 shared savings (`besparingen`); 6 the horizon (`horizon`, for a scenario
with `[horizon]`; the place of a future simulation too); 7 provenance.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from bekostiging.report import charts
from bekostiging.report.figures import sum_results
from bekostiging.report.render import scaled
from bekostiging.report.terminal import LABELS, cell, euro, number, percent

if TYPE_CHECKING:
    import polars as pl

    from bekostiging.api import Comparison
    from bekostiging.report.render import Meta

CHARTS = ("saldo", "verschil", "geldstromen", "waterval", "dekking", "besparingen", "horizon")
LANGUAGES = ("nl", "en")
Number = charts.Number

# Texts of the report itself; column names and step names come from terminal.LABELS.
TEXT = {
    "nl": {
        "report": "Rapport",
        "contents": "Inhoud",
        "baseline": "Basis",
        "whatifs": "Wat-als",
        "none": "geen",
        "variants": "Varianten",
        "scenarios": "Scenario's",
        "total_of": "Totaal van {count} scenario's",
        "year": "Jaar",
        "year_note": "Secties 1 tot en met 5 tonen het jaar {year}; sectie 6 de hele periode.",
        "many_note": (
            "Dit rapport telt {count} scenario's op: de grafieken tonen de som per partij over "
            "alle scenario's; de tabel per scenario staat in sectie 1."
        ),
        "s_saldo": "Saldo per partij",
        "saldo": "Saldo per partij per variant",
        "verschil": "Verschil met de basis ({baseline})",
        "saldo_note": "Positief: de partij ontvangt per saldo; negatief: de partij betaalt per saldo.",
        "verschil_note": (
            "Δ saldo van elke variant ten opzichte van de basis; boven de as gaat een partij erop vooruit."
        ),
        "per_scenario": "Totale uitgaven per scenario: basis en verschil per variant",
        "only_baseline": "Alleen de basis is berekend: er is geen verschil te tonen.",
        "s_geldstromen": "Geldstromen",
        "geldstromen": "Geldstromen: {variant}",
        "columns": ("Betalers en cliënt", "Netwerken en hoofdaannemers", "Aanbieders"),
        "flow_note": (
            "De breedte van een band is evenredig met het bedrag. Terugbetalingen (zoals een "
            "plafond) zijn verrekend met de betaling waar ze tegenover staan."
        ),
        "flow_other": "De geldstromen van een andere variant: kies een andere geldstromenvariant ({ids}).",
        "not_drawn": "Niet getekend (stroomt niet van links naar rechts): {flows}.",
        "flows_table": "Geldstromen per betaler en ontvanger: {variant}",
        "s_waterval": "Waar komt het verschil vandaan",
        "waterval": "Waar komt het verschil vandaan: stappen per partij",
        "waterval_note": (
            "Elke stap schakelt één onderdeel van de variant in (eerst de veranderde zorg, dan "
            "elk mechanisme); samen tellen ze op tot het Δ saldo. Partijen zonder verschil zijn weggelaten."
        ),
        "no_attribution": "Geen uitsplitsing berekend: maak het rapport met attribution=True.",
        "s_dekking": "Dekking van de beschikbaarheidsfuncties",
        "dekking": "Dekking van de beschikbaarheidsfuncties (jaarkosten = 100%)",
        "dekking_note": (
            "Per functie de jaarkosten als 100%: het deel in de tarieven en de aparte "
            "bekostiging gestapeld; het tekort tot 100% rood omlijnd."
        ),
        "no_availability": "Dit scenario heeft geen beschikbaarheidsfuncties.",
        "s_besparingen": "Gedeelde besparingen",
        "besparingen": "Gedeelde besparingen: benchmark, werkelijk, uitkering en verdeling",
        "besparingen_note": (
            "Boven: de benchmark tegen de werkelijke uitgaven, de besparing rood omlijnd. "
            "Onder: hoe de besparing is verdeeld."
        ),
        "kept": "behouden door {payer}",
        "split_table": "Verdeling van de besparing",
        "no_payout": "Geen uitkering.",
        "no_settlements": "Geen gedeelde besparingen in dit scenario.",
        "eligible_count": "{count} van {total}",
        "s_horizon": "Over de jaren",
        "horizon": "Δ saldo per jaar",
        "horizon_note": "Per variant het verschil met de basis per partij, per jaar.",
        "horizon_table": "Δ saldo per jaar per partij",
        "no_horizon": "Geen [horizon]: de cijfers gelden voor één jaar.",
        "simulation": "Simulatie",
        "s_herkomst": "Herkomst",
        "tool": "Gemaakt met",
        "file": "Bestand",
        "sha256": "sha256",
        "inputs": "Invoerbestanden",
        "scenario_file": "Scenariobestand",
        "table_hint": "De tabel onder de grafiek bevat dezelfde cijfers.",
    },
    "en": {
        "report": "Report",
        "contents": "Contents",
        "baseline": "Baseline",
        "whatifs": "What-ifs",
        "none": "none",
        "variants": "Variants",
        "scenarios": "Scenarios",
        "total_of": "Total of {count} scenarios",
        "year": "Year",
        "year_note": "Sections 1 to 5 show the year {year}; section 6 the whole horizon.",
        "many_note": (
            "This report adds up {count} scenarios: the charts show the sum per party over all "
            "scenarios; the table per scenario is in section 1."
        ),
        "s_saldo": "Net per party",
        "saldo": "Net per party by variant",
        "verschil": "Change against the baseline ({baseline})",
        "saldo_note": "Positive: the party receives on balance; negative: the party pays on balance.",
        "verschil_note": "Δ net of every variant against the baseline; above the axis a party gains.",
        "per_scenario": "Total spend per scenario: baseline and change per variant",
        "only_baseline": "Only the baseline was computed: there is no change to show.",
        "s_geldstromen": "Money flows",
        "geldstromen": "Flow of money: {variant}",
        "columns": ("Payers and client", "Networks and contractors", "Providers"),
        "flow_note": (
            "A band's width is proportional to the amount. Repayments (such as a ceiling) are "
            "netted against the payment they offset."
        ),
        "flow_other": "The money flows of another variant: choose another flow variant ({ids}).",
        "not_drawn": "Not drawn (does not flow left to right): {flows}.",
        "flows_table": "Money flows per payer and payee: {variant}",
        "s_waterval": "Where the change comes from",
        "waterval": "Where the change comes from: steps per party",
        "waterval_note": (
            "Each step switches on one part of the variant (first the changed care, then each "
            "mechanism); together they add up to the Δ net. Parties without a change are left out."
        ),
        "no_attribution": "No attribution computed: make the report with attribution=True.",
        "s_dekking": "Coverage of the availability functions",
        "dekking": "Coverage of the availability functions (annual cost = 100%)",
        "dekking_note": (
            "Per function the annual cost as 100%: the part in the tariffs and the separate "
            "funding stacked; the gap up to 100% outlined in red."
        ),
        "no_availability": "This scenario has no availability functions.",
        "s_besparingen": "Shared savings",
        "besparingen": "Shared savings: benchmark, actual, payout and split",
        "besparingen_note": (
            "Top: the benchmark against the actual spend, the savings outlined in red. "
            "Bottom: how the savings were split."
        ),
        "kept": "kept by {payer}",
        "split_table": "Split of the savings",
        "no_payout": "No payout.",
        "no_settlements": "No shared savings in this scenario.",
        "eligible_count": "{count} of {total}",
        "s_horizon": "Over the years",
        "horizon": "Δ net per year",
        "horizon_note": "Per variant the change against the baseline per party, per year.",
        "horizon_table": "Δ net per year per party",
        "no_horizon": "No [horizon]: the figures are for one year.",
        "simulation": "Simulation",
        "s_herkomst": "Provenance",
        "tool": "Made with",
        "file": "File",
        "sha256": "sha256",
        "inputs": "Input files",
        "scenario_file": "Scenario file",
        "table_hint": "The table below the chart holds the same numbers.",
    },
}

# Sections in order: (anchor, text key, charts in it).
SECTIONS = (
    ("saldo", "s_saldo", ("saldo", "verschil")),
    ("geldstromen", "s_geldstromen", ("geldstromen",)),
    ("waterval", "s_waterval", ("waterval",)),
    ("dekking", "s_dekking", ("dekking",)),
    ("besparingen", "s_besparingen", ("besparingen",)),
    ("horizon", "s_horizon", ("horizon",)),
    ("herkomst", "s_herkomst", ()),
)

# ------------------------------------------------------------------ public API


def build_report(
    comparisons: Comparison | Sequence[Comparison],
    *,
    lang: str = "nl",
    flow_variant: str | None = None,
    year: int | None = None,
    title: str | None = None,
) -> str:
    """One self-contained HTML5 document for one comparison, or for several summed.

    `flow_variant` is the variant whose money flows section 2 draws (default: the first
    variant that is not the baseline); `year` the year sections 1-5 show for a scenario
    with a horizon (default: its first year). Raises `ValueError` for an unknown
    language, variant or year. `title` replaces the heading (default: the scenario's name,
    or "Total of N scenarios").
    """
    view = _view(comparisons, year, lang)
    if title is not None:
        view.title = title
    variant = _flow_variant(view, flow_variant)
    text = TEXT[lang]
    figures = {name: _BUILDERS[name](view, variant) for name in CHARTS}
    body = [_header(view)]
    toc = []
    for number_, (anchor, key, names) in enumerate(SECTIONS, start=1):
        heading = f"{number_}. {text[key]}"
        toc.append(f'<li><a href="#{anchor}">{_e(heading)}</a></li>')
        parts = [
            f'<section id="{anchor}" aria-labelledby="{anchor}-h">',
            f'<h2 id="{anchor}-h">{_e(heading)}</h2>',
        ]
        parts += _section_body(view, anchor, names, figures, variant)
        parts.append("</section>")
        body.append("\n".join(parts))
    contents = _e(text["contents"])
    nav = f'<nav aria-label="{contents}"><h2>{contents}</h2><ul>{"".join(toc)}</ul></nav>'
    body.insert(1, nav)
    title = f"{view.title} – {text['report']}"
    return _page(title, lang, "\n".join(body))


def chart_svg(
    comparisons: Comparison | Sequence[Comparison],
    name: str,
    *,
    lang: str = "nl",
    flow_variant: str | None = None,
    year: int | None = None,
) -> str:
    """One chart (a name of `CHARTS`) as a standalone SVG document, for `--chart NAME -o x.svg`.

    Raises `ValueError` for an unknown name, or a chart this comparison has no data for
    (see `available_charts`).
    """
    if name not in CHARTS:
        raise ValueError(f"unknown chart {name!r}; choose from {', '.join(CHARTS)}")
    view = _view(comparisons, year, lang)
    figure = _BUILDERS[name](view, _flow_variant(view, flow_variant))
    if figure.svg is None:
        raise ValueError(f"no chart {name!r} for this scenario: {figure.note}")
    return charts.standalone(figure.svg)


def available_charts(comparisons: Comparison | Sequence[Comparison], *, year: int | None = None) -> list[str]:
    """The names of `CHARTS` this comparison has data for (the others print a note instead)."""
    view = _view(comparisons, year, "nl")
    variant = _flow_variant(view, None)
    return [name for name in CHARTS if _BUILDERS[name](view, variant).svg is not None]


# PNG: there is no well-kept pure-Python SVG rasteriser (cairosvg needs the cairo C
# library), so `--chart NAME -o x.png` is left to the caller (e.g. headless Chromium).


# ------------------------------------------------------------------ the data, one or many


@dataclass
class _View:
    """What the report shows, from one comparison or summed over several."""

    lang: str
    title: str
    metas: list[Meta]
    baseline: str
    whatifs: list[str]
    variants: dict[str, str]  # id -> name, in order
    parties: dict[str, str]  # id -> name, in order
    roles: dict[str, str]
    year: int | None
    results: pl.DataFrame
    flows: pl.DataFrame  # variant, payer, payee, amount (summed per pair)
    availability: pl.DataFrame
    settlements: list[dict[str, Any]]
    totals: pl.DataFrame
    attribution: pl.DataFrame | None = None
    horizon: pl.DataFrame | None = None
    per_year: pl.DataFrame | None = None  # year, variant, party, delta
    per_scenario: list[tuple[str, pl.DataFrame]] = field(default_factory=list)  # many: name, totals
    simulation: pl.DataFrame | None = None  # reserved: the simulation table, when it exists
    inputs: list[dict[str, str]] = field(default_factory=list)

    @property
    def many(self) -> bool:
        return len(self.metas) > 1


def _view(comparisons: Comparison | Sequence[Comparison], year: int | None, lang: str) -> _View:
    import polars as pl

    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; choose from {', '.join(LANGUAGES)}")
    items = list(comparisons) if isinstance(comparisons, list | tuple) else [comparisons]
    if not items:
        raise ValueError("nothing to report: no comparison given")
    metas = [c.meta for c in items]
    figures = [c.figures for c in items]
    chosen = _year(figures, year)

    def pick(frame: pl.DataFrame) -> pl.DataFrame:
        if "year" not in frame.columns:
            return frame
        return frame.filter(pl.col("year") == chosen).drop("year")

    variants = {v["id"]: v["name"] for m in metas for v in m.variants}
    parties = {p["id"]: p["name"] for m in metas for p in m.parties}
    roles = {p["id"]: p["role"] for m in metas for p in m.parties}
    results = [pick(f.results) for f in figures]
    ledgers = [pick(f.ledger) for f in figures]
    availability = [pick(f.availability) for f in figures]
    settlements = [pick(f.shared_savings) for f in figures]
    totals = [pick(f.totals) for f in figures]
    has_attribution = all("attribution" in f.extra for f in figures)
    has_horizon = all("horizon" in f.extra for f in figures)
    inputs = list({(i["file"], i["sha256"]): i for m in metas for i in m.inputs}.values())

    view = _View(
        lang=lang,
        title=metas[0].scenario_name if len(metas) == 1 else TEXT[lang]["total_of"].format(count=len(metas)),
        metas=metas,
        baseline=metas[0].baseline,
        whatifs=list(dict.fromkeys(w for m in metas for w in m.whatifs)),
        variants=variants,
        parties=parties,
        roles=roles,
        year=chosen,
        results=results[0] if len(items) == 1 else sum_results(results),
        flows=_sum_flows(ledgers),
        availability=availability[0] if len(items) == 1 else _sum_availability(availability),
        settlements=_settlements(settlements, lang),
        totals=_sum_by(totals, ["variant"]),
        inputs=inputs,
    )
    if has_attribution:
        view.attribution = _sum_by(
            [pick(f.extra["attribution"]) for f in figures], ["variant", "party", "step"]
        )
    if has_horizon:
        horizons = [f.extra["horizon"] for f in figures]
        view.horizon = horizons[0] if len(items) == 1 else _sum_horizon(horizons)
        per_year = [f.results.select("year", "variant", "party", "delta") for f in figures]
        view.per_year = _sum_by(per_year, ["year", "variant", "party"])
    if all("simulation" in f.extra for f in figures) and len(items) == 1:
        view.simulation = figures[0].extra["simulation"]
    if len(items) > 1:
        view.per_scenario = [(m.scenario_name, t) for m, t in zip(metas, totals, strict=True)]
    return view


def _year(figures: list, year: int | None) -> int | None:
    """The year sections 1-5 show: the one asked for, or the first of the horizon."""
    years: list[int] = []
    for f in figures:
        if "year" in f.results.columns:
            years += [y for y in f.results["year"].unique(maintain_order=True).to_list() if y not in years]
    if not years:
        if year is not None:
            raise ValueError(f"year {year}: this scenario has no [horizon]")
        return None
    if year is None:
        return min(years)
    for f in figures:
        if "year" in f.results.columns and year not in f.results["year"].to_list():
            raise ValueError(f"year {year} is not in the horizon ({min(years)}-{max(years)})")
    return year


def _sum_by(frames: list[pl.DataFrame], keys: list[str]) -> pl.DataFrame:
    """Frames stacked and their numeric columns summed per key, in first-seen order."""
    import polars as pl

    stacked = pl.concat(frames)
    if len(frames) == 1:
        return stacked
    values = [c for c in stacked.columns if c not in keys]
    return stacked.group_by(keys, maintain_order=True).agg(pl.col(values).sum())


def _sum_flows(ledgers: list[pl.DataFrame]) -> pl.DataFrame:
    import polars as pl

    return (
        pl.concat([frame.select("variant", "payer", "payee", "amount") for frame in ledgers])
        .group_by("variant", "payer", "payee", maintain_order=True)
        .agg(pl.col("amount").sum())
    )


def _sum_availability(frames: list[pl.DataFrame]) -> pl.DataFrame:
    import polars as pl

    from bekostiging.report.figures import COLUMNS, _div_half_even

    return (
        pl.concat(frames)
        .group_by("variant", "function", "party", maintain_order=True)
        .agg(pl.col("annual_cost", "embedded", "separate", "gap").sum())
        .with_columns(
            coverage=pl.when(pl.col("annual_cost") > 0).then(
                _div_half_even((pl.col("embedded") + pl.col("separate")) * 10_000, pl.col("annual_cost"))
            )
        )
        .select(COLUMNS["availability"])
    )


def _sum_horizon(frames: list[pl.DataFrame]) -> pl.DataFrame:
    """NPVs add up over scenarios; a payback year does not, so the sum has none."""
    import polars as pl

    return (
        pl.concat(frames)
        .group_by("variant", "party", maintain_order=True)
        .agg(
            pl.col("npv_delta").sum(),
            pl.when(pl.col("npv_margin_delta").is_not_null().any()).then(pl.col("npv_margin_delta").sum()),
        )
        .with_columns(payback_year=pl.lit(None, pl.Int64))
    )


def _settlements(frames: list[pl.DataFrame], lang: str) -> list[dict[str, Any]]:
    """Shared-savings rows, summed per variant × payer over scenarios (the split per party)."""
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for frame in frames:
        for row in frame.iter_rows(named=True):
            key = (row["variant"], row["payer"])
            into = merged.setdefault(
                key,
                {
                    "variant": row["variant"],
                    "payer": row["payer"],
                    **dict.fromkeys(("benchmark", "actual", "savings", "payout", "reinvested"), 0),
                    "eligible": 0,
                    "count": 0,
                    "recipients": {},
                },
            )
            for column in ("benchmark", "actual", "savings", "payout", "reinvested"):
                into[column] += row[column]
            into["eligible"] += 1 if row["eligible"] else 0
            into["count"] += 1
            for r in row["recipients"]:
                into["recipients"][r["party"]] = into["recipients"].get(r["party"], 0) + r["amount"]
    rows = []
    for row in merged.values():
        benchmark = row["benchmark"]
        rate = None if not benchmark else _half_even(row["savings"] * 10_000, abs(benchmark))
        eligible = (
            row["eligible"] > 0
            if row["count"] == 1
            else TEXT[lang]["eligible_count"].format(count=row["eligible"], total=row["count"])
        )
        rows.append(
            {**row, "savings_rate": rate, "eligible": eligible, "recipients": list(row["recipients"].items())}
        )
    return rows


def _half_even(n: int, d: int) -> int:
    q, r = divmod(n, d)
    return q + (1 if 2 * r > d or (2 * r == d and q % 2) else 0)


def _flow_variant(view: _View, asked: str | None) -> str:
    if asked is not None:
        if asked not in view.variants:
            raise ValueError(f"unknown variant {asked!r}; choose from {', '.join(view.variants)}")
        return asked
    others = [v for v in view.variants if v != view.baseline]
    return others[0] if others else view.baseline


# ------------------------------------------------------------------ numbers as text


def _money(cents: int | None) -> Decimal | None:
    return scaled(cents, "amount")


def compact(value: Number, lang: str, places: int | None = None) -> str:
    """A short amount for axes and labels: `€ 21,6 mln`, `€ 1,5 mld`, `€ 250.000` (nl);
    `€21.6m`, `€1.5bn`, `€250,000` (en). `places=None` shows as many decimals as the
    value has, up to two (tick values are round)."""
    amount = Decimal(value) if not isinstance(value, float) else Decimal(repr(value))
    suffix = ""
    for size, nl, en in ((Decimal(10) ** 9, "mld", "bn"), (Decimal(10) ** 6, "mln", "m")):
        if abs(amount) >= size:
            amount, suffix = amount / size, (f" {nl}" if lang == "nl" else en)
            break
    if places is None:
        exponent = amount.normalize().as_tuple().exponent
        places = min(max(-exponent, 0), 2) if isinstance(exponent, int) else 0
    text = number(amount, places, lang)
    if lang == "nl":
        return f"€ {text}{suffix}"
    return f"-€{text[1:]}{suffix}" if text.startswith("-") else f"€{text}{suffix}"


def _fmt(lang: str) -> Callable[[Number], str]:
    """Exact euros (tooltips, notes)."""
    return lambda value: euro(value if isinstance(value, Decimal) else Decimal(repr(value)), lang)


def _axis(lang: str) -> Callable[[Number], str]:
    return lambda value: compact(value, lang)


# ------------------------------------------------------------------ the charts


@dataclass
class _Figure:
    name: str
    title: str
    svg: str | None  # None: no data for this chart; `note` says why
    tables: list[str] = field(default_factory=list)
    note: str = ""


def _party_order(view: _View) -> list[str]:
    return list(dict.fromkeys(view.results["party"].to_list()))


def _variant_name(view: _View, variant: str) -> str:
    name = view.variants.get(variant, variant)
    return f"{name} ({LABELS[view.lang]['baseline']})" if variant == view.baseline else name


def _variant_colours(view: _View, variants: Sequence[str]) -> list[str]:
    index = {v: i for i, v in enumerate(view.variants)}
    return [charts.colour(index.get(v, 0)) for v in variants]


def _by_key(view: _View) -> dict[tuple[str, str], dict[str, Any]]:
    return {(r["variant"], r["party"]): r for r in view.results.iter_rows(named=True)}


def _chart_saldo(view: _View, _variant: str) -> _Figure:
    labels, text = LABELS[view.lang], TEXT[view.lang]
    parties = _party_order(view)
    variants = list(dict.fromkeys(view.results["variant"].to_list()))
    rows = _by_key(view)
    values = [[_money(rows[(v, p)]["net"]) for p in parties] for v in variants]
    svg = charts.grouped_bars(
        [view.parties.get(p, p) for p in parties],
        [_variant_name(view, v) for v in variants],
        values,
        title=text["saldo"],
        fmt=_fmt(view.lang),
        axis_fmt=_axis(view.lang),
        colours=_variant_colours(view, variants),
    )
    head = [(labels["party"], False), (labels["role"], False)]
    head += [(_variant_name(view, v), True) for v in variants]
    body = [
        [view.parties.get(p, p), cell(view.roles.get(p, ""), "role", view.lang)]
        + [cell(rows[(v, p)]["net"], "net", view.lang) for v in variants]
        for p in parties
    ]
    body.append(
        [labels["sum"], ""]
        + [cell(sum(rows[(v, p)]["net"] for p in parties), "net", view.lang) for v in variants]
    )
    return _Figure(
        "saldo", text["saldo"], svg, [_table(text["saldo"], head, body, "saldo")], text["saldo_note"]
    )


def _chart_verschil(view: _View, _variant: str) -> _Figure:
    labels, text = LABELS[view.lang], TEXT[view.lang]
    title = text["verschil"].format(baseline=view.variants.get(view.baseline, view.baseline))
    parties = _party_order(view)
    variants = [v for v in dict.fromkeys(view.results["variant"].to_list()) if v != view.baseline]
    if not variants:
        return _Figure("verschil", title, None, note=text["only_baseline"])
    rows = _by_key(view)
    values = [[_money(rows[(v, p)]["delta"]) for p in parties] for v in variants]
    svg = charts.grouped_bars(
        [view.parties.get(p, p) for p in parties],
        [view.variants.get(v, v) for v in variants],
        values,
        title=title,
        fmt=_fmt(view.lang),
        axis_fmt=_axis(view.lang),
        colours=_variant_colours(view, variants),
    )
    head = [(labels["party"], False)]
    for v in variants:
        head += [(f"{labels['delta']}: {view.variants.get(v, v)}", True), (f"{labels['delta_pct']}", True)]
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
    tables = [_table(title, head, body, "verschil")]
    tables.append(_totals_table(view))
    if view.many:
        tables.append(_per_scenario_table(view))
    return _Figure("verschil", title, svg, tables, text["verschil_note"])


def _totals_table(view: _View) -> str:
    labels = LABELS[view.lang]
    columns = ["payer_spend", "client_copay", "total"]
    head = [(labels["variant"], False)] + [(labels[c], True) for c in columns]
    body = [
        [_variant_name(view, r["variant"])] + [cell(r[c], c, view.lang) for c in columns]
        for r in view.totals.iter_rows(named=True)
    ]
    return _table(labels["t_totals"], head, body, "totalen")


def _per_scenario_table(view: _View) -> str:
    labels, text = LABELS[view.lang], TEXT[view.lang]
    others = [v for v in view.variants if v != view.baseline]
    head = [(labels["scenario"], False), (f"{labels['total']}: {_variant_name(view, view.baseline)}", True)]
    head += [(f"Δ {labels['total'].lower()}: {view.variants[v]}", True) for v in others]
    body = []
    for name, totals in view.per_scenario:
        spend = {r["variant"]: r["total"] for r in totals.iter_rows(named=True)}
        base = spend.get(view.baseline)
        row = [name, cell(base, "total", view.lang)]
        row += [
            cell(spend[v] - base if v in spend and base is not None else None, "total", view.lang)
            for v in others
        ]
        body.append(row)
    return _table(text["per_scenario"], head, body, "per-scenario")


def flow_picture(
    flows: list[tuple[str, str, int]], roles: dict[str, str]
) -> tuple[dict[str, int], list[tuple[str, str, int]], list[tuple[str, str, int]]]:
    """Ledger pairs (payer, payee, cents) -> the Sankey's columns and bands.

    Payers and the client stand left (0), networks in the middle (1), providers right (2);
    a provider that pays other parties onward (a contractor) stands in the middle too.
    Flows between two parties are netted (a clawback against the payment it reverses);
    a net flow that does not run left to right is returned separately, as not drawn.
    """
    payers = {"payer", "client"}
    onward = {p for p, q, a in flows if a and roles.get(q) not in payers}
    column = {}
    for party in dict.fromkeys(x for p, q, _ in flows for x in (p, q)):
        role = roles.get(party, "provider")
        column[party] = 0 if role in payers else 1 if role == "network" or party in onward else 2
    net: dict[tuple[str, str], int] = {}
    for p, q, amount in flows:
        a, b, sign = (p, q, 1) if column[p] <= column[q] else (q, p, -1)
        net[(a, b)] = net.get((a, b), 0) + sign * amount
    drawn, not_drawn = [], []
    for (a, b), amount in net.items():
        if amount == 0:
            continue
        if amount > 0 and column[a] < column[b]:
            drawn.append((a, b, amount))
        else:
            not_drawn.append((a, b, amount) if amount > 0 else (b, a, -amount))
    return column, drawn, not_drawn


def _chart_geldstromen(view: _View, variant: str) -> _Figure:
    import polars as pl

    labels, text = LABELS[view.lang], TEXT[view.lang]
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
        [(a, b, _money(amount)) for a, b, amount in drawn],
        title=title,
        columns=text["columns"],
        fmt=lambda v: compact(v, view.lang, places=1 if abs(Decimal(v)) >= 10**6 else 0),
    )
    note = text["flow_note"]
    if not_drawn:
        shown = ", ".join(
            f"{view.parties.get(a, a)} → {view.parties.get(b, b)} {euro(_money(amount), view.lang)}"
            for a, b, amount in not_drawn
        )
        note += " " + text["not_drawn"].format(flows=shown)
    head = [(labels["payer"], False), (labels["payee"], False), (labels["amount"], True)]
    body = [
        [view.parties.get(p, p), view.parties.get(q, q), cell(a, "amount", view.lang)] for p, q, a in flows
    ]
    return _Figure(
        "geldstromen",
        title,
        svg,
        [_table(text["flows_table"].format(variant=name), head, body, "geldstromen")],
        note,
    )


def _chart_waterval(view: _View, _variant: str) -> _Figure:
    labels, text = LABELS[view.lang], TEXT[view.lang]
    title = text["waterval"]
    if view.attribution is None:
        return _Figure("waterval", title, None, note=text["no_attribution"])
    if view.attribution.height == 0:
        return _Figure("waterval", title, None, note=text["only_baseline"])
    frame = view.attribution
    from bekostiging.mechanisms import STAGES

    # The engine's fixed order (care first, then each mechanism): a waterfall is cumulative.
    known = ["care", *STAGES]
    steps = sorted(
        dict.fromkeys(frame["step"].to_list()),
        key=lambda s: (s not in known, known.index(s) if s in known else 0),
    )
    step_names = [labels["steps"].get(s, s) for s in steps]
    amounts = {(r["variant"], r["party"], r["step"]): r["amount"] for r in frame.iter_rows(named=True)}
    parties = [p for p in _party_order(view) if any(k[1] == p for k in amounts)]
    panels, body = [], []
    for variant in dict.fromkeys(frame["variant"].to_list()):
        mine = [s for s in steps if (variant, parties[0], s) in amounts] if parties else []
        moving = [p for p in parties if any(amounts.get((variant, p, s), 0) for s in mine)]
        values = [[_money(amounts[(variant, p, s)]) if s in mine else None for s in steps] for p in moving]
        panels.append(
            charts.Panel(
                view.variants.get(variant, variant), [view.parties.get(p, p) for p in moving], values
            )
        )
        for p in moving:
            row = [amounts.get((variant, p, s)) if s in mine else None for s in steps]
            body.append(
                [view.variants.get(variant, variant), view.parties.get(p, p)]
                + [cell(v, "amount", view.lang) for v in row]
                + [cell(sum(v for v in row if v is not None), "delta", view.lang)]
            )
    svg = charts.waterfall(
        panels,
        step_names,
        total_label=labels["delta"],
        title=title,
        fmt=_fmt(view.lang),
        axis_fmt=_axis(view.lang),
    )
    head = [(labels["variant"], False), (labels["party"], False)]
    head += [(s, True) for s in step_names] + [(labels["delta"], True)]
    return _Figure(
        "waterval",
        title,
        svg,
        [_table(labels["t_attribution"], head, body, "waterval", row_headers=2)],
        text["waterval_note"],
    )


def _chart_dekking(view: _View, _variant: str) -> _Figure:
    labels, text = LABELS[view.lang], TEXT[view.lang]
    title = text["dekking"]
    frame = view.availability
    if frame.height == 0:
        return _Figure("dekking", title, None, note=text["no_availability"])
    groups: dict[tuple[str, str], list[charts.CoverageRow]] = {}
    body_by_group: dict[tuple[str, str], list[list[str]]] = {}
    for r in frame.iter_rows(named=True):
        key = (r["function"], r["party"])
        note = cell(r["coverage"], "coverage", view.lang)
        if r["gap"] > 0:
            note += f" · {labels['gap'].lower()} {euro(_money(r['gap']), view.lang)}"
        groups.setdefault(key, []).append(
            charts.CoverageRow(
                view.variants.get(r["variant"], r["variant"]),
                _money(r["annual_cost"]),
                _money(r["embedded"]),
                _money(r["separate"]),
                note,
            )
        )
        body_by_group.setdefault(key, []).append(
            [
                f"{r['function']} ({view.parties.get(r['party'], r['party'])})",
                _variant_name(view, r["variant"]),
            ]
            + [cell(r[c], c, view.lang) for c in ("annual_cost", "embedded", "separate", "coverage", "gap")]
        )
    svg = charts.coverage_bars(
        [(f"{f} ({view.parties.get(p, p)})", rows) for (f, p), rows in groups.items()],
        title=title,
        legend=(labels["embedded"], labels["separate"], labels["gap"]),
        fmt=_fmt(view.lang),
    )
    head = [(labels["function"], False), (labels["variant"], False)]
    head += [(labels[c], True) for c in ("annual_cost", "embedded", "separate", "coverage", "gap")]
    body = [row for rows in body_by_group.values() for row in rows]
    return _Figure(
        "dekking",
        title,
        svg,
        [_table(labels["t_availability"], head, body, "dekking", row_headers=2)],
        text["dekking_note"],
    )


def _chart_besparingen(view: _View, _variant: str) -> _Figure:
    labels, text = LABELS[view.lang], TEXT[view.lang]
    title = text["besparingen"]
    if not view.settlements:
        return _Figure("besparingen", title, None, note=text["no_settlements"])
    panels, body, split_body = [], [], []
    columns = ("benchmark", "actual", "savings", "savings_rate", "eligible", "payout", "reinvested")
    for s in view.settlements:
        variant = view.variants.get(s["variant"], s["variant"])
        payer = view.parties.get(s["payer"], s["payer"])
        rate = percent(scaled(s["savings_rate"], "savings_rate"), view.lang, fraction=True)
        split = [(view.parties.get(p, p), a, None) for p, a in s["recipients"]]
        if s["reinvested"]:
            split.append((labels["reinvested"], s["reinvested"], charts.PALETTE[7]))
        kept = s["savings"] - s["payout"]
        if kept > 0 and s["payout"] > 0:
            split.append((text["kept"].format(payer=payer), kept, charts.MUTED))
        panels.append(
            charts.Settlement(
                f"{variant} – {payer}",
                _money(s["benchmark"]),
                _money(s["actual"]),
                f"{labels['savings']} {euro(_money(s['savings']), view.lang)} ({rate})",
                [(label, _money(a), colour) for label, a, colour in split] if s["payout"] > 0 else [],
                text["no_payout"],
            )
        )
        eligible = (
            s["eligible"] if isinstance(s["eligible"], str) else cell(s["eligible"], "eligible", view.lang)
        )
        body.append(
            [variant, payer] + [eligible if c == "eligible" else cell(s[c], c, view.lang) for c in columns]
        )
        split_body += [[variant, payer, label, cell(a, "amount", view.lang)] for label, a, _ in split if a]
    svg = charts.settlement(
        panels,
        title=title,
        labels=(labels["benchmark"], labels["actual"], labels["recipients"]),
        fmt=_fmt(view.lang),
    )
    head = [(labels["variant"], False), (labels["payer"], False)]
    head += [(labels[c], c != "eligible") for c in columns]
    tables = [_table(labels["t_shared_savings"], head, body, "besparingen", row_headers=2)]
    if split_body:
        split_head = [(labels["variant"], False), (labels["payer"], False), (labels["payee"], False)]
        split_head.append((labels["amount"], True))
        tables.append(_table(text["split_table"], split_head, split_body, "verdeling", row_headers=2))
    return _Figure("besparingen", title, svg, tables, text["besparingen_note"])


def _chart_horizon(view: _View, _variant: str) -> _Figure:
    labels, text = LABELS[view.lang], TEXT[view.lang]
    title = text["horizon"]
    if view.horizon is None or view.per_year is None:
        return _Figure("horizon", title, None, note=text["no_horizon"])
    frame = view.per_year
    years = sorted(set(frame["year"].to_list()))
    delta = {(r["year"], r["variant"], r["party"]): r["delta"] for r in frame.iter_rows(named=True)}
    parties = _party_order(view)
    variants = [v for v in dict.fromkeys(frame["variant"].to_list()) if v != view.baseline]
    if not variants:
        return _Figure("horizon", title, None, note=text["only_baseline"])
    panels, body = [], []
    for v in variants:
        series = []
        for p in parties:
            row = [delta.get((y, v, p)) for y in years]
            if any(row):
                series.append((view.parties.get(p, p), [_money(x) for x in row]))
                body.append(
                    [view.variants.get(v, v), view.parties.get(p, p)]
                    + [cell(x, "delta", view.lang) for x in row]
                )
        panels.append((view.variants.get(v, v), series))
    svg = charts.lines(
        [str(y) for y in years], panels, title=title, fmt=_fmt(view.lang), axis_fmt=_axis(view.lang)
    )
    head = [(labels["variant"], False), (labels["party"], False)] + [(str(y), True) for y in years]
    tables = [_table(text["horizon_table"], head, body, "horizon", row_headers=2)]
    columns = ("npv_delta", "npv_margin_delta", "payback_year")
    npv_head = [(labels["variant"], False), (labels["party"], False)] + [(labels[c], True) for c in columns]
    npv_body = [
        [view.variants.get(r["variant"], r["variant"]), view.parties.get(r["party"], r["party"])]
        + [cell(r[c], c, view.lang) for c in columns]
        for r in view.horizon.iter_rows(named=True)
        if r["variant"] != view.baseline
    ]
    tables.append(_table(labels["t_horizon"], npv_head, npv_body, "npv", row_headers=2))
    return _Figure("horizon", title, svg, tables, text["horizon_note"])


_BUILDERS: dict[str, Callable[[_View, str], _Figure]] = {
    "saldo": _chart_saldo,
    "verschil": _chart_verschil,
    "geldstromen": _chart_geldstromen,
    "waterval": _chart_waterval,
    "dekking": _chart_dekking,
    "besparingen": _chart_besparingen,
    "horizon": _chart_horizon,
}


# ------------------------------------------------------------------ HTML


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9-]+", "-", text.lower()).strip("-")


def _table(
    caption: str,
    head: Sequence[tuple[str, bool]],
    body: Sequence[Sequence[str]],
    key: str,
    row_headers: int = 1,
) -> str:
    """An accessible data table: a caption, column headers with scope, row headers."""
    out = [
        f'<div class="table-wrap"><table id="table-{_slug(key)}">',
        f"<caption>{_e(caption)}</caption>",
        "<thead><tr>",
    ]
    num = ' class="num"'
    out += [f'<th scope="col"{num if numeric else ""}>{_e(label)}</th>' for label, numeric in head]
    out.append("</tr></thead><tbody>")
    for row in body:
        cells = []
        for i, value in enumerate(row):
            numeric = head[i][1]
            attr = ' class="num"' if numeric else ""
            if i < row_headers:
                cells.append(f'<th scope="row"{attr}>{_e(value)}</th>')
            else:
                cells.append(f"<td{attr}>{_e(value)}</td>")
        out.append(f"<tr>{''.join(cells)}</tr>")
    out.append("</tbody></table></div>")
    return "\n".join(out)


def _figure(figure: _Figure, lang: str) -> str:
    if figure.svg is None:
        return f'<p class="note">{_e(figure.note)}</p>'
    first_table = re.search(r'<table id="([^"]+)"', figure.tables[0]).group(1) if figure.tables else ""
    described = f' aria-describedby="{first_table}"' if first_table else ""
    return "\n".join(
        [
            f'<figure id="chart-{figure.name}" class="chart"{described}>',
            f'<div class="svg">{figure.svg}</div>',
            f"<figcaption>{_e(figure.note)} {_e(TEXT[lang]['table_hint'])}</figcaption>",
            "</figure>",
            *figure.tables,
        ]
    )


def _section_body(
    view: _View, anchor: str, names: Sequence[str], figures: dict[str, _Figure], variant: str
) -> list[str]:
    text = TEXT[view.lang]
    parts = [_figure(figures[name], view.lang) for name in names]
    others = [v for v in view.variants if v != variant]
    if anchor == "geldstromen" and others:
        parts.append(f'<p class="note">{_e(text["flow_other"].format(ids=", ".join(others)))}</p>')
    if anchor == "horizon":
        parts.append(_simulation(view))
    if anchor == "herkomst":
        parts.append(_provenance(view))
    return [p for p in parts if p]


def _simulation(view: _View) -> str:
    """The place of the simulation (fan chart, p_loss) once the engine makes one: for now
    its table, generically, when a comparison carries a `simulation` table."""
    if view.simulation is None:
        return ""
    frame = view.simulation
    head = [(LABELS[view.lang].get(c, c), False) for c in frame.columns]
    body = [[cell(v, c, view.lang) for c, v in row.items()] for row in frame.iter_rows(named=True)]
    return _table(TEXT[view.lang]["simulation"], head, body, "simulatie")


def _provenance(view: _View) -> str:
    from bekostiging import __version__

    text = TEXT[view.lang]
    items = [
        f"<dt>{_e(text['tool'])}</dt><dd>bekostiging {_e(__version__)}</dd>",
        f"<dt>{_e(text['scenario_file'])}</dt><dd>"
        + "<br>".join(f"<code>{_e(m.scenario_file)}</code>" for m in view.metas)
        + "</dd>",
    ]
    head = [(text["file"], False), (text["sha256"], False)]
    body = [[i["file"], i["sha256"]] for i in view.inputs]
    return f'<dl class="meta">{"".join(items)}</dl>\n' + _table(text["inputs"], head, body, "herkomst")


def _header(view: _View) -> str:
    text = TEXT[view.lang]
    base = view.variants.get(view.baseline, view.baseline)
    rows = [
        (text["baseline"], f"{base} ({view.baseline})"),
        (text["whatifs"], ", ".join(view.whatifs) or text["none"]),
        (text["variants"], ", ".join(view.variants.values())),
    ]
    if view.year is not None:
        rows.append((text["year"], str(view.year)))
    if view.many:
        rows.append((text["scenarios"], str(len(view.metas))))
    dl = "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in rows)
    notes = []
    if view.year is not None:
        notes.append(text["year_note"].format(year=view.year))
    if view.many:
        notes.append(text["many_note"].format(count=len(view.metas)))
    extra = "".join(f'<p class="note">{_e(n)}</p>' for n in notes)
    return (
        f'<header><p class="kicker">bekostiging · {_e(text["report"])}</p>'
        f'<h1>{_e(view.title)}</h1><dl class="meta">{dl}</dl>{extra}</header>'
    )


_CSS = """
:root { color-scheme: light; --ink: #1a1a1a; --muted: #5c5c5c; --rule: #d9d9d9; --band: #f6f6f4; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fff; font-size: 15px; line-height: 1.5;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", Arial, sans-serif; }
main { max-width: 1040px; margin: 0 auto; padding: 24px 28px 48px; }
h1 { font-size: 28px; line-height: 1.2; margin: 4px 0 12px; }
h2 { font-size: 21px; margin: 0 0 12px; padding-top: 8px; border-top: 2px solid var(--ink); }
.kicker { margin: 0; color: var(--muted); font-size: 13px; letter-spacing: .04em; text-transform: uppercase; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 0 0 12px; }
dl.meta dt { color: var(--muted); }
dl.meta dd { margin: 0; }
nav { background: var(--band); padding: 10px 16px; margin: 16px 0 28px; }
nav h2 { border: 0; font-size: 15px; margin: 0 0 4px; padding: 0; }
nav ul { margin: 0; padding: 0; list-style: none; columns: 2; }
nav a { color: #0b5394; }
section { margin: 0 0 40px; }
figure.chart { margin: 8px 0 8px; }
figure.chart .svg svg { display: block; width: 100%; height: auto; max-width: 100%; }
figcaption, .note { color: var(--muted); font-size: 13px; margin: 6px 0 10px; }
.table-wrap { overflow-x: auto; margin: 6px 0 22px; }
table { border-collapse: collapse; font-size: 13px; font-variant-numeric: tabular-nums; }
caption { text-align: left; font-weight: 600; padding: 4px 0 6px; }
th, td { padding: 3px 10px; border-bottom: 1px solid var(--rule); vertical-align: top; text-align: left; }
thead th { border-bottom: 2px solid var(--ink); vertical-align: bottom; }
tbody th { font-weight: normal; }
.num { text-align: right; white-space: nowrap; }
thead th.num { white-space: normal; }
code { font-size: 12px; word-break: break-all; }
@media print { nav { display: none; } section { break-inside: auto; } figure.chart { break-inside: avoid; } }
"""


CSP = "default-src 'none'; style-src 'unsafe-inline'"


def _page(title: str, lang: str, body: str) -> str:
    from bekostiging import __version__

    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        # Nothing outside this file may load, even if a reference ever slipped in.
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        f'<meta name="generator" content="bekostiging {_e(__version__)}">\n'
        f"<title>{_e(title)}</title>\n<style>{_CSS}</style>\n</head>\n"
        f"<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n"
    )
