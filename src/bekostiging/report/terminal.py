"""Rich tables for people, in Dutch by default (`€ 1.234.567,89`) or English.

Labels come from the one catalogue (`i18n`), numbers from the one formatter (`numbers`),
and every sum over parties, scenarios or years from the figures layer (`tables`). Every
table is printed through `layout.fit`, so that it keeps its labels and digits at the
console's width; parties stand in the scenario's order of `[parties]` in every table.

With a `[horizon]` of several years the view leads with the summary over the horizon
(parties without a change left out) and says how to see the years; `all_years` adds the
tables of every year, as a scenario of one year shows its tables.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from bekostiging.report.figures import Figures, columns_of
from bekostiging.report.i18n import labels as labels_of
from bekostiging.report.layout import fit, fits, heading_of, markup
from bekostiging.report.numbers import EMPTY, NUMBER_COLUMNS, cell
from bekostiging.report.render import run_notes
from bekostiging.report.tables import combine, of_year, party_sums, split_years, step_sums, years_of

WIDTH = 160  # of the text returned when no console is given

# The columns that name a party: rows follow the scenario's order of [parties] in the
# first of them a table has, within the columns left of it (the ledger: per component).
PARTY_COLUMNS = ("party", "payer")


def render_tables(
    figures: Figures,
    meta: Any,
    table: str | None,
    lang: str,
    console: Console | None = None,
    *,
    all_years: bool = False,
    horizon: Sequence[int] = (),
) -> str:
    """Print the tables to `console`, or return them as plain text when none is given.
    `horizon`: every year of the scenario's [horizon] (the figures may hold one of them)."""
    target = console or _buffer()
    labels = labels_of(lang)
    title = f"[bold]{markup(meta.scenario_name)}[/bold]"
    title += markup(run_notes([meta], labels.words))  # what-ifs and --set overrides
    target.print(title)
    view = _View(meta.parties, meta.variants, lang, target)
    if years_of(figures.results):
        _render_years(figures, meta, table, view, all_years, list(horizon) or years_of(figures.results))
    else:
        _render_one(figures, meta, table, view)
    return _text(target, console)


def _buffer() -> Console:
    return Console(file=io.StringIO(), width=WIDTH, color_system=None, force_terminal=False, emoji=False)


def _text(target: Console, console: Console | None) -> str:
    """What was printed, when it went to a buffer of our own; else nothing."""
    if console is None:
        assert isinstance(target.file, io.StringIO)
        return target.file.getvalue()
    return ""


class _View:
    """What every table of one view shares: names, the order of the parties, the language
    and the console it is printed on."""

    def __init__(self, parties: Sequence[Mapping], variants: Sequence[Mapping], lang: str, target: Console):
        self.parties = {p["id"]: p["name"] for p in parties}
        self.order = {p: i for i, p in enumerate(self.parties)}
        self.names = {v["id"]: v["name"] for v in variants}
        self.lang = lang
        self.labels = labels_of(lang)
        self.target = target

    def show(self, table: Table, groups: int = 1) -> None:
        """`table` at the console's width (`layout.fit`); its first `groups` columns may
        become headings of its parts."""
        for part in fit(table, self.target, groups=groups):
            self.target.print(part)

    def ordered(self, frame: Any) -> Any:
        """`frame`'s rows with the parties in the scenario's order, within the keys left of
        the party column (variant, function, ...), which keep the order they come in."""
        import polars as pl

        column = next((c for c in PARTY_COLUMNS if c in frame.columns), None)
        if column is None or frame.height == 0:
            return frame
        keys = frame.columns[: frame.columns.index(column)]
        # each key by where it first comes (within the keys before it), then the party
        ranks = [pl.col("_row").min().over(keys[: i + 1]) for i in range(len(keys))]
        party = pl.col(column).replace_strict(self.order, default=len(self.order), return_dtype=pl.Int64)
        return frame.with_row_index("_row").sort([*ranks, party, pl.col("_row")]).drop("_row")

    def party_ids(self, found: Any) -> list[str]:
        """The parties of `found` (ids), in the scenario's order."""
        present = dict.fromkeys(found)
        return sorted(present, key=lambda p: self.order.get(p, len(self.order)))


