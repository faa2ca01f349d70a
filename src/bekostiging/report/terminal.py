"""Rich tables for people, in Dutch by default (`€ 1.234.567,89`) or English.

Labels come from the one catalogue (`i18n`), numbers from the one formatter (`numbers`),
and every sum over parties, scenarios or years from the figures layer (`tables`).
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from bekostiging.report.figures import Figures, columns_of
from bekostiging.report.i18n import labels as labels_of
from bekostiging.report.numbers import EMPTY, NUMBER_COLUMNS, cell
from bekostiging.report.render import run_notes
from bekostiging.report.tables import combine, of_year, party_sums, split_years, step_sums, years_of


def render_tables(
    figures: Figures, meta: Any, table: str | None, lang: str, console: Console | None = None
) -> str:
    """Print the tables to `console`, or return them as plain text when none is given."""
    target = console or Console(file=io.StringIO(), width=160, color_system=None, force_terminal=False)
    labels = labels_of(lang)
    title = f"[bold]{escape(meta.scenario_name)}[/bold]"
    title += escape(run_notes([meta], labels.words))  # what-ifs and --set overrides
    target.print(title)
    if years_of(figures.results):
        _render_years(figures, meta, table, lang, target)
    else:
        _render_one(figures, meta, table, lang, target)
    return _text(target, console)


def _text(target: Console, console: Console | None) -> str:
    """What was printed, when it went to a buffer of our own; else nothing."""
    if console is None:
        assert isinstance(target.file, io.StringIO)
        return target.file.getvalue()
    return ""


def _render_years(figures: Figures, meta: Any, table: str | None, lang: str, target: Console) -> None:
    """Per year its tables (the overview and totals, unless a table is chosen), then the
    horizon summary: net present values and payback years."""
    labels = labels_of(lang)
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
            _table(
                summary, "horizon", labels.titles["horizon"], lang, parties, with_variant=True, names=names
            )
        )


def _render_one(
    figures: Figures, meta: Any, table: str | None, lang: str, target: Console, compact: bool = False
) -> None:
    labels = labels_of(lang)
    names = {v["id"]: v["name"] for v in meta.variants}
    parties = {p["id"]: p["name"] for p in meta.parties}
    if table is None:
        target.print(_overview(figures.results, meta.baseline, lang, parties, names))
        for name in figures.extra:
            if name.startswith("by_"):
                by_table = _table(
                    figures.table(name),
                    name,
                    labels.titles["by"],
                    lang,
                    parties,
                    with_variant=True,
                    names=names,
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
                suffix = f" ({labels.words['baseline']})" if variant == meta.baseline else ""
                heading = f"{labels.titles[name]}: {names.get(variant, variant)}{suffix}"
                target.print(_table(part, name, heading, lang, parties, with_variant=False))
        else:
            target.print(
                _table(frame, name, labels.titles[name], lang, parties, with_variant=True, names=names)
            )


def _table(
    frame, name, heading, lang, parties, with_variant: bool = True, names=None, scenario=False
) -> Table:
    labels = labels_of(lang)
    columns = [c for c in columns_of(frame, name) if (with_variant or c != "variant")]
    if name == "shared_savings":  # one column on screen, "uitkering", "geen (onder de drempel)",
        # which also says what `eligible` says (csv and json keep all three)
        columns = [c for c in columns if c not in ("reason", "eligible")]
    if scenario:
        columns = ["scenario", *columns]
    totals = name == "results"
    table = Table(title=heading, box=box.SIMPLE_HEAVY, title_justify="left", show_footer=totals)
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
    for row in frame.select(shown).iter_rows(named=True):
        cells = []
        for c in columns:
            value = row[c]
            if c in ("party", "payer", "payee") and value in parties and parties[value] != value:
                cells.append(f"{parties[value]}")
            elif c == "variant" and names:
                cells.append(names.get(value, value))
            elif c == "outcome" and "reason" in row:
                cells.append(_outcome(value, row["reason"], labels.words))
            elif c == "recipients":
                # one recipient a line, so a narrow column breaks between them, not inside
                cells.append("\n".join(f"{r['party']} {cell(r['amount'], 'amount', lang)}" for r in value))
            else:
                cells.append(cell(value, c, lang))
        table.add_row(*cells)
    return table


def _outcome(outcome: str | None, reason: str | None, words: Mapping[str, str]) -> str:
    """A settlement's outcome with its reason when the reason says more than the outcome."""
    if outcome is None:
        return EMPTY
    shown = words.get(outcome, outcome)
    return shown if reason in ("savings", "losses", None) else f"{shown} ({words.get(reason, reason)})"


