"""`simulate` (Monte Carlo) and `sensitivity` (a tornado of one figure), HORIZON.md §2."""

from __future__ import annotations

from typing import Annotated

import typer

from bekostiging.cli import inputs
from bekostiging.cli.emit import console, emit, exits, plan
from bekostiging.cli.options import (
    TABLE_HELP,
    BaselineOpt,
    Dialect,
    DialectOpt,
    FigurePartyOpt,
    FigureVariantOpt,
    FormatOpt,
    Lang,
    LangOpt,
    Metric,
    OutputOpt,
    ScenarioArg,
    SetOpt,
    SimulationTable,
    TornadoTable,
    VariantsOpt,
    WhatifOpt,
)
from bekostiging.scenario.limits import MAX_DRAWS

YearOpt = Annotated[
    int | None,
    typer.Option(
        "--year",
        help="With a \\[horizon]: net and delta of this year (default: the net present value over "
        "the horizon; the data's net and delta are the first year's).",
    ),
]


def simulate(
    scenario: ScenarioArg = None,
    draws: Annotated[
        int | None,
        typer.Option(
            "--draws",
            min=1,
            max=MAX_DRAWS,
            help="Number of draws (default: the file's; SECURITY.md limits it).",
        ),
    ] = None,
    seed: Annotated[int | None, typer.Option("--seed", help="Random seed (default: the file's).")] = None,
    year: YearOpt = None,
    variant: VariantsOpt = None,
    baseline: BaselineOpt = None,
    whatif: WhatifOpt = None,
    set_: SetOpt = None,
    fmt: FormatOpt = None,
    table: Annotated[SimulationTable | None, typer.Option(help=TABLE_HELP)] = None,
    output: OutputOpt = None,
    csv_dialect: DialectOpt = Dialect.standard,
    lang: LangOpt = Lang.nl,
) -> None:
    r"""Monte Carlo over the \[uncertainty] parameters: mean, p5, p50, p95 and the chance of a loss."""
    from bekostiging import api

    out = plan(fmt, output, table, csv_dialect, lang)
    loaded, read = inputs.load_for(out.path, [scenario], set_)
    options = {
        "draws": draws,
        "seed": seed,
        "year": year,
        "variants": variant or None,
        "baseline": baseline,
        "whatifs": whatif or (),
    }
    with exits():
        if not console().is_terminal:
            result = api.simulate(loaded, **options)
        else:
            from rich.console import Console
            from rich.progress import Progress

            from bekostiging.report.i18n import labels

            def advance(k: int) -> None:
                bar.advance(task, k)
                bar.refresh()

            # Refreshed as blocks finish, not by a thread of its own: with no thread
            # running, the draws' workers can be forked (`engine.simulate.run_draws`).
            with Progress(console=Console(stderr=True), transient=True, auto_refresh=False) as bar:
                task = bar.add_task(labels(lang.value).uncertainty["progress"], total=draws)
                result = api.simulate(loaded, **options, progress=advance)
    emit(result, out, read)


def sensitivity(
    scenario: ScenarioArg = None,
    variant: FigureVariantOpt = None,
    party: FigurePartyOpt = None,
    metric: Annotated[
        Metric | None,
        typer.Option(
            "--metric",
            help="The figure that swings (default: delta; with a \\[horizon] and no --year, npv_delta).",
            show_default=False,
        ),
    ] = None,
    year: Annotated[
        int | None,
        typer.Option("--year", help="With a \\[horizon]: the year of delta or net (default: the first)."),
    ] = None,
    baseline: BaselineOpt = None,
    whatif: WhatifOpt = None,
    set_: SetOpt = None,
    fmt: FormatOpt = None,
    table: Annotated[TornadoTable | None, typer.Option(help=TABLE_HELP)] = None,
    output: OutputOpt = None,
    csv_dialect: DialectOpt = Dialect.standard,
    lang: LangOpt = Lang.nl,
) -> None:
    """One-way sensitivity: a tornado table of the parameters, sorted by swing."""
    from bekostiging import api

    out = plan(fmt, output, table, csv_dialect, lang)
    loaded, read = inputs.load_for(out.path, [scenario], set_)
    variant, party = inputs.required(loaded, variant, party)
    with exits():
        result = api.sensitivity(
            loaded,
            variant=variant,
            party=party,
            metric=metric.value if metric is not None else None,
            year=year,
            baseline=baseline,
            whatifs=whatif or (),
        )
    emit(result, out, read)