def _render_years(
    figures: Figures, meta: Any, table: str | None, view: _View, all_years: bool, years: list[int]
) -> None:
    """With several years and no table chosen: the summary over the horizon (`years`) and
    how to see the years. Else per year its tables (the overview and totals, unless a
    table is chosen), then the summary."""
    if table is None and not all_years and len(years_of(figures.results)) > 1:
        _horizon(figures.table("horizon"), meta.baseline, years, view)
        _by_year(figures.results, meta.baseline, view)
        hint = view.labels.words["years_hint"].format(first=years[0], last=years[-1])
        view.target.print(Text(hint))
        return
    if table != "horizon":
        for year, one in split_years(figures).items():
            view.target.rule(f"[bold]{year}[/bold]")
            _render_one(one, meta, table, view, compact=table is None)
    if table in (None, "horizon"):
        _horizon(figures.table("horizon"), meta.baseline, years, view)


def _horizon(
    frame: Any,
    baseline: str,
    years: list[int],
    view: _View,
    title: str = "",
    payback: bool = True,
    scenario: bool = False,
) -> None:
    """Net present values and payback years per variant and party against the baseline;
    a party without any change in a variant is left out (and the caption says so). A sum
    over scenarios has no payback year (`payback` False): its column is left out. With
    `scenario`, the frame holds several scenarios' summaries, one after the other."""
    import polars as pl

    labels = view.labels
    summary = frame.filter(pl.col("variant") != baseline)
    changed = (
        (pl.col("npv_delta") != 0)
        | (pl.col("npv_margin_delta").fill_null(0) != 0)
        | pl.col("payback_year").is_not_null()
    )
    shown = summary.filter(changed)
    heading = title or labels.titles["horizon"]
    if years:
        period = labels.words["horizon_period"].format(
            first=years[0], last=years[-1], baseline=view.names.get(baseline, baseline)
        )
        heading = f"{heading}\n{markup(period)}"
    # no payback year anywhere (nothing turns from a loss to a gain): a column of dashes
    drop = [] if payback and shown["payback_year"].is_not_null().any() else ["payback_year"]
    caption = labels.words["unchanged_left_out"] if shown.height < summary.height else None
    _show(shown.drop(drop), "horizon", heading, view, with_variant=True, scenario=scenario, caption=caption)


def _by_year(results: Any, baseline: str, view: _View) -> None:
    """Δ net per variant and party, the years across: how the summary comes about, year by
    year (HORIZON.md: a horizon prints per-year figures beside its summary). A party
    without any change in a variant is left out, as in the summary."""
    import polars as pl

    labels, lang = view.labels, view.lang
    others = results.filter(pl.col("variant") != baseline)
    frame = others.filter((pl.col("delta") != 0).any().over("variant", "party"))
    if frame.height == 0:
        return
    years = sorted(frame["year"].unique())
    table = _new_table(labels.titles["by_year"])
    table.add_column(labels.columns["variant"])
    table.add_column(labels.columns["party"])
    for year in years:
        table.add_column(str(year), justify="right", no_wrap=True)
    amounts = {(r["variant"], r["party"], r["year"]): r["delta"] for r in frame.iter_rows(named=True)}
    variants = list(frame["variant"].unique(maintain_order=True))
    for i, variant in enumerate(variants):
        parties = view.party_ids(frame.filter(pl.col("variant") == variant)["party"])
        for j, party in enumerate(parties):
            row = [markup(view.names.get(variant, variant)), markup(view.parties.get(party, party))]
            row += [cell(amounts.get((variant, party, y)), "delta", lang) for y in years]
            table.add_row(*row, end_section=j + 1 == len(parties) and i + 1 < len(variants))
    table.caption = labels.words["unchanged_left_out"] if frame.height < others.height else None
    view.show(table, groups=1)


