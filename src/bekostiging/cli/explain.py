"""`explain`: the ledger lines behind one party's figure."""

from __future__ import annotations

from typing import Annotated

import typer

from bekostiging.cli import inputs
from bekostiging.cli.emit import emit, exits, one_pass, plan
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
    OutputOpt,
    ScenarioArg,
    SetOpt,
    TraceTable,
    WhatifOpt,
)


def explain(
    scenario: ScenarioArg = None,
    variant: FigureVariantOpt = None,
    party: FigurePartyOpt = None,
    component: Annotated[
        str | None, typer.Option("--component", "-c", help="Only this component (fee, bundle, ...).")
    ] = None,
    baseline: BaselineOpt = None,
    whatif: WhatifOpt = None,
    set_: SetOpt = None,
    fmt: FormatOpt = None,
    table: Annotated[
        TraceTable | None, typer.Option(help=TABLE_HELP + " Terminal default: a tree; json: the trace.")
    ] = None,
    year: Annotated[
        int | None, typer.Option("--year", help="With a \\[horizon]: this year (default: the first).")
    ] = None,
    output: OutputOpt = None,
    csv_dialect: DialectOpt = Dialect.standard,
    lang: LangOpt = Lang.nl,
) -> None:
    """The ledger lines behind one party's figure, each with the formula that made it."""
    from bekostiging import api

    out = plan(fmt, output, table, csv_dialect, lang)
    one_pass()
    loaded, read = inputs.load_for(out.path, [scenario], set_)
    variant, party = inputs.required(loaded, variant, party)
    with exits():
        trace = api.explain(
            loaded,
            variant=variant,
            party=party,
            component=component,
            baseline=baseline,
            whatifs=whatif or (),
            year=year,
        )
    emit(trace, out, read)