def _overview(results: Any, baseline: str, lang: str, parties: dict, names: dict, title: str = "") -> Table:
    """Parties down, variants across: net in the baseline, then Δ net per variant."""
    labels = labels_of(lang)
    variants = list(results["variant"].unique(maintain_order=True))
    heading = title or labels.titles["overview"]
    table = Table(title=heading, box=box.SIMPLE_HEAVY, title_justify="left", show_footer=True)
    table.add_column(labels.columns["party"], footer=labels.words["sum"])
    table.add_column(labels.columns["role"])
    by_key = {(r["variant"], r["party"]): r for r in results.iter_rows(named=True)}
    sums = {r["variant"]: r for r in party_sums(results).iter_rows(named=True)}
    for v in variants:
        column = "net" if v == baseline else "delta"
        head = f"{labels.columns[column]}\n{names.get(v, v)}"
        table.add_column(head, justify="right", no_wrap=True, footer=cell(sums[v][column], column, lang))
    for p in dict.fromkeys(r["party"] for r in results.iter_rows(named=True)):
        row = [parties.get(p, p), cell(by_key[(variants[0], p)]["role"], "role", lang)]
        row += [cell(by_key[(v, p)]["net" if v == baseline else "delta"], "net", lang) for v in variants]
        table.add_row(*row)
    return table


def _waterfall(frame: Any, variant: str, lang: str, parties: dict, names: dict) -> Table:
    """Parties down, steps across, then the delta they add up to."""
    labels = labels_of(lang)
    steps = list(frame["step"].unique(maintain_order=True))
    title = f"{labels.titles['attribution']}: {names.get(variant, variant)}"
    table = Table(title=title, box=box.SIMPLE_HEAVY, title_justify="left")
    table.add_column(labels.columns["party"])
    for step in steps:
        table.add_column(labels.steps.get(step, step), justify="right", no_wrap=True)
    table.add_column(labels.columns["delta"], justify="right", no_wrap=True)
    amounts = {(r["party"], r["step"]): r["amount"] for r in frame.iter_rows(named=True)}
    delta = {r["party"]: r["amount"] for r in step_sums(frame).iter_rows(named=True)}
    for party in dict.fromkeys(frame["party"]):
        row = [amounts[(party, s)] for s in steps]
        table.add_row(
            parties.get(party, party),
            *(cell(v, "amount", lang) for v in row),
            cell(delta[party], "delta", lang),
        )
    return table


def render_many_tables(
    items: list, total: Any, table: str | None, lang: str, console: Console | None = None
) -> str:
    """Several scenarios. By default the picture as a whole: the results summed per party
    (`total`, net in the baseline, Δ per variant) and the summed totals; with `table`, that
    table of every scenario, one after the other, with a scenario column."""
    target = console or Console(file=io.StringIO(), width=160, color_system=None, force_terminal=False)
    labels = labels_of(lang)
    metas = [meta for _, meta in items]
    names = {v["id"]: v["name"] for m in metas for v in m.variants}
    parties = {p["id"]: p["name"] for m in metas for p in m.parties}
    combined = combine([(m.scenario_name, f) for f, m in items])
    notes = run_notes(metas, labels.words)
    if notes:
        target.print(escape(notes.strip()))
    if table is None:
        title = f"{labels.titles['total']} ({len(metas)})"
        # With a [horizon], one overview and one totals table per year (the files cover the
        # same years): years are never added up.
        for year in years_of(total) or [None]:
            if year is not None:
                target.rule(f"[bold]{year}[/bold]")
            target.print(
                _overview(of_year(total, year), metas[0].baseline, lang, parties, names, title=title)
            )
            totals = of_year(combined.total("totals"), year)
            target.print(
                _table(
                    totals, "totals", labels.titles["totals"], lang, parties, with_variant=True, names=names
                )
            )
    else:
        stacked = combined.table(table)
        target.print(
            _table(stacked, table, labels.titles.get(table, table), lang, parties, True, names, True)
        )
    return _text(target, console)