def _render_one(figures: Figures, meta: Any, table: str | None, view: _View, compact: bool = False) -> None:
    labels = view.labels
    if table is None:
        _overview(figures.results, meta.baseline, view)
        for name in figures.extra:
            if name.startswith("by_"):
                _show(figures.table(name), name, labels.titles["by"], view, with_variant=True)
    if table in (None, "attribution") and "attribution" in figures.extra:
        for variant, part in figures.table("attribution").group_by("variant", maintain_order=True):
            view.show(_waterfall(part, variant[0], view))
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
                suffix = f" ({labels.words['baseline']})" if variant == meta.baseline else ""
                heading = f"{labels.titles[name]}: {markup(view.names.get(variant, variant))}{suffix}"
                _show(part, name, heading, view, with_variant=False)
        else:
            _show(frame, name, _title(name, labels), view, with_variant=True)


def _title(name: str, labels: Any) -> str:
    """A table's title; a breakdown (`by_component`, ...) is a breakdown."""
    return labels.titles.get(name) or labels.titles["by" if name.startswith("by_") else name]


def _new_table(title: str, footer: bool = False) -> Table:
    return Table(
        title=title, box=box.SIMPLE_HEAVY, title_justify="left", caption_justify="left", show_footer=footer
    )


# Label columns that may become the heading of a part of a table too wide for the console.
HEADINGS = ("scenario", "year", "variant", "component")


def _show(
    frame: Any,
    name: str,
    heading: str,
    view: _View,
    with_variant: bool = True,
    scenario: bool = False,
    caption: str | None = None,
) -> None:
    """A table of figures, by its contract columns, at the console's width."""
    table = _table(frame, name, heading, view, with_variant, scenario)
    table.caption = caption
    columns = [c.header for c in table.columns]
    headings = [view.labels.columns.get(c, c) for c in HEADINGS]
    groups = next((i for i, c in enumerate(columns) if c not in headings), len(columns))
    view.show(table, groups=groups)


def _table(frame, name: str, heading: str, view: _View, with_variant: bool = True, scenario=False) -> Table:
    labels = view.labels
    lang = view.lang
    frame = view.ordered(frame)
    columns = [c for c in columns_of(frame, name) if (with_variant or c != "variant") and c in frame.columns]
    if name == "shared_savings":  # one column on screen, "uitkering", "geen (onder de drempel)",
        # which also says what `eligible` says (csv and json keep all three)
        columns = [c for c in columns if c not in ("reason", "eligible")]
    if scenario:
        columns = ["scenario", *columns]
    totals = name == "results"
    table = _new_table(heading, footer=totals)
    for c in columns:
        right = c in NUMBER_COLUMNS
        footer = ""
        if totals and c == "party":
            footer = labels.words["sum"]
        elif totals and c == "net":
            footer = cell(frame["net"].sum(), "net", lang)  # the rows shown, added up
        table.add_column(
            labels.columns.get(c, c), justify="right" if right else "left", footer=footer, no_wrap=right
        )
    shown = [*columns, "reason"] if name == "shared_savings" else columns
    # A line between the variants, when a variant has more than one row.
    group = ("scenario" if scenario else "variant") if "variant" in columns else None
    keys = [tuple(r) for r in frame.select(columns[: columns.index(group) + 1]).iter_rows()] if group else []
    for i, row in enumerate(frame.select(shown).iter_rows(named=True)):
        cells = [_cell(row, c, view) for c in columns]
        last = bool(keys) and i + 1 < len(keys) and keys[i + 1] != keys[i] and len(set(keys)) < len(keys)
        table.add_row(*cells, end_section=last)
    return table


def _cell(row: Mapping[str, Any], column: str, view: _View) -> str:
    value = row[column]
    if column in ("party", "payer", "payee") and value in view.parties:
        return markup(view.parties[value])
    if column == "variant":
        return markup(view.names.get(value, value))
    if column == "outcome" and "reason" in row:
        return _outcome(value, row["reason"], view.labels.words)
    if column == "recipients":
        # one recipient a line, so a narrow column breaks between them, not inside
        return "\n".join(
            f"{markup(view.parties.get(r['party'], r['party']))} {cell(r['amount'], 'amount', view.lang)}"
            for r in value
        )
    if column in NUMBER_COLUMNS or value is None:
        return cell(value, column, view.lang)
    return markup(cell(value, column, view.lang))


def _outcome(outcome: str | None, reason: str | None, words: Mapping[str, str]) -> str:
    """A settlement's outcome with its reason when the reason says more than the outcome."""
    if outcome is None:
        return EMPTY
    shown = words.get(outcome, outcome)
    return shown if reason in ("savings", "losses", None) else f"{shown} ({words.get(reason, reason)})"


def _overview(results: Any, baseline: str, view: _View, title: str = "") -> None:
    """Parties down, variants across: net in the baseline, then Δ net per variant. When that
    is too wide for the console: one table per variant, each with its party and role."""
    labels, lang = view.labels, view.lang
    variants = list(results["variant"].unique(maintain_order=True))
    heading = title or labels.titles["overview"]
    by_key = {(r["variant"], r["party"]): r for r in results.iter_rows(named=True)}
    sums = {r["variant"]: r for r in party_sums(results).iter_rows(named=True)}
    parties = view.party_ids(results["party"])

    def column(v: str) -> str:
        return "net" if v == baseline else "delta"

    def table(title: str, shown: list[str], heads: list[str]) -> Table:
        found = _new_table(title, footer=True)
        found.add_column(labels.columns["party"], footer=labels.words["sum"])
        found.add_column(labels.columns["role"])
        for v, head in zip(shown, heads, strict=True):
            found.add_column(
                head, justify="right", no_wrap=True, footer=cell(sums[v][column(v)], "net", lang)
            )
        for p in parties:
            row = [markup(view.parties.get(p, p)), cell(by_key[(variants[0], p)]["role"], "role", lang)]
            row += [cell(by_key[(v, p)][column(v)], "net", lang) for v in shown]
            found.add_row(*row)
        return found

    names = [markup(view.names.get(v, v)) for v in variants]
    wide = fits(
        table(
            heading,
            variants,
            [f"{labels.columns[column(v)]}\n{n}" for v, n in zip(variants, names, strict=True)],
        ),
        view.target,
    )
    if wide is not None:
        view.target.print(wide)
        return
    view.target.print(heading_of(heading))
    for v, name in zip(variants, names, strict=True):
        suffix = f" ({labels.words['baseline']})" if v == baseline else ""
        view.show(table(f"{name}{suffix}", [v], [labels.columns[column(v)]]))


def _waterfall(frame: Any, variant: str, view: _View) -> Table:
    """Parties down, steps across, then the delta they add up to."""
    labels, lang = view.labels, view.lang
    steps = list(frame["step"].unique(maintain_order=True))
    title = f"{labels.titles['attribution']}: {markup(view.names.get(variant, variant))}"
    table = _new_table(title)
    table.add_column(labels.columns["party"])
    for step in steps:
        table.add_column(labels.steps.get(step, step), justify="right", no_wrap=True)
    table.add_column(labels.columns["delta"], justify="right", no_wrap=True)
    amounts = {(r["party"], r["step"]): r["amount"] for r in frame.iter_rows(named=True)}
    delta = {r["party"]: r["amount"] for r in step_sums(frame).iter_rows(named=True)}
    for party in view.party_ids(frame["party"]):
        row = [amounts[(party, s)] for s in steps]
        table.add_row(
            markup(view.parties.get(party, party)),
            *(cell(v, "amount", lang) for v in row),
            cell(delta[party], "delta", lang),
        )
    return table


def render_many_tables(
    items: list,
    total: Any,
    table: str | None,
    lang: str,
    console: Console | None = None,
    *,
    all_years: bool = False,
    horizon: Sequence[int] = (),
) -> str:
    """Several scenarios. By default the picture as a whole: the results summed per party
    (`total`, net in the baseline, Δ per variant) and the summed totals; with `table`, that
    table of every scenario, one after the other, with a scenario column. Over a horizon of
    several years the default is the summed summary over the horizon (`all_years`: the
    picture of every year)."""
    target = console or _buffer()
    labels = labels_of(lang)
    metas = [meta for _, meta in items]
    parties = [p for m in metas for p in m.parties]
    view = _View(
        list({p["id"]: p for p in parties}.values()), [v for m in metas for v in m.variants], lang, target
    )
    combined = combine([(m.scenario_name, f) for f, m in items])
    notes = run_notes(metas, labels.words)
    if notes:
        target.print(markup(notes.strip()))
    years = years_of(total)
    title = f"{labels.titles['total']} ({len(metas)})"
    if table is None and not all_years and len(years) > 1:
        years = list(horizon) or years
        heading = f"{title}: {labels.titles['horizon']}"
        _horizon(combined.total("horizon"), metas[0].baseline, years, view, title=heading, payback=False)
        target.print(Text(labels.words["years_hint"].format(first=years[0], last=years[-1])))
    elif table is None:
        # With a [horizon], one overview and one totals table per year (the files cover the
        # same years): years are never added up.
        for year in years or [None]:
            if year is not None:
                target.rule(f"[bold]{year}[/bold]")
            _overview(of_year(total, year), metas[0].baseline, view, title=title)
            totals = of_year(combined.total("totals"), year)
            _show(totals, "totals", labels.titles["totals"], view, with_variant=True)
    elif table == "horizon":
        _horizon(combined.table(table), metas[0].baseline, list(horizon), view, scenario=True)
    else:
        stacked = combined.table(table)
        _show(stacked, table, _title(table, labels), view, True, scenario=True)
    return _text(target, console)


def render_by_scenario(
    frame: Any,
    metas: Sequence[Any],
    party: str | None,
    lang: str,
    console: Console | None = None,
    horizon: Sequence[int] = (),
) -> str:
    """Winners and losers per region (`report.regions`): per variant but the baseline a
    table of the regions (rows, in the frame's order: the largest gain first) and the
    parties' changes (columns), the figure they are sorted by first and the sum over the
    regions at the foot. A party without a change anywhere in a variant is left out (the
    caption says so)."""
    import polars as pl

    from bekostiging.report.regions import measure, sort_keys

    target = console or _buffer()
    view = _View(
        list({p["id"]: p for m in metas for p in m.parties}.values()),
        [v for m in metas for v in m.variants],
        lang,
        target,
    )
    labels = view.labels
    roles = {p["id"]: p["role"] for m in metas for p in m.parties}
    baseline = metas[0].baseline
    figure = measure(frame)
    keys = sort_keys(frame, roles, party)
    key_label = view.parties.get(party, party) if party is not None else labels.words["care_parties"]
    what = labels.columns[figure]
    if figure == "npv_delta" and horizon:
        what = f"{what} {horizon[0]}-{horizon[-1]}"
    base = view.names.get(baseline, baseline)
    for (variant,), part in frame.filter(pl.col("variant") != baseline).group_by(
        "variant", maintain_order=True
    ):
        changed = part.filter((pl.col(figure).fill_null(0) != 0).any().over("party"))
        parties = [p for p in view.party_ids(changed["party"]) if p != party]
        amounts = {(r["scenario"], r["party"]): r[figure] for r in part.iter_rows(named=True)}
        regions = list(part["scenario"].unique(maintain_order=True))
        heading = labels.titles["by_scenario"].format(variant=markup(view.names.get(variant, variant)))
        sub = labels.words["by_scenario_sorted"].format(
            what=what, baseline=markup(base), key=markup(key_label)
        )
        table = _new_table(f"{heading}\n{sub}", footer=True)
        table.add_column(labels.columns["scenario"], footer=labels.words["sum"])
        shown = [(markup(key_label), [keys.get((variant, r)) for r in regions])]
        shown += [(markup(view.parties.get(p, p)), [amounts.get((r, p)) for r in regions]) for p in parties]
        for head, values in shown:
            total = sum(v for v in values if v is not None)
            table.add_column(head, justify="right", no_wrap=True, footer=cell(total, figure, lang))
        for i, region in enumerate(regions):
            table.add_row(markup(region), *(cell(values[i], figure, lang) for _, values in shown))
        if changed["party"].n_unique() < part["party"].n_unique():
            table.caption = labels.words["unchanged_left_out"]
        view.show(table, groups=0)
    return _text(target, console)
